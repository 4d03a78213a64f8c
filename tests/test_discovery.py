"""Discovery: tables, causal-learn search with kept uncertainty, knowledge, pipeline, metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from langchain_core.messages import AIMessage

from fmcgm.critique import ci_test
from fmcgm.discovery import knowledge, metrics, pipeline, search
from fmcgm.discovery.noise_orientation import orient_by_noise
from fmcgm.discovery.pdag import DiscoveredGraph, Edge, consistent_extension, from_causallearn, local_members
from fmcgm.discovery.table import DataError, from_frame, load_table


def collider_frame(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=n), rng.normal(size=n)
    y = 0.5 * x + 0.7 * w + rng.normal(size=n)
    v = 0.8 * y + rng.normal(size=n)
    return pd.DataFrame({"x": x, "w": w, "y": y, "v": v})


def test_table_kinds_csv_and_parquet(tmp_path):
    df = pd.DataFrame({"rain": [True, False] * 50, "temp": np.linspace(0, 30, 100), "n": [3, 4, 5, 6] * 25})
    df.to_csv(tmp_path / "a.csv", index=False)
    df.to_parquet(tmp_path / "a.parquet")
    for name in ("a.csv", "a.parquet"):
        t = load_table(tmp_path / name)
        assert t.kinds == {"rain": "discrete", "temp": "continuous", "n": "discrete"}
        assert t.labels["n"] == [3, 4, 5, 6] and set(t.columns["n"]) == {0, 1, 2, 3}


def test_table_errors_name_the_file_and_line(tmp_path):
    with pytest.raises(DataError, match="nope.csv does not exist"):
        load_table(tmp_path / "nope.csv")
    (tmp_path / "b.csv").write_text("a,b\n1,2\n3,\n5,6\n")
    with pytest.raises(DataError, match=r"b.csv, line 3: column 'b' has a missing value"):
        load_table(tmp_path / "b.csv")
    (tmp_path / "c.csv").write_text("a,b\nyes,2\nno,3\n")
    with pytest.raises(DataError, match=r"c.csv has non-numeric values in column 'a'"):
        load_table(tmp_path / "c.csv")


def test_causallearn_marks_are_kept():
    m = np.zeros((4, 4))
    m[0, 1], m[1, 0] = -1, 1   # a -> b
    m[1, 2], m[2, 1] = -1, -1  # b -- c
    m[2, 3], m[3, 2] = 2, 1    # c o-> d
    edges = {e.text() for e in from_causallearn(m, ["a", "b", "c", "d"])}
    assert edges == {"a -> b", "b -- c", "c o-> d"}


def test_consistent_extension_adds_no_collider_and_ida_members():
    g = DiscoveredGraph(nodes=["a", "b", "c"], edges=[Edge(a="a", b="b", mark="--"), Edge(a="b", b="c", mark="--")])
    dag = consistent_extension(g)
    assert len(dag) == 2 and not (("a", "b") in dag and ("c", "b") in dag)
    assert sorted(map(sorted, local_members(g, "b"))) == [[], ["a"], ["c"]]  # {a, c} would be a new collider


def test_pc_orients_collider_and_keeps_open_edges_open():
    t = from_frame(collider_frame())
    g = search.run(t, "pc", 0.01)
    assert {e.text() for e in g.edges} == {"x -> y", "w -> y", "y -> v"}
    rng = np.random.default_rng(1)
    a = rng.normal(size=2000)
    b = a + rng.normal(size=2000)
    c = b + rng.normal(size=2000)
    chain = search.run(from_frame(pd.DataFrame({"a": a, "b": b, "c": c})), "pc", 0.01)
    assert {e.mark for e in chain.edges} == {"--"}  # a Markov-equivalent chain is never oriented silently


def test_discrete_search_uses_chisq_and_fci_gives_pag_marks():
    rng = np.random.default_rng(0)
    x, w = rng.random(3000) < 0.5, rng.random(3000) < 0.5
    y = rng.random(3000) < 0.1 + 0.4 * x + 0.4 * w
    t = from_frame(pd.DataFrame({"x": x.astype(int), "w": w.astype(int), "y": y.astype(int)}))
    assert search.choose_test(t) == "chisq"
    g = search.run(t, "fci", 0.01)
    assert {e.text() for e in g.edges} == {"x o-> y", "w o-> y"}


def test_metrics_count_open_edges_as_orientation_errors():
    g = DiscoveredGraph(nodes=["a", "b", "c"], edges=[Edge(a="a", b="b", mark="->"), Edge(a="b", b="c", mark="--")])
    s = metrics.score(g, [("a", "b"), ("b", "c")])
    assert (s.shd, s.f1_skeleton, s.f1_oriented) == (1, 1.0, 0.5)


def test_simulated_knowledge_is_deterministic_and_cycles_break_at_the_weakest_edge():
    src = knowledge.SimulatedKnowledge([("a", "b")], q=1.0)
    assert src.ask("a", "b").relation == "a->b" and src.ask("b", "c").relation == "none"
    assert knowledge.resolve_cycles({("a", "b"): 0.9, ("b", "c"): 0.6, ("c", "a"): 0.8}) == [("b", "c")]


class _Scripted:
    def __init__(self, replies):
        self.replies = list(replies)

    def invoke(self, _messages):
        return AIMessage(content=self.replies.pop(0))


def test_llm_knowledge_votes_and_reports_confidence():
    model = _Scripted(['{"answer": "A"}', '{"answer": "B"}', 'sure: {"answer": "A", "reason": "x"}', "no json"])
    ans = knowledge.LLMKnowledge(model, samples=4).ask("rain", "wet_pavement")
    assert ans.relation == "a->b" and ans.confidence == 0.5 and ans.votes == {"a->b": 2, "b->a": 1}


def test_pipeline_with_knowledge_orients_what_data_leave_open_and_names_sources():
    rng = np.random.default_rng(2)
    a = rng.normal(size=2000)
    b = a + rng.normal(size=2000)
    c = b + rng.normal(size=2000)
    t = from_frame(pd.DataFrame({"a": a, "b": b, "c": c}))
    k = knowledge.gather(t.names, knowledge.SimulatedKnowledge([("a", "b"), ("b", "c")], 1.0))
    d = pipeline.discover(t, knowledge=k)
    assert {(e.text(), e.source) for e in d.graph.edges} == {("a -> b", "data+knowledge"), ("b -> c", "data+knowledge")}
    wrong = knowledge.gather(t.names, knowledge.SimulatedKnowledge([("a", "b"), ("b", "c"), ("a", "c")], 1.0))
    d = pipeline.discover(t, knowledge=wrong)
    assert any("a -> c" in r and "separate" in r for r in d.rejected_knowledge)  # the data overrule the claim
    assert pipeline.discover(t).notes[0] == knowledge.NO_SOURCE


def test_critique_fisher_z_on_continuous_data():
    df = collider_frame()
    data = {c: df[c].to_numpy() for c in df}
    assert ci_test(data, "x", "w", ())[0] > 0.01
    assert ci_test(data, "x", "w", ("y",))[0] < 1e-6


def test_bnlearn_network_recovered_with_perfect_knowledge():
    from fmcgm.discovery import networks

    assert "earthquake" in networks.shipped()
    t = from_frame(networks.sample("earthquake", 5000, seed=0))
    truth = networks.true_edges("earthquake")
    k = knowledge.gather(t.names, knowledge.SimulatedKnowledge(truth, 1.0))
    assert metrics.score(pipeline.discover(t, knowledge=k).graph, truth).shd == 0


def _nonlinear_chain(n=2000, seed=0) -> pd.DataFrame:
    """x → m → y, nonlinear, with uniform (additive) noise: the water-flow world's shape."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, n)
    m = x ** 3 + rng.uniform(0, 3, n)
    return pd.DataFrame({"x": x, "m": m, "y": np.sqrt(m) + 0.1 * rng.normal(size=n)})


