"""The agent's contract: one answer per turn, computed or visibly not, exit codes that tell."""

import json

import pytest
from app_server import free_port
from langchain_core.messages import AIMessage
from scripted import ScriptedModel, call
from test_agent import Q
from typer.testing import CliRunner

from agent.answer import Answer
from agent.configuration import Settings
from agent.graph import build_graph, run_question
from agent.traces import list_threads, open_store
from fmcgm.cli import app
from fmcgm.vocabulary import Outcome

runner = CliRunner()
PROSE = "The answer is no. Smoking increases the chance of cancer by 50%."


def test_follow_up_does_not_leak_the_previous_answer(tmp_path):
    saver = open_store(tmp_path / "t.sqlite")
    graph = build_graph(checkpointer=saver)
    first = run_question(Q, app=graph, thread_id="T1")["answer"]
    assert first["answer"] == "yes" and first["computed"] is True
    second = run_question("What about the weather tomorrow?", app=graph, thread_id="T1")["answer"]
    assert second["answer"] is None and second["value"] is None and second["estimand"] is None
    assert second["computed"] is False and second["outcome"] == "declined"
    rows = {r["thread_id"]: r for r in list_threads(graph, saver)}
    assert rows["T1"]["outcome"] == "declined" and rows["T1"]["answer"] is None


def test_prose_without_a_tool_is_sent_back_then_labelled_not_computed():
    model = ScriptedModel(replies=[AIMessage(content=PROSE)], loop_last=True)
    state = run_question("Would smoking still raise cancer risk if we blocked tar?",
                         app=build_graph(model=model, settings=Settings(max_uncomputed_nudges=2)))
    ans = state["answer"]
    assert ans["answer"] is None and ans["value"] is None and ans["computed"] is False
    assert ans["outcome"] == "declined" and ans["text"].startswith("NOT COMPUTED") and PROSE in ans["text"]
    assert ans["model_text"] == PROSE
    assert [s["node"] for s in state["trace"]].count("nudge") == 2 and len(model.seen) == 3


def test_a_nudged_model_that_then_computes_is_answered():
    g = {"edges": [["x", "y"]]}
    est = {"graph": g, "query": {"kind": "ate", "treatment": "x", "outcome": "y"}, "claim": "positive",
           "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 0.4}, {"event": {"y": 1}, "given": {"x": 0}, "p": 0.1}]}
    model = ScriptedModel(replies=[AIMessage(content="Yes, obviously."), call("estimate_effect", est),
                                   AIMessage(content="It is 0.9, trust me.")])
    ans = run_question("q?", app=build_graph(model=model))["answer"]
    assert ans["computed"] is True and ans["answer"] == "yes" and abs(ans["value"] - 0.3) < 1e-9
    assert "0.3000" in ans["text"] and "0.9" not in ans["text"]  # the text comes from the tool, not the prose
    assert ans["model_text"] == "It is 0.9, trust me."


def test_clarification_is_a_decline_with_what_is_missing():
    model = ScriptedModel(replies=[
        call("request_clarification", {"understood": "smoking and cancer", "missing": ["a causal graph", "P(cancer | smoking)"],
                                       "example": "Smoking has a direct effect on cancer."}),
        AIMessage(content="Please give me a graph.")])
    ans = run_question("Does smoking cause cancer?", app=build_graph(model=model))["answer"]
    assert ans["outcome"] == "declined" and ans["computed"] is False and ans["answer"] is None
    assert ans["missing"] == ["a causal graph", "P(cancer | smoking)"] and "Smoking has a direct effect" in ans["text"]


@pytest.mark.parametrize("outcome,kind,code", [
    (Outcome.ANSWERED, None, 0), (Outcome.NOT_IDENTIFIABLE, None, 0), (Outcome.DECLINED, None, 1),
    (Outcome.ERROR, "limit", 1), (Outcome.ERROR, "internal", 1), (Outcome.ERROR, "input", 2), (Outcome.ERROR, "backend", 3)])
def test_exit_code_follows_the_outcome(outcome, kind, code):
    assert Answer(outcome=outcome, error_kind=kind).exit_code == code


def test_cli_exit_codes(tmp_path, monkeypatch):
    db = ["--trace-db", str(tmp_path / "t.sqlite")]
    r = runner.invoke(app, ["ask", "--json", *db, Q])
    assert r.exit_code == 0 and json.loads(r.stdout)["computed"] is True
    r = runner.invoke(app, ["ask", "--json", *db, "What about the weather tomorrow?"])
    assert r.exit_code == 1 and json.loads(r.stdout)["outcome"] == "declined"
    r = runner.invoke(app, ["ask", *db, "--data", str(tmp_path / "missing.csv"), Q])
    assert r.exit_code == 2 and "missing.csv" in r.output and "does not exist" in r.output and "Errno" not in r.output
    monkeypatch.setenv("FMCGM_MAX_RETRIES", "0")
    r = runner.invoke(app, ["ask", "--json", *db, "--backend", "openai", "--model", "m", "--timeout", "2",
                            "--base-url", f"http://127.0.0.1:{free_port()}/v1", Q])
    out = json.loads(r.stdout)
    assert r.exit_code == 3 and out["outcome"] == "error" and "127.0.0.1" in out["error"] and out["computed"] is False


def test_json_answer_has_the_contract_fields(tmp_path):
    r = runner.invoke(app, ["ask", "--json", "--trace-db", str(tmp_path / "t.sqlite"), Q])
    out = json.loads(r.stdout)
    assert set(Answer.model_fields) == set(out)
    assert out["outcome"] == "answered" and out["graph"]["edges"][0] == ["rain", "traffic"]


def test_probability_over_100_percent_hint_says_fix_the_number():
    g = {"edges": [["x", "y"]]}
    est = {"graph": g, "query": {"kind": "ate", "treatment": "x", "outcome": "y"}, "claim": "positive",
           "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 1.4}, {"event": {"y": 1}, "given": {"x": 0}, "p": 0.1}]}
    model = ScriptedModel(replies=[call("estimate_effect", est), AIMessage(content="I cannot.")])
    state = run_question("q?", app=build_graph(model=model))
    rejection = state["critiques"][0]["findings"]
    assert any("1.4" in f["message"] for f in rejection)
    tool_msg = json.loads(model.seen[1][-1].content)
    assert "1.4" in tool_msg["error"]["message"] and "probability statements" in tool_msg["error"]["for_model"]
    assert "revise the graph" not in tool_msg["error"]["for_model"]
    assert "between 0 and 1" in tool_msg["error"]["hint"] and "the tool" not in tool_msg["error"]["hint"]
    assert state["answer"]["computed"] is False and state["answer"]["answer"] is None
    assert "call the tool" not in state["answer"]["text"]  # the model's instruction never reaches the user
