"""Causal graphs: directed edges, latent variables, validation, d-separation, surgery.

A :class:`CausalGraph` is immutable plain data; the operations are plain
functions over it, in the style of networkx (which does the graph algorithms).
Latent confounding can be written either as a latent node with edges, or as a
bidirected edge ``(a, b)`` which stands for a hidden common cause of a and b.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations
from typing import cast

import networkx as nx

from fmcgm.errors import CycleError, GraphError, UnknownVariableError


@dataclass(frozen=True)
class CausalGraph:
    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]
    latent: frozenset[str] = field(default_factory=frozenset)
    bidirected: tuple[tuple[str, str], ...] = ()

    # -- construction -----------------------------------------------------
    @classmethod
    def build(
        cls,
        edges: Iterable[tuple[str, str]],
        nodes: Iterable[str] = (),
        latent: Iterable[str] = (),
        bidirected: Iterable[tuple[str, str]] = (),
    ) -> CausalGraph:
        """Validate and build a graph; raises a precise :class:`GraphError`."""
        edge_list = [tuple(e) for e in edges]
        bi_list = [tuple(e) for e in bidirected]
        order: dict[str, None] = {}  # insertion-ordered set
        for name in [*nodes, *(v for e in edge_list + bi_list for v in e)]:
            if not isinstance(name, str) or not name.strip():
                raise GraphError(f"invalid variable name {name!r}", "variable names are non-empty strings")
            order.setdefault(name, None)
        seen: set[tuple[str, str]] = set()
        for a, b in edge_list:
            if a == b:
                raise GraphError(f"self-loop on {a!r}", "a variable cannot cause itself; remove the edge")
            if (a, b) in seen:
                raise GraphError(f"duplicate edge {a} -> {b}", "list each edge once")
            seen.add((a, b))
        for a, b in bi_list:
            if a == b:
                raise GraphError(f"bidirected self-loop on {a!r}", "a confounded pair needs two variables")
        lat = frozenset(latent)
        for name in lat:
            if name not in order:
                raise UnknownVariableError(name, list(order))
        # the pair unpacking above has checked every edge has two ends
        pairs, bi_pairs = cast(list[tuple[str, str]], edge_list), cast(list[tuple[str, str]], bi_list)
        g = cls(tuple(order), tuple(pairs), lat, tuple(bi_pairs))
        acyclic, cycle = is_acyclic(g.edges)
        if not acyclic:
            raise CycleError(cycle)
        return g

    # -- views ------------------------------------------------------------
    @cached_property
    def observed(self) -> tuple[str, ...]:
        return tuple(n for n in self.nodes if n not in self.latent)

    def dag(self) -> nx.DiGraph:
        """The graph as a networkx DAG, bidirected edges made explicit latent nodes (shared: do not mutate)."""
        return self._dag

    @cached_property
    def _dag(self) -> nx.DiGraph:
        # Built once per graph: d-separation and closures run in loops over candidate sets.
        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from(self.edges)
        for a, b in self.bidirected:
            u = f"U[{a},{b}]"
            g.add_edge(u, a)
            g.add_edge(u, b)
        return g

    @cached_property
    def _projection(self) -> tuple[list[str], set[tuple[str, str]], set[frozenset[str]]]:
        return _project(self)

    @cached_property
    def _node_set(self) -> frozenset[str]:
        return frozenset(self.nodes)

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self._node_set:
                raise UnknownVariableError(name, list(self.nodes))


def parents(g: CausalGraph, v: str) -> set[str]:
    g.require(v)
    return {a for a, b in g.edges if b == v}


def _closure(g: CausalGraph, vs: Iterable[str], upward: bool) -> set[str]:
    """Every node reachable from the set along directed edges (upward: against them), the set included.

    One traversal from all sources at once: a node-by-node ``nx.ancestors`` is quadratic on long chains."""
    d = g.dag()
    vs = list(vs)
    g.require(*vs)
    step = d.predecessors if upward else d.successors
    seen, stack = set(vs), list(vs)
    while stack:
        for u in step(stack.pop()):
            if u not in seen:
                seen.add(u)
                stack.append(u)
    return seen & set(g.nodes)


def ancestors(g: CausalGraph, vs: Iterable[str]) -> set[str]:
    """Ancestors of a set, the set included (directed edges only)."""
    return _closure(g, vs, upward=True)


def descendants(g: CausalGraph, vs: Iterable[str]) -> set[str]:
    """Descendants of a set, the set included."""
    return _closure(g, vs, upward=False)


def has_directed_path(g: CausalGraph, a: str, b: str) -> bool:
    g.require(a, b)
    return a != b and b in descendants(g, [a])


def d_separated(g: CausalGraph, xs: Iterable[str], ys: Iterable[str], zs: Iterable[str] = ()) -> bool:
    """True when xs and ys are d-separated given zs (latents never conditioned on)."""
    xs, ys, zs = set(xs), set(ys), set(zs)
    g.require(*xs, *ys, *zs)
    return separated(g.dag(), xs, ys, zs)


def separated(d: nx.DiGraph, xs: set[str], ys: set[str], zs: set[str]) -> bool:
    """d-separation of xs and ys given zs in an acyclic networkx graph, by the reachability
    ("Bayes ball") algorithm of Koller & Friedman (Alg. 3.1).

    Ours rather than ``nx.is_d_separator``: that one re-checks the acyclicity of the whole graph
    on every call, which dominated searches over many candidate sets on large graphs; our graphs
    are checked acyclic once, when built.
    """
    opened = set(zs)  # z and its ancestors: a collider there is open
    stack = list(zs)
    while stack:
        for p in d.pred[stack.pop()]:
            if p not in opened:
                opened.add(p)
                stack.append(p)
    seen: set[tuple[str, bool]] = set()
    todo = [(x, True) for x in xs]  # (node, reached against an edge: from a child)
    while todo:
        v, up = todo.pop()
        if (v, up) in seen:
            continue
        seen.add((v, up))
        if v not in zs and v in ys:
            return False
        if up and v not in zs:
            todo.extend((p, True) for p in d.pred[v])
            todo.extend((c, False) for c in d.succ[v])
        elif not up:
            if v not in zs:
                todo.extend((c, False) for c in d.succ[v])
            if v in opened:
                todo.extend((p, True) for p in d.pred[v])
    return True


def do(g: CausalGraph, xs: Iterable[str]) -> CausalGraph:
    """Graph surgery for do(xs): drop every edge into xs (bidirected ones too)."""
    xs = set(xs)
    g.require(*xs)
    return CausalGraph(
        g.nodes,
        tuple(e for e in g.edges if e[1] not in xs),
        g.latent,
        tuple(e for e in g.bidirected if e[0] not in xs and e[1] not in xs),
    )


def outgoing_cut(g: CausalGraph, xs: Iterable[str]) -> nx.DiGraph:
    """The graph's DAG without the edges out of xs (shared: do not mutate)."""
    return _outgoing_cut(g, frozenset(xs))


