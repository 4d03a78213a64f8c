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

from fmcgm.discovery.pdag import DiscoveredGraph, from_causallearn
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


def kernel_tester(table: Table, seed: int = 0):
    """A KCI conditional-independence test on the search's own subsample of ``KCI_MAX_N`` rows, in the
    critique's calling convention ``(data, a, b, given) -> (p, 0)`` (``data`` is ignored: the table is bound)."""
    from causallearn.utils.cit import CIT

    cit = CIT(table.sample(KCI_MAX_N, seed).matrix(), "kci")
    idx = {c: i for i, c in enumerate(table.names)}

    def test(_data, a: str, b: str, given: tuple[str, ...]) -> tuple[float, int]:
        with _quiet():
            return float(cit(idx[a], idx[b], [idx[g] for g in given])), 0

    return test


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


def run(table: Table, method: Method = "pc", alpha: float = 0.01, test: Test = "auto",
        required: Sequence[tuple[str, str]] = (), forbidden: Sequence[tuple[str, str]] = (), seed: int = 0) -> DiscoveredGraph:
    """One search on the table; ``required``/``forbidden`` enter as causal-learn background knowledge."""
    names = table.names
    t = choose_test(table, test)
    notes = []
    if t == "kci" and table.n > KCI_MAX_N:
        table = table.sample(KCI_MAX_N, seed)
        notes.append(f"KCI on a random subsample of {KCI_MAX_N} rows (its cost grows as n³)")
    if t == "fisherz" and not table.all_continuous:
        notes.append("mixed discrete and continuous columns: Fisher-z on the codes (linear approximation)")
    x = _matrix(table, t)
    bk = background(names, list(required), list(forbidden)) if (required or forbidden) else None
    t0 = time.perf_counter()
    with _quiet():
        if method == "pc":
            from causallearn.search.ConstraintBased.PC import pc

            # uc_rule=0 / uc_priority=2: colliders from separating sets, existing colliders win conflicts
            cg = pc(x, alpha=alpha, indep_test=t, stable=True, uc_rule=0, uc_priority=2,
                    background_knowledge=bk, show_progress=False, node_names=names)
            matrix = cg.G.graph
        elif method == "fci":
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
