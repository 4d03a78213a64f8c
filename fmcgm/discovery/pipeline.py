"""Our discovery pipeline: knowledge as background knowledge → search → critique by the data's own tests.

1. Knowledge (when there is a source): every claimed edge a→b becomes *required* and b→a
   *forbidden*; a pair the source says is unrelated with confidence ≥ 0.95 is *forbidden* both ways.  Required edges
   are still tested by the search, so the data can overrule a wrong claim (reported).
2. Search: causal-learn PC (or FCI) with that background knowledge.
3. Critique: the independences that one member of the result implies (local Markov) are
   tested on the data; each violation (Bonferroni) is reported with its p-value and the
   pair is joined by an undirected edge (source ``critique``) unless knowledge excluded it.
   The critique uses the search's own test family (KCI after a KCI search).
4. Orientation by additive noise (continuous tables): an edge the class leaves open is
   oriented where only one direction leaves a residual independent of its cause
   (:mod:`fmcgm.discovery.noise_orientation`, source ``noise``).
Every edge records where it came from.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from fmcgm.causal import graph as G
from fmcgm.critique import CITest, ci_test, data_violations, independence_text
from fmcgm.discovery import search
from fmcgm.discovery.knowledge import NO_SOURCE, Knowledge
from fmcgm.discovery.noise_orientation import orient_by_noise
from fmcgm.discovery.pdag import DiscoveredGraph, Edge, consistent_extension
from fmcgm.discovery.table import Table

# Removing an edge the data support takes a near-certain "unrelated": at 0.9 accuracy, one answer in
# twenty about a true edge says "unrelated", and deleting those costs more than the false edges saved.
FORBID_CONFIDENCE = 0.95


class Violation(BaseModel):
    a: str
    b: str
    given: list[str]
    p: float
    text: str


class Discovery(BaseModel):
    graph: DiscoveredGraph
    violations: list[Violation] = Field(default_factory=list)
    tests_run: int = 0
    rejected_knowledge: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def discover(table: Table, method: search.Method = "pc", alpha: float = 0.01, test: search.Test = "auto",
             knowledge: Knowledge | None = None, critique: bool = True, rounds: int = 5,
             orient: bool = True) -> Discovery:
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
    g = search.run(table, method, alpha, test, required, forbidden)
    _label(g, claimed)
    tester = search.kernel_tester(table) if g.test == "kci" else None
    rejected = _rejected(g, claimed, table, tester)
    out = Discovery(graph=g, rejected_knowledge=rejected, notes=[*notes, *g.notes])
    if critique:
        _critique(out, table, alpha, knowledge, rounds, tester)
    if orient and table.all_continuous and out.graph.undirected():
        out.notes += orient_by_noise(out.graph, table)
    return out


def _label(g: DiscoveredGraph, claimed: dict[tuple[str, str], float]) -> None:
    for e in g.edges:
        if (e.a, e.b) in claimed and e.mark == "->":
            e.source, e.confidence = "data+knowledge", claimed[(e.a, e.b)]


def _rejected(g: DiscoveredGraph, claimed: dict[tuple[str, str], float], table: Table,
              tester: CITest | None = None) -> list[str]:
    """Claimed edges the data separated, with the p-value of the separating test."""
    found = {e.pair for e in g.edges}
    out = []
    dag = consistent_extension(g) or []
    for a, b in sorted(claimed):
        if frozenset((a, b)) in found:
            continue
        given = tuple(sorted({u for u, v in dag if v == b} - {a}))
        p, _ = (tester or ci_test)(table.columns, a, b, given)
        out.append(f"knowledge claims {a} -> {b}, but the data separate them ({independence_text(a, b, given)}, "
                   f"p = {p:.2g}); the edge was left out")
    return out


MAX_SUBSETS = 16  # separating sets tried per pair before an edge is added


def _separating_subset(table: Table, a: str, b: str, given: tuple[str, ...], alpha: float,
                       tester: CITest | None) -> tuple[tuple[str, ...], float] | None:
    """A proper subset T of ``given`` (smallest first) with a ⫫ b | T not rejected at ``alpha``, with its p."""
    from itertools import combinations, islice

    subsets = (t for k in range(len(given)) for t in combinations(given, k))
    for t in islice(subsets, MAX_SUBSETS):
        p, _ = (tester or ci_test)(table.columns, a, b, t)
        if p >= alpha:
            return t, p
    return None


def _critique(d: Discovery, table: Table, alpha: float, knowledge: Knowledge | None, rounds: int = 5,
              tester: CITest | None = None) -> None:
    """Test the implied independences; repair greedily, the most significant violation first.

    One edge a round: a single missing edge (often one a deterministic relation hid from
    the search) breaks several implied independences at once, so adding the strongest
    and testing again avoids adding the others.  A pair knowledge claims comes back with
    the claimed direction; with a knowledge source, other pairs are only reported (on the
    benchmarks, undirected additions there cost more precision than they recovered).  Without
    knowledge an edge is added only when no smaller subset of the tested set separates the pair
    (the search's own adjacency criterion): a test that rejects given {level, hole} but accepts
    given {level} is a conflict between tests (measurement error, a test's calibration at larger
    conditioning sets), reported, not repaired.
    """
    claimed = knowledge.claimed() if knowledge else {}
    excluded = {frozenset(p) for p in knowledge.absent(FORBID_CONFIDENCE)} if knowledge else set()
    declined: set[frozenset[str]] = set()
    for r in range(rounds):
        dag = consistent_extension(d.graph)
        if dag is None:
            d.notes.append("the critique found no DAG in the class (conflicting marks); its tests were skipped")
            return
        ran, violations = data_violations(G.CausalGraph.build(dag, nodes=d.graph.nodes), table.columns, alpha,
                                          tester)
        if r == 0:
            d.tests_run = ran
            d.violations = [Violation(a=a, b=b, given=list(g), p=p,
                                      text=f"the graph implies {independence_text(a, b, g)}, but the data reject it "
                                           f"(p = {p:.2g})") for a, b, g, p in violations]
        have = {e.pair for e in d.graph.edges}
        fixable = sorted((p, a, b, g) for a, b, g, p in violations
                         if frozenset((a, b)) not in excluded | have | declined
                         and (knowledge is None or (a, b) in claimed or (b, a) in claimed))
        pick = None
        for p, a, b, given in fixable:
            if (a, b) in claimed or (b, a) in claimed:
                pick = (a, b)
                break
            sep = _separating_subset(table, a, b, given, alpha, tester)
            if sep is None:
                pick = (a, b)
                break
            declined.add(frozenset((a, b)))
            d.notes.append(f"critique left {a} -- {b} out: the data reject {independence_text(a, b, given)} "
                           f"(p = {p:.2g}) but accept {independence_text(a, b, sep[0])} (p = {sep[1]:.2g}), "
                           "which is how the search removed the edge")
        if pick is None:
            break
        a, b = pick
        if (b, a) in claimed:
            a, b = b, a
        if (a, b) in claimed:
            d.graph.edges.append(Edge(a=a, b=b, mark="->", source="critique", confidence=claimed[(a, b)]))
            d.notes.append(f"critique restored the claimed edge {a} -> {b} that the search had removed")
        else:
            d.graph.edges.append(Edge(a=a, b=b, mark="--", source="critique"))
            d.notes.append(f"critique added {a} -- {b} (direction open): the data reject their independence")
    d.notes.append(f"critique: {d.tests_run} implied independence(s) tested, {len(d.violations)} rejected by the data")
