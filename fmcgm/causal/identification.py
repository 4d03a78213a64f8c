"""Identification of interventional distributions: back-door, front-door, IV, general ID.

Each strategy returns :class:`Estimand` candidates for P(Y=y | do(X=x)).  A
query usually has several valid estimands (several adjustment sets, say); we
return them, most familiar first, and let evaluation pick the first one the given
information supports.  Values in the expressions are concrete ints.

Minimal adjustment sets are found directly (networkx's linear-time minimal d-separator
search); alternatives are enumerated only among the variables nearest the treatment and
outcome, within a fixed number of criterion tests, so large graphs stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import assert_never

import networkx as nx

from fmcgm.causal import graph as G
from fmcgm.causal.expr import Diff, Expr, Prob, Product, Ratio, Sum, substitute
from fmcgm.causal.id_algorithm import identify_all
from fmcgm.errors import NotIdentifiableError
from fmcgm.vocabulary import EstimandKind, QueryKind


def _braced(names: Iterable[str]) -> str:
    return "{" + ", ".join(sorted(names)) + "}"


@dataclass(frozen=True)
class Estimand:
    """An identified estimand in DoWhy's shape: how it identifies the query (``kind``), which query it identifies
    (``target``) and the variables that strategy uses.  ``label``, the wording people read, is derived from these
    fields; code reads the fields, never the label."""

    expr: Expr
    kind: EstimandKind
    target: QueryKind = QueryKind.ATE  # do_estimands' P(y | do(x)) serves the ATE
    adjustment_set: tuple[str, ...] = ()  # back-door set, or the mediation formula's covariates
    mediators: tuple[str, ...] = ()  # front-door set, or the mediators of a natural effect
    instrument: str | None = None  # the instrument of a Wald estimand (its numbers are checked)
    fixed: tuple[tuple[str, int], ...] = ()  # ID algorithm: leftover variables fixed at a value with support
    assumptions: tuple[str, ...] = ()
    exact: bool = True  # False when an assumption the graph does not imply was needed
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        ett = self.target == QueryKind.ETT
        match self.kind:
            case EstimandKind.MARGINAL:
                base = "marginal probability"
            case EstimandKind.CONDITIONAL:
                base = "conditional probability"
            case EstimandKind.CONTRAST:
                base = ("conditional contrast within the selected group" if self.target == QueryKind.EXP_AWAY
                        else "conditional contrast (association, not causation)")
            case EstimandKind.NO_CAUSAL_PATH:
                base = "no causal path"
            case EstimandKind.BACKDOOR if ett:
                base = (f"back-door adjustment for {_braced(self.adjustment_set)} weighted by the treated"
                        if self.adjustment_set else "no confounding: ETT equals the conditional contrast")
            case EstimandKind.BACKDOOR:
                base = (f"back-door adjustment for {_braced(self.adjustment_set)}" if self.adjustment_set
                        else "no confounding (empty back-door set)")
            case EstimandKind.FRONTDOOR:
                base = f"front-door {'ETT' if ett else 'adjustment'} through {_braced(self.mediators)}"
            case EstimandKind.ID_ALGORITHM:
                base = "ID algorithm (Shpitser & Pearl)" + (
                    f" with {', '.join(f'{k}={v}' for k, v in self.fixed)}" if self.fixed else "")
            case EstimandKind.IV:
                base = f"instrumental variable {self.instrument} (Wald estimator)"
            case EstimandKind.MEDIATION:
                adjusted = f" adjusted for {_braced(self.adjustment_set)}" if self.adjustment_set else ""
                which = "direct" if self.target == QueryKind.NDE else "indirect"
                return f"mediation formula{adjusted} (natural {which} effect)"
            case EstimandKind.ALL_MEDIATED:
                return "every causal path runs through the mediators: the natural direct effect is 0"
            case _:
                assert_never(self.kind)
        # a natural indirect effect answered by an ATE estimand: every causal path runs through the mediators
        return base + ("; every path is mediated, so NIE = ATE" if self.target == QueryKind.NIE else "")


def is_backdoor_set(g: G.CausalGraph, x: str, y: str, z: set[str], allow_latent: bool = False) -> bool:
    """Pearl's back-door criterion for (x, y) and adjustment set z (observed only unless allowed)."""
    g.require(x, y, *z)
    if y in z or z & G.descendants(g, [x]) or (z & g.latent and not allow_latent):
        return False  # (x itself is its own descendant)
    return G.separated(G.outgoing_cut(g, [x]), {x}, {y}, z)


# Bounds on the search for alternative sets: enough alternatives for the given numbers to
# support one of them, never a search over every subset of a large graph.  Each criterion test
# is a graph traversal, so the number of tests shrinks as the graph grows (WORK / variables:
# 400 tests on graphs up to 100 variables, 40 on 1,000).
WORK = 40_000
MAX_SETS = 32  # sets returned per search
# The ID estimand sums over the outcome's ancestors: past this many it is too long to evaluate
# term by term (and slow to derive), so on large graphs it is derived only when nothing else
# identifies the query.
MAX_SUM_VARIABLES = 14


