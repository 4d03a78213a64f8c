import json

import numpy as np
import pytest
from langchain_core.messages import AIMessage, ToolMessage
from scripted import ScriptedModel, call

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.critique import check_data, implied_independences, review

STATS = [{"event": {"y": 1}, "given": {"x": 1}, "p": 0.6}, {"event": {"y": 1}, "given": {"x": 0}, "p": 0.2}]
Q = {"kind": "ate", "treatment": "x", "outcome": "y"}


def test_review_names_the_cycle_and_stops():
    f = review([("a", "b"), ("b", "a")], [])
    assert [x.code for x in f] == ["cycle"] and "a -> b -> a" in f[0].message


def test_review_missing_and_unmarked_latent_variables():
    f = review([("x", "y")], [], named=["x", "y", "z"], said_latent=["x"])
    codes = {x.code for x in f}
    assert {"missing_variables", "unmarked_latent"} <= codes


def test_review_identifiability_and_consistency():
    f = review([("u", "x"), ("u", "y"), ("x", "y")], ["u"], statements=[Statement.of({"y": 1}, {"x": 1}, 0.5)],
               query=Query("ate", "y", "x"))
    assert any(x.code == "not_identifiable" and x.severity == "warning" for x in f)
    f = review([("x", "y")], [], statements=[Statement.of({"y": 1}, {"x": 1}, 0.7), Statement.of({"y": 0}, {"x": 1}, 0.7)])
    assert any(x.code == "inconsistent_input" and x.severity == "error" for x in f)


def test_data_independence_tests():
    rng = np.random.default_rng(0)
    n = 4000
    a = rng.integers(0, 2, n)
    b = (rng.random(n) < np.where(a == 1, 0.8, 0.2)).astype(int)  # a really causes b
    c = rng.integers(0, 2, n)
    data = {"a": a, "b": b, "c": c}
    wrong = CausalGraph.build([("c", "b")], nodes=["a", "b", "c"])  # claims a ⫫ b
    assert ("a", "b", ()) in implied_independences(wrong)
    found = check_data(wrong, data)
    assert any(f.code == "data_contradicts_graph" and "a ⫫ b" in f.message for f in found)
    right = CausalGraph.build([("a", "b")], nodes=["a", "b", "c"])
    assert all(f.severity != "error" for f in check_data(right, data))


def test_trajectory_cyclic_graph_is_rejected_then_fixed():
    bad = {"edges": [["x", "y"], ["y", "x"]]}
    good = {"edges": [["x", "y"]]}
    model = ScriptedModel(replies=[
        call("estimate_effect", {"graph": bad, "query": Q, "statements": STATS, "claim": "positive"}),
        call("propose_edges", {"edges": good["edges"]}),
        call("estimate_effect", {"graph": good, "query": Q, "statements": STATS, "claim": "positive"}),
        AIMessage(content="Yes, by 0.4."),
    ])
    state = run_question("q?", app=build_graph(model=model))
    rejected = [m for m in state["messages"] if isinstance(m, ToolMessage) and "critique rejected" in m.content]
    assert rejected and "x -> y -> x" in json.loads(rejected[0].content)["error"]["message"]
    assert state["critique_rounds"] == 2
    assert state["critiques"][1]["changed"]["removed_edges"] == [["y", "x"]]
    assert state["committed_graph"] == good
    nodes = [(s["node"], s["tool"]) for s in state["trace"]]
    assert nodes.index(("commit", None)) < nodes.index(("tools", "estimate_effect"))
    assert state["answer"]["answer"] == "yes" and abs(state["answer"]["value"] - 0.4) < 1e-9


def test_critique_round_limit_ends_cleanly():
    bad = {"edges": [["x", "y"], ["y", "x"]]}
    model = ScriptedModel(replies=[call("estimate_effect", {"graph": bad, "query": Q, "statements": STATS})], loop_last=True)
    state = run_question("q?", settings=Settings(max_critique_rounds=2, max_repeated_calls=5),
                         app=build_graph(model=model, settings=Settings(max_critique_rounds=2, max_repeated_calls=5)))
    assert "rejected the graph 2 time(s)" in state["answer"]["error"]


