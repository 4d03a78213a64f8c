"""A discovered graph that keeps its uncertainty: directed, undirected and PAG edges, each with its source.

Marks follow causal-learn's conventions: ``->`` directed, ``--`` undirected (the CPDAG
leaves the orientation open), ``<->`` bidirected (a latent common cause), ``o->`` and
``o-o`` (a PAG's circle: the mark is not determined).  Nothing here orients an edge that
the evidence left open; :func:`consistent_extension` builds one member of the class only
where a caller needs a DAG (testing implied independences, enumerating members).
"""

from __future__ import annotations

from itertools import product
from typing import Literal

import networkx as nx
from pydantic import BaseModel, Field

from fmcgm.causal import graph as G

Mark = Literal["->", "--", "<->", "o->", "o-o"]
Source = Literal["data", "knowledge", "data+knowledge", "critique", "noise"]
OPEN: frozenset[str] = frozenset({"--", "o->", "o-o"})


class Edge(BaseModel):
    a: str
    b: str
    mark: Mark
    source: Source = "data"
    confidence: float | None = Field(default=None, description="knowledge confidence, when knowledge decided it")

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def text(self) -> str:
        return f"{self.a} {self.mark} {self.b}"


class Unshown(BaseModel):
    """A collider read from an independence that the test could not have told from a weak dependence.

    A true collider a -> c <- b and a triangle whose direct a–b effect cancels the path through c give the same
    independence; only a test with power against a dependence of meaningful size makes the collider the better
    reading.  The marks it sets (and Meek's consequences) are kept in the graph, but no verdict rests on them."""

    triple: list[str]  # [a, c, b]
    given: list[str]  # the separating set of the independence a ⫫ b that made the collider
    p: float  # that test's p-value
    power: float  # its power against a dependence of the size ``effect`` at ``rows`` rows
    effect: float
    rows: int
    rests_on: list[str] = Field(default_factory=list)  # edges directed only because of this collider

    def text(self) -> str:
        a, c, b = self.triple
        given = f" | {', '.join(self.given)}" if self.given else ""
        return (f"the collider {a} -> {c} <- {b}, read from {a} ⫫ {b}{given} (p = {self.p:.2g}), a test that at "
                f"{self.rows:,} rows had {self.power:.0%} power to see a dependence of {self.effect:g} (a direct effect "
                f"of {a} on {b} cancelling the path through {c} gives the same data)")


class DiscoveredGraph(BaseModel):
    nodes: list[str]
    edges: list[Edge]
    method: str = ""
    test: str = ""
    notes: list[str] = Field(default_factory=list)
    ambiguous: list[list[str]] = Field(default_factory=list, description="unshielded triples [a, c, b] the data "
                                       "leave open between collider and non-collider (conservative PC)")
    unshown: list[Unshown] = Field(default_factory=list, description="colliders from independences without power")
    relaxed_open: list[list[str]] = Field(default_factory=list, description="pairs directed only because of the "
                                          "unshown colliders (open when they are all read as ambiguous)")

    def directed(self) -> list[tuple[str, str]]:
        return [(e.a, e.b) for e in self.edges if e.mark == "->"]

    def undirected(self) -> list[tuple[str, str]]:
        return [(e.a, e.b) for e in self.edges if e.mark == "--"]

    def uncertain(self) -> list[Edge]:
        return [e for e in self.edges if e.mark in OPEN or e.mark == "<->"]

    def parents(self, v: str) -> list[str]:
        """The nodes with a directed edge into ``v``, sorted."""
        return sorted(a for a, b in self.directed() if b == v)

    def adjacent(self, v: str) -> set[str]:
        return {e.b if e.a == v else e.a for e in self.edges if v in (e.a, e.b)}

    def to_agent_graph(self) -> dict:
        """The graph as the agent's tools carry it: directed edges plus the open ones, named apart."""
        return {"nodes": list(self.nodes), "edges": [list(e) for e in self.directed()], "latent": [],
                "undirected": [list(e) for e in self.undirected()],
                "bidirected": [[e.a, e.b] for e in self.edges if e.mark == "<->"],
                "partial": [[e.a, e.mark, e.b] for e in self.edges if e.mark in ("o->", "o-o")],
                "ambiguous": [list(t) for t in self.ambiguous],
                "unshown": [u.model_dump() for u in self.unshown],
                "relaxed_open": [list(p) for p in self.relaxed_open],
                "sources": {e.text(): e.source for e in self.edges}}

    @classmethod
    def from_agent_graph(cls, g: dict) -> DiscoveredGraph:
        src = g.get("sources") or {}
        edges = [Edge(a=a, b=b, mark="->") for a, b in g.get("edges", [])]
        edges += [Edge(a=a, b=b, mark="--") for a, b in g.get("undirected", [])]
        edges += [Edge(a=a, b=b, mark="<->") for a, b in g.get("bidirected", [])]
        edges += [Edge(a=a, b=b, mark=m) for a, m, b in g.get("partial", [])]
        for e in edges:
            e.source = src.get(e.text(), "data")
        nodes = list(g.get("nodes") or sorted({v for e in edges for v in (e.a, e.b)}))
        return cls(nodes=nodes, edges=edges, ambiguous=[list(t) for t in g.get("ambiguous") or []],
                   unshown=[Unshown.model_validate(u) for u in g.get("unshown") or []],
                   relaxed_open=[list(p) for p in g.get("relaxed_open") or []])

    def relaxed(self) -> DiscoveredGraph:
        """The class without the unshown colliders: their triples ambiguous, the marks that rest on them open."""
        if not self.unshown:
            return self
        opened = {frozenset(p) for p in self.relaxed_open}
        edges = [Edge(a=e.a, b=e.b, mark="--", source=e.source) if e.pair in opened and e.mark == "->" else e
                 for e in self.edges]
        return self.model_copy(update={"edges": edges, "unshown": [], "relaxed_open": [],
                                       "ambiguous": [*self.ambiguous, *(list(u.triple) for u in self.unshown)]})


