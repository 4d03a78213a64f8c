"""Causal queries on binary variables: from a query to candidate estimands.

Rung 1: marginal, correlation (conditional contrast), explaining away,
collider bias, "which adjustment is correct" (back-door set vs. another).
Rung 2: average treatment effect.  Rung 3: effect of treatment on the treated,
natural direct and indirect effects.  Deterministic counterfactuals live in
:mod:`fmcgm.causal.deterministic`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import networkx as nx

from fmcgm.causal import graph as G
from fmcgm.causal.expr import Const, Diff, Expr, Prob, Product, Sum, substitute
from fmcgm.causal.id_algorithm import identify as id_identify
from fmcgm.causal.identification import (
    Estimand,
    ate_iv_estimands,
    backdoor_expr,
    backdoor_sets,
    bounded_sets,
    do_estimands,
    frontdoor_sets,
    is_backdoor_set,
    nearest,
)
from fmcgm.errors import NotIdentifiableError, QueryError
from fmcgm.vocabulary import EstimandKind, QueryKind

EFFECT_KINDS = (QueryKind.CORRELATION, QueryKind.EXP_AWAY, QueryKind.ATE, QueryKind.ETT, QueryKind.NDE, QueryKind.NIE)


@dataclass(frozen=True)
class Query:
    kind: QueryKind
    outcome: str
    treatment: str | None = None
    treatment_value: int = 1  # x1 (for ETT: the value the units actually have)
    control_value: int = 0  # x0 (for ETT: the counterfactual value)
    outcome_value: int = 1
    mediators: tuple[str, ...] = ()
    condition: tuple[tuple[str, int], ...] = ()  # exp_away: the collider's value
    adjustment_sets: tuple[tuple[str, ...], ...] = ()  # backadj: (method 1 set, method 2 set)

    def describe(self) -> str:
        x, y = self.treatment, self.outcome
        yv, x1, x0 = self.outcome_value, self.treatment_value, self.control_value
        return {
            QueryKind.MARGINAL: f"P({y}={yv})",
            QueryKind.CONDITIONAL: f"P({y}={yv} | {x}={x1})",
            QueryKind.CORRELATION: f"P({y}={yv} | {x}={x1}) - P({y}={yv} | {x}={x0})",
            QueryKind.EXP_AWAY: f"P({y}={yv} | {x}={x1}, {_cond(self)}) - P({y}={yv} | {x}={x0}, {_cond(self)})",
            QueryKind.ATE: f"P({y}={yv} | do({x}={x1})) - P({y}={yv} | do({x}={x0}))",
            QueryKind.ETT: f"P({y}_{{{x}={x0}}}={yv} | {x}={x1}) - P({y}={yv} | {x}={x1})",
            QueryKind.NDE: f"E[{y}_{{{x}={x1}, M_{{{x}={x0}}}}}] - E[{y}_{{{x}={x0}}}] with M = {{{', '.join(self.mediators)}}}",
            QueryKind.NIE: f"E[{y}_{{{x}={x0}, M_{{{x}={x1}}}}}] - E[{y}_{{{x}={x0}}}] with M = {{{', '.join(self.mediators)}}}",
            QueryKind.BACKADJ: f"is adjusting for {set(self.adjustment_sets[0]) if self.adjustment_sets else '?'} "
                               f"a valid way to estimate the effect of {x} on {y}?",
            QueryKind.COLLIDER_BIAS: f"does {x} causally affect {y}?",
            QueryKind.DET_COUNTERFACTUAL: f"{y} under do({x}={x1})",
        }[self.kind]


def _cond(q: Query) -> str:
    return ", ".join(f"{k}={v}" for k, v in q.condition)


@dataclass
class Candidates:
    estimands: list[Estimand]
    notes: list[str] = field(default_factory=list)


def validate_query(g: G.CausalGraph, q: Query) -> None:
    names = [q.outcome, *([q.treatment] if q.treatment else []), *q.mediators, *(k for k, _ in q.condition),
             *(v for s in q.adjustment_sets for v in s)]
    g.require(*names)
    if q.kind != QueryKind.MARGINAL and not q.treatment:
        raise QueryError(f"a {q.kind} query needs a treatment variable", "name the cause (treatment)")
    if q.treatment and q.treatment == q.outcome:
        raise QueryError(f"treatment and outcome are both {q.outcome!r}", "name two different variables")
    if q.kind in (QueryKind.NDE, QueryKind.NIE) and not q.mediators:
        raise QueryError(f"a {q.kind} query needs mediators", "name the mediator(s) the effect goes through")
    if q.kind == QueryKind.BACKADJ and len(q.adjustment_sets) != 2:
        raise QueryError("backadj compares exactly two adjustment sets", "give method 1's and method 2's sets")


def treatment_of(q: Query) -> str:
    """The treatment of a query that needs one (validate_query has checked it is there)."""
    if not q.treatment:
        raise QueryError(f"a {q.kind} query needs a treatment variable", "name the cause (treatment)")
    return q.treatment


def candidates(g: G.CausalGraph, q: Query) -> Candidates:
    """Candidate estimands for an effect or probability query (rung 1-3, not backadj/collider)."""
    validate_query(g, q)
    y, yv, x1, x0 = q.outcome, q.outcome_value, q.treatment_value, q.control_value
    if q.kind == QueryKind.MARGINAL:
        return Candidates([Estimand(Prob(((y, yv),)), EstimandKind.MARGINAL, q.kind)])
    x = treatment_of(q)
    if q.kind == QueryKind.CONDITIONAL:
        return Candidates([Estimand(Prob(((y, yv),), ((x, x1),)), EstimandKind.CONDITIONAL, q.kind)])
    if q.kind == QueryKind.CORRELATION:
        return Candidates([Estimand(Diff(Prob(((y, yv),), ((x, x1),)), Prob(((y, yv),), ((x, x0),))),
                                    EstimandKind.CONTRAST, q.kind)])
    if q.kind == QueryKind.EXP_AWAY:
        c = q.condition
        return Candidates([Estimand(Diff(Prob(((y, yv),), ((x, x1), *c)), Prob(((y, yv),), ((x, x0), *c))),
                                    EstimandKind.CONTRAST, q.kind)])
    if q.kind == QueryKind.ATE:
        return Candidates(_ate(g, x, y, x1, x0, yv))
    if q.kind == QueryKind.ETT:
        return Candidates(_ett(g, x, y, x1, x0, yv))
    if q.kind in (QueryKind.NDE, QueryKind.NIE):
        return Candidates(_natural(g, q))
    raise QueryError(f"{q.kind} has no estimand", "use answer_structural for backadj and collider_bias")


def _ate(g, x, y, x1, x0, yv) -> list[Estimand]:
    try:
        e1 = do_estimands(g, y, x, x1, yv)
        e0 = do_estimands(g, y, x, x0, yv)
        return [replace(a, expr=Diff(a.expr, b.expr), notes=()) for a, b in zip(e1, e0, strict=True)]
    except NotIdentifiableError as err:
        iv = ate_iv_estimands(g, y, x, yv)
        if not iv:
            raise
        sign = 1 if (x1, x0) == (1, 0) else -1
        out = []
        for est in iv:
            expr = est.expr if sign == 1 else Diff(Const(0), est.expr)
            why = f"not identifiable without assumptions: {err.message}"
            out.append(replace(est, expr=expr, assumptions=(why, *est.assumptions), exact=False))
        return out


def _ett(g, x, y, treated, other, yv) -> list[Estimand]:
    out: list[Estimand] = []
    factual = Prob(((y, yv),), ((x, treated),))
    for z in backdoor_sets(g, x, y):
        zs = sorted(z)
        if not zs:
            out.append(Estimand(Diff(Prob(((y, yv),), ((x, other),)), factual), EstimandKind.BACKDOOR, QueryKind.ETT))
            continue
        syms = tuple((v, v.lower() + "'") for v in zs)
        body = Product((Prob(((y, yv),), ((x, other), *syms)), Prob(syms, ((x, treated),))))
        out.append(Estimand(Diff(Sum(syms, body), factual), EstimandKind.BACKDOOR, QueryKind.ETT,
                            adjustment_set=tuple(zs)))
    for m in frontdoor_sets(g, x, y):
        ms = tuple((v, v.lower()) for v in sorted(m))
        body = Product((Prob(((y, yv),), ((x, treated), *ms)), Diff(Prob(ms, ((x, other),)), Prob(ms, ((x, treated),)))))
        out.append(Estimand(Sum(ms, body), EstimandKind.FRONTDOOR, QueryKind.ETT, mediators=tuple(sorted(m))))
    if not out:
        raise NotIdentifiableError(
            f"the effect of treatment on the treated of {x} on {y} is not identifiable here: "
            "no observed back-door set and no front-door set",
            "measure a confounder of the treatment and the outcome")
    return out


def mediators_cover_all_paths(g: G.CausalGraph, x: str, y: str, mediators) -> bool:
    cut = G.CausalGraph(g.nodes, tuple(e for e in g.edges if e[0] not in set(mediators)), g.latent, g.bidirected)
    return not G.has_directed_path(cut, x, y)


def _natural(g: G.CausalGraph, q: Query) -> list[Estimand]:
    x, y, yv, x1, x0 = treatment_of(q), q.outcome, q.outcome_value, q.treatment_value, q.control_value
    meds = list(q.mediators)
    if mediators_cover_all_paths(g, x, y, meds):
        if q.kind == QueryKind.NDE:
            return [Estimand(Const(0.0), EstimandKind.ALL_MEDIATED, q.kind, mediators=tuple(meds))]
        return [replace(e, target=QueryKind.NIE, mediators=tuple(meds)) for e in _ate(g, x, y, x1, x0, yv)]
    msyms = tuple((m, m.lower()) for m in meds)
    adjusted = _covariate_mediation(g, q, meds, msyms)
    if adjusted:
        return adjusted
    # P(y | do(x, m)): identified when possible, otherwise the naive conditional with the assumption said
    exact = True
    notes: list[str] = []
    try:
        pyxm_raw = id_identify(g, [y], [x, *meds])
        pyxm = lambda xv: substitute(pyxm_raw, {y: yv, x: xv, **{m: s for m, s in msyms}})  # noqa: E731
    except NotIdentifiableError as err:
        exact = False
        notes.append(f"P({y} | do({x}, {', '.join(meds)})) is not identifiable ({err.message}); "
                     f"assumed no unobserved mediator-outcome confounding")
        pyxm = lambda xv: Prob(((y, yv),), ((x, xv), *msyms))  # noqa: E731
    # P(m | do(x)) candidates
    pm_cands: list[Callable[..., Expr]]  # called with the treatment value only
    if len(meds) == 1:
        pm_cands = [(lambda xv, e=e: _rebind(g, meds[0], x, xv, e)) for e in _pm_sets(g, x, meds[0])]
    else:
        raw = id_identify(g, meds, [x])
        pm_cands = [lambda xv: substitute(raw, {x: xv, **{m: s for m, s in msyms}})]
    cross_ok = all(G.d_separated(G.remove_outgoing(g, [m]), {m}, {y}, {x}) for m in meds)
    if not cross_ok and exact:
        notes.append("the mediator and the outcome share a confounder; natural effects assume cross-world independence")
    out = []
    for pm in pm_cands:
        if q.kind == QueryKind.NDE:
            expr = Sum(msyms, Product((pm(x0), Diff(pyxm(x1), pyxm(x0)))))
        else:
            expr = Sum(msyms, Product((pyxm(x0), Diff(pm(x1), pm(x0)))))
        out.append(Estimand(expr, EstimandKind.MEDIATION, q.kind, mediators=tuple(meds), assumptions=tuple(notes),
                            exact=exact and cross_ok))
    return out


def _mediation_covariates(g: G.CausalGraph, x: str, y: str, meds: list[str]) -> list[set[str]]:
    """Observed sets W (non-descendants of x) under which the mediation formula is exact:
    W blocks the back-door paths x→y, x→m and, together with x, m→y (a bounded search)."""
    cands = [v for v in g.observed if v not in (x, y, *meds) and v not in G.descendants(g, [x])]
    bd = G.outgoing_cut(g, [x])
    cut = {m: G.outgoing_cut(g, [m]) for m in meds}

    def valid(w: set[str]) -> bool:
        return (all(G.separated(bd, {x}, {t}, w) for t in (y, *meds))
                and all(G.separated(cut[m], {m}, {y}, w | {x}) for m in meds))

    return bounded_sets(g, nearest(g, cands, (x, y, *meds), 4), valid, 4)


def _covariate_mediation(g: G.CausalGraph, q: Query, meds: list[str], msyms) -> list[Estimand]:
    x, y, yv, x1, x0 = treatment_of(q), q.outcome, q.outcome_value, q.treatment_value, q.control_value
    out = []
    for w in _mediation_covariates(g, x, y, meds):
        wsyms = tuple((v, v.lower() + "'") for v in sorted(w))
        py = lambda xv, wsyms=wsyms: Prob(((y, yv),), ((x, xv), *msyms, *wsyms))  # noqa: E731
        pm = lambda xv, wsyms=wsyms: Prob(msyms, ((x, xv), *wsyms))  # noqa: E731
        if q.kind == QueryKind.NDE:
            inner = Sum(msyms, Product((pm(x0), Diff(py(x1), py(x0)))))
        else:
            inner = Sum(msyms, Product((py(x0), Diff(pm(x1), pm(x0)))))
        expr = Sum(wsyms, Product((Prob(wsyms), inner))) if wsyms else inner
        out.append(Estimand(expr, EstimandKind.MEDIATION, q.kind, adjustment_set=tuple(sorted(w)), mediators=tuple(meds)))
    return out


def _pm_sets(g, x, m) -> list[set[str]]:
    sets = backdoor_sets(g, x, m)
    if not sets:
        raise NotIdentifiableError(f"P({m} | do({x})) has no back-door set", "measure a confounder of treatment and mediator")
    return sets


def _rebind(g, m, x, xv, z: set[str]) -> Expr:
    return backdoor_expr(x, m, xv, m.lower(), sorted(z))


# -- structural (non-numeric) queries ------------------------------------------------

def backadj_answer(g: G.CausalGraph, q: Query) -> tuple[bool, str]:
    """Is method 1's adjustment more correct than method 2's?

    A valid back-door set beats an invalid one; between valid sets the minimal
    one (no valid proper subset) is preferred: it is enough, and every extra
    variable adds terms to estimate.
    """
    validate_query(g, q)
    x, y = treatment_of(q), q.outcome

    def grade(s: set[str]) -> tuple[int, str]:
        # Correctness is judged on the graph; an unobserved set is correct but cannot be computed from data.
        unobs = f" (but {sorted(s & g.latent)} is unobserved, so it cannot be computed from data)" if s & g.latent else ""
        if not is_backdoor_set(g, x, y, s, allow_latent=True):
            return 0, "not a valid back-door set"
        minimal = nx.is_minimal_d_separator(G.outgoing_cut(g, [x]), {x}, {y}, s)
        return (2, "a minimal valid back-door set" + unobs) if minimal else (1, "valid but not minimal" + unobs)

    s1, s2 = (set(s) for s in q.adjustment_sets)
    (g1, w1), (g2, w2) = grade(s1), grade(s2)
    why = f"method 1 adjusts for {sorted(s1) or 'nothing'}: {w1}; method 2 adjusts for {sorted(s2) or 'nothing'}: {w2}"
    return g1 > g2, why


def collider_answer(g: G.CausalGraph, q: Query) -> tuple[bool, str]:
    """Does x causally affect y (a directed path), whatever a selected group's correlation shows?"""
    validate_query(g, q)
    path = G.has_directed_path(g, treatment_of(q), q.outcome)
    why = (f"there is {'a' if path else 'no'} directed path {q.treatment} -> {q.outcome}; "
           "a correlation inside a group selected on a common effect (collider) is not evidence of causation")
    return path, why

