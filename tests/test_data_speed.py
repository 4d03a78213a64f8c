"""Answers from data at scale do the same work faster, and say what they leave out.

Speed itself is measured by ``fmcgm eval perf --data`` (evals/data_speed_bench.py); these tests hold the behaviour
the speed-ups must keep: the bootstrap from counts of rows is the row bootstrap, the local Markov statements are
those d-separation gives, a test asked twice is computed once, and the additive-noise step's narrower scope is said.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from fmcgm.causal import graph as G
from fmcgm.critique import implied_independences
from fmcgm.discovery import noise_orientation, search
from fmcgm.discovery.bootstrap import LeastSquaresBootstrap
from fmcgm.discovery.estimate import BOOTSTRAP, LEVEL, member_effect
from fmcgm.discovery.pdag import DiscoveredGraph, Edge
from fmcgm.discovery.table import Table, from_frame


def _row_bootstrap(t: Table, x: str, y: str, z: list[str], seed: int = 0, draws: int = BOOTSTRAP) -> np.ndarray:
    """The textbook row bootstrap of the least-squares slope of x: copy the drawn rows, fit them."""
    rng = np.random.default_rng(seed)
    a = np.column_stack([np.ones(t.n), t.columns[x].astype(float), *[t.columns[c].astype(float) for c in z]])
    b = t.columns[y].astype(float)
    out = []
    for _ in range(draws):
        idx = rng.integers(0, t.n, t.n)
        out.append(np.linalg.lstsq(a[idx], b[idx], rcond=None)[0][1])
    return np.array(out)


def _mixed_table(n: int, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    z1 = rng.normal(size=n)
    z2 = (rng.random(n) < 0.3).astype(int)
    x = 0.6 * z1 - 0.8 * z2 + rng.normal(size=n)
    y = 0.25 * x + z1 + 1.5 * z2 + rng.normal(size=n)
    return from_frame(pd.DataFrame({"x": x, "y": y, "z1": z1, "z2": z2}))


@pytest.mark.parametrize("z", [[], ["z1"], ["z2"], ["z1", "z2"]])
def test_the_bootstrap_from_counts_of_rows_is_the_row_bootstrap(z):
    t = _mixed_table(2000, 11)
    rows = _row_bootstrap(t, "x", "y", z)
    counts = LeastSquaresBootstrap(t.columns, ["x", "z1", "z2", "y"], 0, BOOTSTRAP).coefficients(["x", *z], "y")[:, 1]
    assert np.allclose(counts, rows, rtol=0, atol=1e-10)  # replicate by replicate, not only in distribution
    m = member_effect(t, "x", "y", z)
    lo, hi = np.quantile(rows, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    assert m.ci == pytest.approx((lo, hi), abs=1e-10) and m.linear


def test_a_replicate_that_misses_a_rare_level_gets_the_fit_of_its_rows():
    """A level seen on one row is absent from about a third of the replicates: their cross-products are singular,
    and the slope of x is then what least squares on the replicate's rows gives."""
    rng = np.random.default_rng(3)
    n = 300
    z = np.zeros(n, dtype=int)
    z[17] = 1
    x = rng.normal(size=n) + z
    t = Table({"x": x, "y": 0.5 * x + 2 * z + rng.normal(size=n), "z": z},
              {"x": "continuous", "y": "continuous", "z": "discrete"}, {"z": [0, 1]})
    boot = LeastSquaresBootstrap(t.columns, ["x", "z", "y"], 0, BOOTSTRAP)
    singular = np.linalg.eigvalsh(boot.gram)[:, 0] < 1e-9 * np.linalg.eigvalsh(boot.gram)[:, -1]
    assert 30 < singular.sum() < 120
    assert np.allclose(boot.coefficients(["x", "z"], "y")[:, 1], _row_bootstrap(t, "x", "y", ["z"]), atol=1e-9)


def test_one_bootstrap_serves_every_adjustment_set_of_a_question():
    t = _mixed_table(1500, 5)
    a = member_effect(t, "x", "y", ["z1"], union=["z1", "z2"])
    kept = t.cache[("least-squares-bootstrap", 0, BOOTSTRAP)]
    b = member_effect(t, "x", "y", ["z2"], union=["z1", "z2"])
    assert len(kept) == 1 and kept[0].covers(["x", "y", "z1", "z2"])
    assert a.ci != b.ci  # each set its own slope, from the same replicates
    fresh = _mixed_table(1500, 5)
    assert member_effect(fresh, "x", "y", ["z2"]).ci == pytest.approx(b.ci, abs=1e-12)