# causal-learn endpoint codes: graph[i, j] is the mark at node i on the edge i–j
_TAIL, _ARROW, _CIRCLE = -1, 1, 2


# (mark at i, mark at j) -> (edge mark, whether the edge reads j -> i); anything else with a circle is open
_MARKS = {(_TAIL, _ARROW): ("->", False), (_ARROW, _TAIL): ("->", True), (_TAIL, _TAIL): ("--", False),
          (_ARROW, _ARROW): ("<->", False), (_CIRCLE, _ARROW): ("o->", False), (_ARROW, _CIRCLE): ("o->", True)}


def from_causallearn(matrix, names: list[str], source: Source = "data") -> list[Edge]:
    """Edges of a causal-learn GeneralGraph adjacency matrix, marks kept as they are."""
    out = []
    k = len(names)
    for i in range(k):
        for j in range(i + 1, k):
            mi, mj = int(matrix[i, j]), int(matrix[j, i])
            if mi == 0 and mj == 0:
                continue
            mark, reverse = _MARKS.get((mi, mj), ("o-o", False))  # circle–circle or circle–tail: open
            a, b = (names[j], names[i]) if reverse else (names[i], names[j])
            out.append(Edge(a=a, b=b, mark=mark, source=source))
    return out


def consistent_extension(g: DiscoveredGraph) -> list[tuple[str, str]] | None:
    """One DAG of the class (Dor–Tarsi): orients every open edge without a new collider or cycle.

    PAG circle marks are read as tails/arrows in the same way; a bidirected edge has no DAG
    member over the observed variables and is left out.  Returns ``None`` when none exists.
    """
    directed = set(g.directed()) | {(e.a, e.b) for e in g.edges if e.mark == "o->"}
    undirected = {frozenset((e.a, e.b)) for e in g.edges if e.mark in ("--", "o-o")}
    remaining = set(g.nodes)
    result = set(directed)
    while remaining:
        picked = None
        for x in sorted(remaining):
            out_d = any(a == x and b in remaining for a, b in directed)
            if out_d:
                continue  # x must be a sink among the remaining nodes
            und_nb = {y for p in undirected if x in p for y in p if y != x and y in remaining}
            adj = {y for y in remaining if y != x and ((x, y) in directed or (y, x) in directed
                                                      or frozenset((x, y)) in undirected)}
            open_at_x = {frozenset((a, b)) for a, c, b in g.ambiguous if c == x}  # a collider there is allowed
            if all(all(z == y or z in _adj(y, directed, undirected) or frozenset((y, z)) in open_at_x for z in adj)
                   for y in und_nb):
                picked = x
                break
        if picked is None:
            return None
        for p in list(undirected):
            if picked in p:
                (y,) = p - {picked}
                if y in remaining:
                    result.add((y, picked))
                    undirected.discard(p)
        remaining.discard(picked)
    return sorted(result) if nx.is_directed_acyclic_graph(nx.DiGraph(list(result))) or not result else None


def _adj(v: str, directed: set[tuple[str, str]], undirected: set[frozenset[str]]) -> set[str]:
    return {b for a, b in directed if a == v} | {a for a, b in directed if b == v} | \
           {y for p in undirected if v in p for y in p if y != v}


def local_members(g: DiscoveredGraph, x: str) -> list[set[str]]:
    """IDA: the parent sets of ``x`` that members of the CPDAG allow.

    Every subset of x's undirected neighbours may be its extra parents, provided no new collider
    forms at x — the local criterion of Maathuis, Kalisch & Bühlmann (2009): two parents of x that are
    not adjacent (at least one of them new) must be a triple the data left ambiguous (conservative PC).

    A parent of x oriented by the additive-noise test (``source == "noise"``) excludes no open neighbour: the
    search never ran Meek's rules after that orientation, and "a → x, a and s not adjacent, so x → s" would rest on
    the non-collider a - x - s (one separating set, which a cancellation can fake) together with an orientation
    of another edge, while the additive-noise test of x - s itself was not decisive (else x - s were oriented).
    """
    fixed = set(g.parents(x))
    by_noise = {e.a for e in g.edges if e.mark == "->" and e.b == x and e.source == "noise"}
    sib = sorted({e.b if e.a == x else e.a for e in g.edges if e.mark == "--" and x in (e.a, e.b)})
    pairs = {frozenset((e.a, e.b)) for e in g.edges}
    open_at_x = {frozenset((a, b)) for a, c, b in g.ambiguous if c == x}
    out = []
    for choice in product((0, 1), repeat=len(sib)):
        extra = {s for s, c in zip(sib, choice, strict=True) if c}
        parents = sorted(fixed | extra)
        if all(frozenset((u, v)) in pairs or frozenset((u, v)) in open_at_x or u in by_noise or v in by_noise
               for i, u in enumerate(parents) for v in parents[i + 1:] if u in extra or v in extra):
            out.append(fixed | extra)
    return out


