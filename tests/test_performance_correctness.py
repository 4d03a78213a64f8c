"""Correctness of the fast paths of the causal core on small and large graphs.

Speed itself is measured by ``fmcgm eval perf`` (evals/perf_eval.py); here the fast paths must
give the same answers as enumeration on small graphs and the closed forms on large ones.
"""

from itertools import combinations, product

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evals.perf_eval import chain, local_conditionals, sparse_graph
from fmcgm.causal import graph as G
from fmcgm.causal.elimination import MAX_TABLE, Factor, TooDense, eliminate
from fmcgm.causal.evaluate import answer_query
from fmcgm.causal.identification import MAX_SETS, backdoor_sets, frontdoor_sets, is_backdoor_set
from fmcgm.causal.network import Network
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import Query
from fmcgm.vocabulary import EstimandKind

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def random_dag(rng: np.random.Generator, n: int, p: float = 0.4, latent_share: float = 0.0) -> G.CausalGraph:
    names = [f"V{i}" for i in range(n)]
    edges = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if rng.random() < p]
    latent = [v for v in names if rng.random() < latent_share]
    return G.CausalGraph.build(edges, nodes=names, latent=latent)


def observed_draw(seed: int, n: int, latent_share: float, at_least: int = 2):
    """A random DAG from ``seed`` and its observed variables; hypothesis rejects a draw with fewer than
    ``at_least`` observed (nothing to query there)."""
    rng = np.random.default_rng(seed)
    g = random_dag(rng, n, latent_share=latent_share)
    obs = list(g.observed)
    assume(len(obs) >= at_least)
    return rng, g, obs


def joint_table(g: G.CausalGraph, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """The full joint of a random binary Bayesian network on g (every variable, latent too)."""
    names = list(nx.topological_sort(g.dag()))
    worlds = np.array(list(product((0, 1), repeat=len(names))))
    w = np.ones(len(worlds))
    for i, v in enumerate(names):
        pa = sorted(G.parents(g, v), key=names.index)
        cpt = rng.uniform(0.05, 0.95, 2 ** len(pa))
        cfg = np.zeros(len(worlds), dtype=int)
        for j, a in enumerate(pa):
            cfg |= worlds[:, names.index(a)] << j
        w *= np.where(worlds[:, i] == 1, cpt[cfg], 1 - cpt[cfg])
    return names, w.reshape((2,) * len(names))


def brute(names: list[str], joint: np.ndarray, ev: dict, gv: dict) -> float:
    def mass(fixed: dict) -> float:
        return float(joint[tuple(fixed.get(v, slice(None)) for v in names)].sum())

    return mass({**ev, **gv}) / mass(gv)


def network_statements(g: G.CausalGraph, names: list[str], joint: np.ndarray) -> list[Statement]:
    """The local conditionals P(v | C(v)) of the observed distribution, computed from the joint."""
    net = Network(g, {}, {})
    plan = net.plan(frozenset(g.observed))
    out = []
    for v, cond in plan:
        for combo in product((0, 1), repeat=len(cond)):
            gv = dict(zip(cond, combo, strict=True))
            out.append(Statement.of({v: 1}, gv, brute(names, joint, {v: 1}, gv)))
    return out


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=st.integers(3, 7), latent_share=st.sampled_from([0.0, 0.3]))
def test_elimination_equals_enumeration(seed, n, latent_share):
    """Any P(event | given) over observed variables, from the local conditionals, equals the joint's."""
    rng, g, obs = observed_draw(seed, n, latent_share)
    names, joint = joint_table(g, rng)
    store = ProbabilityStore(network_statements(g, names, joint), g)
    for _ in range(5):
        picked = list(rng.choice(obs, size=min(len(obs), int(rng.integers(1, 4))), replace=False))
        split = int(rng.integers(1, len(picked) + 1))
        ev = {v: int(rng.integers(0, 2)) for v in picked[:split]}
        gv = {v: int(rng.integers(0, 2)) for v in picked[split:]}
        got = store.lookup(tuple(sorted(ev.items())), tuple(sorted(gv.items())))
        assert got == pytest.approx(brute(names, joint, ev, gv), abs=1e-9)


def test_long_chain_matches_closed_form():
    from evals.perf_eval import A, B

    n = 300
    g, stmts = chain(n)
    store = ProbabilityStore(stmts, g)
    p = 0.4  # P(X0 = 1), then P(Xi = 1) = A + B·P(Xi-1 = 1)
    for _ in range(n - 1):
        p = A + B * p
    assert store.lookup(((f"X{n - 1}", 1),), ()) == pytest.approx(p, abs=1e-12)
    res = answer_query(g, Query("ate", f"X{n - 1}", "X0"), stmts)
    assert res.value == pytest.approx(B ** (n - 1), abs=1e-12)
    assert answer_query(g, Query("ate", "X60", "X0"), stmts).value == pytest.approx(B ** 60, rel=1e-6)


