"""Identification of interventional distributions: back-door, front-door, IV, general ID.

Each strategy returns :class:`Estimand` candidates for P(Y=y | do(X=x)).  A
query usually has several valid estimands (several adjustment sets, say); we
return all of them, most familiar first, and let evaluation pick the first one
the given information supports.  Values in the expressions are concrete ints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from fmcgm.causal import graph as G
from fmcgm.causal.expr import Diff, Expr, Prob, Product, Ratio, Sum, substitute
from fmcgm.causal.id_algorithm import identify as id_identify
from fmcgm.causal.id_algorithm import identify_all
from fmcgm.errors import NotIdentifiableError


@dataclass(frozen=True)
class Estimand:
    expr: Expr
    method: str
    assumptions: tuple[str, ...] = ()
    exact: bool = True  # False when an assumption the graph does not imply was needed
    notes: tuple[str, ...] = field(default=())


def is_backdoor_set(g: G.CausalGraph, x: str, y: str, z: set[str], allow_latent: bool = False) -> bool:
    """Pearl's back-door criterion for (x, y) and adjustment set z (observed only unless allowed)."""
    if z & G.descendants(g, [x]) or (z & g.latent and not allow_latent):
        return False
    return G.d_separated(G.remove_outgoing(g, [x]), {x}, {y}, z)


def backdoor_sets(g: G.CausalGraph, x: str, y: str, max_size: int = 4) -> list[set[str]]:
    """Valid observed adjustment sets, smallest first (minimal ones lead)."""
    cands = [v for v in g.observed if v not in (x, y) and v not in G.descendants(g, [x])]
    found: list[set[str]] = []
    for k in range(0, min(len(cands), max_size) + 1):
        for combo in combinations(cands, k):
            s = set(combo)
            if is_backdoor_set(g, x, y, s):
                found.append(s)
    return found


def backdoor_expr(x: str, y: str, xv: int, yv: int, z: list[str]) -> Expr:
    if not z:
        return Prob(((y, yv),), ((x, xv),))
    syms = tuple((v, v.lower() + "'") for v in z)
    body = Product((Prob(((y, yv),), ((x, xv), *((v, s) for v, s in syms))), Prob(tuple((v, s) for v, s in syms))))
    return Sum(syms, body)


def frontdoor_sets(g: G.CausalGraph, x: str, y: str) -> list[set[str]]:
    """Observed sets satisfying the front-door criterion (single variables and pairs)."""
    cands = [v for v in g.observed if v not in (x, y)]
    out = []
    for k in (1, 2):
        for combo in combinations(cands, k):
            m = set(combo)
            if _is_frontdoor(g, x, y, m):
                out.append(m)
    return out


def _is_frontdoor(g: G.CausalGraph, x: str, y: str, m: set[str]) -> bool:
    # (i) m intercepts every directed path x -> y
    cut = G.CausalGraph(g.nodes, tuple(e for e in g.edges if e[0] not in m), g.latent, g.bidirected)
    if G.has_directed_path(cut, x, y):
        return False
    # (ii) no unblocked back-door path x -> m
    if not all(is_backdoor_set(g, x, mi, set()) for mi in m):
        return False
    # (iii) every back-door path m -> y blocked by x
    return all(G.d_separated(G.remove_outgoing(g, [mi]), {mi}, {y}, {x} | (m - {mi})) for mi in m)


def frontdoor_expr(x: str, y: str, xv: int, yv: int, m: list[str]) -> Expr:
    msym = tuple((v, v.lower()) for v in m)
    xs = ((x, x.lower() + "'"),)
    inner = Sum(xs, Product((Prob(((y, yv),), ((x, x.lower() + "'"), *msym)), Prob(((x, x.lower() + "'"),)))))
    return Sum(msym, Product((Prob(msym, ((x, xv),)), inner)))


def instruments(g: G.CausalGraph, x: str, y: str) -> list[str]:
    """Observed instruments z: z -> x, z independent of y once x's effect is removed, z unconfounded."""
    out = []
    for z in g.observed:
        if z in (x, y) or z in G.descendants(g, [x]):
            continue
        if not G.d_separated(g, {z}, {x}):
            no_x_out = G.remove_outgoing(g, [x])
            if G.d_separated(no_x_out, {z}, {y}):
                out.append(z)
    return out


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
        cands.append(Estimand(Prob(((y, yv),)), "no causal path",
                              (f"{x} is not an ancestor of {y}: do({x}) leaves {y} unchanged",)))
    for z in backdoor_sets(g, x, y):
        label = "back-door adjustment for {" + ", ".join(sorted(z)) + "}" if z else "no confounding (empty back-door set)"
        cands.append(Estimand(backdoor_expr(x, y, xv, yv, sorted(z)), label))
    for m in frontdoor_sets(g, x, y):
        cands.append(Estimand(frontdoor_expr(x, y, xv, yv, sorted(m)), "front-door adjustment through {" + ", ".join(sorted(m)) + "}"))
    try:
        for fixed, e in identify_all(g, [y], [x]):
            label = "ID algorithm (Shpitser & Pearl)" + (
                f" with {', '.join(f'{k}={v}' for k, v in fixed.items())}" if fixed else "")
            cands.append(Estimand(substitute(e, {x: xv, y: yv}), label,
                                  notes=("leftover variables fixed at a value with support; any such value "
                                         "gives the same effect",) if fixed else ()))
    except NotIdentifiableError:
        if not cands:
            raise
    return cands


def ate_iv_estimands(g: G.CausalGraph, y: str, x: str, yv: int = 1) -> list[Estimand]:
    """Wald estimands for the binary-instrument effect of x (1 vs 0) on y (needs monotonicity)."""
    return [
        Estimand(wald_expr(z, x, y, yv), f"instrumental variable {z} (Wald estimator)",
                 (f"{z} is a valid instrument for {x} -> {y}",
                  "effects are homogeneous (or monotone: the result is then the complier effect)"), exact=False)
        for z in instruments(g, x, y)
    ]


def not_identifiable_reason(g: G.CausalGraph, y: str, x: str) -> str:
    try:
        id_identify(g, [y], [x])
        return ""
    except NotIdentifiableError as e:
        return e.message