def test_non_identifiable_query_is_answered_honestly():
    g = {"edges": [["u", "x"], ["u", "y"], ["x", "y"]], "latent": ["u"]}
    model = ScriptedModel(replies=[
        call("estimate_effect", {"graph": g, "query": Q, "statements": STATS, "claim": "positive"}),
        AIMessage(content="The effect is not identifiable: u confounds x and y."),
    ])
    state = run_question("q?", app=build_graph(model=model))
    ans = state["answer"]
    assert ans["answer"] is None and ans["value"] is None
    assert ans["outcome"] == "not_identifiable" and ans["computed"] is True  # proved by the ID algorithm, this turn
    assert "not identifiable" in ans["text"] and "hedge" in ans["text"]
    assert any("not identifiable" in w for w in ans["warnings"])


def test_committed_graph_is_used_after_commit():
    good = {"edges": [["x", "y"]]}
    other = {"edges": [["y", "x"]]}
    model = ScriptedModel(replies=[
        call("estimate_effect", {"graph": good, "query": Q, "statements": STATS}),
        call("estimate_effect", {"graph": other, "query": Q, "statements": STATS}),
        AIMessage(content="done"),
    ])
    state = run_question("q?", app=build_graph(model=model))
    runs = [s for s in state["trace"] if s["tool"] == "estimate_effect"]
    assert all(r["args"]["graph"] == good for r in runs)


def test_empty_replies_are_nudged_then_stopped():
    model = ScriptedModel(replies=[AIMessage(content="")], loop_last=True)
    settings = Settings(max_empty_replies=2)
    state = run_question("q?", settings=settings, app=build_graph(model=model, settings=settings))
    assert "3 empty replies" in state["answer"]["error"]
    assert len(model.seen) == 3


def test_repeated_identical_calls_are_stopped():
    model = ScriptedModel(replies=[call("check_acyclicity", {"graph": {"edges": [["a", "b"]]}})], loop_last=True)
    state = run_question("q?", app=build_graph(model=model))
    assert "repeated the same call to check_acyclicity 3 times" in state["answer"]["error"]


def test_review_reports_a_number_the_others_contradict():
    stmts = [Statement.of({"x": 1}, {}, 0.5), Statement.of({"y": 1}, {"x": 0}, 0.2),
             Statement.of({"y": 1}, {"x": 1}, 0.3), Statement.of({"y": 1}, {}, 0.9)]
    f = review([("x", "y")], [], statements=stmts, query=Query("marginal", "y"))
    errors = [x for x in f if x.severity == "error"]
    assert [x.code for x in errors] == ["inconsistent_input"]
    assert "P(y=1) is given as 90%" in errors[0].message and "imply 25%" in errors[0].message


@pytest.mark.parametrize("kind", ["discrete", "continuous"])
def test_the_default_critique_test_is_the_searchs_own(kind):
    """The critique's default test is causal-learn's CIT as discovery's search chooses it: the same p-value."""
    import pandas as pd

    from fmcgm.critique import ci_test
    from fmcgm.discovery.search import tester_for
    from fmcgm.discovery.table import from_frame

    rng = np.random.default_rng(3)
    n = 3000
    if kind == "discrete":
        a = rng.integers(0, 2, n)
        c = (rng.random(n) < np.where(a == 1, 0.7, 0.3)).astype(int)
        b = (rng.random(n) < np.where(c == 1, 0.6, 0.4)).astype(int)
    else:
        a = rng.normal(size=n)
        c = a + rng.normal(size=n)
        b = c + rng.normal(size=n)
    t = from_frame(pd.DataFrame({"a": a, "b": b, "c": c}))
    tester = tester_for(t)
    for given in ((), ("c",)):
        assert ci_test(t.columns, "a", "b", given)[0] == pytest.approx(tester.p("a", "b", given), rel=1e-9, abs=1e-12)