def test_kernel_critique_tests_what_fisher_z_misreads_on_nonlinear_data():
    t = from_frame(_nonlinear_chain())
    assert ci_test(t.columns, "x", "y", ("m",))[0] < 1e-4  # a linear test sees a dependence that is not there
    assert search.kernel_tester(t)(t.columns, "x", "y", ("m",))[0] > 0.05
    d = pipeline.discover(t, "pc", 0.01, "kci")
    assert {e.pair for e in d.graph.edges} == {frozenset(("x", "m")), frozenset(("m", "y"))}
    assert not d.violations


def test_additive_noise_orients_the_edge_independences_leave_open():
    t = from_frame(_nonlinear_chain(800, seed=1)[["x", "m"]])
    g = DiscoveredGraph(nodes=["x", "m"], edges=[Edge(a="m", b="x", mark="--")])
    notes = orient_by_noise(g, t)
    assert g.directed() == [("x", "m")] and g.edges[0].source == "noise"
    assert "additive-noise" in notes[0] and "reverse p" in notes[0]


def test_additive_noise_leaves_a_linear_gaussian_edge_open():
    rng = np.random.default_rng(2)
    a = rng.normal(size=800)
    t = from_frame(pd.DataFrame({"a": a, "b": a + rng.normal(size=800)}))
    g = DiscoveredGraph(nodes=["a", "b"], edges=[Edge(a="a", b="b", mark="--")])
    notes = orient_by_noise(g, t)
    assert g.undirected() == [("a", "b")] and "not decisive" in notes[0]


