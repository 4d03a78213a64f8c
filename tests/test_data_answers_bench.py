"""The data-answers benchmark's yardstick: truths checked by hand, the grader's outcomes, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals import data_answers_bench as B


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _scm(kind, order, parents, weights, binary, bias=None, noise=None):
    return B.SCM(kind, order, parents, weights, {v: ["identity"] * len(parents[v]) for v in order}, binary,
                 bias or {}, noise or {}, {v: 0.0 for v in order}, {v: 1.0 for v in order})


def confounder_model() -> B.SCM:
    """z → x, z → y, x → y, all binary.  P(z)=0.3; P(x | z) = 0.2, 0.8; P(y | x, z): (0,0) 0.2, (1,0) 0.5,
    (0,1) 0.4, hence (1,1) has odds 1 · (2/3) / (1/4) = 8/3, i.e. 8/11 (the logistic model is additive in logits)."""
    return _scm("binary", ["z", "x", "y"], {"z": [], "x": ["z"], "y": ["x", "z"]},
                {"z": [], "x": [_logit(0.8) - _logit(0.2)], "y": [_logit(0.5) - _logit(0.2), _logit(0.4) - _logit(0.2)]},
                {"z": True, "x": True, "y": True}, bias={"z": _logit(0.3), "x": _logit(0.2), "y": _logit(0.2)})


def test_binary_confounder_truth_by_hand():
    scm = confounder_model()
    # by hand: Σ_z P(z) [P(y|x=1,z) − P(y|x=0,z)] = 0.7·(0.5 − 0.2) + 0.3·(8/11 − 0.4) = 0.21 + 0.3·18/55 = 339/1100
    hand = 339 / 1100
    assert B.enumerate_binary(scm, "x", "y") == pytest.approx(hand, abs=1e-12)
    t = B.true_effect(scm, "x", "y")
    assert (t.method, t.value) == ("enumeration", pytest.approx(hand, abs=1e-12))
    mc, se = B.monte_carlo_effect(scm, "x", "y", n=100_000, seed=1)  # the do-operator on simulated units agrees
    assert mc == pytest.approx(hand, abs=4 * se + 1e-3)
    # the observational contrast is confounded: P(y|x=1) − P(y|x=0) = 134.5/209 − 6.8/31 ≈ 0.4242, not the effect
    df = scm.sample(200_000, np.random.default_rng(0))
    naive = df.y[df.x == 1].mean() - df.y[df.x == 0].mean()
    assert naive == pytest.approx(134.5 / 209 - 6.8 / 31, abs=0.01)
    # y is not an ancestor of x: exactly zero, not estimated
    back = B.true_effect(scm, "y", "x")
    assert back.value == 0.0 and back.exact_zero


def test_linear_chain_truth_is_the_sum_over_paths():
    g = {"a": True, "b": False, "c": False}
    scm = _scm("linear", ["a", "b", "c"], {"a": [], "b": ["a"], "c": ["b"]}, {"a": [], "b": [0.7], "c": [-0.5]},
               {v: False for v in g}, noise={v: ("gaussian", 1.0) for v in g})
    assert B.linear_total_effect(scm, "a", "c") == pytest.approx(0.7 * -0.5)
    assert B.true_effect(scm, "a", "c").method == "paths"
    # a direct edge a → c adds its coefficient: two paths, 0.7·(−0.5) + 0.2
    scm2 = _scm("linear", ["a", "b", "c"], {"a": [], "b": ["a"], "c": ["a", "b"]}, {"a": [], "b": [0.7], "c": [0.2, -0.5]},
                {v: False for v in g}, noise={v: ("gaussian", 1.0) for v in g})
    assert B.true_effect(scm2, "a", "c").value == pytest.approx(0.7 * -0.5 + 0.2)
    mc, se = B.monte_carlo_effect(scm2, "a", "c", n=20_000)  # shift interventions agree with the paths
    assert mc == pytest.approx(0.7 * -0.5 + 0.2, abs=1e-6)
    assert B.true_effect(scm2, "c", "a").exact_zero


def test_nonlinear_truth_is_the_average_derivative():
    # y = 0.8·tanh(1.5·x) + noise, x standard normal: E[dy/dx] = 0.8·1.5·E[1 − tanh²(1.5 x)], by quadrature
    scm = B.SCM("nonlinear", ["x", "y"], {"x": [], "y": ["x"]}, {"x": [], "y": [0.8]}, {"x": [], "y": ["tanh"]},
                {"x": False, "y": False}, {}, {"x": ("gaussian", 1.0), "y": ("uniform", 0.5)}, {"x": 0.0, "y": 0.0},
                {"x": 1.0, "y": 1.0})
    z = np.linspace(-8, 8, 20001)
    dens = np.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi)
    hand = float(np.sum(0.8 * 1.5 * (1 - np.tanh(1.5 * z) ** 2) * dens) * (z[1] - z[0]))
    t = B.true_effect(scm, "x", "y", mc_n=200_000)
    assert t.method == "monte-carlo" and t.value == pytest.approx(hand, abs=4 * t.se + 1e-3)


def test_cpdag_and_whether_the_class_determines_the_effect():
    d, u = B.cpdag("abc", [("a", "b"), ("b", "c")])  # a chain: nothing oriented
    assert d == set() and u == {frozenset("ab"), frozenset("bc")}
    d, u = B.cpdag("abc", [("a", "c"), ("b", "c")])  # a collider: everything
    assert d == {("a", "c"), ("b", "c")} and not u
    d, u = B.cpdag("abcd", [("a", "c"), ("b", "c"), ("c", "d")])  # Meek 1 carries the collider on
    assert ("c", "d") in d and not u
    assert not B.class_determines("abc", [("a", "b"), ("b", "c")], "a", "c")  # a – b – c: open
    assert B.class_determines("abcd", [("a", "c"), ("b", "c"), ("c", "d")], "c", "d")
    assert B.class_determines("abcd", [("a", "c"), ("b", "c"), ("c", "d")], "d", "a")  # no possibly directed path
    # x – w undirected, but w leads nowhere near y: amenable (both members give the same effect)
    assert B.class_determines("xwyz", [("w", "x"), ("x", "y"), ("z", "y")], "x", "y")


def test_cpdag_agrees_with_causal_learn():
    dag2cpdag = pytest.importorskip("causallearn.utils.DAG2CPDAG").dag2cpdag
    from causallearn.graph.Dag import Dag
    from causallearn.graph.GraphNode import GraphNode

    rng = np.random.default_rng(5)
    for _ in range(25):
        scm = B.random_scm("binary", rng, pilot=200)
        nodes = [GraphNode(v) for v in scm.order]
        dag = Dag(nodes)
        for a, b in scm.edges():
            dag.add_directed_edge(nodes[scm.order.index(a)], nodes[scm.order.index(b)])
        m = dag2cpdag(dag).graph
        want_d = {(scm.order[i], scm.order[j]) for i in range(len(nodes)) for j in range(len(nodes))
                  if m[i, j] == -1 and m[j, i] == 1}
        want_u = {frozenset((scm.order[i], scm.order[j])) for i in range(len(nodes)) for j in range(len(nodes))
                  if m[i, j] == -1 and m[j, i] == -1}
        assert B.cpdag(scm.order, scm.edges()) == (want_d, want_u)


def _q(form="affects", truth=0.2, clear=True, zero=False, determined=True):
    return B.Question("d", "binary", 1000, 1000, form, "?", "x", "y", "direct", truth, 0.0, "paths", zero,
                      None, "probability", clear, determined)


def _got(answer, verdict, value=None, ci=None, rng=None, outcome="answered"):
    determined = answer is not None if outcome == "answered" else None
    return {"outcome": outcome, "answer": answer, "value": value, "ci": ci, "range": rng, "determined": determined,
            "verdict": verdict, "error": None if outcome == "answered" else "critique rejected", "text": "",
            "read_as": ["x", "y", "affects"], "seconds": 1.0}


def test_grader_outcomes_on_fabricated_answers():
    up = "x increases y under every graph the data allow"
    # right
    assert B.grade(_q(), _got("yes", up, 0.21, [0.15, 0.25]))["outcome"] == "right"
    assert B.grade(_q(truth=0.0, clear=False, zero=True), _got("no", "no effect of x on y is detectable", 0.0,
                                                                [-0.02, 0.03]))["outcome"] == "right"
    # not determined: honest where the true class leaves it open, unneeded where it does not
    nd = _got(None, "not determined by these data", rng=[0.0, 0.2])
    assert B.grade(_q(determined=False), nd)["outcome"] == "nd_honest"
    assert B.grade(_q(determined=True), nd)["outcome"] == "nd_unneeded"
    # declined
    assert B.grade(_q(), _got(None, None, outcome="declined"))["outcome"] == "declined"
    assert B.grade(_q(), _got(None, None, outcome="timeout"))["outcome"] == "declined"
    # WRONG: an effect where the truth is exactly 0; the opposite sign; "no effect" on a clearly real effect
    assert B.grade(_q(truth=0.0, clear=False, zero=True), _got("yes", up, 0.05, [0.01, 0.09]))["outcome"] == "wrong"
    down = "x decreases y under every graph the data allow"
    assert B.grade(_q(truth=0.2), _got("yes", down, -0.1, [-0.2, -0.05]))["outcome"] == "wrong"
    assert B.grade(_q(form="positive", truth=-0.2), _got("yes", up, 0.1, [0.05, 0.2]))["outcome"] == "wrong"
    nothing = "no effect of x on y is detectable in these data"
    assert B.grade(_q(truth=0.04), _got("no", nothing, 0.01, [-0.02, 0.05]))["outcome"] == "wrong"
    # not WRONG: "no" on a weak real effect below the threshold; a how-much interval that misses the truth
    assert B.grade(_q(truth=0.02, clear=False), _got("no", nothing, 0.01, [-0.02, 0.03]))["outcome"] == "miss"
    miss = B.grade(_q(form="per_unit", truth=0.2), _got("no", up, 0.3, [0.25, 0.35]))
    assert miss["outcome"] == "miss" and miss["covered"] is False
    # a how-much answer is right when the truth is inside its interval, whatever the yes/no token says
    assert B.grade(_q(form="effect_of", truth=0.2), _got("yes", up, 0.19, [0.1, 0.3]))["outcome"] == "right"
    # "Does more x lead to more y?" — "no" because x lowers y is right
    assert B.grade(_q(form="positive", truth=-0.2), _got("no", down, -0.2, [-0.3, -0.1]))["outcome"] == "right"
    # an answer about the reversed pair is never right, even when its number happens to cover the truth
    backwards = {**_got("yes", "y increases x under every graph the data allow", 0.2, [0.1, 0.3]),
                 "read_as": ["y", "x", "affects"]}
    g = B.grade(_q(form="per_unit", truth=0.2), backwards)
    assert g["misread"] and g["outcome"] == "miss" and "y → x" in g["why"]


def test_seeds_are_deterministic_and_reporting_seeds_are_apart():
    a = B.scm_dataset("mixed", 1003, 1000, questions=3, mc_n=2_000)
    b = B.scm_dataset("mixed", 1003, 1000, questions=3, mc_n=2_000)
    assert a.frame.equals(b.frame) and a.questions == b.questions
    c = B.scm_dataset("mixed", 1004, 1000, questions=3, mc_n=2_000)
    assert not (list(c.frame.columns) == list(a.frame.columns) and c.frame.shape == a.frame.shape
                and np.allclose(c.frame.to_numpy(), a.frame.to_numpy()))
    assert B.parse_seeds("3") == [1000, 1001, 1002] and B.parse_seeds("1000-1002") == [1000, 1001, 1002]
    assert B.parse_seeds("0,1005") == [0, 1005] and min(B.parse_seeds(None)) >= B.REPORT_BASE
    assert not set(B.parse_seeds(None)) & set(B.TUNING_SEEDS)
    assert B.plan([1000, 1001]) == B.plan([1000, 1001])


def test_random_models_and_questions_are_what_the_brief_asks_for():
    rng = np.random.default_rng(0)
    for kind in B.KINDS:
        ds = B.scm_dataset(kind, 1000 + int(rng.integers(50)), 1000, questions=4, mc_n=2_000)
        assert 4 <= ds.frame.shape[1] <= 12 and set(ds.frame.columns) <= set(B.NAMES)
        for q in ds.questions:
            assert B._words(q.x) in q.text and B._words(q.y) in q.text
            assert q.exact_zero == (q.relation not in ("direct", "indirect"))
    names = [B._words(n).split() for n in B.NAMES]
    assert len(set(B.NAMES)) == len(B.NAMES)
    # no name is a word of another (the question reader would read the shorter one inside the longer)
    assert not any(a != b and " ".join(a) in " ".join(b).split() for a in names for b in names)


def test_a_run_with_a_fabricated_agent_grades_and_tabulates():
    def asker(question, csv, timeout):
        return _got("yes", "x increases y under every graph the data allow", 0.1, [0.0, 0.2])

    rep = B.evaluate([1000], quick=True, kinds=["linear", "mixed"], questions=2, mc_n=2_000, progress=False,
                     asker=asker)
    assert len(rep["rows"]) == 4 and rep["tables"]["all"]["all"]["questions"] == 4
    assert set(rep["tables"]["kind"]) == {"linear", "mixed"}
    assert all(r["outcome"] in B.OUTCOMES for r in rep["rows"])
    assert {r["n"] for r in rep["rows"]} <= set(B.QUICK_NS)


def test_network_truth_is_the_do_effect_by_hand():
    pytest.importorskip("pgmpy")
    # asia, code order yes=0, no=1, so the contrast is either=no vs either=yes on P(dysp=no).  Back-door through
    # either ← lung ← smoke → bronc → dysp, closed by bronc: P(bronc=yes) = 0.5·0.6 + 0.5·0.3 = 0.45, and
    # P(dysp=no | do(either)) = Σ_b P(b) P(dysp=no | b, either): no → 0.45·0.2 + 0.55·0.9, yes → 0.45·0.1 + 0.55·0.3
    t = B.network_effect("asia", "either", "dysp")
    assert t.value == pytest.approx((0.45 * 0.2 + 0.55 * 0.9) - (0.45 * 0.1 + 0.55 * 0.3), abs=1e-9)
    assert B.network_effect("asia", "dysp", "either").exact_zero


def test_a_resumed_run_reuses_answers_and_grades_them_again(tmp_path):
    def asker(question, csv, timeout):
        return _got("yes", "x increases y under every graph the data allow", 0.1, [0.0, 0.2])

    first = B.evaluate([1001], quick=True, kinds=["binary"], questions=2, mc_n=2_000, progress=False, asker=asker,
                       partial=tmp_path / "p.json")
    (tmp_path / "r.json").write_text(B.json.dumps(first))
    assert len(B.json.loads((tmp_path / "p.json").read_text())["rows"]) == 2

    def never(question, csv, timeout):
        raise AssertionError("a reused question was asked again")

    again = B.evaluate([1001], quick=True, kinds=["binary"], questions=2, mc_n=2_000, progress=False, asker=never,
                       reuse=B.reusable(tmp_path / "r.json"))
    assert again["reused"] == 2 and [r["outcome"] for r in again["rows"]] == [r["outcome"] for r in first["rows"]]
