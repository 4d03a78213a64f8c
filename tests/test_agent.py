import json

from langchain_core.messages import AIMessage, ToolMessage
from scripted import ScriptedModel, call

from agent.configuration import Settings
from agent.graph import build_graph, run_question

Q = ("Rain has a direct effect on traffic and accidents. Traffic has a direct effect on accidents. "
     "For days without rain, the probability of heavy traffic is 30%. For rainy days, the probability of heavy traffic is 60%. "
     "For days without rain and with light traffic, the probability of accidents is 5%. "
     "For days without rain and with heavy traffic, the probability of accidents is 15%. "
     "For rainy days and with light traffic, the probability of accidents is 10%. "
     "For rainy days and with heavy traffic, the probability of accidents is 30%. "
     "Does rain positively affect accidents through traffic?")


def test_offline_agent_trace_order_and_answer():
    state = run_question(Q)
    tools = [s["tool"] for s in state["trace"] if s["node"] == "tools"]
    assert tools == ["propose_edges", "check_acyclicity", "estimate_effect"]
    assert [s["node"] for s in state["trace"]][-1] == "finalize"
    ans = state["answer"]
    # NIE = Σ_t P(a | no rain, t) [P(t | rain) - P(t | no rain)] = (0.15 - 0.05) * 0.3
    assert ans["value"] == 0.03 or abs(ans["value"] - 0.03) < 1e-9
    assert ans["answer"] == "yes" and ans["error"] is None
    assert ans["graph"]["edges"] == [["rain", "traffic"], ["rain", "accidents"], ["traffic", "accidents"]]


def test_bad_input_never_raises():
    for q in ["", "Why?", "A has a direct effect on A. Will A increase the chance of A?",
              "A has a direct effect on B. B has a direct effect on A. Will A increase the chance of B?"]:
        ans = run_question(q)["answer"]
        assert ans["answer"] is None and ans["value"] is None and ans["computed"] is False
        assert ans["outcome"] in ("declined", "error") and ans["text"]


def test_tool_error_goes_back_to_the_model_which_repairs_it():
    graph = {"edges": [["x", "y"]]}
    model = ScriptedModel(replies=[
        call("estimate_effect", {"graph": graph, "query": {"kind": "ate", "treatment": "x", "outcome": "y"},
                                 "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 1.4}]}),
        call("estimate_effect", {"graph": graph, "query": {"kind": "ate", "treatment": "x", "outcome": "y"},
                                 "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 0.4},
                                                {"event": {"y": 1}, "given": {"x": 0}, "p": 0.1}], "claim": "positive"}),
        AIMessage(content="Yes, the effect is 0.3."),
    ])
    state = build_graph(model=model).invoke({"messages": [("user", "q")], "trace": []}, config={"recursion_limit": 20})
    tool_msgs = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    first = json.loads(tool_msgs[0].content)
    assert first["ok"] is False and "1.4" in first["error"]["message"]
    # the model saw the error message before its second call
    assert any(isinstance(m, ToolMessage) and "1.4" in m.content for m in model.seen[1])
    assert abs(state["answer"]["value"] - 0.3) < 1e-9 and state["answer"]["answer"] == "yes"


def test_looping_model_hits_the_recursion_limit_cleanly():
    model = ScriptedModel(replies=[call("check_acyclicity", {"graph": {"edges": [["a", "b"]]}})], loop_last=True)
    state = run_question("anything?", settings=Settings(recursion_limit=6), app=build_graph(model=model))
    assert "recursion limit" in state["answer"]["error"]
