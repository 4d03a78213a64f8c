"""The real langchain-openai and langchain-ollama clients against local scripted servers."""

import json

import pytest
from fake_servers import ScriptedServer

from agent.configuration import Settings
from agent.graph import build_graph, run_question

GRAPH = {"edges": [["rain", "wet"]], "latent": []}
EST = {"graph": GRAPH, "query": {"kind": "ate", "treatment": "rain", "outcome": "wet"},
       "statements": [{"event": {"wet": 1}, "given": {"rain": 1}, "p": 0.9},
                      {"event": {"wet": 1}, "given": {"rain": 0}, "p": 0.2}], "claim": "positive"}
QUESTION = "Rain has a direct effect on wet. Will rain increase the chance of wet?"


def settings_for(srv, **kw):
    base = dict(backend=srv.kind, model="scripted", base_url=srv.url.removesuffix("/v1") if srv.kind == "ollama" else srv.url,
                api_key="test", timeout=5, max_retries=2, retry_backoff=0.01)
    base.update(kw)
    return Settings(**base)


def happy_script():
    return [
        {"tool_calls": [("propose_edges", {"edges": GRAPH["edges"]})]},
        {"tool_calls": [("check_acyclicity", {"graph": GRAPH})]},
        {"tool_calls": [("estimate_effect", EST)]},
        {"content": "APPROVE"},  # the model's own review of its graph (critique prompt)
        {"content": "Yes: rain raises the chance of a wet lawn by 0.7."},
    ]


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_native_tool_calls(kind):
    with ScriptedServer(kind, happy_script()) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    ans = state["answer"]
    assert ans["error"] is None, ans
    assert ans["answer"] == "yes" and abs(ans["value"] - 0.7) < 1e-9
    tools = [st["tool"] for st in state["trace"] if st["node"] == "tools"]
    assert tools == ["propose_edges", "check_acyclicity", "estimate_effect"]
    nodes = [st["node"] for st in state["trace"]]
    assert nodes.index("critique") < nodes.index("commit") < len(nodes) - 1
    # the critique consulted the model with the critique prompt
    critique_req = srv.requests[3]["body"]["messages"][0]["content"]
    assert "reviewing a causal graph" in critique_req
    # token usage recorded for model calls
    assert any(st.get("tokens") for st in state["trace"] if st["node"] == "model")
    if kind == "ollama":
        assert srv.requests[0]["body"]["options"]["num_ctx"] == s.num_ctx  # no silent truncation
        assert srv.requests[0]["path"] == "/api/chat"
    else:
        assert srv.requests[0]["body"]["tools"][0]["function"]["name"] == "propose_edges"


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_json_tool_calls_in_content(kind):
    script = [
        {"content": "I will call a tool.\n```json\n" + json.dumps({"name": "estimate_effect", "arguments": EST}) + "\n```"},
        {"content": "APPROVE"},
        {"content": "Yes."},
    ]
    with ScriptedServer(kind, script) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    assert state["answer"]["answer"] == "yes", state["answer"]


def test_arguments_as_a_string_and_unknown_tools():
    script = [
        {"tool_calls": [("teleport", {"to": "mars"})]},
        {"tool_calls": [("estimate_effect", json.dumps(json.dumps(EST)))]},  # double-encoded: a JSON string
        {"content": "APPROVE"},
        {"content": "Yes."},
    ]
    with ScriptedServer("openai", script) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    first = json.loads(srv.requests[1]["body"]["messages"][-1]["content"])
    assert first["error"]["code"] == "unknown_tool"
    assert state["answer"]["answer"] == "yes", state["answer"]


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_http_500_is_retried_then_recovers(kind):
    with ScriptedServer(kind, [{"status": 500}] + happy_script()) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    assert state["answer"]["answer"] == "yes", state["answer"]


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_server_down_gives_a_clear_error(kind):
    with ScriptedServer(kind, [{"status": 500}] * 3) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
        url = s.server_url()
    err = state["answer"]["error"]
    assert url in err and "3 attempt" in err and "check that it is running" in err


def test_timeout_gives_a_clear_error():
    with ScriptedServer("openai", [{"sleep": 1.5, "content": "late"}]) as srv:
        s = settings_for(srv, timeout=0.3, max_retries=0)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    assert srv.url in state["answer"]["error"] and "did not answer" in state["answer"]["error"]


def test_nothing_listening():
    s = Settings(backend="openai", model="m", base_url="http://127.0.0.1:9/v1", timeout=1, max_retries=1, retry_backoff=0.01)
    state = run_question(QUESTION, settings=s)
    assert "http://127.0.0.1:9/v1" in state["answer"]["error"]


def test_missing_model_name_is_reported():
    state = run_question(QUESTION, settings=Settings(backend="ollama"))
    assert "needs a model name" in state["answer"]["error"]


def test_arguments_that_are_not_json_go_back_for_repair():
    script = [
        {"tool_calls": [("estimate_effect", "{not json")]},
        {"tool_calls": [("estimate_effect", EST)]},
        {"content": "APPROVE"},
        {"content": "Yes."},
    ]
    with ScriptedServer("openai", script) as srv:
        s = settings_for(srv)
        state = run_question(QUESTION, settings=s, app=build_graph(settings=s))
    repaired = json.loads(srv.requests[1]["body"]["messages"][-1]["content"])
    assert repaired["ok"] is False and "not valid JSON" in repaired["error"]["message"]
    assert state["answer"]["answer"] == "yes"


def test_eval_cladder_against_an_openai_compatible_server(tmp_path):
    from typer.testing import CliRunner

    from fmcgm.cli import app

    data = tmp_path / "q.jsonl"
    data.write_text(json.dumps({"question_id": 1, "prompt": QUESTION, "answer": "yes", "query_type": "ate", "rung": 2}) + "\n")
    out = tmp_path / "r.json"
    with ScriptedServer("openai", happy_script()) as srv:
        r = CliRunner().invoke(app, ["eval", "cladder", "--data", str(data), "--backend", "openai", "--base-url", srv.url,
                                     "--model", "scripted", "--concurrency", "2", "--json", str(out)])
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text())
    assert rep["accuracy"] == 1.0 and rep["results"][0]["predicted"] == "yes"


def test_vlm_concept_extractor_against_an_openai_compatible_server():
    import numpy as np

    from agent.backends import make_model
    from fmcgm.vision.extractor import VLMExtractor
    from fmcgm.worlds import get_world

    w = get_world("pendulum")
    reply = {"pendulum_angle": 12.5, "light_position": 100, "shadow_position": 9.0, "shadow_length": 400}
    with ScriptedServer("openai", [{"content": "Here you go: " + json.dumps(reply)}]) as srv:
        ext = VLMExtractor(w, make_model(settings_for(srv)))
        got = ext.extract(w.render(w.sample(np.random.default_rng(0)), 32))
        sent = srv.requests[0]["body"]["messages"][0]["content"]
    assert got["pendulum_angle"] == 12.5 and got["shadow_length"] == w.concept("shadow_length").high  # clipped
    assert any(part.get("type") == "image_url" and part["image_url"]["url"].startswith("data:image/png;base64,")
               for part in sent)
