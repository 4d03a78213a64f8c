"""The ID algorithm (Shpitser & Pearl, 2006) for P(y | do(x)) in graphs with latents.

Why our own: y0 0.2.11 (the maintained Python implementation) returns
P(Y | X) for the napkin graph, which is wrong (the napkin needs a ratio of
adjusted terms); we verify ours on textbook cases and against enumeration of
random SCMs in the tests.

A distribution in the recursion is either the observational joint (``None``)
or an expression over a set of variables whose values are bound to symbols
named after the variables themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import product

import networkx as nx

from fmcgm.causal.expr import Expr, Prob, Product, Ratio, Sum, free_symbols, substitute
from fmcgm.causal.graph import CausalGraph, latent_projection
from fmcgm.errors import NotIdentifiableError


@dataclass(frozen=True)
class ADMG:
    order: tuple[str, ...]  # topological order of the observed variables
    directed: frozenset[tuple[str, str]]
    bidirected: frozenset[frozenset[str]]

    @classmethod
    def from_graph(cls, g: CausalGraph) -> ADMG:
        order, directed, bidirected = latent_projection(g)
        return cls(tuple(order), frozenset(directed), frozenset(bidirected))

    def sub(self, keep: set[str]) -> ADMG:
        return ADMG(
            tuple(v for v in self.order if v in keep),
            frozenset(e for e in self.directed if e[0] in keep and e[1] in keep),
            frozenset(e for e in self.bidirected if e <= keep),
        )

    @cached_property
    def _digraph(self) -> nx.DiGraph:
        d = nx.DiGraph()
        d.add_nodes_from(self.order)
        d.add_edges_from(self.directed)
        return d

    def ancestors(self, vs: set[str]) -> set[str]:
        out = set(vs)
        for v in vs:
            out |= nx.ancestors(self._digraph, v)
        return out

    def cut_incoming(self, xs: set[str]) -> ADMG:
        return ADMG(
            self.order,
            frozenset(e for e in self.directed if e[1] not in xs),
            frozenset(e for e in self.bidirected if not (e & xs)),
        )

    def c_components(self) -> list[set[str]]:
        u = nx.Graph()
        u.add_nodes_from(self.order)
        u.add_edges_from(tuple(e) for e in self.bidirected)
        comps = [set(c) for c in nx.connected_components(u)]
        position = {v: i for i, v in enumerate(self.order)}
        return sorted(comps, key=lambda c: min(position[v] for v in c))


class _Hedge(Exception):
    """Raised inside the recursion; :func:`identify` turns it into the user-facing error."""

    def __init__(self, outer: set[str], inner: set[str]) -> None:
        super().__init__()
        self.outer, self.inner = outer, inner


def _sym(vs) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in vs)


def _marginal(P: Expr | None, pvars: tuple[str, ...], keep: list[str]) -> Expr:
    if P is None:
        return Prob(_sym(keep))
    drop = [v for v in pvars if v not in keep]
    return _simplify(Sum(_sym(drop), P)) if drop else P


def _conditional(P: Expr | None, pvars: tuple[str, ...], v: str, cond: list[str]) -> Expr:
    if P is None:
        return Prob(_sym([v]), _sym(cond))
    return Ratio(_marginal(P, pvars, [*cond, v]), _marginal(P, pvars, cond)) if cond else _marginal(P, pvars, [v])


def _simplify(e: Expr) -> Expr:
    """Drop summed variables whose only appearance is as the event of one factor (they sum to 1)."""
    if not isinstance(e, Sum):
        return e
    body = e.body
    bindings = list(e.bindings)
    factors: dict[int, Expr] = dict(enumerate(body.factors if isinstance(body, Product) else [body]))
    uses: dict[str, set[int]] = {}  # symbol -> the factors mentioning it (computed once: large sums)
    for i, f in factors.items():
        for symb in free_symbols(f):
            uses.setdefault(symb, set()).add(i)
    changed = True
    while changed:
        changed = False
        for var, symb in list(bindings):
            where = uses.get(symb, set())
            if len(where) == 1:
                i = next(iter(where))
                f = factors[i]
                if isinstance(f, Prob) and [x for _, x in f.event] == [symb] and symb not in [x for _, x in f.given]:
                    for other in free_symbols(f):
                        uses[other].discard(i)
                    del factors[i]
                    bindings.remove((var, symb))
                    changed = True
    kept = list(factors.values())
    new_body: Expr = kept[0] if len(kept) == 1 else Product(tuple(kept))  # an empty product is 1
    return Sum(tuple(bindings), new_body) if bindings else new_body


def _id(y: set[str], x: set[str], P: Expr | None, pvars: tuple[str, ...], G: ADMG) -> Expr:
    V = set(G.order)
    # 1. no intervention: marginalise
    if not x:
        return _marginal(P, pvars, [v for v in G.order if v in y])
    # 2. restrict to ancestors of y
    an = G.ancestors(y)
    if V - an:
        keep = [v for v in G.order if v in an]
        newP = _marginal(P, pvars, keep) if P is not None else None
        return _id(y, x & an, newP, tuple(keep) if P is not None else pvars, G.sub(an))
    # 3. intervene on variables that cannot affect y once x is cut
    w = (V - x) - G.cut_incoming(x).ancestors(y)
    if w:
        return _id(y, x | w, P, pvars, G)
    comps = G.sub(V - x).c_components()
    # 4. factorise over c-components of G \ X
    if len(comps) > 1:
        factors = tuple(_id(s, V - s, P, pvars, G) for s in comps)
        over = [v for v in G.order if v not in y | x]
        return _simplify(Sum(_sym(over), Product(factors))) if over else Product(factors)
    S = comps[0]
    full = G.c_components()
    # 5. hedge: not identifiable
    if len(full) == 1 and full[0] == V:
        raise _Hedge(V, S)
    # 6. S is itself a c-component of G
    if S in full:
        factors = tuple(_conditional(P, pvars, v, list(G.order[: G.order.index(v)])) for v in G.order if v in S)
        over = [v for v in G.order if v in S and v not in y]
        body: Expr = factors[0] if len(factors) == 1 else Product(factors)
        return _simplify(Sum(_sym(over), body)) if over else body
    # 7. S lies inside a larger c-component S'
    S2 = next(c for c in full if S <= c)
    factors = tuple(_conditional(P, pvars, v, list(G.order[: G.order.index(v)])) for v in G.order if v in S2)
    local: Expr = factors[0] if len(factors) == 1 else Product(factors)
    return _id(y, x & S2, local, tuple(v for v in G.order if v in S2), G.sub(S2))


def identify(g: CausalGraph, outcomes: list[str], treatments: list[str]) -> Expr:
    """Estimand for P(outcomes | do(treatments)); values are symbols named after the variables.

    Raises :class:`NotIdentifiableError` (naming the hedge) when no estimand exists.
    """
    return identify_all(g, outcomes, treatments)[0][1]


def identify_all(g: CausalGraph, outcomes: list[str], treatments: list[str]) -> list[tuple[dict[str, int], Expr]]:
    """The estimand once for every value of the symbols it leaves free beyond the query (the napkin's Z).

    Any such value gives the same effect — provided it has support: fixing Z at a value of
    probability 0 makes a denominator zero, so a caller tries the next one.  All-zeros first.
    """
    g.require(*outcomes, *treatments)
    for v in [*outcomes, *treatments]:
        if v in g.latent:
            raise NotIdentifiableError(f"{v!r} is unobserved", "queries can only name observed variables")
    G = ADMG.from_graph(g)
    try:
        est = _id(set(outcomes), set(treatments), None, G.order, G)
    except _Hedge as h:  # named for the query asked, not the sub-query of the recursion that met it
        raise NotIdentifiableError(
            f"P({', '.join(sorted(outcomes))} | do({', '.join(sorted(treatments))})) is not identifiable: "
            f"the graph contains a hedge for {{{', '.join(sorted(h.outer))}}} and {{{', '.join(sorted(h.inner))}}}",
            "the latent confounding cannot be removed by adjustment; measure a confounder or mediator, "
            "or ask a different query",
        ) from None
    extra = sorted(free_symbols(est) - set(outcomes) - set(treatments))
    if not extra:
        return [({}, est)]
    out = []
    for combo in product((0, 1), repeat=len(extra)):
        fixed = dict(zip(extra, combo, strict=True))
        out.append((fixed, substitute(est, fixed)))
    return out
