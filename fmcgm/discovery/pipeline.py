"""Our discovery pipeline: knowledge as background knowledge → search → critique by the same test → repair.

1. Knowledge (when there is a source): every claimed edge a→b becomes *required* and b→a
   *forbidden*; a pair the source says is unrelated with confidence ≥ 0.95 is *forbidden* both ways.  Required edges
   are still tested by the search, so the data can overrule a wrong claim (reported).
2. Search: PC (conservative orientation, :mod:`fmcgm.discovery.pc`) or FCI/GES with that background knowledge.
3. Critique: the independences one member of the result implies (local Markov) are tested on the data with
   the search's own test object on the same rows (Bonferroni).  Nothing is patched into the graph by hand:
4. Repair: the most significant rejected independence becomes a constraint and the search runs again under
   it — a pair that no tested set separates must stay adjacent; a pair some smaller set separates while the
   graph conditions on a common neighbour c must have c as a collider.  Rounds are bounded
   (:data:`MAX_REPAIR_ROUNDS`) and each is kept (edges, rejected independences, the constraint it added).  What
   no round repairs is a *conflict*: the independences that disagree and what data would settle them.
5. Orientation by additive noise (continuous tables): an edge the class leaves open is
   oriented where only one direction leaves a residual independent of its cause
   (:mod:`fmcgm.discovery.noise_orientation`, source ``noise``).
Every edge records where it came from.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import combinations, islice

from pydantic import BaseModel, Field

from fmcgm.causal import graph as G
from fmcgm.critique import data_violations, independence_text
from fmcgm.discovery import search
from fmcgm.discovery.knowledge import NO_SOURCE, Knowledge
from fmcgm.discovery.noise_orientation import orient_by_noise
from fmcgm.discovery.pdag import DiscoveredGraph, consistent_extension
from fmcgm.discovery.search import Constraint, Tester
from fmcgm.discovery.table import Table

# Removing an edge the data support takes a near-certain "unrelated": at 0.9 accuracy, one answer in
# twenty about a true edge says "unrelated", and deleting those costs more than the false edges saved.
FORBID_CONFIDENCE = 0.95
MAX_REPAIR_ROUNDS = 5  # searches after the first, each under one more constraint from a rejected independence
MAX_SUBSETS = 16  # separating sets tried per rejected pair before it is made adjacent


class Violation(BaseModel):
    a: str
    b: str
    given: list[str]
    p: float
    text: str


class Round(BaseModel):
    """One search and its critique."""

    round: int
    edges: list[str]
    tests: int
    violations: list[Violation] = Field(default_factory=list)
    constraint: str | None = None  # what this round's rejection asks of the next search
    seconds: float = 0.0


class Conflict(BaseModel):
    """Independences the data assert that no graph the search can build implies together."""

    text: str  # which independences conflict, with their p-values
    settle: str  # what data would settle it
    pairs: list[list[str]] = Field(default_factory=list)


class Discovery(BaseModel):
    graph: DiscoveredGraph
    violations: list[Violation] = Field(default_factory=list)  # those of the final graph
    tests_run: int = 0
    rejected_knowledge: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    test: str = ""
    rows: int = 0
    alpha: float = 0.01
    rounds: list[Round] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)


def discover(table: Table, method: search.Method = "pc", alpha: float = 0.01, test: search.Test = "auto",
             knowledge: Knowledge | None = None, critique: bool = True, rounds: int = MAX_REPAIR_ROUNDS,
             orient: bool = True, orientation: search.Orientation = "conservative", tester: Tester | None = None,
             deadline: float | None = None, progress=None, focus: Sequence[str] = (),
             marks_only: bool = False) -> Discovery:
    """``focus``: the question's columns; the additive-noise step then tries only the open edges at them.
    ``marks_only``: a discovery resample, of which only the marks are read (see :func:`search.run`)."""
    required, forbidden, claimed = [], [], {}
    notes = []
    if knowledge is None:
        notes.append(NO_SOURCE)
    else:
        claimed = knowledge.claimed()
        required = list(claimed)
        forbidden = [(b, a) for a, b in claimed]
        absent = knowledge.absent(FORBID_CONFIDENCE)
        forbidden += [e for a, b in absent for e in ((a, b), (b, a))]
        notes.append(f"knowledge from {knowledge.source}: {len(claimed)} claimed edge(s), {len(absent)} pair(s) "
                     f"said unrelated" + (f", {len(knowledge.dropped_for_cycles)} claim(s) dropped to break cycles"
                                          if knowledge.dropped_for_cycles else ""))
    if method == "ges" and knowledge is not None:
        method = "pc"  # causal-learn's GES takes no background knowledge
    tester = tester or search.tester_for(table, test)
    constraints: list[Constraint] = []

    def searched() -> DiscoveredGraph:
        g = search.run(table, method, alpha, test, required, forbidden, tester=tester, constraints=constraints,
                       orientation=orientation, deadline=deadline, progress=progress, marks_only=marks_only)
        _label(g, claimed)
        return g

    t0 = time.perf_counter()
    g = searched()
    out = Discovery(graph=g, rejected_knowledge=_rejected(g, claimed, tester), notes=[*notes, *g.notes],
                    test=tester.test, rows=tester.rows, alpha=alpha)
    if critique:
        _critique_and_repair(out, tester, alpha, knowledge, rounds, constraints, searched, t0, progress)
    if orient and table.all_continuous and out.graph.undirected():
        out.notes += orient_by_noise(out.graph, table, deadline=deadline, progress=progress,
                                     focus=[c for c in focus if c in table.columns])
    return out


def _label(g: DiscoveredGraph, claimed: dict[tuple[str, str], float]) -> None:
    for e in g.edges:
        if (e.a, e.b) in claimed and e.mark == "->":
            e.source, e.confidence = "data+knowledge", claimed[(e.a, e.b)]


def _rejected(g: DiscoveredGraph, claimed: dict[tuple[str, str], float], tester: Tester) -> list[str]:
    """Claimed edges the data separated, with the p-value of the separating test."""
    found = {e.pair for e in g.edges}
    out = []
    dag = consistent_extension(g) or []
    for a, b in sorted(claimed):
        if frozenset((a, b)) in found:
            continue
        given = tuple(sorted({u for u, v in dag if v == b} - {a}))
        p, _ = tester(None, a, b, given)
        out.append(f"knowledge claims {a} -> {b}, but the data separate them ({independence_text(a, b, given)}, "
                   f"p = {p:.2g}); the edge was left out")
    return out


def violations_of(g: DiscoveredGraph, tester: Tester, alpha: float) -> tuple[int, list[Violation]] | None:
    """The implied independences of one member of the class that the data reject (Bonferroni), tested with
    ``tester``; ``None`` when the class has no DAG member."""
    dag = consistent_extension(g)
    if dag is None:
        return None
    ran, found = data_violations(G.CausalGraph.build(dag, nodes=g.nodes), {}, alpha, tester, names=g.nodes)
    return ran, [Violation(a=a, b=b, given=list(s), p=p,
                           text=f"the graph implies {independence_text(a, b, s)}, but the data reject it (p = {p:.2g})")
                 for a, b, s, p in sorted(found, key=lambda v: v[3])]


def _critique_and_repair(d: Discovery, tester: Tester, alpha: float, knowledge: Knowledge | None, rounds: int,
                         constraints: list[Constraint], searched, t0: float, progress) -> None:
    """Critique the graph; turn the strongest rejected independence into a constraint and search again.

    One constraint a round: a single missing edge (often one a deterministic relation hid from the search)
    breaks several implied independences at once, so searching again after the strongest avoids adding the
    others.  A pair knowledge claims comes back with the claimed direction; with a knowledge source, other
    pairs are only reported (on the benchmarks, undirected additions there cost more precision than they
    recovered).
    """
    tried: set[str] = set()
    for r in range(rounds + 1):
        result = violations_of(d.graph, tester, alpha)
        if result is None:
            d.rounds.append(Round(round=r, edges=[e.text() for e in d.graph.edges], tests=0,
                                  seconds=round(time.perf_counter() - t0, 3)))
            d.conflicts.append(no_member_conflict(d.graph, tester))
            d.notes.append("the critique found no DAG in the class: " + d.conflicts[-1].text)
            return
        ran, violations = result
        d.tests_run, d.violations = ran, violations
        constraint = None
        if violations and r < rounds:
            constraint = _repair(d.graph, violations, tester, alpha, knowledge, tried)
        d.rounds.append(Round(round=r, edges=[e.text() for e in d.graph.edges], tests=ran, violations=violations,
                              constraint=constraint.text() if constraint else None,
                              seconds=round(time.perf_counter() - t0, 3)))
        if progress:
            progress(f"critique round {r}: {ran} implied independence(s) tested, {len(violations)} rejected")
        if constraint is None:
            break
        tried.add(constraint.text())
        constraints.append(constraint)
        d.constraints.append(constraint)
        d.notes.append(f"repair round {r + 1}: searched again with the {constraint.text()} ({constraint.reason})")
        d.graph = searched()
    d.conflicts = [conflict_of(v, d.graph, tester, alpha, knowledge) for v in d.violations]
    d.notes.append(f"critique: {d.tests_run} implied independence(s) tested, {len(d.violations)} rejected by the data"
                   + (f" after {len(d.constraints)} repair(s)" if d.constraints else ""))


def _separating(g: DiscoveredGraph, tester: Tester, a: str, b: str, given: tuple[str, ...],
                alpha: float) -> tuple[tuple[str, ...], float] | None:
    """A set T (subsets of the tested set and of a's and b's adjacents, smallest first) with a ⫫ b | T
    accepted at ``alpha``, with its p-value."""
    pool = sorted((set(given) | g.adjacent(a) | g.adjacent(b)) - {a, b})
    subsets = (t for k in range(len(pool) + 1) for t in combinations(pool, k) if t != tuple(sorted(given)))
    for t in islice(subsets, MAX_SUBSETS):
        p, _ = tester(None, a, b, t)
        if p > alpha:
            return t, p
    return None


def _repair(g: DiscoveredGraph, violations: list[Violation], tester: Tester, alpha: float,
            knowledge: Knowledge | None, tried: set[str]) -> Constraint | None:
    """The constraint the strongest repairable rejection asks for (None: nothing new to try)."""
    claimed = knowledge.claimed() if knowledge else {}
    excluded = {frozenset(p) for p in knowledge.absent(FORBID_CONFIDENCE)} if knowledge else set()
    for v in violations:
        a, b, given = v.a, v.b, tuple(v.given)
        pair = frozenset((a, b))
        if pair in excluded:
            continue
        c: Constraint | None = None
        if (a, b) in claimed or (b, a) in claimed:
            c = Constraint(kind="adjacent", a=a, b=b, reason=f"restores the claimed edge: {v.text}")
        elif knowledge is not None:
            continue  # with a knowledge source, other pairs are reported, not repaired
        else:
            sep = _separating(g, tester, a, b, given, alpha)
            if sep is None:
                c = Constraint(kind="adjacent", a=a, b=b,
                               reason=f"{v.text}, and no smaller or neighbouring set separates them")
            else:
                shared = [m for m in given if m not in sep[0] and {a, b} <= g.adjacent(m)]
                shared = [m for m in shared if not ((a, m) in g.directed() and (b, m) in g.directed())]
                if shared:
                    m = min(shared, key=lambda m: tester(None, a, b, (*sep[0], m))[0])
                    c = Constraint(kind="collider", a=a, b=b, via=m,
                                   reason=f"{v.text}, but {independence_text(a, b, sep[0])} holds (p = {sep[1]:.2g}): "
                                          f"{m} is a common effect")
                elif not set(sep[0]) <= set(given):
                    # separated only given more than the graph conditions on, and nothing adjacent to both can
                    # carry that dependence: the weaker test (the separation) is the one taken back
                    c = Constraint(kind="adjacent", a=a, b=b,
                                   reason=f"{v.text}, and only {independence_text(a, b, sep[0])} separates them "
                                          f"(p = {sep[1]:.2g}), through no path the graph has")
        if c is not None and c.text() not in tried:
            return c
    return None


def conflict_of(v: Violation, g: DiscoveredGraph, tester: Tester, alpha: float, knowledge: Knowledge | None) -> Conflict:
    """What an unrepaired rejection means and what data would settle it."""
    a, b, given = v.a, v.b, tuple(v.given)
    sep = _separating(g, tester, a, b, given, alpha)
    excluded = knowledge is not None and frozenset((a, b)) in {frozenset(p) for p in knowledge.absent(FORBID_CONFIDENCE)}
    if sep is not None:
        extra = [m for m in given if m not in sep[0]]
        text = (f"the data reject {independence_text(a, b, given)} (p = {v.p:.2g}) but accept "
                f"{independence_text(a, b, sep[0])} (p = {sep[1]:.2g}); no graph the search built implies the one "
                "without the other")
        settle = "more rows would show which of the two tests errs" + (
            f"; data in which {', '.join(extra)} {'is' if len(extra) == 1 else 'are'} set by an experiment would show "
            f"whether {'it is a common effect' if len(extra) == 1 else 'they are common effects'} of {a} and {b}"
            if extra else f"; a measured common cause of {a} and {b} would show whether they are related directly")
    elif excluded:
        text = (f"the data reject {independence_text(a, b, given)} (p = {v.p:.2g}) and no set tried separates {a} "
                f"and {b}, but the knowledge source says they are unrelated")
        settle = f"a measured common cause of {a} and {b}, or data from an experiment on one of them"
    else:
        text = f"the data reject {independence_text(a, b, given)} (p = {v.p:.2g}), which the graph implies"
        settle = f"a measured common cause of {a} and {b}, or data from an experiment on one of them"
    return Conflict(text=text, settle=settle, pairs=[[a, b]])


def no_member_conflict(g: DiscoveredGraph, tester: Tester) -> Conflict:
    """The class has no DAG: name the chordless cycle of open edges and the independences that made it."""
    import networkx as nx

    und = nx.Graph([(e.a, e.b) for e in g.edges if e.mark in ("--", "o-o")])
    cycle = next((c for c in nx.chordless_cycles(und) if len(c) >= 4), None) if und.number_of_edges() else None
    if not cycle:
        return Conflict(text="the marks the search set admit no DAG (a cycle of arrows or contradicting colliders)",
                        settle="more rows, or data from an experiment on the variables of the contradicting marks")
    k = len(cycle)
    seps = []
    pairs = []
    for i in range(k):
        a, b = cycle[i], cycle[(i + 2) % k]
        if i >= (i + 2) % k and k == 4:
            continue
        given = tuple(sorted({cycle[(i + 1) % k], cycle[(i - 1) % k]} - {a, b}))
        p, _ = tester(None, a, b, given)
        seps.append(f"{independence_text(a, b, given)} (p = {p:.2g})")
        pairs.append([a, b])
    ring = " - ".join([*cycle, cycle[0]])
    return Conflict(text=f"the data accept {' and '.join(seps)}: dependences that run around the cycle {ring}, "
                         "which no DAG over these variables implies together (every DAG on that cycle has a "
                         "collider, which one of these tests rejects)",
                    settle=f"a measured common cause of the variables of {ring}, or data from an experiment "
                           f"that sets one of them, would settle it (feedback or selection can also produce this)",
                    pairs=pairs)
