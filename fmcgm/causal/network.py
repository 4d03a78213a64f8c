"""Exact probabilities from a complete factorisation of the observed distribution.

When the given numbers contain, for every observed ancestor v of a query's variables, the
local conditional P(v | C(v)) for every configuration of C(v), the observed joint of those
ancestors is the product of these tables and any P(event | given) over them follows exactly
by variable elimination: polynomial on graphs of bounded treewidth (chains, trees, sparse
graphs), where deriving term by term is exponential.

C(v) comes from the ordered local Markov property of the graph's latent projection
(Richardson 2003): along a topological order restricted to an ancestral set, v is independent
of its predecessors given its district among them and the district's parents, so
P(v | predecessors) = P(v | C(v)) with C(v) = (dis(v) ∪ pa(dis(v))) \\ {v}; without latent
variables C(v) is the parent set.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from typing import TYPE_CHECKING

from fmcgm.causal import graph as G
from fmcgm.causal.terms import Assign, Key

if TYPE_CHECKING:  # numpy only once a value is derived through the tables: given numbers alone never load it
    import numpy as np

    from fmcgm.causal.elimination import Factor


class Network:
    """The factorisation the given statements support on a graph; ``value`` answers from it."""

    def __init__(self, graph: G.CausalGraph, known: Mapping[Key, float],
                 domains: Mapping[str, tuple[int, ...]]) -> None:
        self.graph = graph
        self.known = known
        self.domains = domains
        order, directed, bidirected = G.latent_projection(graph)
        self.order = order
        self.position = {v: i for i, v in enumerate(order)}
        self.parents: dict[str, set[str]] = {v: set() for v in order}
        for a, b in directed:
            self.parents[b].add(a)
        self.spouses: dict[str, set[str]] = {v: set() for v in order}
        for pair in bidirected:
            a, b = tuple(pair)
            self.spouses[a].add(b)
            self.spouses[b].add(a)
        self.by_event: dict[str, list[tuple[int, Assign, float]]] = {}
        for (ev, gv), p in known.items():
            if len(ev) == 1:
                self.by_event.setdefault(ev[0][0], []).append((ev[0][1], gv, p))
        self._tables: dict[tuple[str, tuple[str, ...]], Factor | None] = {}
        self._plans: dict[frozenset[str], list[tuple[str, tuple[str, ...]]]] = {}
        self._separated: dict[tuple[str, frozenset[str], frozenset[str]], bool] = {}
        self._joints: dict[tuple[str, ...], np.ndarray | None] = {}

    def dom(self, v: str) -> tuple[int, ...]:
        return self.domains.get(v, (0, 1))

    # -- the factorisation ------------------------------------------------------
    def plan(self, targets: frozenset[str]) -> list[tuple[str, tuple[str, ...]]]:
        """(v, C(v)) for every observed ancestor of the targets, in topological order."""
        if targets not in self._plans:
            ancestral = G.ancestors(self.graph, targets) & set(self.order)
            members = sorted(ancestral, key=self.position.__getitem__)
            before: set[str] = set()
            out = []
            for v in members:
                district, stack = {v}, [v]
                while stack:
                    for w in self.spouses[stack.pop()]:
                        if w in before and w not in district:
                            district.add(w)
                            stack.append(w)
                blanket = district.union(*(self.parents[d] for d in district)) - {v}
                out.append((v, tuple(sorted(blanket, key=self.position.__getitem__))))
                before.add(v)
            self._plans[targets] = out
        return self._plans[targets]

    def local_set(self, v: str) -> tuple[str, ...]:
        """C(v) within v's own ancestors (the parents when v has no latent confounding)."""
        if not self.spouses[v]:
            return tuple(sorted(self.parents[v], key=self.position.__getitem__))
        return dict(self.plan(frozenset({v})))[v]

    def factor(self, v: str, cond: tuple[str, ...]) -> Factor | None:
        """The table P(v | cond) from the statements, or None when an entry is not given."""
        key = (v, cond)
        if key not in self._tables:
            self._tables[key] = self._build(v, cond)
        return self._tables[key]

    def _build(self, v: str, cond: tuple[str, ...]) -> Factor | None:
        import numpy as np

        from fmcgm.causal.elimination import Factor

        dom = self.dom(v)
        shape = (len(dom), *(len(self.dom(c)) for c in cond))
        table = np.empty(shape)
        for combo in product(*(range(n) for n in shape[1:])):
            config = tuple(zip(cond, (self.dom(c)[i] for c, i in zip(cond, combo, strict=True)), strict=True))
            column = [self._entry(v, a, config) for a in dom]
            gaps = [i for i, p in enumerate(column) if p is None]
            if len(gaps) > 1:
                return None
            if gaps:  # the values of v sum to one
                column[gaps[0]] = max(0.0, 1.0 - sum(p for p in column if p is not None))
            at: tuple[slice | int, ...] = (slice(None), *combo)
            table[at] = column
        return Factor((v, *cond), table)

    def _entry(self, v: str, a: int, config: Assign) -> float | None:
        """P(v=a | config) from a statement on v given S: exact, or equal by the graph's independences.

        P(v | S=s) = P(v | C=c) when s and c agree on S ∩ C, v ⫫ S\\C | C and v ⫫ C\\S | S.
        """
        exact = (((v, a),), tuple(sorted(config)))
        if exact in self.known:
            return self.known[exact]
        c = dict(config)
        for value, given, p in self.by_event.get(v, ()):
            if value != a or any(k in c and c[k] != x for k, x in given):
                continue
            s = {k for k, _ in given}
            if self._independent(v, s - c.keys(), c.keys()) and self._independent(v, c.keys() - s, s):
                return p
        return None

    def _independent(self, v: str, others, given) -> bool:
        others, given = frozenset(others), frozenset(given)
        if not others:
            return True
        key = (v, others, given)
        if key not in self._separated:
            self._separated[key] = G.d_separated(self.graph, {v}, others, given)
        return self._separated[key]

    # -- answering -------------------------------------------------------------
    def value(self, ev: Assign, gv: Assign) -> float | None:
        """P(ev | gv) by variable elimination, or None when the statements do not determine the tables."""
        names = {k for k, _ in (*ev, *gv)}
        if any(k not in self.position for k in names) or names & {k for k, _ in gv} & {k for k, _ in ev}:
            return None
        index = {k: self.dom(k).index(x) for k, x in (*ev, *gv) if x in self.dom(k)}
        if len(index) < len(names):
            return None  # a value outside the variable's domain
        scope = tuple(sorted(names, key=self.position.__getitem__))
        table = self._joint(scope)
        if table is None:
            return None
        at = tuple(index[k] if k in dict(gv) else slice(None) for k in scope)
        total = float(table[at].sum())
        if total <= 0:
            return None
        return float(table[tuple(index[k] for k in scope)]) / total

    def _joint(self, scope: tuple[str, ...]) -> np.ndarray | None:
        """The joint table of the scope's variables (one elimination serves every term over them)."""
        from fmcgm.causal.elimination import TooDense, eliminate

        if scope not in self._joints:
            self._joints[scope] = None
            # The scope's own ancestors first; else every observed variable (with latent variables a
            # smaller ancestral set can need conditionals on other sets than the ones given).
            for targets in dict.fromkeys((frozenset(scope), frozenset(self.order))):
                factors = [f for v, cond in self.plan(targets) if (f := self.factor(v, cond)) is not None]
                if len(factors) == len(self.plan(targets)):
                    try:
                        self._joints[scope] = eliminate(factors, scope)
                    except TooDense:
                        pass
                    break
        return self._joints[scope]
