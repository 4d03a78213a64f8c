"""From data to answer: effects estimated from data (counts, regression, IDA), positivity, and the agent's data flow."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.discovery.estimate import PositivityError, effect_from_data
from fmcgm.discovery.pdag import DiscoveredGraph, Edge
from fmcgm.discovery.question import read_effect_question
from fmcgm.discovery.table import from_frame
from tests.test_discovery import collider_frame


def test_counts_adjust_for_the_confounder_and_ci_covers_truth():
    rng = np.random.default_rng(0)
    n = 4000
    z = rng.random(n) < 0.5
    x = rng.random(n) < np.where(z, 0.8, 0.2)
    y = rng.random(n) < 0.1 + 0.3 * x + 0.4 * z
    t = from_frame(pd.DataFrame({"z": z.astype(int), "x": x.astype(int), "y": y.astype(int)}))
    g = DiscoveredGraph(nodes=["z", "x", "y"], edges=[Edge(a="z", b="x", mark="->"), Edge(a="z", b="y", mark="->"),
                                                      Edge(a="x", b="y", mark="->")])
    r = effect_from_data(t, g, "x", "y")
    assert r.answer == "yes" and r.ci[0] <= 0.3 <= r.ci[1] and not any(m.linear for m in r.members)


def test_empty_cell_is_named_instead_of_dividing_by_zero():
    t = from_frame(pd.DataFrame({"z": [0, 0, 1, 1] * 10, "x": [0, 1, 1, 1] * 10, "y": [0, 1, 1, 0] * 10}))
    g = DiscoveredGraph(nodes=["z", "x", "y"], edges=[Edge(a="z", b="x", mark="->"), Edge(a="z", b="y", mark="->"),
                                                      Edge(a="x", b="y", mark="->")])
    with pytest.raises(PositivityError, match="no rows with x=0 and z=1"):
        effect_from_data(t, g, "x", "y")


def test_ida_leaves_a_reversible_chain_open():
    rng = np.random.default_rng(3)
    a = rng.normal(size=1500)
    b = a + rng.normal(size=1500)
    t = from_frame(pd.DataFrame({"a": a, "b": b}))
    g = DiscoveredGraph(nodes=["a", "b"], edges=[Edge(a="a", b="b", mark="--")])
    r = effect_from_data(t, g, "a", "b")
    assert r.answer is None and r.range[0] == 0.0 and r.range[1] > 0.8 and "not determined" in r.verdict


def test_question_words_match_column_names():
    q = read_effect_question("Does wet pavement increase slipping?", ["slipping", "wet_pavement", "pavement"])
    assert (q.treatment, q.outcome, q.claim) == ("wet_pavement", "slipping", "positive")


def _ask(tmp_path, df, question):
    path = tmp_path / "obs.csv"
    df.to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"))
    return run_question(question, settings=s, app=build_graph(settings=s))["answer"]


def test_agent_answers_from_data_when_the_class_determines_it(tmp_path):
    # 6,000 rows: the collider x -> y <- w is read from x ⫫ w, which needs about 4,700 rows to exclude a cancelling
    # direct effect of 0.05 (tests/test_cancelling_paths.py); at 3,000 the verdict is "not determined"
    ans = _ask(tmp_path, collider_frame(6000), "Does x affect y?")
    assert ans["answer"] == "yes" and ans["error"] is None
    lo, hi = map(float, re.search(r"CI (-?[\d.]+) to (-?[\d.]+)", ans["text"]).groups())
    assert lo <= 0.5 <= hi  # the true effect per unit of x


def test_agent_says_not_determined_when_the_class_leaves_it_open(tmp_path):
    rng = np.random.default_rng(4)
    a = rng.normal(size=2000)
    df = pd.DataFrame({"rain": a, "wet_pavement": a + rng.normal(size=2000)})
    ans = _ask(tmp_path, df, "Does rain affect wet pavement?")
    assert ans["answer"] is None and "not determined by these data" in ans["text"].lower()
    assert "rain -- wet_pavement" in ans["text"]


def test_hybrid_source_uses_the_model_and_offline_says_it_has_none(tmp_path):
    from tests.test_discovery import _Scripted
    from tools import call_tool
    from tools.discovery_tools import DiscoverGraphArgs, discover_graph
    from tools.registry import injected_args

    rng = np.random.default_rng(5)
    a = rng.normal(size=1500)
    path = tmp_path / "d.csv"
    pd.DataFrame({"rain": a, "wet": a + rng.normal(size=1500)}).to_csv(path, index=False)
    offline = discover_graph(DiscoverGraphArgs(data_path=str(path), source="hybrid")).model_dump(mode="json")["data"]
    assert "no knowledge source" in offline["notes"][0] and offline["uncertain_edges"] == ["rain -- wet"]
    assert "knowledge_model" in injected_args("discover_graph")
    res = call_tool("discover_graph", {"data_path": str(path), "source": "hybrid"},
                    injected={"knowledge_model": _Scripted(['{"answer": "A"}'] * 5)})
    assert res["ok"] and res["data"]["graph"]["edges"] == [["rain", "wet"]]
    assert res["data"]["graph"]["sources"] == {"rain -> wet": "data+knowledge"}
