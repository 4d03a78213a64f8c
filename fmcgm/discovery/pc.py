"""PC on one shared independence test: a stable skeleton, colliders every separating set agrees on, Meek's rules.

Why not causal-learn's ``pc`` as it is: on the textbook sprinkler (season -> sprinkler, season -> rain,
sprinkler -> wet <- rain, wet -> slippery) the season's two paths to the wet pavement cancel (more sprinkling
in the dry season, less rain), so ``season ⫫ wet`` is accepted with the empty separating set.  The sepset
rule then reads two false colliders, season -> sprinkler <- wet and season -> rain <- wet; processed in
column order with "existing colliders win" they block the true collider sprinkler -> wet <- rain, whose
evidence is overwhelming (p ~ 1e-80), and the critique rightly rejects the result.

Here, as in conservative PC (Ramsey, Zhang & Spirtes 2006):

1. Skeleton (PC-stable, Colombo & Maathuis 2014): removals at one conditioning-set size are applied together;
   nodes are visited in name order, so the column order of the file changes nothing.
2. An unshielded triple a - c - b is a *collider* only when no separating set of a and b (among the subsets of
   a's and of b's adjacents) contains c, a *non-collider* when every one does, and *ambiguous* otherwise (left
   unoriented and recorded: the class then holds both readings, and IDA enumerates both).
3. Colliders are applied strongest first (the largest p-value of a ⫫ b given a set containing c, ascending); a
   collider that contradicts a stronger one is skipped and said so.
4. Meek's rules R1-R3, never through an ambiguous triple.
5. A collider whose independence the test could not have told from a dependence of meaningful size (power below
   :data:`REQUIRED_POWER` against a direct effect of :data:`MEANINGFUL`: fewer than about 4,700 rows) is *unshown*:
   its marks stay, but the graph records it and the marks that rest on it (the orientation with it read as
   ambiguous), so that no verdict rests on it.  A direct effect that cancels the path through the middle node gives
   the same independence (fresh seeds 1802/1803 of the data-answers bench: the treatment's edge reversed in every
   resample), and nothing but the power to see such an effect separates the two readings.

Every test goes through one :class:`~fmcgm.discovery.search.Tester` (a causal-learn CIT with its p-value
cache), the object the critique uses afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, islice

import networkx as nx
import numpy as np

from fmcgm.discovery.pdag import DiscoveredGraph, Edge, Unshown

MAX_SUBSETS = 32  # conditioning sets tried per side of an unshielded triple (smallest first)
# The smallest dependence taken as real (a correlation, or Cohen's w for a table): the data-answers bench's weak edges
# have standardised weights 0.05-0.15 and it grades an effect of standardised size 0.05 as clearly real.
MEANINGFUL = 0.05
REQUIRED_POWER = 0.8  # the conventional power a test needs before its "independent" counts as shown (Cohen 1988)

Progress = Callable[[str], None]


@dataclass
class Skeleton:
    nodes: list[str]
    adj: dict[str, set[str]]
    sepset: dict[frozenset[str], tuple[str, ...]]
    depth: int = 0  # the largest conditioning-set size tried
    complete: bool = True  # False when the time budget stopped the search early
    notes: list[str] = field(default_factory=list)

    def adjacent(self, a: str, b: str) -> bool:
        return b in self.adj[a]


def skeleton(tester, alpha: float, *, forbidden_pairs: Iterable[frozenset[str]] = (),
             required_pairs: Iterable[frozenset[str]] = (), deadline: float | None = None,
             progress: Progress | None = None) -> Skeleton:
    """PC-stable adjacency search; ``required_pairs`` are never removed, ``forbidden_pairs`` never present."""
    nodes = sorted(tester.names)
    adj = {v: set(nodes) - {v} for v in nodes}
    sepset: dict[frozenset[str], tuple[str, ...]] = {}
    for pair in forbidden_pairs:
        a, b = sorted(pair)
        adj[a].discard(b)
        adj[b].discard(a)
        sepset[frozenset(pair)] = ()
    keep = {frozenset(p) for p in required_pairs}
    sk = Skeleton(nodes, adj, sepset)
    depth = 0
    while any(len(adj[x]) - 1 >= depth for x in nodes):
        snapshot = {v: sorted(adj[v]) for v in nodes}
        removals: dict[frozenset[str], tuple[str, ...]] = {}
        for x in nodes:
            for y in snapshot[x]:
                pair = frozenset((x, y))
                if pair in keep or pair in removals:
                    continue
                others = [v for v in snapshot[x] if v != y]
                if len(others) < depth:
                    continue
                for s in combinations(others, depth):
                    if deadline is not None and time.monotonic() > deadline:
                        _remove(adj, sepset, removals)
                        sk.depth, sk.complete = depth, False
                        sk.notes.append(f"the time budget stopped the adjacency search at conditioning sets of size "
                                        f"{depth}: edges a larger set would remove may remain")
                        return sk
                    if tester.p(x, y, s) > alpha:
                        removals[pair] = s
                        break
        _remove(adj, sepset, removals)
        sk.depth = depth
        if progress:
            progress(f"adjacency search: conditioning sets of size {depth} done, "
                     f"{sum(map(len, adj.values())) // 2} edge(s) left")
        depth += 1
    return sk


def _remove(adj, sepset, removals) -> None:
    for pair, s in removals.items():
        a, b = sorted(pair)
        adj[a].discard(b)
        adj[b].discard(a)
        sepset[pair] = s


@dataclass
class Triple:
    a: str
    c: str
    b: str
    kind: str  # collider / noncollider / ambiguous
    strength: float = 1.0  # largest p of a ⫫ b given a set containing c (smaller: stronger collider evidence)
    separating: list[tuple[str, ...]] = field(default_factory=list)
    power: float = 1.0  # a collider's: the best power of the tests that separated a and b (see :func:`power`)
    given: tuple[str, ...] = ()  # the separating set with that power
    p: float = 1.0  # its p-value

    @property
    def shown(self) -> bool:
        return self.kind != "collider" or self.power >= REQUIRED_POWER


@lru_cache(maxsize=4096)  # one value per (rows, effect, level, set size): a search asks it for every separating set
def power(n: int, effect: float, alpha: float, *, given_size: int = 0) -> float:
    """The chance that a test at ``alpha`` of the one parameter that would fake a collider — a direct effect of
    size ``effect`` (a partial correlation) between its two ends — rejects independence with ``n`` rows and
    ``given_size`` variables held fixed: the z statistic atanh(r)·sqrt(n − |S| − 3).

    One degree of freedom whatever the search's test: the alternative is one edge.  (A stratified chi-square spends
    a degree of freedom per stratum and has less power, but a dependence a one-parameter test would see is not
    shown absent by a weaker test failing to see it either; on the textbook sprinkler at 5,000 rows, one stratum
    variable, the chi-square's own power is 0.74, the one-edge test's 0.83.)"""
    from scipy.stats import norm

    m = max(n - given_size - 3, 1)
    z, shift = float(norm.ppf(1 - alpha / 2)), float(np.arctanh(effect) * np.sqrt(m))
    return float(norm.sf(z - shift) + norm.cdf(-z - shift))


def _subsets(pool: list[str], limit: int) -> Iterable[tuple[str, ...]]:
    return islice((s for k in range(len(pool) + 1) for s in combinations(pool, k)), limit)


def classify(sk: Skeleton, tester, alpha: float, rule: str = "conservative", *,
             deadline: float | None = None, max_subsets: int = MAX_SUBSETS) -> list[Triple]:
    """Every unshielded triple a - c - b (a < b), classified by its separating sets."""
    out = []
    cache: dict[frozenset[str], tuple[list[tuple[tuple[str, ...], float]], bool]] = {}
    for c in sk.nodes:
        for a, b in combinations(sorted(sk.adj[c]), 2):
            if sk.adjacent(a, b):
                continue
            pair = frozenset((a, b))
            recorded = sk.sepset.get(pair, ())
            if rule == "sepset":
                kind = "noncollider" if c in recorded else "collider"
                out.append(Triple(a, c, b, kind, separating=[recorded]))
                continue
            if pair not in cache:
                tested: list[tuple[tuple[str, ...], float]] = []
                late = False
                seen: set[tuple[str, ...]] = set()
                for side, other in ((a, b), (b, a)):
                    for s in _subsets(sorted(sk.adj[side] - {other}), max_subsets):
                        if s in seen:
                            continue
                        seen.add(s)
                        if deadline is not None and time.monotonic() > deadline:
                            late = True
                            break
                        tested.append((s, tester.p(a, b, s)))
                cache[pair] = (tested, late)
            tested, late = cache[pair]
            seps = [s for s, p in tested if p > alpha]
            if recorded not in seps:
                seps.append(recorded)
            with_c = [s for s in seps if c in s]
            without_c = [s for s in seps if c not in s]
            if late:
                kind = "ambiguous"
            elif not with_c:
                kind = "collider"
            elif not without_c:
                kind = "noncollider"
            else:
                kind = "ambiguous"
            strength = max((p for s, p in tested if c in s), default=0.0)
            t = Triple(a, c, b, kind, strength, seps)
            if kind == "collider":
                _power_of(t, tester, alpha, dict(tested))
            out.append(t)
    return out


def _power_of(t: Triple, tester, alpha: float, tested: dict[tuple[str, ...], float]) -> None:
    """The collider's best-powered separating test; a tester that cannot say (an oracle) counts as shown."""
    of = getattr(tester, "power", None)
    if of is None:
        return
    best = max(t.separating, key=lambda s: (of(t.a, t.b, s, MEANINGFUL, alpha), -len(s)))
    t.given, t.power = best, of(t.a, t.b, best, MEANINGFUL, alpha)
    t.p = tested[best] if best in tested else tester.p(t.a, t.b, best)