@lru_cache(maxsize=64)  # searches test many candidate sets against the same cut graph
def _outgoing_cut(g: CausalGraph, xs: frozenset[str]) -> nx.DiGraph:
    d = g.dag().copy()
    d.remove_edges_from([(x, c) for x in xs for c in g.dag().succ[x]])
    return d


def remove_outgoing(g: CausalGraph, xs: Iterable[str]) -> CausalGraph:
    xs = set(xs)
    g.require(*xs)
    return CausalGraph(g.nodes, tuple(e for e in g.edges if e[0] not in xs), g.latent, g.bidirected)


def latent_projection(g: CausalGraph) -> tuple[list[str], set[tuple[str, str]], set[frozenset[str]]]:
    """Project out latent nodes: (observed nodes in topological order, directed, bidirected).

    a -> b when a directed path from a to b has only latent inner nodes;
    a <-> b when a latent node (or a bidirected edge) reaches both through latents only.
    Computed once per graph (the result is shared: do not mutate it).
    """
    return g._projection


def _project(g: CausalGraph) -> tuple[list[str], set[tuple[str, str]], set[frozenset[str]]]:
    d = g.dag()
    hidden = set(d.nodes) - set(g.observed)
    directed: set[tuple[str, str]] = set()
    bidirected: set[frozenset[str]] = set()

    def observed_reach(start: str) -> set[str]:
        reach, stack, seen = set(), list(d.successors(start)), set()
        while stack:
            v = stack.pop()
            if v in seen:
                continue
            seen.add(v)
            if v in hidden:
                stack.extend(d.successors(v))
            else:
                reach.add(v)
        return reach

    for v in g.observed:
        for w in observed_reach(v):
            directed.add((v, w))
    for h in hidden:
        for a, b in combinations(sorted(observed_reach(h)), 2):
            bidirected.add(frozenset((a, b)))
    observed = set(g.observed)
    order = [v for v in nx.topological_sort(d) if v in observed]
    return order, directed, bidirected


def is_acyclic(edges: Iterable[tuple[str, str]]) -> tuple[bool, list[str]]:
    """Acyclicity check on a bare edge list, naming a cycle when there is one."""
    d = nx.DiGraph()
    d.add_edges_from(edges)
    try:
        return False, [u for u, _ in nx.find_cycle(d)]
    except nx.NetworkXNoCycle:
        return True, []
