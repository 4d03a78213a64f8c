"""Causal effects estimated from a data table over a discovered class, with the graph's uncertainty in the interval.

The effect of ``x`` on ``y`` is E[y | do(x = high)] − E[y | do(x = low)] (for a binary outcome: the change in
P(y = 1)).  Identification is back-door adjustment for a parent set of ``x`` — valid in any DAG in which those
are x's parents (IDA: every parent set the class allows).  All-discrete variables are estimated by counts
(plug-in of the adjustment formula); otherwise by least squares with the adjustment set as covariates (a
linear model: said in the assumptions).  An adjustment stratum in which one treatment value never occurs
makes the formula undefined: the error names the cell.

Certainty has to be earned twice:

* **sampling** — a nonparametric bootstrap of each estimate (for counts: the cell counts are resampled from the
  multinomial they define, which is the row bootstrap without touching the rows);
* **the graph** — the discovery itself is rerun on random halves of the rows (:func:`graph_stability`).
  Every parent set of x that a resample's class allows in at least :data:`ALTERNATIVE` of the resamples is
  estimated too, and the reported interval covers all of them.  Each edge at x gets the share of resamples
  that give it the full-data mark.

A verdict is given only when every graph the data allow agrees: "yes" when every interval excludes zero on
the same side and the discovered class has a directed path from x to y (without one the graph says "no
effect" and a nonzero estimate contradicts it: not determined); "no effect" only when the edges at x are
stable (:data:`STABLE`) and every interval lies inside the no-effect margin (:func:`read_interval`,
:func:`no_effect_margin`): an interval that covers zero *and* effects of meaningful size is "not determined", with
the interval and roughly how many rows would settle it (:func:`rows_to_settle`) —
and when the zero comes from the graph alone (the outcome is a parent of the treatment), no interval is
reported (a [0, 0] interval would claim a certainty the graph choice does not have): the answer names the
orientation and how many resamples gave it.  Anything else is "not determined by these data", naming the
unstable edges with their shares.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from fmcgm.discovery.bootstrap import least_squares_bootstrap
from fmcgm.discovery.pc import MEANINGFUL
from fmcgm.discovery.pdag import DiscoveredGraph, local_members, neighbours, possibly_reaches
from fmcgm.discovery.table import DataError, Table
from fmcgm.errors import ErrorCode, FMCGMError, NotIdentifiableError
from fmcgm.vocabulary import IntervalReading

if TYPE_CHECKING:
    from fmcgm.causal.identification import Estimand

BOOTSTRAP = 200
LEVEL = 0.95
GRAPH_RESAMPLES = 30  # discovery reruns on random halves of the rows (fewer when the time budget is short)
MIN_RESAMPLES = 10  # below this many, graph stability is "not measured" and no "no effect" verdict is given
PROGRESS_EVERY_S = 3.0  # a progress line after every fifth resample, or sooner when resamples are slow
GRAPH_ROWS = 50_000  # at most this many rows per resample (a quarter of 200,000: stability is then understated)
SUBSAMPLE = 0.5  # share of the rows in each resample (stability selection's halves)
STABLE = 0.8  # an edge at the treatment is stable when this share of resamples gives it the full-data mark
ALTERNATIVE = 0.1  # a parent set of the treatment seen in this share of resamples is estimated too
# The no-effect margins (see no_effect_margin): 3 percentage points on the probability scale, and a standardised
# effect of pc.MEANINGFUL (0.05 sd of the outcome per sd of the treatment) otherwise.
MARGIN_PROBABILITY = 0.03
MARGIN_STANDARDISED = MEANINGFUL


@dataclass(frozen=True)
class Margin:
    """The smallest effect that counts as meaningful, in the units of the reported effect."""

    value: float
    text: str  # how it reads, e.g. "±0.03 on the probability scale"


def no_effect_margin(t: Table, x: str, y: str) -> Margin:
    """How large an effect must be to count: "no effect" means no effect beyond ± this margin.

    * Treatment and outcome both discrete: the effect is a change in P(y), and the margin is
      :data:`MARGIN_PROBABILITY` = 0.03 (3 percentage points).  Smaller changes are below what the bench grades
      as clearly real and below what a few thousand rows can resolve anyway (the 95% half-width of a difference of
      two proportions near 0.5 is about 1.96/√n: 0.03 needs about 4,300 balanced rows), so a "no" at this margin
      is one that a table of ordinary size can actually earn; any smaller margin would make "no effect" unreachable
      below 10,000s of rows, any larger would call 4-5 point effects (a real coupon, a real side effect) nothing.
    * Otherwise (a continuous treatment or outcome): a standardised margin — :data:`MARGIN_STANDARDISED`
      (``pc.MEANINGFUL`` = 0.05) standard deviations of y per standard deviation of x, i.e. 0.05·sd(y)/sd(x) in the
      effect's own units (per unit of a continuous x; per high-vs-low contrast of a discrete x, whose sd is that of
      its codes).  Raw units have no common scale across tables; 0.05 is the same size the search's power guard
      treats as the smallest real dependence (``fmcgm.discovery.pc``), so the search and the verdict agree on what
      "meaningful" means.
    """
    discrete = t.kinds[x] == "discrete" and t.kinds[y] == "discrete"
    if discrete:
        return Margin(MARGIN_PROBABILITY, f"±{MARGIN_PROBABILITY:g} on the probability scale")
    sx, sy = float(np.std(t.columns[x].astype(float))), float(np.std(t.columns[y].astype(float)))
    value = MARGIN_STANDARDISED * sy / sx if sx > 0 else float("inf")
    return Margin(value, f"±{value:.4g} ({MARGIN_STANDARDISED:g} sd of {y} per sd of {x})")


def read_interval(intervals: list[tuple[float, float]], margin: float) -> IntervalReading:
    """The one rule by which 95% intervals become a verdict about an effect (one interval per graph the data allow).

    * every interval above zero → POSITIVE; every interval below zero → NEGATIVE ("yes"/"no" about the sign:
      the data show an effect, and which way);
    * every interval inside [−margin, +margin] → NEGLIGIBLE: the data rule out any effect of meaningful size, which
      is what "no effect" claims;
    * anything else → UNDETERMINED.  An interval that covers zero only says the data *failed to find* an effect;
      if it also reaches past the margin, effects that matter are as compatible with the data as none, and "no"
      would be a confident wrong answer whenever the effect is small but real (fresh seeds 2306 of the
      data-answers bench: truth +0.032 answered "no" from [−0.005, 0.091]; truth −0.077 from [−0.113, 0.011]).
      Intervals on both sides of zero (graphs that disagree) are undetermined too.

    Absence of evidence is not evidence of absence (Altman & Bland 1995); this is the two one-sided tests reading
    of equivalence (Schuirmann 1987): a 95% interval inside the margin rejects both "effect ≥ +margin" and
    "effect ≤ −margin" at the 2.5% level each.
    """
    if not intervals:
        return IntervalReading.UNDETERMINED
    if all(lo > 0 for lo, _ in intervals):
        return IntervalReading.POSITIVE
    if all(hi < 0 for _, hi in intervals):
        return IntervalReading.NEGATIVE
    if all(-margin < lo and hi < margin for lo, hi in intervals):
        return IntervalReading.NEGLIGIBLE
    return IntervalReading.UNDETERMINED


def rows_to_settle(ci: tuple[float, float], n: int, margin: float) -> int | None:
    """Roughly how many rows would turn an undetermined interval into a verdict, if the estimate stayed where it is.

    The half-width w shrinks as 1/√n.  With centre c, a verdict needs w < |c| (the interval leaves zero: an
    effect) or w < margin − |c| (it fits inside the margin: no effect of meaningful size); whichever is easier
    decides, so n·(w / max(|c|, margin − |c|))².  The spread between graphs does not always shrink with n, so
    this is a guide, not a promise; ``None`` when the interval has no width."""
    lo, hi = ci
    w, c = (hi - lo) / 2, abs(hi + lo) / 2
    target = max(c, margin - c)
    if w <= 0 or target <= 0 or not np.isfinite(target):
        return None
    need = n * (w / target) ** 2
    digits = max(0, len(str(int(need))) - 2)
    return int(round(need, -digits)) if need > n else None


class PositivityError(FMCGMError, code=ErrorCode.EMPTY_CELL):
    """The data have no rows for a combination the estimate needs (names the cell)."""


@dataclass
class MemberEffect:
    parents: list[str]
    value: float
    ci: tuple[float, float] | None
    estimand: str
    method: str
    structural: bool = False  # no effect by the graph alone: the outcome is a parent of the treatment, or it has no children
    share: float | None = None  # the share of resamples whose class allows this parent set
    adjusted: list[str] | None = None  # the back-door set used instead of the parents (their cells were empty)
    linear: bool = False  # estimated by least squares (continuous columns), not by counts
    identified: Estimand | None = None  # the graph's estimand, when the effect was identified on a graph with latents


@dataclass
class EdgeStability:
    pair: tuple[str, str]  # (treatment, other)
    full: str  # the mark in the full-data graph: "x -> v", "v -> x", "x -- v" or "absent"
    shares: dict[str, float]  # mark -> share of resamples

    @property
    def stable(self) -> bool:
        return self.shares.get(self.full, 0.0) >= STABLE

    def text(self) -> str:
        parts = ", ".join(f"{k} in {v:.0%}" for k, v in sorted(self.shares.items(), key=lambda kv: -kv[1]))
        return f"{self.full} ({parts} of the resamples)"


@dataclass
class Stability:
    """The discovery rerun on bootstrap resamples: marks at the treatment and its parent sets."""

    resamples: int
    rows: int  # rows per resample
    edges: list[EdgeStability]
    parent_sets: dict[frozenset[str], float]  # parent set of x -> share of resamples whose class allows it
    notes: list[str] = field(default_factory=list)  # how the resamples were read
    cut: list[str] = field(default_factory=list)  # what the time budget or the table's size cut
    graphs: list[DiscoveredGraph] = field(default_factory=list)  # the resamples' graphs without PAG marks at x


@dataclass
class DataEffect:
    treatment: str
    outcome: str
    answer: str | None  # "yes" / "no" / None (not determined by these data)
    value: float | None
    ci: tuple[float, float] | None
    range: tuple[float, float]
    members: list[MemberEffect]
    method: str
    estimand: str
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    verdict: str = ""
    stability: Stability | None = None
    rests_on: list[str] = field(default_factory=list)  # the edges the verdict rests on, with their shares
    budget: list[str] = field(default_factory=list)  # what the time budget cut
    margin: Margin | None = None  # no effect means no effect beyond this (see no_effect_margin)
    rows_to_settle: int | None = None  # an undetermined interval: about this many rows would settle it


def _levels(t: Table, v: str) -> tuple[float, float, str]:
    """(low, high, label) of the contrast for variable v."""
    if t.kinds[v] == "discrete":
        labels = t.labels.get(v, [0, 1])
        hi = len(labels) - 1
        return 0.0, float(hi), f"{v}={labels[hi]} vs {v}={labels[0]}"
    return 0.0, 1.0, f"one unit of {v}"


class _Cells:
    """Counts of (stratum of z, x, y) cells: the plug-in adjustment formula and its bootstrap work on these."""

    def __init__(self, t: Table, x: str, y: str, z: list[str]):
        self.x, self.y, self.z = x, y, z
        self.xlabels = t.labels.get(x, [0, 1])
        self.kx, self.ky = len(self.xlabels), len(t.labels.get(y, [0, 1]))
        if z:
            keys = np.zeros(t.n, dtype=np.int64)
            for c in z:
                keys = keys * len(t.labels.get(c, [0, 1])) + t.columns[c]
            self.strata, inv = np.unique(keys, return_inverse=True)  # once, not once per resample
            self.rows_of_strata = [self._decode(k, t, z) for k in self.strata]
        else:
            self.strata, inv = np.zeros(1, dtype=np.int64), np.zeros(t.n, dtype=np.int64)
            self.rows_of_strata = [""]
        cell = (inv.ravel() * self.kx + t.columns[x]) * self.ky + t.columns[y]
        self.counts = np.bincount(cell, minlength=len(self.strata) * self.kx * self.ky).astype(float)
        self.n = t.n

    @staticmethod
    def _decode(key: int, t: Table, z: list[str]) -> str:
        vals = []
        for c in reversed(z):
            k = len(t.labels.get(c, [0, 1]))
            vals.append((c, t.labels.get(c, [0, 1])[int(key % k)]))
            key //= k
        return ", ".join(f"{c}={v}" for c, v in reversed(vals))

    def effect(self, counts: np.ndarray, x0: int, x1: int, y1: int) -> float:
        """Σ_s P(s) [P(y=y1 | x1, s) − P(y=y1 | x0, s)] over the strata that occur in these counts."""
        c = counts.reshape(len(self.strata), self.kx, self.ky)
        n_s = c.sum(axis=(1, 2))
        n1, n0 = c[:, x1].sum(axis=1), c[:, x0].sum(axis=1)
        empty = (n_s > 0) & ((n1 == 0) | (n0 == 0))
        if empty.any():
            s = int(np.flatnonzero(empty)[0])
            xv, where = self.xlabels[x1 if n1[s] == 0 else x0], self.rows_of_strata[s]
            raise PositivityError(f"no rows with {self.x}={xv}" + (f" and {where}" if where else "")
                                  + ": the adjustment formula needs P(outcome | that cell), which these data do not give",
                                  "collect data in that cell, or ask about a population where it occurs")
        ok = n_s > 0
        diff = c[ok, x1, y1] / n1[ok] - c[ok, x0, y1] / n0[ok]
        return float(np.sum(diff * n_s[ok]) / n_s.sum())


def _ols(cols: dict[str, np.ndarray], x: str, y: str, z: list[str], scale: float) -> float:
    a = np.column_stack([np.ones(len(cols[y])), cols[x].astype(float), *[cols[c].astype(float) for c in z]])
    coef, *_ = np.linalg.lstsq(a, cols[y].astype(float), rcond=None)
    return float(coef[1] * scale)


def _interval(boots: list[float], value: float) -> tuple[float, float]:
    if not boots:
        return value, value
    lo, hi = np.quantile(boots, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return float(lo), float(hi)


def member_effect(t: Table, x: str, y: str, z: list[str], seed: int = 0, union: Sequence[str] = ()) -> MemberEffect:
    """The effect of x on y adjusting for ``z``, with a bootstrap interval.  ``union``: the columns of the other
    adjustment sets to come, so that one bootstrap of least squares serves them all."""
    x0, x1, xlabel = _levels(t, x)
    rng = np.random.default_rng(seed)
    boots: list[float] = []
    discrete = all(t.kinds[v] == "discrete" for v in (x, y, *z))
    if discrete:
        y1 = len(t.labels.get(y, [0, 1])) - 1
        cells = _Cells(t, x, y, z)
        value = cells.effect(cells.counts, int(x0), int(x1), y1)
        p = cells.counts / cells.counts.sum()
        for _ in range(BOOTSTRAP):
            try:
                boots.append(cells.effect(rng.multinomial(t.n, p).astype(float), int(x0), int(x1), y1))
            except PositivityError:
                continue  # a resample that empties a cell says nothing about the estimate's spread
        method = "back-door adjustment by counts"
        ylab = f"P({y}={t.labels.get(y, [0, 1])[y1]} | do({{x}}))"
    else:
        value = _ols(t.columns, x, y, z, x1 - x0)
        # the row bootstrap (rng.integers(0, n, n) per replicate), computed from counts of rows
        boot = least_squares_bootstrap(t, [x, *z, y], seed, BOOTSTRAP, union)
        boots = [float(b) for b in boot.coefficients([x, *z], y)[:, 1] * (x1 - x0)]
        method = "back-door adjustment by linear regression"
        ylab = f"E[{y} | do({{x}})]"
    adj = f" adjusting for {{{', '.join(z)}}}" if z else " (no adjustment needed)"
    est = f"{ylab.format(x=xlabel.split(' vs ')[0] if ' vs ' in xlabel else x)}: effect of {xlabel}{adj}"
    return MemberEffect(list(z), value, _interval(boots, value), est, method, linear=not discrete)


def _mark(g: DiscoveredGraph, x: str, v: str) -> str:
    for e in g.edges:
        if e.pair == frozenset((x, v)):
            if e.mark == "->":
                return f"{e.a} -> {e.b}"
            return f"{x} {e.mark} {v}"
    return "absent"


def _carry_noise_orientations(full: DiscoveredGraph, g: DiscoveredGraph) -> None:
    """Orient, in a resample's graph, the open edges the full table's additive-noise test oriented."""
    from fmcgm.discovery.noise_orientation import safe_to_orient

    for f in full.edges:
        if f.source != "noise" or f.mark != "->":
            continue
        e = next((e for e in g.edges if e.pair == f.pair and e.mark == "--"), None)
        if e is not None and safe_to_orient(g, f.a, f.b):
            e.a, e.b, e.mark, e.source = f.a, f.b, "->", "noise"


def graph_stability(t: Table, graph: DiscoveredGraph, x: str, *, alpha: float = 0.01, test: str = "auto",
                    resamples: int = GRAPH_RESAMPLES, seed: int = 0, deadline: float | None = None,
                    progress=None, critique: bool = True) -> Stability:
    """Rerun the discovery (search, and critique and repair when ``critique``) on random halves of the rows.

    Halves drawn without replacement, as in stability selection (Meinshausen & Bühlmann 2010), not bootstrap
    resamples: a resample with repeated rows makes an independence test reject a true independence far more
    often than its level (on the sprinkler, sprinkler ⫫ rain | season, p = 0.14 on the data, was rejected in a
    quarter of bootstrap resamples), so bootstrap stability reads the test's bias as graph uncertainty.  A half
    has the test's nominal level and less power: edges found only at full size count as unstable."""
    from fmcgm.discovery.pipeline import discover  # the pipeline, not the other way round
    from fmcgm.discovery.search import Tester, choose_test

    rng = np.random.default_rng(seed + 1)
    m = min(int(t.n * SUBSAMPLE), GRAPH_ROWS)
    name = choose_test(t, test)  # type: ignore[arg-type]
    marks: dict[str, Counter] = {}
    sets: Counter = Counter()
    done, notes, cut = 0, [], []
    graphs: list[DiscoveredGraph] = []
    others = [v for v in t.names if v != x]
    t0 = last = time.monotonic()
    for b in range(resamples):
        if deadline is not None and b and time.monotonic() + (time.monotonic() - t0) / b > deadline:
            cut.append(f"the time budget allowed {b} of {resamples} discovery resamples")
            break
        sub = t.subset(np.sort(rng.choice(t.n, m, replace=False)))
        d = discover(sub, "pc", alpha, name, orient=False, critique=critique,  # type: ignore[arg-type]
                     tester=Tester(sub, name, seed), marks_only=True)
        g = d.graph
        _carry_noise_orientations(graph, g)
        for v in others:
            marks.setdefault(v, Counter())[_mark(g, x, v)] += 1
        if not any(e.mark in ("<->", "o->", "o-o") for e in g.edges if x in (e.a, e.b)):
            for pa in local_members(g, x):
                sets[frozenset(pa)] += 1
            graphs.append(g)
        done += 1
        if progress and ((b + 1) % 5 == 0 or time.monotonic() - last >= PROGRESS_EVERY_S):
            progress(f"graph stability: {b + 1} of {resamples} discovery resamples")
            last = time.monotonic()
    if any(e.source == "noise" for e in graph.edges):
        notes.append("additive-noise orientations of the whole table are carried into each resample where it leaves "
                     "the edge open (the GP test is not rerun on resamples)")
    if m < t.n // 2:
        cut.append(f"each resample draws {m:,} of the {t.n:,} rows (stability at that size is understated)")
    edges = []
    for v in others:
        full = _mark(graph, x, v)
        shares = {k: c / done for k, c in marks.get(v, Counter()).items()} if done else {}
        if full != "absent" or any(k != "absent" and s >= ALTERNATIVE for k, s in shares.items()):
            edges.append(EdgeStability((x, v), full, shares))
    return Stability(done, m, edges, {k: c / done for k, c in sets.items()} if done else {}, notes, cut, graphs)


