"""Causal effects estimated from a data table on a DAG or on every member of a CPDAG (IDA).

The effect of ``x`` on ``y`` is E[y | do(x = high)] − E[y | do(x = low)] (for a binary
outcome: the change in P(y = 1)).  Identification is back-door adjustment for a parent set
of ``x`` — valid in any DAG in which those are x's parents.  All-discrete variables are
estimated by counts (plug-in of the adjustment formula); otherwise by least squares with
the adjustment set as covariates (a linear model: said in the assumptions).  Confidence
intervals come from a nonparametric bootstrap.  An adjustment stratum in which one
treatment value never occurs makes the formula undefined: the error names the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fmcgm.discovery.pdag import DiscoveredGraph, local_members
from fmcgm.discovery.table import Table
from fmcgm.errors import ErrorCode, FMCGMError

BOOTSTRAP = 200
LEVEL = 0.95


class PositivityError(FMCGMError):
    code = ErrorCode.EMPTY_CELL


@dataclass
class MemberEffect:
    parents: list[str]
    value: float
    ci: tuple[float, float]
    estimand: str
    method: str


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


def _levels(t: Table, v: str) -> tuple[float, float, str]:
    """(low, high, label) of the contrast for variable v."""
    if t.kinds[v] == "discrete":
        labels = t.labels.get(v, [0, 1])
        hi = len(labels) - 1
        return 0.0, float(hi), f"{v}={labels[hi]} vs {v}={labels[0]}"
    return 0.0, 1.0, f"one unit of {v}"


def _plugin(cols: dict[str, np.ndarray], x: str, y: str, z: list[str], x0: int, x1: int, y1: int) -> float:
    yv = (cols[y] == y1).astype(float)
    if not z:
        return _mean(yv, cols[x] == x1, x, x1, "") - _mean(yv, cols[x] == x0, x, x0, "")
    keys = np.column_stack([cols[c] for c in z])
    strata, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    total = 0.0
    n = len(yv)
    for s, row in enumerate(strata):
        in_s = inv == s
        where = ", ".join(f"{c}={int(v)}" for c, v in zip(z, row, strict=True))
        diff = _mean(yv, in_s & (cols[x] == x1), x, x1, where) - _mean(yv, in_s & (cols[x] == x0), x, x0, where)
        total += diff * in_s.sum() / n
    return total


def _mean(yv: np.ndarray, mask: np.ndarray, x: str, xv: int, where: str) -> float:
    k = int(mask.sum())
    if k == 0:
        raise PositivityError(f"no rows with {x}={xv}" + (f" and {where}" if where else "")
                              + ": the adjustment formula needs P(outcome | that cell), which these data do not give",
                              "collect data in that cell, or ask about a population where it occurs")
    return float(yv[mask].mean())


def _ols(cols: dict[str, np.ndarray], x: str, y: str, z: list[str], scale: float) -> float:
    a = np.column_stack([np.ones(len(cols[y])), cols[x].astype(float), *[cols[c].astype(float) for c in z]])
    coef, *_ = np.linalg.lstsq(a, cols[y].astype(float), rcond=None)
    return float(coef[1] * scale)


def member_effect(t: Table, x: str, y: str, z: list[str], seed: int = 0) -> MemberEffect:
    x0, x1, xlabel = _levels(t, x)
    discrete = all(t.kinds[v] == "discrete" for v in (x, y, *z))
    if discrete:
        y1 = len(t.labels.get(y, [0, 1])) - 1

        def f(cols):
            return _plugin(cols, x, y, z, int(x0), int(x1), y1)
        method = "back-door adjustment by counts"
        ylab = f"P({y}={t.labels.get(y, [0, 1])[y1]} | do({{x}}))"
    else:
        def f(cols):
            return _ols(cols, x, y, z, x1 - x0)
        method = "back-door adjustment by linear regression"
        ylab = f"E[{y} | do({{x}})]"
    value = f(t.columns)
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, t.n, t.n)
        try:
            boots.append(f({k: v[idx] for k, v in t.columns.items()}))
        except PositivityError:
            continue  # a resample that empties a cell says nothing about the estimate's spread
    lo, hi = (np.quantile(boots, [(1 - LEVEL) / 2, (1 + LEVEL) / 2]) if boots else (value, value))
    adj = f" adjusting for {{{', '.join(z)}}}" if z else " (no adjustment needed)"
    est = f"{ylab.format(x=xlabel.split(' vs ')[0] if ' vs ' in xlabel else x)}: effect of {xlabel}{adj}"
    return MemberEffect(list(z), value, (float(lo), float(hi)), est, method)


def effect_from_data(t: Table, graph: DiscoveredGraph, x: str, y: str, claim: str = "affects",
                     seed: int = 0) -> DataEffect:
    """The effect under every parent set of x that the class allows; a verdict only when they agree."""
    if any(e.mark in ("<->", "o->", "o-o") for e in graph.edges if x in (e.a, e.b)):
        raise FMCGMError(f"the discovered graph leaves a possible latent confounder at {x} (a PAG mark)",
                         "the effect is not identified by adjustment for x's parents; collect more variables")
    members = [member_effect(t, x, y, sorted(pa), seed) if y not in pa else
               MemberEffect(sorted(pa), 0.0, (0.0, 0.0), f"{y} -> {x} in this member: no effect of {x} on {y}",
                            "graph structure")
               for pa in local_members(graph, x)]
    vals = [m.value for m in members]
    rng = (min(vals), max(vals))
    pos = all(m.ci[0] > 0 for m in members)
    neg = all(m.ci[1] < 0 for m in members)
    null = all(m.ci[0] <= 0 <= m.ci[1] for m in members)
    uncertain = [e.text() for e in graph.edges if e.mark == "--" and x in (e.a, e.b)]
    if pos or neg:
        direction = "increases" if pos else "decreases"
        holds = {"affects": True, "not_affects": False, "positive": pos, "negative": neg}.get(claim, True)
        answer, verdict = ("yes" if holds else "no"), f"{x} {direction} {y} under every graph the data allow"
    elif null:
        holds = claim == "not_affects"
        answer, verdict = ("yes" if holds else "no"), f"no effect of {x} on {y} is detectable in these data"
    else:
        answer, verdict = None, (f"not determined by these data: the effect lies in [{rng[0]:.4f}, {rng[1]:.4f}] "
                                 f"across the {len(members)} graphs the data allow")
    assumptions = ["no unmeasured confounding beyond the discovered graph (causal sufficiency)",
                   "the discovered equivalence class contains the true graph"]
    if any("regression" in m.method for m in members):
        assumptions.append("linear effects (least squares)")
    by_noise = [e.text() for e in graph.edges if e.source == "noise" and x in (e.a, e.b)]
    if by_noise:
        assumptions.append(f"additive noise: {', '.join(by_noise)} was oriented by the asymmetry of regression "
                           "residuals, not by independences")
    warnings = [f"the direction of {u} is not determined by the data" for u in uncertain]
    value = float(np.mean(vals)) if answer else None
    ci = (min(m.ci[0] for m in members), max(m.ci[1] for m in members))
    return DataEffect(x, y, answer, value, ci, rng, members,
                      members[0].method + (" under every member of the equivalence class (IDA)" if len(members) > 1 else ""),
                      "; ".join(f"[{', '.join(m.parents) or '∅'}] {m.estimand}" for m in members)
                      if len(members) > 1 else members[0].estimand, assumptions, warnings, verdict)


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
        raise FMCGMError(f"identification from counts needs 0/1 columns; {', '.join(bad)} are not",
                         "code those variables as 0/1")
    empty = []
    for e1, e0 in zip(do_estimands(g, y, x, 1), do_estimands(g, y, x, 0), strict=True):
        def f(tab: Table, e1=e1, e0=e0) -> float:  # bind this pair (B023)
            lk = _count_lookup(tab)
            return evaluate(e1.expr, lk) - evaluate(e0.expr, lk)
        try:
            value = f(t)
        except (PositivityError, ZeroDivisionError) as err:
            empty.append(f"{e1.method}: {err}")
            continue
        rng = np.random.default_rng(seed)
        boots = []
        for _ in range(BOOTSTRAP):
            try:
                boots.append(f(t.subset(rng.integers(0, t.n, t.n))))
            except (PositivityError, ZeroDivisionError):
                continue
        lo, hi = np.quantile(boots, [(1 - LEVEL) / 2, (1 + LEVEL) / 2]) if boots else (value, value)
        return MemberEffect([], value, (float(lo), float(hi)), e1.expr.text(), e1.method)
    raise PositivityError("no estimand can be computed from these data: " + "; ".join(empty),
                          "the cells named have no rows; collect data where they occur")