@dataclass
class Orientation:
    graph: DiscoveredGraph
    ambiguous: list[Triple]
    notes: list[str]


def orient(sk: Skeleton, triples: list[Triple], *, required: Sequence[tuple[str, str]] = (),
           forbidden: Sequence[tuple[str, str]] = (), colliders: Sequence[tuple[str, str, str]] = (),
           rule: str = "conservative", rows: int = 0, rests_on: bool = True) -> Orientation:
    """:func:`marks`, and for each unshown collider the marks that rest on it: those that open when it (alone, and
    all of them together) is read as ambiguous.  ``rests_on=False`` (a discovery resample, of which only the marks
    are read) skips the per-collider part, one more pass of the rules for each: its unshown colliders name no
    marks, and ``relaxed_open`` (all of them together) is still worked out."""
    o = marks(sk, triples, required=required, forbidden=forbidden, colliders=colliders, rule=rule)
    weak = [t for t in triples if not t.shown and (t.a, t.c) in o.graph.directed() and (t.b, t.c) in o.graph.directed()]
    if not weak:
        return o
    directed = set(o.graph.directed())

    def opened(relax: list[Triple]) -> list[tuple[str, str]]:
        ids = {id(t) for t in relax}
        again = [Triple(t.a, t.c, t.b, "ambiguous", t.strength, t.separating) if id(t) in ids else t for t in triples]
        r = marks(sk, again, required=required, forbidden=forbidden, colliders=colliders, rule=rule)
        return sorted(directed - set(r.graph.directed()))

    for t in weak:
        o.graph.unshown.append(Unshown(triple=[t.a, t.c, t.b], given=list(t.given), p=t.p, power=round(t.power, 4),
                                       effect=MEANINGFUL, rows=rows,
                                       rests_on=[f"{u} -> {v}" for u, v in opened([t])] if rests_on else []))
    o.graph.relaxed_open = [[u, v] for u, v in opened(weak)]
    o.notes.append("; ".join(u.text() for u in o.graph.unshown) + ": no verdict rests on "
                   + ("it" if len(weak) == 1 else "them"))
    return o