def test_sparse_graph_effect_equals_truncated_factorisation():
    """On a 60-variable graph the identified estimand (adjustment) equals the do-surgery on the model."""
    g = sparse_graph(60, 3)
    stmts, model = local_conditionals(g, 3)
    y = g.nodes[-1]
    x = next(v for v in g.nodes[20:] if y in G.descendants(g, [v]) - {v})

    def p_do(xv: int) -> float:
        factors = []
        for v in g.nodes:
            pa = model["parents"][v]
            if v == x:
                factors.append(Factor((v,), np.array([1.0 - xv, float(xv)])))
                continue
            table = np.empty((2,) * (1 + len(pa)))
            for combo, p in model["tables"][v].items():
                table[(1, *combo)] = p
                table[(0, *combo)] = 1 - p
            factors.append(Factor((v, *pa), table))
        return float(eliminate(factors, (y,))[1])

    res = answer_query(g, Query("ate", y, x), stmts)
    assert res.identified is not None and res.identified.kind == EstimandKind.BACKDOOR
    assert res.value == pytest.approx(p_do(1) - p_do(0), abs=1e-9)


def test_too_dense_elimination_gives_up_instead_of_allocating():
    names = [f"C{i}" for i in range(22)]
    pairs = [Factor((a, b), np.full((2, 2), 0.5)) for a, b in combinations(names, 2)]
    assert 2 ** 21 > MAX_TABLE
    with pytest.raises(TooDense):
        eliminate(pairs, ())


@settings(max_examples=40, deadline=None)
@given(seed=seeds, n=st.integers(3, 9), latent_share=st.sampled_from([0.0, 0.25]))
def test_backdoor_sets_equal_enumeration_on_small_graphs(seed, n, latent_share):
    rng, g, obs = observed_draw(seed, n, latent_share)
    x, y = (str(v) for v in rng.choice(obs, size=2, replace=False))
    desc = G.descendants(g, [x])
    cands = [v for v in obs if v not in (x, y) and v not in desc]
    expected = [set(c) for k in range(min(len(cands), 4) + 1) for c in combinations(cands, k)
                if is_backdoor_set(g, x, y, set(c))]
    # the same sets in the same order, up to the bound on how many are returned (a minimal set
    # larger than the enumeration's sizes may follow)
    assert [s for s in backdoor_sets(g, x, y) if len(s) <= 4] == expected[:MAX_SETS]


@settings(max_examples=40, deadline=None)
@given(seed=seeds, n=st.integers(3, 8))
def test_frontdoor_singles_equal_enumeration(seed, n):
    rng, g, obs = observed_draw(seed, n, 0.25, at_least=3)
    x, y = (str(v) for v in rng.choice(obs, size=2, replace=False))

    def criterion(m: set[str]) -> bool:  # the front-door criterion, test by test
        cut = G.remove_outgoing(g, m)
        return (not G.has_directed_path(cut, x, y)
                and all(is_backdoor_set(g, x, mi, set()) for mi in m)
                and all(G.d_separated(G.remove_outgoing(g, [mi]), {mi}, {y}, {x} | (m - {mi})) for mi in m))

    found = frontdoor_sets(g, x, y)
    assert [s for s in found if len(s) == 1] == [{v} for v in obs if v not in (x, y) and criterion({v})]
    assert all(criterion(s) for s in found)


def test_adjustment_search_on_large_graphs():
    g, _ = chain(1000, "L")
    assert backdoor_sets(g, "L0", "L999") == [set()]
    middle = backdoor_sets(g, "L500", "L999")
    assert middle[0] == set() and all(is_backdoor_set(g, "L500", "L999", s) for s in middle)
    assert {"L1"} in frontdoor_sets(g, "L0", "L999")
    # a confounded pair far apart on a wide graph: a minimal valid set is found directly
    sparse = sparse_graph(1000, 5)
    x, y = "V500", "V999"
    sets = backdoor_sets(sparse, x, y)
    assert sets and all(is_backdoor_set(sparse, x, y, s) for s in sets)
    assert any(nx.is_minimal_d_separator(G.outgoing_cut(sparse, [x]), {x}, {y}, s) for s in sets)


def test_d_separation_agrees_with_networkx():
    rng = np.random.default_rng(7)
    for _ in range(300):
        g = random_dag(rng, int(rng.integers(3, 9)), p=0.35)
        nodes = list(g.nodes)
        rng.shuffle(nodes)
        xs, ys, zs = {nodes[0]}, {nodes[1]}, {v for v in nodes[2:] if rng.random() < 0.4}
        assert G.separated(g.dag(), xs, ys, zs) == nx.is_d_separator(g.dag(), xs, ys, zs)


def test_latent_district_needs_the_full_factorisation():
    """W <- U -> V (U latent), W before V: P(V) comes from the given P(V | W) and P(W)."""
    g = G.CausalGraph.build([("U", "W"), ("U", "V"), ("W", "Z")], nodes=["U", "W", "V", "Z"], latent=["U"])
    rng = np.random.default_rng(1)
    names, joint = joint_table(g, rng)
    stmts = network_statements(g, names, joint)
    assert {(s.event, s.given) for s in stmts} >= {((("V", 1),), (("W", 0),))}
    store = ProbabilityStore(stmts, g)
    assert store.lookup((("V", 1),), ()) == pytest.approx(brute(names, joint, {"V": 1}, {}), abs=1e-12)
