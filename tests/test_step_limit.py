"""The recursion limit is kept inside the graph with LangGraph's RemainingSteps (issue 19): a run it stops ends in
the finalize node with the limit's error answer, however it is run (invoke, stream, resume), instead of raising
GraphRecursionError for every caller to catch."""

from __future__ import annotations

from langchain_core.messages import AIMessage

from agent.answer import Answer
from agent.graph import build_graph
from tests.scripted import ScriptedModel, call

GRAPH = {"edges": [["x", "y"]]}
ATE = {"graph": GRAPH, "query": {"kind": "ate", "treatment": "x", "outcome": "y"},
       "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 0.4}, {"event": {"y": 1}, "given": {"x": 0}, "p": 0.1}]}


def _loop():
    return ScriptedModel(replies=[call("check_acyclicity", {"graph": GRAPH})], loop_last=True)


def test_a_looping_model_ends_inside_the_graph_with_the_limit_answer():
    state = build_graph(model=_loop()).invoke({"messages": [("user", "q")]}, config={"recursion_limit": 6})
    ans = Answer.model_validate(state["answer"])
    msg = "stopped after 6 steps without an answer (the recursion limit)"
    assert ans.error == msg and ans.text == msg and ans.error_kind == "limit" and ans.exit_code == 1
    assert state["outcome"] == "error" and state["trace"][-1]["node"] == "finalize"
    # no tool call is left without its result on the thread (a follow-up turn starts from a clean conversation)
    assert not any(isinstance(m, AIMessage) and m.tool_calls for m in state["messages"][-1:])


def test_streaming_a_stopped_run_ends_with_the_finalize_step():
    nodes = [n for u in build_graph(model=_loop()).stream({"messages": [("user", "q")]}, config={"recursion_limit": 5},
                                                         stream_mode="updates") for n in u]
    assert nodes[-1] == "finalize"


def test_an_answer_that_fits_the_limit_exactly_is_not_cut():
    """start, model, critique, commit, tools, model, finalize: seven nodes, which LangGraph runs under a limit of
    eight (the step after the last node counts)."""
    def model():
        return ScriptedModel(replies=[call("estimate_effect", ATE), AIMessage(content="0.3")])

    done = build_graph(model=model()).invoke({"messages": [("user", "q")]}, config={"recursion_limit": 8})
    assert done["answer"]["computed"] and abs(done["answer"]["value"] - 0.3) < 1e-9
    short = build_graph(model=model()).invoke({"messages": [("user", "q")]}, config={"recursion_limit": 7})
    assert short["answer"]["error_kind"] == "limit" and not short["answer"]["computed"]