def marks(sk: Skeleton, triples: list[Triple], *, required: Sequence[tuple[str, str]] = (),
          forbidden: Sequence[tuple[str, str]] = (), colliders: Sequence[tuple[str, str, str]] = (),
          rule: str = "conservative") -> Orientation:
    """Marks on the skeleton: knowledge, then required colliders, then the data's colliders strongest first
    (textbook ``sepset`` rule: in name order, existing marks win), then Meek's rules R1-R3."""
    directed: set[tuple[str, str]] = set()
    dag = nx.DiGraph()
    dag.add_nodes_from(sk.nodes)
    forbid = set(forbidden)
    notes: list[str] = []

    def can(u: str, v: str) -> bool:
        return (sk.adjacent(u, v) and (v, u) not in directed and (u, v) not in forbid
                and not ((u, v) not in directed and nx.has_path(dag, v, u)))

    def put(u: str, v: str) -> None:
        if (u, v) not in directed:
            directed.add((u, v))
            dag.add_edge(u, v)

    for u, v in required:
        if can(u, v):
            put(u, v)
    for u, v in forbid:  # the other direction of a forbidden one, where the pair is adjacent
        if sk.adjacent(u, v) and (v, u) not in forbid and can(v, u):
            put(v, u)
    for a, c, b in colliders:
        if can(a, c) and can(b, c):
            put(a, c)
            put(b, c)
        else:
            notes.append(f"the collider {a} -> {c} <- {b} the critique asked for contradicts marks already set")
    data = [t for t in triples if t.kind == "collider"]
    if rule != "sepset":
        data.sort(key=lambda t: (t.strength, t.c, t.a, t.b))
    for t in data:
        if (t.a, t.c) in directed and (t.b, t.c) in directed:
            continue
        if can(t.a, t.c) and can(t.b, t.c):
            put(t.a, t.c)
            put(t.b, t.c)
        elif rule != "sepset":
            notes.append(f"the collider {t.a} -> {t.c} <- {t.b} (p ≤ {t.strength:.2g} given any set with {t.c}) "
                         "contradicts a stronger one and was not applied")
    ambiguous = [t for t in triples if t.kind == "ambiguous"]
    blocked = {(t.a, t.c, t.b) for t in ambiguous} | {(t.b, t.c, t.a) for t in ambiguous}
    _meek(sk, directed, put, can, blocked)
    edges = []
    for i, a in enumerate(sk.nodes):
        for b in sk.nodes[i + 1:]:
            if not sk.adjacent(a, b):
                continue
            if (a, b) in directed:
                edges.append(Edge(a=a, b=b, mark="->"))
            elif (b, a) in directed:
                edges.append(Edge(a=b, b=a, mark="->"))
            else:
                edges.append(Edge(a=a, b=b, mark="--"))
    g = DiscoveredGraph(nodes=list(sk.nodes), edges=edges, ambiguous=[[t.a, t.c, t.b] for t in ambiguous])
    return Orientation(g, ambiguous, notes)


