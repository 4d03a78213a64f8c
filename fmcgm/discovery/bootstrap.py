"""The row bootstrap of least squares from counts of rows: the row bootstrap's own replicates, without copying rows.

A replicate draws n row indices with replacement; least squares on those rows solves (XᵀWX) β = XᵀWy, W the
diagonal of how often each row was drawn.  The cross-products of every replicate come from one matrix product —
the replicates' counts (B × n) times the rows' pairwise products of columns (n × m) — instead of B copies of the
rows and B least-squares fits (on 200,000 rows those took 3–5 s of a 4-column answer, most of it).  The indices are
drawn as the row bootstrap draws them (``rng.integers(0, n, n)``, one replicate after another, from a generator
seeded with the same seed), so replicate b is the row bootstrap's replicate b, up to rounding.

Columns are centred first (with an intercept in every fit this changes no slope, and keeps the normal equations
well conditioned).  One object serves every adjustment set of a question: it is built for the union of their
columns and kept on the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fmcgm.discovery.table import Table

CHUNK = 25  # replicates whose counts are held at once (fewer on many rows: at most CELLS numbers)
WELL_POSED = 1e-12  # smallest / largest eigenvalue of a replicate's cross-products (cond(X) below 10⁶) solved directly
CELLS = 4_000_000  # numbers held at once by the counts and by the rows' pairwise products (32 MB each)


class LeastSquaresBootstrap:
    """Bootstrap replicates of the cross-products of [1, *names] over the rows of ``columns``."""

    def __init__(self, columns: dict[str, np.ndarray], names: Sequence[str], seed: int, draws: int):
        self.names = list(dict.fromkeys(names))
        self.seed, self.draws = seed, draws
        self.index = {c: i + 1 for i, c in enumerate(self.names)}  # 0 is the intercept
        n = len(columns[self.names[0]])
        k = len(self.names) + 1
        a = np.empty((n, k))
        a[:, 0] = 1.0
        for c, i in self.index.items():
            v = columns[c].astype(float)
            a[:, i] = v - v.mean()
        iu = np.triu_indices(k)
        m = len(iu[0])
        block = max(1, CELLS // m)
        products = a[:, iu[0]] * a[:, iu[1]] if n <= block else None  # else rebuilt block by block
        sums = np.empty((draws, m))
        rng = np.random.default_rng(seed)
        chunk = max(1, min(CHUNK, draws, CELLS // n))
        counts = np.empty((chunk, n))
        for start in range(0, draws, chunk):
            size = min(chunk, draws - start)
            for r in range(size):
                counts[r] = np.bincount(rng.integers(0, n, n), minlength=n)
            if products is not None:
                sums[start:start + size] = counts[:size] @ products
                continue
            sums[start:start + size] = 0.0
            for lo in range(0, n, block):
                rows = a[lo:lo + block]
                sums[start:start + size] += counts[:size, lo:lo + block] @ (rows[:, iu[0]] * rows[:, iu[1]])
        self.gram = np.empty((draws, k, k))
        self.gram[:, iu[0], iu[1]] = sums
        self.gram[:, iu[1], iu[0]] = sums

    def covers(self, names: Sequence[str]) -> bool:
        return all(c in self.index for c in names)

    def coefficients(self, regressors: Sequence[str], outcome: str) -> np.ndarray:
        """(draws, 1 + len(regressors)): each replicate's least-squares coefficients [intercept, *regressors]
        (the intercept of the centred columns)."""
        s = [0, *(self.index[c] for c in regressors)]
        o = self.index[outcome]
        gss = self.gram[:, s][:, :, s]
        gsy = self.gram[:, s, o]
        out = np.empty((self.draws, len(s)))
        eig = np.linalg.eigvalsh(gss)  # ascending, per replicate
        well = eig[:, 0] > WELL_POSED * eig[:, -1]
        if well.any():
            out[well] = np.linalg.solve(gss[well], gsy[well][..., None])[..., 0]
        for b in np.flatnonzero(~well):  # a replicate in which a column does not vary apart from the others (a
            out[b] = np.linalg.lstsq(gss[b], gsy[b], rcond=None)[0]  # rare level not drawn): least squares' own
        return out  # minimum-norm answer, as the fit on the replicate's rows gives


def least_squares_bootstrap(t: Table, names: Sequence[str], seed: int, draws: int,
                            union: Sequence[str] = ()) -> LeastSquaresBootstrap:
    """The table's bootstrap object covering ``names`` (built once for ``names`` and ``union`` together, then
    shared by every adjustment set it covers)."""
    kept: list[LeastSquaresBootstrap] = t.cache.setdefault(("least-squares-bootstrap", seed, draws), [])
    for b in kept:
        if b.covers(names):
            return b
    b = LeastSquaresBootstrap(t.columns, [*names, *union], seed, draws)
    kept.append(b)
    return b
