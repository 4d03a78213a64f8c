"""Certainty that is earned: the interval covers the graph's uncertainty (the discovery is rerun on resamples),
a verdict needs the edges it rests on to be stable, and "no effect" never comes with a [0, 0] interval that
a graph choice produced."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.discovery.estimate import effect_from_data, graph_stability
from fmcgm.discovery.pipeline import discover
from fmcgm.discovery.table import from_frame
from tests.data_models import CONFOUNDED, confounded_frame, sprinkler_frame


def _answer(df: pd.DataFrame, x: str, y: str, claim: str = "affects"):
    t = from_frame(df)
    d = discover(t)
    st = graph_stability(t, d.graph, x)
    return effect_from_data(t, d.graph, x, y, claim, stability=st)


def _degenerate(ci) -> bool:
    return ci is not None and ci[0] == ci[1]


@pytest.mark.parametrize("n,seed,names", [(3000, 0, CONFOUNDED), (3000, 1, ("gene", "diet", "age", "drug", "cure")),
                                          (20000, 2, CONFOUNDED)])
def test_weak_dependences_never_give_a_confident_no(n, seed, names):
    r = _answer(confounded_frame(n, seed, names), names[3], names[4])
    x, y = names[3], names[4]
    assert r.answer != "no"  # the true effect is +0.10
    if r.answer == "yes":
        assert r.ci[0] <= 0.10 <= r.ci[1]
    else:
        assert "not determined" in r.verdict and (f"{x}" in r.verdict and f"{y}" in r.verdict)


def test_an_unstable_orientation_is_named_with_its_share_of_resamples():
    r = _answer(confounded_frame(3000, 0), "x", "y")
    assert r.answer is None
    xy = next(e for e in r.stability.edges if e.pair == ("x", "y"))
    assert not xy.stable and "of the resamples" in xy.text()
    assert any("x" in s and "y" in s and "%" in s for s in r.rests_on)
    assert r.range[0] <= 0.10 <= r.range[1] + 0.05


def _null_frame(n: int, seed: int, names=("a", "c", "x", "y")) -> pd.DataFrame:
    """a -> x <- c -> y: x has no effect on y, confounded by c."""
    a_, c_, x_, y_ = names
    rng = np.random.default_rng(seed)
    a, c = rng.random((2, n)) < 0.5
    x = rng.random(n) < 0.15 + 0.4 * a + 0.35 * c
    y = rng.random(n) < 0.2 + 0.5 * c
    return pd.DataFrame({a_: a, c_: c, x_: x, y_: y}).astype(int)


@pytest.mark.parametrize("seed,names", [(0, ("a", "c", "x", "y")), (1, ("coupon", "income", "ad_click", "purchase"))])
def test_a_no_effect_verdict_comes_with_a_real_interval(seed, names):
    # 20,000 rows: "no effect" needs the interval inside ±0.03 (estimate.no_effect_margin); at 5,000 rows (this test's
    # size before the margin) the intervals were [-0.025, 0.036] and [-0.035, 0.027] -- not determined, rightly
    r = _answer(_null_frame(20_000, seed, names), names[2], names[3])
    assert r.answer == "no" and r.ci is not None and r.ci[0] < 0 < r.ci[1] and not _degenerate(r.ci)
    assert -0.03 < r.ci[0] and r.ci[1] < 0.03
    assert all(e.stable for e in r.stability.edges)


def test_a_no_effect_interval_that_reaches_meaningful_sizes_is_not_determined():
    r = _answer(_null_frame(5000, 0), "x", "y")
    assert r.answer is None and r.ci is not None and r.ci[0] < 0 < r.ci[1], r.verdict
    assert "±0.03" in r.verdict and "rows" in r.verdict and r.rows_to_settle and r.rows_to_settle > 5000


@pytest.mark.parametrize("seed", [0, 5])
def test_no_effect_by_orientation_reports_no_interval_and_the_orientation(seed):
    r = _answer(sprinkler_frame(5000, seed), "wet_pavement", "rain")
    assert r.answer == "no" and r.ci is None and not any(_degenerate(m.ci) for m in r.members)
    assert "rain -> wet_pavement" in r.verdict and "resamples" in r.verdict


def _ask(tmp_path, df: pd.DataFrame, question: str) -> dict:
    path = tmp_path / "obs.csv"
    df.to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"))
    return run_question(question, settings=s, app=build_graph(settings=s))["answer"]


def test_agent_answers_both_sprinkler_questions(tmp_path):
    df = sprinkler_frame(5000, 3)
    yes = _ask(tmp_path, df, "Does turning on the sprinkler make the pavement slippery?")
    assert yes["outcome"] == "answered" and yes["answer"] == "yes"
    lo, hi = map(float, re.search(r"CI (-?[\d.]+) to (-?[\d.]+)", yes["text"]).groups())
    assert 0 < lo < hi
    no = _ask(tmp_path, df, "Does wet pavement cause rain?")
    assert no["outcome"] == "answered" and no["answer"] == "no"
    assert "0.0000 to 0.0000" not in no["text"] and "resamples" in no["text"]


def test_agent_confounded_question_is_not_a_confident_no(tmp_path):
    ans = _ask(tmp_path, confounded_frame(3000, 4, ("smoke", "stress", "genes", "exercise", "health")),
               "Does exercise affect health?")
    assert ans["outcome"] == "answered" and ans["answer"] != "no"
    assert "0.0000 to 0.0000" not in ans["text"]


def test_the_causal_core_does_not_import_discovery():
    """Estimation over a discovered class lives in fmcgm/discovery (estimate.py): the core stays below it."""
    import ast
    from pathlib import Path

    import fmcgm.causal

    core = Path(fmcgm.causal.__file__).parent
    found = []
    for f in sorted(core.glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{f.name}: {n}" for n in names if n.startswith("fmcgm.discovery")]
    assert found == []


def test_additive_noise_orientations_are_carried_into_resamples_where_they_are_safe():
    from fmcgm.discovery.estimate import _carry_noise_orientations
    from fmcgm.discovery.pdag import DiscoveredGraph, Edge

    full = DiscoveredGraph(nodes=["f", "c", "w"], edges=[Edge(a="f", b="c", mark="->", source="noise")])
    open_ = DiscoveredGraph(nodes=["f", "c", "w"], edges=[Edge(a="c", b="f", mark="--")])
    _carry_noise_orientations(full, open_)
    assert [e.text() for e in open_.edges] == ["f -> c"] and open_.edges[0].source == "noise"
    collider = DiscoveredGraph(nodes=["f", "c", "w"], edges=[Edge(a="f", b="c", mark="--"), Edge(a="w", b="c", mark="->")])
    _carry_noise_orientations(full, collider)  # f -> c would make a new collider f -> c <- w: stays open
    assert {e.text() for e in collider.edges} == {"f -- c", "w -> c"}