def max_checks(g: G.CausalGraph) -> int:
    return WORK // max(100, len(g.nodes))


def nearest(g: G.CausalGraph, pool: list[str], anchors: Iterable[str], max_size: int,
            min_size: int = 0) -> list[str]:
    """The pool, cut to the variables nearest the anchors when its subsets of sizes
    min_size..max_size would need more tests than the graph's budget (the pool's order is kept)."""
    def subsets(p: int) -> int:
        return sum(comb(p, k) for k in range(min_size, max_size + 1))

    keep = len(pool)
    while keep > 0 and subsets(keep) > max_checks(g):
        keep -= 1
    if keep >= len(pool):
        return list(pool)
    dist = nx.multi_source_dijkstra_path_length(g.dag().to_undirected(as_view=True), set(anchors))
    rank = {v: i for i, v in enumerate(pool)}
    chosen = set(sorted(pool, key=lambda v: (dist.get(v, float("inf")), rank[v]))[:keep])
    return [v for v in pool if v in chosen]


def bounded_sets(g: G.CausalGraph, pool: list[str], valid: Callable[[set[str]], bool], max_size: int,
                 min_size: int = 0, direct: Iterable[set[str]] = ()) -> list[set[str]]:
    """Valid subsets of the pool, smallest first, within the graph's test budget and MAX_SETS results;
    sets found directly (``direct``, already valid) are kept even when the enumeration misses them."""
    found: list[set[str]] = []
    checks = 0
    for k in range(min_size, max_size + 1):
        for combo in combinations(pool, k):
            if checks >= max_checks(g) or len(found) >= MAX_SETS:
                break
            checks += 1
            if valid(set(combo)):
                found.append(set(combo))
    found += [set(d) for d in direct if set(d) not in found]
    return sorted(found, key=len)[:MAX_SETS]


def backdoor_sets(g: G.CausalGraph, x: str, y: str, max_size: int = 4) -> list[set[str]]:
    """Valid observed adjustment sets, smallest first (a minimal one always among them)."""
    return [set(s) for s in _backdoor_sets(g, x, y, max_size)]


@lru_cache(maxsize=256)  # one query asks for the same sets several times (each treatment value, the critique)
def _backdoor_sets(g: G.CausalGraph, x: str, y: str, max_size: int) -> tuple[frozenset[str], ...]:
    g.require(x, y)
    desc = G.descendants(g, [x])
    allowed = [v for v in g.observed if v not in (x, y) and v not in desc]
    bd = G.outgoing_cut(g, [x])
    direct = nx.find_minimal_d_separator(bd, {x}, {y}, restricted=set(allowed))
    if direct is None:
        return ()
    pool = nearest(g, allowed, (x, y), max_size)
    return tuple(map(frozenset, bounded_sets(g, pool, lambda z: G.separated(bd, {x}, {y}, z), max_size, direct=[direct])))


def backdoor_expr(x: str, y: str, xv: int, yv: int, z: list[str]) -> Expr:
    if not z:
        return Prob(((y, yv),), ((x, xv),))
    syms = tuple((v, v.lower() + "'") for v in z)
    body = Product((Prob(((y, yv),), ((x, xv), *((v, s) for v, s in syms))), Prob(tuple((v, s) for v, s in syms))))
    return Sum(syms, body)


def frontdoor_sets(g: G.CausalGraph, x: str, y: str) -> list[set[str]]:
    """Observed sets satisfying the front-door criterion (single variables, then minimal pairs).

    A single variable intercepts every directed path x -> y exactly when it dominates y in
    the graph of those paths, so the singles come from the dominator tree, not a search.
    """
    return [set(s) for s in _frontdoor_sets(g, x, y)]


@lru_cache(maxsize=256)
def _frontdoor_sets(g: G.CausalGraph, x: str, y: str) -> tuple[frozenset[str], ...]:
    g.require(x, y)
    d = g.dag()
    cands = [v for v in g.observed if v not in (x, y)]
    if G.has_directed_path(g, x, y):
        on_paths = (nx.descendants(d, x) & nx.ancestors(d, y)) | {x, y}
        idom = nx.immediate_dominators(d.subgraph(on_paths), x)
        dominators, v = set(), idom[y]
        while v != x:
            dominators.add(v)
            v = idom[v]
        singles = [v for v in cands if v in dominators]
        paired = [v for v in cands if v in on_paths and v not in dominators]
    else:  # no directed path: every set intercepts them all
        singles = paired = nearest(g, cands, (x, y), 1, 1)
    check = _frontdoor_check(g, x, y)
    out = bounded_sets(g, singles, check, 1, 1)
    # a pair holding a valid single is not minimal (and needs more numbers than the single);
    # with a directed path the dominators, the only possible singles, are already left out
    paired = [v for v in paired if {v} not in out]
    return tuple(map(frozenset, out + bounded_sets(g, nearest(g, paired, (x, y), 2, 2), check, 2, 2)))


