"""Orienting the edges a Markov equivalence class leaves open, by additive-noise asymmetry.

Independence tests cannot orient ``a -- b`` when both directions imply the same independences
(water flow's ``ball_size -- water_level``).  When the data come from an additive-noise model,
b = f(pa(b)) + ε with ε independent of the causes and f nonlinear (or ε non-Gaussian), only the
causal direction has such a representation (Hoyer et al. 2008, Peters et al. 2014):

1. Forward fit: regress b on a and b's parents already known (Gaussian-process regression);
   residual r_b = b − ĝ(a, pa(b)).
2. Backward fit: regress a on b and a's known parents; residual r_a.
3. Test r_b ⫫ (a, pa(b)) and r_a ⫫ (b, pa(a)) with the kernel independence test (HSIC/KCI).
4. Orient a → b only when the forward residual is independent (p ≥ ``keep``) and the backward one
   clearly is not (p < ``reject``), and the arrow adds no collider and no cycle; otherwise the edge
   stays open.  For linear-Gaussian data both residuals are independent and nothing is oriented: so a
   straight line is tried first (a kernel test, no GP fit), and a pair whose linear residuals are independent both
   ways stays open without the two GP fits (2–3 s a pair; on a linear table they were all of its time).

We use causal-learn's GP fit and KCI test (its ``ANM`` class does the pairwise version; here the
known parents enter the regression so that a shared parent does not masquerade as dependence).
Every edge oriented this way is labelled ``noise`` and carries its two p-values in the notes:
the orientation rests on the additive-noise assumption, and answers say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import networkx as nx
import numpy as np

from fmcgm.discovery.pdag import DiscoveredGraph
from fmcgm.discovery.table import Table
from fmcgm.discovery.threads import one_blas_thread

MAX_ROWS = 800  # GP regression and KCI cost O(n³): a random subsample of this many rows (2–3 s a pair;
# at 400 the reverse direction of water flow's ball → level was rejected only at p ≈ 0.004–0.01 in 3 of 12 samples)
KEEP, REJECT = 0.05, 0.001
# A straight line's residual at least this independent both ways: no GP fit.  An orientation needs one direction's
# GP residual clearly dependent (p < REJECT); a GP fit takes out at least the line's share of the mean, so its
# residual is no more dependent than the line's.  Not KEEP: on linear-Gaussian tables of the speed benchmark the
# kernel test gave a line's residual p of 0.02-0.05 in a fifth of the directions (0.19-0.83 for the GP's).
LINEAR_KEEP = 0.01
MAX_EDGES = 20  # open edges tried (each costs two GP fits and two kernel tests); the rest stay open, said so
NOT_TRIED = "not tried by the additive-noise test"  # in every note on edges the step left out (the answer says them)


def residual_p(table: Table, cause: list[str], effect: str, fit: str = "gp") -> float:
    """p-value of the kernel test that effect's regression residual on ``cause`` is independent of ``cause``
    (``fit``: a Gaussian process, or a straight line)."""
    from causallearn.search.FCMBased.ANM.ANM import ANM
    from causallearn.utils.KCI.KCI import KCI_UInd

    x = _standard(table.matrix(cause))
    y = _standard(table.matrix([effect]))
    if fit == "linear":
        a = np.column_stack([np.ones(len(x)), x])
        res = y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
    else:
        res = y - ANM().fit_gp(x, y)
    p, _ = KCI_UInd("Gaussian", "Gaussian").compute_pvalue(x, res)
    return float(p)


def _standard(x: np.ndarray) -> np.ndarray:
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def safe_to_orient(g: DiscoveredGraph, a: str, b: str) -> bool:
    """a → b creates no new collider at b (every other parent of b adjacent to a) and no directed cycle."""
    if any(p != a and p not in g.adjacent(a) for p in g.parents(b)):
        return False
    d = nx.DiGraph(g.directed())
    return not (d.has_node(b) and d.has_node(a) and nx.has_path(d, b, a))


def orient_by_noise(g: DiscoveredGraph, table: Table, seed: int = 0, keep: float = KEEP,
                    reject: float = REJECT, deadline: float | None = None,
                    progress: Callable[[str], None] | None = None, focus: Sequence[str] = ()) -> list[str]:
    """Orient the undirected edges of ``g`` in place where the additive-noise test is decisive; notes. Each edge
    costs two GP fits (2–3 s): past ``deadline`` (``time.monotonic()``) the rest stay open, and the notes say so.
    With ``focus`` (the question's columns) only the open edges at those columns are tried: an answer's adjustment
    sets are the parent sets its treatment may have, which only the marks at the treatment decide; an edge left
    open elsewhere keeps more graphs in play, never fewer."""
    if not table.all_continuous:
        return []
    sub = table.sample(MAX_ROWS, seed)
    notes = []
    open_edges = [e for e in g.edges if e.mark == "--"]
    if focus:
        near = [e for e in open_edges if e.a in focus or e.b in focus]
        if len(near) < len(open_edges):
            notes.append(f"{len(open_edges) - len(near)} open edge(s) away from {', '.join(focus)} {NOT_TRIED} "
                         "(two GP fits each; they stay open, which leaves more graphs in play "
                         "and does not change the adjustment sets of the question's treatment)")
        open_edges = near
    if len(open_edges) > MAX_EDGES:
        notes.append(f"{len(open_edges) - MAX_EDGES} open edge(s) {NOT_TRIED} (at most {MAX_EDGES} a table)")
    tried = open_edges[:MAX_EDGES]
    if tried:  # loaded before the BLAS limit is set (it applies to libraries already loaded)
        import causallearn.search.FCMBased.ANM.ANM  # noqa: F401
        import causallearn.utils.KCI.KCI  # noqa: F401
    for i, e in enumerate(tried):
        a, b = e.a, e.b
        if progress is not None:
            progress(f"additive-noise test {i + 1} of {len(tried)}: {a} -- {b} (two GP fits on {sub.n:,} rows)")
        if deadline is not None and time.monotonic() > deadline:
            notes.append(f"{len(tried) - i} open edge(s) {NOT_TRIED}: the time budget was spent (they stay open)")
            break
        to_b, to_a = [a, *[p for p in g.parents(b) if p != a]], [b, *[p for p in g.parents(a) if p != b]]
        with one_blas_thread():
            # a straight line first (a kernel test, no GP fit): independent residuals both ways is the
            # linear-Gaussian case, in which neither direction has the asymmetry the GP fits look for
            lin_ab, lin_ba = residual_p(sub, to_b, b, "linear"), residual_p(sub, to_a, a, "linear")
            if lin_ab >= LINEAR_KEEP and lin_ba >= LINEAR_KEEP:
                notes.append(f"{a} -- {b} stays open: the additive-noise test is not decisive (a straight line leaves "
                             f"a residual independent of the cause both ways, p = {lin_ab:.2g} and {lin_ba:.2g}, as "
                             "in a linear-Gaussian pair, which no direction's noise distinguishes)")
                continue
            p_ab = residual_p(sub, to_b, b)
            p_ba = residual_p(sub, to_a, a)
        if p_ab >= keep and p_ba < reject:
            cause, effect, fwd, bwd = a, b, p_ab, p_ba
        elif p_ba >= keep and p_ab < reject:
            cause, effect, fwd, bwd = b, a, p_ba, p_ab
        else:
            notes.append(f"{a} -- {b} stays open: the additive-noise test is not decisive "
                         f"(residual independence p = {p_ab:.2g} for {a} -> {b}, {p_ba:.2g} for {b} -> {a})")
            continue
        if not safe_to_orient(g, cause, effect):
            notes.append(f"{a} -- {b} stays open: {cause} -> {effect} would add a collider or a cycle")
            continue
        e.a, e.b, e.mark, e.source = cause, effect, "->", "noise"
        notes.append(f"{cause} -> {effect} oriented by additive-noise asymmetry (assumes additive noise): the "
                     f"residual is independent of the cause only this way (p = {fwd:.2g}; reverse p = {bwd:.2g})")
    return notes