def _meek(sk: Skeleton, directed: set[tuple[str, str]], put, can, blocked: set[tuple[str, str, str]]) -> None:
    def undirected(u: str, v: str) -> bool:
        return sk.adjacent(u, v) and (u, v) not in directed and (v, u) not in directed

    changed = True
    while changed:
        changed = False
        for b in sk.nodes:
            for c in sorted(sk.adj[b]):
                if not undirected(b, c):
                    continue
                parents_b = [a for a in sk.adj[b] if (a, b) in directed]
                # R1: a -> b - c, a and c not adjacent, and a - b - c not ambiguous
                if any(not sk.adjacent(a, c) and a != c and (a, b, c) not in blocked for a in parents_b) and can(b, c):
                    put(b, c)
                    changed = True
                    continue
                # R2: b -> w -> c and b - c
                if any((b, w) in directed and (w, c) in directed for w in sk.adj[b] & sk.adj[c]) and can(b, c):
                    put(b, c)
                    changed = True
                    continue
                # R3: b - w1 -> c, b - w2 -> c, w1 and w2 not adjacent (w1 - b - w2 not ambiguous), b - c
                ws = [w for w in sk.adj[b] & sk.adj[c] if undirected(b, w) and (w, c) in directed]
                if any(not sk.adjacent(w1, w2) and (w1, b, w2) not in blocked for w1, w2 in combinations(ws, 2)) \
                        and can(b, c):
                    put(b, c)
                    changed = True