MAX_OTHER_SETS = 8  # back-door sets tried when the parents' cells are empty


def other_adjustment(t: Table, graphs: list[DiscoveredGraph], x: str, y: str, pa: frozenset[str], seed: int,
                     why: PositivityError) -> MemberEffect | None:
    """When adjusting for the parent set ``pa`` of x leaves an empty cell: the effect by another back-door set, no
    larger than ``pa``, that is valid in *every* DAG of every graph in ``graphs`` in which x's parents are ``pa``
    (so it identifies the same member's effect), smallest first; ``None`` when no such set has data in every cell
    or the DAGs are too many to list.  The sets are the project's own back-door sets
    (:func:`fmcgm.causal.identification.backdoor_sets`) of one such DAG, checked in the others."""
    from fmcgm.causal import graph as G
    from fmcgm.causal.identification import backdoor_sets, is_backdoor_set
    from fmcgm.discovery.pdag import member_dags

    dags: list[G.CausalGraph] = []
    for g in graphs:
        members = member_dags(g, x, pa)
        if members is None:
            return None
        dags += [G.CausalGraph.build(d, nodes=g.nodes) for d in members]
    if not dags:
        return None
    candidates = [frozenset(z) for z in backdoor_sets(dags[0], x, y, max_size=len(pa))]
    candidates = [z for z in dict.fromkeys(sorted(candidates, key=lambda z: (len(z), sorted(z))))
                  if z != pa and len(z) <= len(pa)]
    tried = 0
    for z in candidates:
        if not all(is_backdoor_set(d, x, y, set(z)) for d in dags[1:]):
            continue
        tried += 1
        if tried > MAX_OTHER_SETS:
            break
        try:
            m = member_effect(t, x, y, sorted(z), seed)
        except PositivityError:
            continue
        m.parents, m.adjusted = sorted(pa), sorted(z)
        m.estimand += (f" (the parents {{{', '.join(sorted(pa))}}} of {x} leave an empty cell — {why.message}; "
                       f"{{{', '.join(sorted(z))}}} is a back-door set in each of the {len(dags)} DAG(s) the data allow "
                       f"with those parents, and has data in every cell)")
        return m
    return None