def _local_markov_by_d_separation(g: G.CausalGraph) -> list[tuple[str, str, tuple[str, ...]]]:
    """The definition: v ⫫ w | pa(v) for every observed non-descendant w that d-separation separates."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for v in g.observed:
        pa = G.parents(g, v)
        if pa & g.latent:
            continue
        for w in sorted(set(g.observed) - G.descendants(g, [v]) - pa):
            if G.d_separated(g, {v}, {w}, pa):
                a, b = sorted((v, w))
                if (a, b, tuple(sorted(pa))) not in out:
                    out.append((a, b, tuple(sorted(pa))))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_local_markov_statements_are_those_d_separation_gives(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(4, 11))
    names = [f"v{i}" for i in range(k)]
    edges = [(names[i], names[j]) for i, j in itertools.combinations(range(k), 2) if rng.random() < 0.3]
    latent = [names[i] for i in range(k) if rng.random() < 0.15]
    pairs = [(names[i], names[j]) for i, j in itertools.combinations(range(k), 2)]
    bidirected = [pairs[i] for i in rng.choice(len(pairs), size=int(rng.integers(0, 3)), replace=False)]
    bidirected = [(a, b) for a, b in bidirected if a not in latent and b not in latent]
    g = G.CausalGraph.build(edges, nodes=names, latent=latent, bidirected=bidirected)
    assert implied_independences(g) == _local_markov_by_d_separation(g)


def test_a_test_asked_again_in_any_order_is_not_computed_again():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2, 3000)
    b = (rng.random(3000) < np.where(a == 1, 0.7, 0.3)).astype(int)
    c = (rng.random(3000) < np.where(b == 1, 0.6, 0.2)).astype(int)
    t = from_frame(pd.DataFrame({"a": a, "b": b, "c": c}))
    tester = search.Tester(t, "chisq")
    computed = []
    inner = tester.fast
    assert inner is not None

    def counting(i, j, s):
        computed.append((i, j, tuple(s)))
        return inner(i, j, s)

    tester.fast = counting
    p = tester.p("a", "c", ("b",))
    assert tester.p("c", "a", ("b",)) == p and tester.p("a", "c", ["b"]) == p
    assert len(computed) == 1 and tester.cached("c", "a", ("b",)) and not tester.cached("a", "b")
    assert tester.cit(0, 2, [1]) == p  # the library's own p-value


def _random_tests(k: int, rng: np.random.Generator, count: int = 300) -> list[tuple[int, int, list[int]]]:
    out = []
    for _ in range(count):
        i, j = (int(v) for v in rng.choice(k, 2, replace=False))
        rest = [v for v in range(k) if v not in (i, j)]
        out.append((i, j, [int(v) for v in rng.choice(rest, int(rng.integers(0, 5)), replace=False)]))
    return out


@pytest.mark.parametrize("method", ["chisq", "gsq"])
def test_the_count_tests_give_causal_learn_s_p_values(method):
    from causallearn.utils.cit import CIT

    from fmcgm.discovery.citest import fast_test

    rng = np.random.default_rng(8)
    n = 700  # few rows for 3-5 levels and up to four stratum variables: empty cells, strata and whole rows
    x = np.column_stack([rng.integers(0, 2, n), rng.integers(0, 3, n), rng.integers(0, 5, n),
                         rng.integers(0, 4, n), rng.integers(0, 2, n), rng.integers(0, 3, n), rng.integers(0, 2, n)])
    x[:, 1] = np.where(rng.random(n) < 0.6, x[:, 0], x[:, 1])  # dependences for small p-values too
    x[:, 3] = np.where(rng.random(n) < 0.5, x[:, 1], x[:, 3])
    x[rng.random(n) < 0.9, 5] = 0  # a rare level
    cit = CIT(x, method)
    fast = fast_test(cit)
    assert fast is not None
    for i, j, s in _random_tests(x.shape[1], rng):
        assert fast(i, j, s) == pytest.approx(cit(i, j, s), rel=1e-9, abs=1e-300)


def test_fisher_z_gives_causal_learn_s_p_values():
    from causallearn.utils.cit import CIT

    from fmcgm.discovery.citest import fast_test

    rng = np.random.default_rng(9)
    n = 500
    x = rng.normal(size=(n, 8))
    x[:, 1] += 0.5 * x[:, 0]
    x[:, 2] += 0.3 * x[:, 1] - 0.4 * x[:, 3]
    x[:, 7] = x[:, 6] * 2 + 1  # a deterministic pair: r clipped below 1, or a singular matrix refused, alike
    cit = CIT(x, "fisherz")
    fast = fast_test(cit)
    assert fast is not None

    def outcome(test, i, j, s):
        try:
            return test(i, j, s)
        except ValueError as e:
            return str(e)

    for i, j, s in _random_tests(8, rng) + [(6, 7, []), (7, 6, [0]), (6, 7, [0, 1, 2])]:
        want = outcome(cit, i, j, s)
        assert outcome(fast, i, j, s) == (want if isinstance(want, str) else pytest.approx(want, rel=1e-9, abs=1e-300))


def _chain(n: int = 1500) -> Table:
    rng = np.random.default_rng(4)
    a = rng.normal(size=n)
    b = a + rng.normal(size=n)
    c = b + rng.normal(size=n)
    d = c + rng.normal(size=n)
    e = d + rng.normal(size=n)
    return from_frame(pd.DataFrame({"a": a, "b": b, "c": c, "d": d, "e": e}))


def test_the_additive_noise_step_tries_only_edges_at_the_question_and_says_so(monkeypatch):
    tried: list[tuple[tuple[str, ...], str]] = []

    def residual(table, cause, effect, fit="gp"):  # records what the GP fits would be asked; nothing is oriented
        if fit == "linear":
            return 0.0  # a straight line leaves a dependent residual: the GP fits are tried
        tried.append((tuple(cause), effect))
        return 0.5

    monkeypatch.setattr(noise_orientation, "residual_p", residual)
    g = DiscoveredGraph(nodes=list("abcde"), edges=[Edge(a=u, b=v, mark="--") for u, v in
                                                    ("ab", "bc", "cd", "de")])
    notes = noise_orientation.orient_by_noise(g, _chain(), focus=["b", "e"])
    assert {frozenset((cause[0], effect)) for cause, effect in tried} == {
        frozenset("ab"), frozenset("bc"), frozenset("de")}
    said = [n for n in notes if noise_orientation.NOT_TRIED in n]
    assert len(said) == 1 and said[0].startswith("1 open edge(s) away from b, e")
    tried.clear()
    noise_orientation.orient_by_noise(g, _chain())  # no question: every open edge, as before
    assert len(tried) == 8


def test_the_answer_says_the_edges_the_additive_noise_step_left_out(monkeypatch, tmp_path):
    from tools.discovery_tools import DiscoverGraphArgs, discover_graph

    monkeypatch.setattr(noise_orientation, "residual_p", lambda table, cause, effect, fit="gp": 0.5)
    p = tmp_path / "chain.csv"
    df = pd.DataFrame(_chain().columns)
    df.to_csv(p, index=False)
    r = discover_graph(DiscoverGraphArgs(data_path=str(p), focus=["a", "b"]))
    cut = r.data.model_dump()["graph"]["search"]["cut"]
    assert any(noise_orientation.NOT_TRIED in c and "away from a, b" in c for c in cut)


def test_a_linear_gaussian_pair_is_left_open_without_gp_fits(monkeypatch):
    fits: list[str] = []
    real = noise_orientation.residual_p

    def spy(table, cause, effect, fit="gp"):
        fits.append(fit)
        return real(table, cause, effect, fit)

    monkeypatch.setattr(noise_orientation, "residual_p", spy)
    rng = np.random.default_rng(2)
    a = rng.normal(size=800)
    t = from_frame(pd.DataFrame({"a": a, "b": a + rng.normal(size=800)}))
    g = DiscoveredGraph(nodes=["a", "b"], edges=[Edge(a="a", b="b", mark="--")])
    notes = noise_orientation.orient_by_noise(g, t)
    assert fits == ["linear", "linear"] and g.undirected() == [("a", "b")] and "straight line" in notes[0]
    fits.clear()
    x = rng.uniform(0, 2, 800)  # x -> m, cubic with uniform noise: the line leaves structure, the GP fits decide
    t = from_frame(pd.DataFrame({"x": x, "m": x ** 3 + rng.uniform(0, 3, 800)}))
    g = DiscoveredGraph(nodes=["x", "m"], edges=[Edge(a="m", b="x", mark="--")])
    noise_orientation.orient_by_noise(g, t)
    assert fits == ["linear", "linear", "gp", "gp"] and g.directed() == [("x", "m")]
