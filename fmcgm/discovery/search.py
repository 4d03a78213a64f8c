"""Data-driven search with causal-learn: PC, GES and FCI with an independence test that fits the data.

Tests: chi-square for discrete tables, Fisher-z for (roughly Gaussian) continuous ones,
KCI for small continuous tables where relations may be nonlinear.  Mixed tables use
Fisher-z on the codes (a linear approximation, said so in the notes).  The output keeps
every open mark: a CPDAG's undirected edges and a PAG's circles are not oriented here.
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel

from fmcgm.discovery import pc as pc_steps
from fmcgm.discovery.citest import fast_test
from fmcgm.discovery.pdag import DiscoveredGraph, Edge, from_causallearn
from fmcgm.discovery.table import DataError, Table

Method = Literal["pc", "ges", "fci"]
Test = Literal["auto", "chisq", "gsq", "fisherz", "kci"]
KCI_MAX_N = 1000  # KCI costs O(n³) per test: beyond this many rows it is subsampled (at 400 it missed
# the weak ball → level dependence in 2 of 6 water-flow samples and an angle → shadow edge in 3 of 6 pendulum ones)


def choose_test(table: Table, test: Test = "auto") -> str:
    if test != "auto":
        return test
    if table.all_discrete:
        return "chisq"
    return "fisherz"


class Tester:
    """One causal-learn CIT on the rows a search uses.  The search, its critique, its repairs and the agent's
    critique of the discovered graph all call this object, so they read the same test on the same rows (and a test
    is computed once: :meth:`p` keeps every p-value; chi-square, G² and Fisher-z are computed by
    :mod:`fmcgm.discovery.citest`, to the CIT's own values).  Called as ``(data, a, b, given) -> (p, 0)`` it fits the
    critique's convention (``data`` is ignored: the rows are bound)."""

    def __init__(self, table: Table, test: str, seed: int = 0):
        from causallearn.utils.cit import CIT

        rows = table.sample(KCI_MAX_N, seed) if test == "kci" else table
        self.names = list(table.names)
        self.index = {c: i for i, c in enumerate(self.names)}
        self.test, self.rows, self.seed = test, rows.n, seed
        self.note = (f"{test} on a random subsample of {rows.n} of {table.n} rows (its cost grows as n³)"
                     if rows.n < table.n else "")
        x = rows.matrix()
        with _quiet():
            self.cit = CIT(x.astype(int) if test in ("chisq", "gsq") else x, test)
        self.calls = 0
        self._seen: dict[tuple[str, str, tuple[str, ...]], float] = {}
        self.fast = fast_test(self.cit)  # the same p-values as the CIT's, with less work per call

    def power(self, a: str, b: str, given, effect: float, alpha: float) -> float:
        """This test's power at its rows against a direct effect of size ``effect`` (:func:`fmcgm.discovery.pc.power`)."""
        return pc_steps.power(self.rows, effect, alpha, given_size=len(tuple(given)))

    def _key(self, a: str, b: str, given) -> tuple[int, int, list[int]]:
        return self.index[a], self.index[b], [self.index[g] for g in given]

    def p(self, a: str, b: str, given=()) -> float:
        self.calls += 1
        # the same test in any order of its arguments is looked up here first: a search and its critique ask the
        # same few thousand tests hundreds of thousands of times, and the CIT's own cache answers each only after
        # formatting a string key (and the output guard costs as much again)
        key = (a, b, tuple(sorted(given)))
        p = self._seen.get(key)
        if p is None:
            i, j, s = self._key(a, b, given)
            if self.fast is not None:
                p = self.fast(i, j, s)
            else:
                with _quiet():
                    p = float(self.cit(i, j, s))
            self._seen[key] = self._seen[(b, a, key[2])] = p
        return p

    def cached(self, a: str, b: str, given=()) -> bool:
        """Whether this test has been run on this object."""
        return (a, b, tuple(sorted(given))) in self._seen

    def __call__(self, _data, a: str, b: str, given: tuple[str, ...]) -> tuple[float, int]:
        return self.p(a, b, given), 0


def tester_for(table: Table, test: Test | str = "auto", seed: int = 0) -> Tester:
    """The table's tester for this test (built once per table and kept on it)."""
    name = choose_test(table, test)  # type: ignore[arg-type]
    key = ("tester", name, seed)
    if key not in table.cache:
        table.cache[key] = Tester(table, name, seed)
    return table.cache[key]


def kernel_tester(table: Table, seed: int = 0) -> Tester:
    """The KCI tester on the search's own subsample of ``KCI_MAX_N`` rows."""
    return tester_for(table, "kci", seed)


class Constraint(BaseModel):
    """What a rejected independence asks of the next search: a pair that must stay adjacent, or a collider."""

    kind: Literal["adjacent", "collider"]
    a: str
    b: str
    via: str | None = None  # the collider's middle node
    reason: str = ""

    def text(self) -> str:
        if self.kind == "collider":
            return f"collider {self.a} -> {self.via} <- {self.b}"
        return f"{self.a} and {self.b} adjacent"


def _matrix(table: Table, test: str) -> np.ndarray:
    x = table.matrix()
    if test in ("chisq", "gsq"):
        return x.astype(int)
    const = [c for c in table.names if np.ptp(table.columns[c].astype(float)) == 0]
    if const:
        raise DataError(f"{table.source}: column(s) {', '.join(const)} never vary", "drop constant columns")
    return x


def _quiet():
    """causal-learn prints progress and warnings; the caller shows its own progress."""
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    return stack


def background(names: list[str], required: list[tuple[str, str]], forbidden: list[tuple[str, str]]):
    """causal-learn BackgroundKnowledge over the GraphNodes of a search on ``names``."""
    from causallearn.graph.GraphNode import GraphNode
    from causallearn.utils.PCUtils.BackgroundKnowledge import BackgroundKnowledge

    nodes = {n: GraphNode(n) for n in names}
    bk = BackgroundKnowledge()
    for a, b in required:
        bk.add_required_by_node(nodes[a], nodes[b])
    for a, b in forbidden:
        bk.add_forbidden_by_node(nodes[a], nodes[b])
    return bk


Orientation = Literal["conservative", "causal-learn"]


def run(table: Table, method: Method = "pc", alpha: float = 0.01, test: Test = "auto",
        required: Sequence[tuple[str, str]] = (), forbidden: Sequence[tuple[str, str]] = (), seed: int = 0, *,
        tester: Tester | None = None, constraints: Sequence[Constraint] = (), orientation: Orientation = "conservative",
        deadline: float | None = None, progress: pc_steps.Progress | None = None,
        marks_only: bool = False) -> DiscoveredGraph:
    """One search on the table; ``required``/``forbidden`` are background knowledge, ``constraints`` what earlier
    critique rounds asked for.  PC runs on ``tester`` (the table's own by default): ``conservative`` orients
    only the colliders every separating set agrees on (:mod:`fmcgm.discovery.pc`); ``causal-learn`` is the
    library's textbook PC (colliders from one separating set, existing marks win) on the same tester.
    ``marks_only``: only the graph's marks will be read (a discovery resample), not which marks each collider the
    test had no power to show carries (:func:`fmcgm.discovery.pc.orient`)."""
    names = table.names
    t = choose_test(table, test)
    notes = []
    if method == "pc":
        tester = tester or tester_for(table, t, seed)
        if tester.note:
            notes.append(tester.note)
        if t == "fisherz" and not table.all_continuous:
            notes.append("mixed discrete and continuous columns: Fisher-z on the codes (linear approximation)")
        t0 = time.perf_counter()
        if orientation == "causal-learn":
            g = _causallearn_pc(table, tester, alpha, list(required), list(forbidden), constraints)
        else:
            g = _conservative_pc(tester, alpha, list(required), list(forbidden), constraints, deadline, progress,
                                 marks_only)
        g.method, g.test = method, tester.test
        g.notes = [*notes, *g.notes, f"PC ({orientation}) with {tester.test}, alpha={alpha}, "
                                     f"{time.perf_counter() - t0:.1f}s"]
        return g
    if t == "kci" and table.n > KCI_MAX_N:
        table = table.sample(KCI_MAX_N, seed)
        notes.append(f"KCI on a random subsample of {KCI_MAX_N} rows (its cost grows as n³)")
    if t == "fisherz" and not table.all_continuous:
        notes.append("mixed discrete and continuous columns: Fisher-z on the codes (linear approximation)")
    x = _matrix(table, t)
    bk = background(names, list(required), list(forbidden)) if (required or forbidden) else None
    t0 = time.perf_counter()
    with _quiet():
        if method == "fci":
            from causallearn.search.ConstraintBased.FCI import fci

            gg, _ = fci(x, independence_test_method=t, alpha=alpha, background_knowledge=bk,
                        show_progress=False, node_names=names, verbose=False)
            matrix = gg.graph
        elif method == "ges":
            from causallearn.search.ScoreBased.GES import ges

            if bk is not None:
                notes.append("GES in causal-learn takes no background knowledge; it was ignored")
            score = "local_score_BDeu" if t in ("chisq", "gsq") else "local_score_BIC"
            rec = ges(x, score_func=score, node_names=names)
            matrix = rec["G"].graph
            t = score
        else:
            raise DataError(f"unknown discovery method {method!r}", "use pc, ges or fci")
    edges = from_causallearn(matrix, names)
    return DiscoveredGraph(nodes=names, edges=edges, method=method, test=t,
                           notes=[*notes, f"{method.upper()} with {t}, alpha={alpha}, {time.perf_counter() - t0:.1f}s"])


def _conservative_pc(tester: Tester, alpha: float, required, forbidden, constraints: Sequence[Constraint],
                     deadline: float | None, progress, marks_only: bool = False) -> DiscoveredGraph:
    fset = set(forbidden)
    excluded = [frozenset((a, b)) for a, b in fset if (b, a) in fset]
    keep = [frozenset((c.a, c.b)) for c in constraints if c.kind == "adjacent"]
    sk = pc_steps.skeleton(tester, alpha, forbidden_pairs=excluded, required_pairs=keep, deadline=deadline,
                           progress=progress)
    triples = pc_steps.classify(sk, tester, alpha, deadline=deadline)
    colliders = [(c.a, c.via, c.b) for c in constraints if c.kind == "collider" and c.via]
    o = pc_steps.orient(sk, triples, required=required, forbidden=forbidden, colliders=colliders, rows=tester.rows,
                        rests_on=not marks_only)
    g = o.graph
    for e in g.edges:
        if frozenset((e.a, e.b)) in keep:
            e.source = "critique"
    g.notes = [*sk.notes, *o.notes]
    if o.ambiguous:
        g.notes.append("left open because the separating sets disagree on the middle variable: "
                       + "; ".join(f"{t.a} - {t.c} - {t.b}" for t in o.ambiguous))
    return g


def _causallearn_pc(table: Table, tester: Tester, alpha: float, required, forbidden,
                    constraints: Sequence[Constraint]) -> DiscoveredGraph:
    from causallearn.utils.PCUtils import Meek, SkeletonDiscovery, UCSepset
    from causallearn.utils.PCUtils.BackgroundKnowledgeOrientUtils import orient_by_background_knowledge

    names = table.names
    for c in constraints:
        if c.kind == "collider" and c.via:
            required = [*required, (c.a, c.via), (c.b, c.via)]
            forbidden = [*forbidden, (c.via, c.a), (c.via, c.b)]
    bk = background(names, list(required), list(forbidden)) if (required or forbidden) else None
    with _quiet():
        # pc_alg's steps with our CIT object; uc_rule=0 / uc_priority=2: colliders from separating sets,
        # existing colliders win conflicts
        cg = SkeletonDiscovery.skeleton_discovery(tester.cit.data, alpha, tester.cit, True, background_knowledge=bk,
                                                  show_progress=False, node_names=names)
        if bk is not None:
            orient_by_background_knowledge(cg, bk)
        cg = Meek.meek(UCSepset.uc_sepset(cg, 2, background_knowledge=bk), background_knowledge=bk)
    edges = from_causallearn(cg.G.graph, names)
    have = {e.pair for e in edges}
    for c in constraints:
        if c.kind == "adjacent" and frozenset((c.a, c.b)) not in have:
            edges.append(Edge(a=c.a, b=c.b, mark="--", source="critique"))
    return DiscoveredGraph(nodes=names, edges=edges)
