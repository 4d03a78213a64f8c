"""Search and critique that agree: the same test on the same rows, colliders that survive path cancellation,
rejected graphs repaired by searching again under the rejected independence, conflicts declined with reasons."""

from __future__ import annotations

import pytest

from fmcgm.critique import implied_independences
from fmcgm.discovery import pipeline, search
from fmcgm.discovery.pdag import consistent_extension, to_causal_graph
from fmcgm.discovery.table import from_frame
from tests.data_models import SPRINKLER, four_cycle_frame, sprinkler_frame, sprinkler_truth

OTHER_NAMES = ("Season", "hose", "precipitation", "wet_road", "skid")


def _cpdag(names=SPRINKLER) -> set[str]:
    season, spr, rain, wet, slip = names
    return {f"{spr} -> {wet}", f"{rain} -> {wet}", f"{wet} -> {slip}"}


def _edges(g) -> set[str]:
    return {e.text() for e in g.edges if e.mark == "->"}


def _open(g) -> set[frozenset[str]]:
    return {e.pair for e in g.edges if e.mark == "--"}


@pytest.mark.parametrize("seed,names,kw", [
    (0, SPRINKLER, {}),
    (1, SPRINKLER, {"sprinkler": (0.7, 0.1), "wet": (0.99, 0.9, 0.9, 0.02)}),
    (2, OTHER_NAMES, {"offset": 0.01}),
    (3, OTHER_NAMES, {"sprinkler": (0.5, 0.15), "slippery": (0.7, 0.05)}),
])
def test_sprinkler_collider_is_found_although_the_season_paths_cancel(seed, names, kw):
    t = from_frame(sprinkler_frame(5000, seed, names, shuffle=seed, **kw))
    d = pipeline.discover(t)
    season, spr, rain, wet, slip = names
    assert _edges(d.graph) == _cpdag(names)
    assert _open(d.graph) == {frozenset((season, spr)), frozenset((season, rain))}
    assert d.violations == [] and d.tests_run > 0  # the critique, on the same test and rows, accepts it


def test_column_order_does_not_change_the_discovered_graph():
    graphs = [pipeline.discover(from_frame(sprinkler_frame(5000, 7, shuffle=s))).graph for s in (None, 1, 2, 5)]
    assert len({frozenset(e.text() for e in g.edges) for g in graphs}) == 1


def test_critique_runs_the_search_own_test_object_on_the_same_rows():
    t = from_frame(sprinkler_frame(3000, 4))
    tester = search.tester_for(t)
    assert search.tester_for(t) is tester and tester.test == "chisq" and tester.rows == t.n
    d = pipeline.discover(t)
    assert d.test == "chisq" and d.rows == t.n
    dag = consistent_extension(d.graph)
    # every independence the critique tested went through the search's CIT (its cache holds the p-value)
    for a, b, given in implied_independences(to_causal_graph(dag, d.graph.nodes)):
        assert tester.cached(a, b, given)


def test_textbook_pc_rejection_is_repaired_by_searching_again_under_the_rejected_independence():
    t = from_frame(sprinkler_frame(5000, 0))
    d = pipeline.discover(t, orientation="causal-learn")  # textbook PC: colliders from one separating set
    first = d.rounds[0]
    assert first.violations and any({"rain", "sprinkler"} == {v.a, v.b} for v in first.violations)
    assert any(c.kind == "collider" and c.via == "wet_pavement" for c in d.constraints)
    assert len(d.rounds) >= 2 and d.rounds[-1].violations == []
    assert {"sprinkler -> wet_pavement", "rain -> wet_pavement"} <= _edges(d.graph)
    assert d.conflicts == []


@pytest.mark.parametrize("seed,names", [(0, ("a", "b", "c", "d")), (3, ("north", "east", "south", "west"))])
def test_conflict_no_graph_can_repair_is_reported_with_the_independences_and_what_would_settle_it(seed, names):
    t = from_frame(four_cycle_frame(5000, seed, names))
    d = pipeline.discover(t)
    assert d.conflicts, "a 4-cycle of dependences has no DAG: the search and its critique must disagree"
    text = " ".join(c.text for c in d.conflicts)
    a, b, c, dd = names
    assert any(s in text for s in (f"{a} ⫫ {c}", f"{c} ⫫ {a}", f"{b} ⫫ {dd}", f"{dd} ⫫ {b}"))
    assert all(c.settle for c in d.conflicts)
    assert len(d.rounds) <= pipeline.MAX_REPAIR_ROUNDS + 1


def test_truth_is_a_member_of_the_sprinkler_class():
    names = SPRINKLER
    d = pipeline.discover(from_frame(sprinkler_frame(5000, 11, names)))
    truth = sprinkler_truth(names)
    assert set(d.graph.directed()) <= truth
    assert {frozenset(e) for e in truth} == {e.pair for e in d.graph.edges}


def test_a_pair_separated_only_by_a_larger_set_through_no_path_is_kept_adjacent():
    # b -> x is weak (0.06): the search separates them given {c, y} (p ≈ 0.01) although they are dependent
    # marginally (p ≈ 5e-4) and nothing adjacent to both carries that dependence: the repair keeps them adjacent
    from tests.data_models import confounded_frame

    t = from_frame(confounded_frame(3000, 203, ate=0.128, causes=(0.1, 0.06), confounding=(0.2, 0.21)))
    d = pipeline.discover(t)
    assert any(c.kind == "adjacent" and {c.a, c.b} == {"b", "x"} for c in d.constraints)
    assert d.conflicts == [] and frozenset(("b", "x")) in {e.pair for e in d.graph.edges}


def test_the_agent_critique_reads_the_search_test_object(tmp_path):
    from agent.configuration import Settings
    from agent.data_support import dag_member
    from agent.graph import build_graph, run_question
    from fmcgm.discovery.table import load_table

    path = tmp_path / "s.csv"
    sprinkler_frame(4000, 9, OTHER_NAMES).to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"))
    state = run_question("Does hose affect skid?", settings=s, app=build_graph(settings=s))
    critique = state["critiques"][-1]
    assert critique["findings"] and all(f["severity"] != "error" for f in critique["findings"])
    tester = search.tester_for(load_table(path))  # the one Table object of this file, with its one tester
    calls = tester.calls
    member = dag_member(critique["graph"])
    for a, b, given in implied_independences(to_causal_graph(member, critique["graph"]["nodes"])):
        assert tester.cached(a, b, given)  # the agent's critique ran these on the search's CIT
    assert tester.calls == calls