def _frontdoor_check(g: G.CausalGraph, x: str, y: str) -> Callable[[set[str]], bool]:
    bd = G.outgoing_cut(g, [x])
    d = g.dag()

    def check(m: set[str]) -> bool:
        # (i) m intercepts every directed path x -> y
        if _reaches(d, x, y, m):
            return False
        # (ii) no unblocked back-door path x -> m
        if not all(G.separated(bd, {x}, {mi}, set()) for mi in m):
            return False
        # (iii) every back-door path m -> y blocked by x
        # (a view, not a copy: one test per candidate)
        return all(G.separated(nx.restricted_view(d, [], list(d.out_edges(mi))), {mi}, {y}, {x} | (m - {mi}))
                   for mi in m)

    return check


def _reaches(d: nx.DiGraph, a: str, b: str, avoid: set[str]) -> bool:
    """A directed path a -> b that avoids the given nodes (a plain search: no graph view per test)."""
    seen, stack = {a}, [a]
    while stack:
        for c in d.succ[stack.pop()]:
            if c == b:
                return True
            if c not in seen and c not in avoid:
                seen.add(c)
                stack.append(c)
    return False


def frontdoor_expr(x: str, y: str, xv: int, yv: int, m: list[str]) -> Expr:
    msym = tuple((v, v.lower()) for v in m)
    xs = ((x, x.lower() + "'"),)
    inner = Sum(xs, Product((Prob(((y, yv),), ((x, x.lower() + "'"), *msym)), Prob(((x, x.lower() + "'"),)))))
    return Sum(msym, Product((Prob(msym, ((x, xv),)), inner)))


def instruments(g: G.CausalGraph, x: str, y: str) -> list[str]:
    """Observed instruments z: z -> x, z independent of y once x's effect is removed, z unconfounded."""
    desc = G.descendants(g, [x])
    cands = nearest(g, [z for z in g.observed if z not in (x, y) and z not in desc], (x,), 1, 1)
    no_x_out = G.outgoing_cut(g, [x])
    d = g.dag()
    return [z for z in cands if not G.separated(d, {z}, {x}, set()) and G.separated(no_x_out, {z}, {y}, set())]


def wald_expr(z: str, x: str, y: str, yv: int) -> Expr:
    """[P(y|z=1) - P(y|z=0)] / [P(x=1|z=1) - P(x=1|z=0)]: the effect of x=1 vs x=0."""
    return Ratio(
        Diff(Prob(((y, yv),), ((z, 1),)), Prob(((y, yv),), ((z, 0),))),
        Diff(Prob(((x, 1),), ((z, 1),)), Prob(((x, 1),), ((z, 0),))),
    )


def do_estimands(g: G.CausalGraph, y: str, x: str, xv: int, yv: int = 1) -> list[Estimand]:
    """Candidate estimands for P(y=yv | do(x=xv)); raises NotIdentifiableError with the reason."""
    g.require(x, y)
    if x == y:
        raise NotIdentifiableError(f"treatment and outcome are the same variable {x!r}", "name two variables")
    cands: list[Estimand] = []
    if not G.has_directed_path(g, x, y):
        cands.append(Estimand(Prob(((y, yv),)), EstimandKind.NO_CAUSAL_PATH,
                              assumptions=(f"{x} is not an ancestor of {y}: do({x}) leaves {y} unchanged",)))
    for z in backdoor_sets(g, x, y):
        cands.append(Estimand(backdoor_expr(x, y, xv, yv, sorted(z)), EstimandKind.BACKDOOR,
                              adjustment_set=tuple(sorted(z))))
    for m in frontdoor_sets(g, x, y):
        cands.append(Estimand(frontdoor_expr(x, y, xv, yv, sorted(m)), EstimandKind.FRONTDOOR,
                              mediators=tuple(sorted(m))))
    if cands and len(G.ancestors(g, [y]) & set(g.observed)) > MAX_SUM_VARIABLES:
        return cands
    try:
        for fixed, e in identify_all(g, [y], [x]):
            cands.append(Estimand(substitute(e, {x: xv, y: yv}), EstimandKind.ID_ALGORITHM, fixed=tuple(fixed.items()),
                                  notes=("leftover variables fixed at a value with support; any such value "
                                         "gives the same effect",) if fixed else ()))
    except NotIdentifiableError:
        if not cands:
            raise
    return cands


def ate_iv_estimands(g: G.CausalGraph, y: str, x: str, yv: int = 1) -> list[Estimand]:
    """Wald estimands for the binary-instrument effect of x (1 vs 0) on y (needs monotonicity)."""
    return [
        Estimand(wald_expr(z, x, y, yv), EstimandKind.IV, instrument=z,
                 assumptions=(f"{z} is a valid instrument for {x} -> {y}",
                              "effects are homogeneous (or monotone: the result is then the complier effect)"),
                 exact=False)
        for z in instruments(g, x, y)
    ]