def neighbours(g: DiscoveredGraph, x: str) -> frozenset[str]:
    """The variables adjacent to ``x`` in the class, by any mark."""
    return frozenset(e.b if e.a == x else e.a for e in g.edges if x in (e.a, e.b))


def possibly_reaches(g: DiscoveredGraph, x: str, y: str) -> bool:
    """Whether some member of the class may have a directed path from ``x`` to ``y``: a path of edges none of
    which points back towards ``x`` (``->`` forwards, ``--``, ``o->`` forwards, ``o-o``; never ``<->``)."""
    step: dict[str, set[str]] = {}
    for e in g.edges:
        if e.mark in ("->", "o->", "--", "o-o"):
            step.setdefault(e.a, set()).add(e.b)
        if e.mark in ("--", "o-o"):
            step.setdefault(e.b, set()).add(e.a)
    seen, todo = {x}, [x]
    while todo:
        for w in step.get(todo.pop(), set()) - seen:
            if w == y:
                return True
            seen.add(w)
            todo.append(w)
    return False


def to_causal_graph(edges: list[tuple[str, str]], nodes: list[str]) -> G.CausalGraph:
    return G.CausalGraph.build(edges, nodes=nodes)


MAX_MEMBERS = 256  # DAGs enumerated per parent set of the treatment (past this: not enumerated)
MAX_STEPS = 20_000  # partial orientations tried while enumerating them


def member_dags(g: DiscoveredGraph, x: str, parents: set[str] | frozenset[str], cap: int = MAX_MEMBERS,
                max_steps: int = MAX_STEPS) -> list[list[tuple[str, str]]] | None:
    """Every DAG of the class in which ``x``'s parents are exactly ``parents``; ``None`` when they are too many to
    list (more than ``cap``, or more than ``max_steps`` partial orientations) or the graph has PAG marks.

    A member orients each open edge (``--``) without a cycle and without a new collider: two non-adjacent parents of
    a node c are allowed only where the search directed both edges into c, or left the triple ambiguous
    (conservative PC); at ``x`` itself the parent set is taken as given (it comes from :func:`local_members`).
    """
    if any(e.mark not in ("->", "--") for e in g.edges):
        return None
    directed = set(g.directed())
    if any(b == x and a not in parents for a, b in directed) or any(a == x and b in parents for a, b in directed):
        return None
    pairs = {e.pair for e in g.edges}
    ambiguous = {(c, frozenset((a, b))) for a, c, b in g.ambiguous}
    fixed = set(directed)
    todo = []
    for e in g.edges:
        if e.mark != "--":
            continue
        if x in (e.a, e.b):
            v = e.b if e.a == x else e.a
            fixed.add((v, x) if v in parents else (x, v))
        else:
            todo.append((e.a, e.b))
    if any(p not in {a for a, b in fixed if b == x} for p in parents):
        return None

    def collider_ok(c: str, edges: set[tuple[str, str]]) -> bool:
        if c == x:
            return True
        pa = [a for a, b in edges if b == c]
        return all(frozenset((u, v)) in pairs or ((u, c) in directed and (v, c) in directed)
                   or (c, frozenset((u, v))) in ambiguous for i, u in enumerate(pa) for v in pa[i + 1:])

    if not all(collider_ok(c, fixed) for c in g.nodes) or not nx.is_directed_acyclic_graph(nx.DiGraph(list(fixed))):
        return []
    out: list[list[tuple[str, str]]] = []
    steps = 0

    def extend(i: int, edges: set[tuple[str, str]], dg: nx.DiGraph) -> bool:
        nonlocal steps
        if i == len(todo):
            out.append(sorted(edges))
            return len(out) <= cap
        a, b = todo[i]
        for u, v in ((a, b), (b, a)):
            steps += 1
            if steps > max_steps:
                return False
            if nx.has_path(dg, v, u):
                continue  # a cycle
            edges.add((u, v))
            if collider_ok(v, edges):
                dg.add_edge(u, v)
                ok = extend(i + 1, edges, dg)
                dg.remove_edge(u, v)
                if not ok:
                    edges.discard((u, v))
                    return False
            edges.discard((u, v))
        return True

    dg = nx.DiGraph(list(fixed))
    dg.add_nodes_from(g.nodes)
    if not extend(0, set(fixed), dg):
        return None
    return out