def effect_from_data(t: Table, graph: DiscoveredGraph, x: str, y: str, claim: str = "affects", seed: int = 0,
                     stability: Stability | None = None, budget: list[str] | None = None) -> DataEffect:
    """The effect under every parent set of x that the class (and its resamples) allows; a verdict only when
    they agree and the edges it rests on are stable."""
    if any(e.mark in ("<->", "o->", "o-o") for e in graph.edges if x in (e.a, e.b)):
        raise NotIdentifiableError(f"the discovered graph leaves a possible latent confounder at {x} (a PAG mark)",
                         "the effect is not identified by adjustment for x's parents; collect more variables")
    full_sets = [frozenset(pa) for pa in local_members(graph, x)]
    # the parent sets the class allows once the colliders the test had no power to show are read as ambiguous:
    # a verdict must hold under them too (the marks they set at x are what a cancelling path can fake)
    relaxed = graph.relaxed()
    weak_sets = [frozenset(pa) for pa in local_members(relaxed, x)] if relaxed is not graph else []
    weak_sets = [s for s in dict.fromkeys(weak_sets) if s not in full_sets]
    alternatives = list(dict.fromkeys(full_sets + weak_sets))
    if stability is not None:
        alternatives += [s for s, share in sorted(stability.parent_sets.items(), key=lambda kv: -kv[1])
                         if share >= ALTERNATIVE and s not in alternatives]
    members = []
    unestimable: list[str] = []
    union = sorted({v for pa in alternatives for v in pa} - {x, y})  # the columns any adjustment set may use
    for pa in alternatives:
        share = stability.parent_sets.get(pa, 0.0) if stability is not None else None
        if y in pa:
            members.append(MemberEffect(sorted(pa), 0.0, None, f"{y} -> {x} in this graph: no effect of {x} on {y}",
                                        "graph structure", structural=True, share=share))
            continue
        if len(set(full_sets + weak_sets)) > 1 and (pa in full_sets or pa in weak_sets) and neighbours(graph, x) <= pa:
            # every neighbour of x is its parent in this member of a larger class: x has no children, so no effect,
            # whatever a (chance) adjusted estimate says; the other members then cannot make a verdict alone
            members.append(MemberEffect(sorted(pa), 0.0, None, f"{x} has no children in this graph: no effect of "
                                        f"{x} on {y}", "graph structure", structural=True, share=share))
            continue
        try:
            m = member_effect(t, x, y, sorted(pa), seed, union)
        except PositivityError as err:
            # another back-door set of the same member: checked in every DAG with these parents, of the full-data
            # class when it allows them and of each resample's class that allowed them
            own = [graph] if pa in full_sets else [relaxed] if pa in weak_sets else []
            where = own + ([s for s in stability.graphs if pa in map(frozenset, local_members(s, x))]
                           if stability else [])
            other = other_adjustment(t, where, x, y, pa, seed, err)
            if other is not None:
                other.share = share
                members.append(other)
                continue
            if pa in full_sets:
                raise
            where_from = ("in a graph the data allow without the unshown collider" if pa in weak_sets
                          else f"in {share:.0%} of the resamples")
            unestimable.append(f"adjusting for {{{', '.join(sorted(pa))}}} (the parents of {x} {where_from}) cannot be "
                               f"estimated: {err.message}")
            continue
        m.share = share
        members.append(m)
    in_class = [m for m in members if frozenset(m.parents) in full_sets]
    estimated = [m for m in members if not m.structural and m.ci is not None]
    structural = [m for m in members if m.structural]
    vals = [m.value for m in members]
    rng = (min(vals), max(vals))
    margin = no_effect_margin(t, x, y)
    reading = read_interval([m.ci for m in estimated], margin.value)  # type: ignore[misc]
    pos = bool(estimated) and not structural and reading is IntervalReading.POSITIVE
    neg = bool(estimated) and not structural and reading is IntervalReading.NEGATIVE
    # the graph alone (no estimate) or every interval inside the margin: "found no effect" is not "no effect"
    null = not estimated or reading is IntervalReading.NEGLIGIBLE
    uncertain = [e.text() for e in graph.edges if e.mark == "--" and x in (e.a, e.b)]
    unstable = [e for e in stability.edges if not e.stable] if stability is not None else []
    rests_on = [f"{e.full}: {e.shares.get(e.full, 0.0):.0%} of {stability.resamples} resamples"
                for e in stability.edges] if stability is not None else []
    measured = stability is not None and stability.resamples >= MIN_RESAMPLES
    ci: tuple[float, float] | None = None
    if estimated:
        ci = (min(m.ci[0] for m in estimated), max(m.ci[1] for m in estimated))  # type: ignore[index]
    if unestimable:
        pos = neg = null = False
    # no member of the discovered class has a directed path x → … → y, so the graph says "no effect"; an estimate
    # that excludes zero then contradicts the graph (a missed edge, or a chance result): neither is claimed
    contradicts = (pos or neg) and not possibly_reaches(graph, x, y)
    if contradicts:
        pos = neg = False
    weak = [m for m in members if frozenset(m.parents) in weak_sets]
    settle: int | None = None
    if pos or neg:
        direction = "increases" if pos else "decreases"
        holds = {"affects": True, "not_affects": False, "positive": pos, "negative": neg}.get(claim, True)
        answer, verdict = ("yes" if holds else "no"), f"{x} {direction} {y} under every graph the data allow"
    elif null and measured and not unstable:
        holds = claim == "not_affects"
        answer = "yes" if holds else "no"
        if estimated:
            verdict = (f"no effect of {x} on {y} of meaningful size: every 95% interval lies within {margin.text} "
                       f"([{ci[0]:.4f}, {ci[1]:.4f}])")  # type: ignore[index]
        else:
            orient = next((e for e in stability.edges if e.pair[1] == y), None) if stability else None
            verdict = (f"no effect of {x} on {y}: in every graph the data allow {y} is a cause of {x}, not an effect"
                       + (f" ({orient.full} in {orient.shares.get(orient.full, 0):.0%} of {stability.resamples} "
                          "resamples)" if orient and stability else ""))
    else:
        answer = None
        why = []
        if unstable:
            why.append("the edge(s) it rests on are not stable across resamples: "
                       + "; ".join(e.text() for e in unstable))
        if structural and estimated:
            why.append(f"in some graphs the data allow {x} has no effect on {y} (" + "; ".join(
                dict.fromkeys(m.estimand.split(": ")[0] for m in structural)) + "), in others it has")
        why += unestimable
        if weak:
            at_x = [u for u in graph.unshown if any(x in r.split(" -> ") for r in u.rests_on)] or graph.unshown
            why.append("the direction of " + ", ".join(dict.fromkeys(
                r for u in at_x for r in u.rests_on if x in r.split(" -> ")) or ["the edges at " + x])
                + " rests on " + "; ".join(u.text() for u in at_x))
        if contradicts:
            why.append(f"the discovered graph has no directed path from {x} to {y} (no effect), yet the adjusted "
                       "estimate excludes zero: the graph or the estimate is wrong")
        if null and not measured and not unstable:
            why.append("graph stability was not measured within the time budget, so no effect cannot be concluded")
        if (estimated and ci is not None and not unestimable
                and reading is IntervalReading.UNDETERMINED and ci[0] <= 0 <= ci[1]):
            settle = rows_to_settle(ci, t.n, margin.value)
            why.append(f"the 95% interval [{ci[0]:.4f}, {ci[1]:.4f}] contains zero but also effects beyond "
                       f"{margin.text}: these data neither show an effect nor rule out one of meaningful size"
                       + (f"; roughly {settle:,} rows (now {t.n:,}) would settle it if the estimate stays near "
                          f"{(ci[0] + ci[1]) / 2:.4f}" if settle else ""))
        verdict = (f"not determined by these data: the effect lies in [{rng[0]:.4f}, {rng[1]:.4f}] across the "
                   f"{len(members)} graphs the data allow" + (f" ({'; '.join(why)})" if why else ""))
    assumptions = ["no unmeasured confounding beyond the discovered graph (causal sufficiency)",
                   "the discovered equivalence class contains the true graph"]
    if any(m.linear for m in members):
        assumptions.append("linear effects (least squares)")
    by_noise = [e.text() for e in graph.edges if e.source == "noise" and x in (e.a, e.b)]
    if by_noise:
        assumptions.append(f"additive noise: {', '.join(by_noise)} was oriented by the asymmetry of regression "
                           "residuals, not by independences")
    warnings = [f"the direction of {u} is not determined by the data" for u in uncertain]
    warnings += [f"adjusting for {x}'s parents {{{', '.join(m.parents)}}} leaves an empty cell, so the back-door set "
                 f"{{{', '.join(m.adjusted) or '∅'}}} (valid in every graph the data allow with those parents) was used"
                 for m in members if m.adjusted is not None]
    warnings += stability.notes if stability is not None else []
    warnings += [f"unstable across resamples: {e.text()}" for e in unstable if e.full != "absent"
                 and not any(e.full.endswith(u.split(" -- ")[-1]) for u in uncertain)]
    value = None
    if answer is not None:
        base = [m.value for m in in_class] or vals
        value = float(np.mean(base))
    method = (estimated[0].method if estimated else "graph structure") + (
        " under every graph the data allow (IDA over the class and its resamples)" if len(members) > 1 else "")
    shown = members[:4]
    estimand = ("; ".join(f"[{', '.join(m.parents) or '∅'}] {m.estimand}" for m in shown)
                + (f"; and {len(members) - len(shown)} more adjustment set(s)" if len(members) > len(shown) else "")
                if len(members) > 1 else members[0].estimand)
    return DataEffect(x, y, answer, value, ci if answer is None or estimated else None, rng, members, method,
                      estimand, assumptions, warnings, verdict, stability, rests_on, list(budget or []), margin,
                      settle)