def test_additive_noise_adds_no_collider():
    # a -> c is known and b -- c is open with b not adjacent to a: b -> c would make a new collider
    t = from_frame(_nonlinear_chain(300, seed=3).rename(columns={"x": "b", "m": "c", "y": "a"}))
    g = DiscoveredGraph(nodes=["a", "b", "c"], edges=[Edge(a="a", b="c", mark="->"), Edge(a="b", b="c", mark="--")])
    orient_by_noise(g, t, keep=0.0, reject=1.0)  # force the test to favour b -> c
    assert g.undirected() == [("b", "c")]


def test_water_flow_world_recovered_exactly_from_images():
    from fmcgm.discovery import images

    t = images.image_table("flow", 800, seed=2)
    d = pipeline.discover(t, "pc", 0.01, "kci")
    assert metrics.score(d.graph, images.world_edges("flow")).shd == 0
    assert next(e for e in d.graph.edges if e.pair == frozenset(("ball_size", "water_level"))).source == "noise"


def _chain_graph():
    return DiscoveredGraph(nodes=["x", "m", "y"], edges=[Edge(a="x", b="m", mark="->"), Edge(a="m", b="y", mark="->")])


def test_rejected_independence_becomes_a_collider_or_an_adjacency_constraint():
    g = _chain_graph()
    v = [pipeline.Violation(a="x", b="y", given=["m"], p=1e-9, text="the graph implies x ⫫ y given m")]

    def conflicting(_data, a, b, given):  # rejects x ⫫ y | m, accepts x ⫫ y: m is a common effect
        return (1e-9 if {a, b} == {"x", "y"} and given else 0.5), 0

    c = pipeline._repair(g, v, conflicting, 0.01, None, set())
    assert (c.kind, c.via, {c.a, c.b}) == ("collider", "m", {"x", "y"}) and "x ⫫ y holds (p = 0.5)" in c.reason

    def dependent(_data, a, b, given):  # x and y dependent whatever the conditioning
        return (1e-9 if {a, b} == {"x", "y"} else 0.5), 0

    c = pipeline._repair(g, v, dependent, 0.01, None, set())
    assert (c.kind, {c.a, c.b}) == ("adjacent", {"x", "y"})
    assert pipeline._repair(g, v, dependent, 0.01, None, {c.text()}) is None  # nothing new: left as a conflict
    conflict = pipeline.conflict_of(v[0], g, dependent, 0.01, None)
    assert "x ⫫ y given m" in conflict.text and "common cause of x and y" in conflict.settle


def test_the_additive_noise_step_keeps_the_budget_and_says_what_it_cut():
    """Probe 3 F20: a continuous table ran silently past its data budget in the additive-noise step (each open edge
    costs two GP fits). With the deadline passed, no edge is tried, the note says so, and progress names the step."""
    import time

    import numpy as np
    import pandas as pd

    from fmcgm.discovery.noise_orientation import orient_by_noise
    from fmcgm.discovery.pdag import DiscoveredGraph, Edge
    from fmcgm.discovery.table import from_frame

    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    t = from_frame(pd.DataFrame({"x": x, "y": x ** 3 + rng.normal(size=500)}))
    g = DiscoveredGraph(nodes=["x", "y"], edges=[Edge(a="x", b="y", mark="--")])
    said: list[str] = []
    t0 = time.perf_counter()
    notes = orient_by_noise(g, t, deadline=time.monotonic() - 1, progress=said.append)
    assert time.perf_counter() - t0 < 5
    assert g.edges[0].mark == "--" and any("time budget" in n for n in notes), notes
    assert said and "additive-noise" in said[0], said
