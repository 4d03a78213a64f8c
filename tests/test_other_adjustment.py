"""An empty cell under the treatment's parents is not the end: another back-door set of the same member graph,
valid in every DAG the data allow with those parents, gives the same effect (issue 17: no decline where the data
determine the answer)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fmcgm.discovery.estimate import PositivityError, effect_from_data, other_adjustment
from fmcgm.discovery.pdag import DiscoveredGraph, Edge, member_dags
from fmcgm.discovery.table import from_frame


def _alarm(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """burglary -> alarm <- earthquake, alarm -> calls; the alarm always rings under both causes, which are rare
    together, so no row has alarm = 0 with burglary = earthquake = 1.  True effect of alarm on calls: 0.9 - 0.05."""
    rng = np.random.default_rng(seed)
    b = rng.random(n) < 0.1
    e = rng.random(n) < 0.1
    a = (b & e) | (rng.random(n) < np.where(b | e, 0.7, 0.05))
    c = rng.random(n) < np.where(a, 0.9, 0.05)
    return pd.DataFrame({"burglary": b, "earthquake": e, "alarm": a, "calls": c}).astype(int)


def _collider(open_out: bool = False) -> DiscoveredGraph:
    return DiscoveredGraph(nodes=["burglary", "earthquake", "alarm", "calls"],
                           edges=[Edge(a="burglary", b="alarm", mark="->"), Edge(a="earthquake", b="alarm", mark="->"),
                                  Edge(a="alarm", b="calls", mark="--" if open_out else "->")])


def test_empty_parent_cell_falls_back_to_a_smaller_valid_set_and_says_so():
    df = _alarm()
    assert not ((df.burglary == 1) & (df.earthquake == 1) & (df.alarm == 0)).any()  # the parents' cell is empty
    r = effect_from_data(from_frame(df), _collider(), "alarm", "calls")
    assert r.answer == "yes" and r.ci is not None and r.ci[0] <= 0.85 <= r.ci[1]
    (m,) = r.members
    assert m.parents == ["burglary", "earthquake"] and m.adjusted == []
    assert "no adjustment needed" in r.estimand and "empty cell" in r.estimand
    assert any("back-door set {∅}" in w for w in r.warnings)


def test_a_confounder_is_never_dropped_to_escape_an_empty_cell():
    # z confounds x and y; x = 0 never occurs with z = 1: only {z} is valid, so the empty cell still ends it
    t = from_frame(pd.DataFrame({"z": [0, 0, 1, 1] * 10, "x": [0, 1, 1, 1] * 10, "y": [0, 1, 1, 0] * 10}))
    g = DiscoveredGraph(nodes=["z", "x", "y"], edges=[Edge(a="z", b="x", mark="->"), Edge(a="z", b="y", mark="->"),
                                                      Edge(a="x", b="y", mark="->")])
    with pytest.raises(PositivityError, match="no rows with x=0 and z=1"):
        effect_from_data(t, g, "x", "y")


def test_a_set_valid_in_only_some_graphs_with_those_parents_is_not_used():
    # a resample's graph with the same parents of alarm also has burglary -> calls: ∅ leaves that back door open
    # there, so the set must be one valid in both graphs, {burglary} (which has data in every cell)
    t = from_frame(_alarm())
    g2 = _collider()
    g2.edges.append(Edge(a="burglary", b="calls", mark="->"))
    why = PositivityError("the parents' cell is empty")
    pa = frozenset({"burglary", "earthquake"})
    assert other_adjustment(t, [_collider()], "alarm", "calls", pa, 0, why).adjusted == []
    assert other_adjustment(t, [_collider(), g2], "alarm", "calls", pa, 0, why).adjusted == ["burglary"]


def test_members_are_the_orientations_without_cycle_or_new_collider():
    g = DiscoveredGraph(nodes=["a", "b", "c"], edges=[Edge(a="a", b="b", mark="--"), Edge(a="b", b="c", mark="--")])
    assert member_dags(g, "a", set()) == [[("a", "b"), ("b", "c")]]  # c -> b would make a new collider at b
    assert len(member_dags(g, "a", {"b"})) == 2  # b -> a, and b - c either way
    assert member_dags(g, "a", {"c"}) is None  # c is not adjacent to a: no such member


def test_an_open_edge_the_local_criterion_closes_still_escapes_the_empty_cell():
    # alarm - calls left open: calls -> alarm would be a new collider with burglary and earthquake, so the one member
    # has calls as a child, and its empty parent cell is escaped as above
    r = effect_from_data(from_frame(_alarm()), _collider(open_out=True), "alarm", "calls")
    assert r.answer == "yes" and [m.adjusted for m in r.members] == [[]]


def test_a_variable_the_search_left_isolated_is_still_in_the_graph():
    # cancer at n = 2,000 (seed 1800): the search left Pollution and Dyspnoea without edges; the critique built the
    # graph from its edges alone and declined "the question names Dyspnoea, Pollution but the graph does not
    # contain them" instead of letting the estimate say "no effect"
    from agent.nodes import review_call

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"smoker": rng.random(2000) < 0.3, "pollution": rng.random(2000) < 0.1,
                       "dyspnoea": rng.random(2000) < 0.3}).astype(int)
    df["cancer"] = (rng.random(2000) < np.where(df.smoker == 1, 0.6, 0.1)).astype(int)
    graph = {"nodes": ["cancer", "dyspnoea", "pollution", "smoker"], "edges": [], "latent": [],
             "undirected": [["cancer", "smoker"]], "bidirected": [], "partial": [], "ambiguous": [],
             "sources": {"cancer -- smoker": "data"}, "search": {"method": "pc", "test": "auto", "alpha": 0.01}}
    found = review_call("estimate_from_data", {"treatment": "pollution", "outcome": "dyspnoea"}, graph,
                        "How much does dyspnoea change per unit of pollution?", from_frame(df))
    assert not [f for f in found if f.code == "missing_variables"], found