def _count_lookup(t: Table):
    """P(event | given) from counts over 0/1-labelled columns; an empty conditioning cell is named."""
    def code(v: str, val: int) -> int | None:
        labels = t.labels.get(v, [])
        return labels.index(val) if val in labels else None

    def mask(assign) -> np.ndarray | None:
        m = np.ones(t.n, dtype=bool)
        for v, val in assign:
            c = code(v, val)
            if c is None:
                return None
            m &= t.columns[v] == c
        return m

    def lookup(event, given) -> float:
        mg = mask(given)
        if mg is None or not mg.any():
            cell = ", ".join(f"{v}={val}" for v, val in given)
            raise PositivityError(f"no rows with {cell}: P({', '.join(f'{v}={val}' for v, val in event)} | {cell}) "
                                  "has no data", "collect data in that cell")
        me = mask(event)
        return 0.0 if me is None else float((me & mg).sum() / mg.sum())

    return lookup


def effect_by_identification(t: Table, g, x: str, y: str, seed: int = 0) -> MemberEffect:
    """P(y=1 | do(x=1)) − P(y=1 | do(x=0)) on a graph with latents, by the first identified estimand
    whose every conditional has data (the napkin's leftover Z is fixed at a value that occurs)."""
    from fmcgm.causal.expr import evaluate
    from fmcgm.causal.identification import do_estimands

    bad = [v for v in g.observed if t.kinds.get(v) != "discrete" or not set(t.labels.get(v, [])) <= {0, 1}]
    if bad:
        raise DataError(f"identification from counts needs 0/1 columns; {', '.join(bad)} are not",
                         "code those variables as 0/1")
    empty = []
    for e1, e0 in zip(do_estimands(g, y, x, 1), do_estimands(g, y, x, 0), strict=True):
        def f(tab: Table, e1=e1, e0=e0) -> float:  # bind this pair (B023)
            lk = _count_lookup(tab)
            return evaluate(e1.expr, lk) - evaluate(e0.expr, lk)
        try:
            value = f(t)
        except (PositivityError, ZeroDivisionError) as err:
            empty.append(f"{e1.label}: {err}")
            continue
        rng = np.random.default_rng(seed)
        boots = []
        for _ in range(BOOTSTRAP):
            try:
                boots.append(f(t.subset(rng.integers(0, t.n, t.n))))
            except (PositivityError, ZeroDivisionError):
                continue
        return MemberEffect([], value, _interval(boots, value), e1.expr.text(), e1.label, identified=e1)
    raise PositivityError("no estimand can be computed from these data: " + "; ".join(empty),
                          "the cells named have no rows; collect data where they occur")
