"""Answer a causal query: identify, pick the estimand the data support, evaluate, decide.

The result says which estimand was used and why, the concrete terms and their
values, any assumption beyond the graph, and (for yes/no questions) the answer
to the claim.  A query that cannot be answered says precisely why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice, product
from typing import cast

from fmcgm.causal import graph as G
from fmcgm.causal.expr import Prob, concrete_terms, evaluate, expand, term_count
from fmcgm.causal.identification import Estimand, backdoor_sets
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import EFFECT_KINDS, Query, backadj_answer, candidates, collider_answer, treatment_of
from fmcgm.causal.terms import Assign
from fmcgm.errors import (
    AssumptionViolation,
    InconsistentInputError,
    InternalError,
    MissingQuantityError,
    NotIdentifiableError,
    QueryError,
)
from fmcgm.vocabulary import Claim, QueryKind

# Effects smaller than half a percentage point are reported as "no effect": the given numbers are
# rounded to whole percents, so a smaller difference is indistinguishable from zero.
MIN_EFFECT = 0.005
# Estimands whose expansion looks up more terms than this are skipped: evaluating them term by
# term would take exponential time (a sum over many variables); a shorter candidate is used.
MAX_TERMS = 1 << 14


@dataclass
class QueryResult:
    query: Query
    value: float | None = None
    bounds: tuple[float, float] | None = None
    estimand: str = ""
    estimand_expanded: str = ""  # the estimand with its sums written out over concrete terms
    method: str = ""
    assumptions: list[str] = field(default_factory=list)
    exact: bool = True
    terms: dict[str, float] = field(default_factory=dict)
    identified: Estimand | None = None  # the estimand used (an effect or probability query)
    answer: str | None = None  # "yes" / "no" for a claim
    reason: str = ""
    steps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "query": self.query.describe(), "kind": self.query.kind, "value": self.value,
            "bounds": list(self.bounds) if self.bounds else None, "estimand": self.estimand,
            "estimand_expanded": self.estimand_expanded, "method": self.method, "identification": identification(self.identified),
            "assumptions": self.assumptions,
            "exact": self.exact, "terms": self.terms, "answer": self.answer, "reason": self.reason,
            "steps": self.steps,
        }


def identification(est: Estimand | None) -> dict | None:
    """An estimand's fields as JSON (DoWhy's shape): what a consumer reads instead of the label."""
    if est is None:
        return None
    return {"kind": est.kind, "target": est.target, "adjustment_set": list(est.adjustment_set),
            "mediators": list(est.mediators), "instrument": est.instrument, "fixed": dict(est.fixed)}


def answer_query(g: G.CausalGraph, q: Query, statements: list[Statement], claim: Claim = Claim.NONE) -> QueryResult:
    """Exact answer of a query on a graph from given probability statements."""
    if q.kind == QueryKind.BACKADJ:
        ok, why = backadj_answer(g, q)
        return QueryResult(q, method="back-door criterion", answer=_yn(ok), reason=why,
                           steps=[why])
    if q.kind == QueryKind.COLLIDER_BIAS:
        path, why = collider_answer(g, q)
        holds = path if claim != Claim.NOT_AFFECTS else not path
        return QueryResult(q, method="directed-path check", answer=_yn(holds), reason=why, steps=[why])
    store = ProbabilityStore(statements, g)
    cands = candidates(g, q)
    steps = [f"query: {q.describe()}"]
    missing: list[str] = []
    too_long: list[str] = []
    empty: list[str] = []
    for est in cands.estimands:
        if term_count(est.expr) > MAX_TERMS:
            too_long.append(est.label)
            steps.append(f"skip {est.label}: its expansion has more than {MAX_TERMS} terms")
            continue
        terms = concrete_terms(est.expr)
        # The first candidate names every term it lacks (what to give); later ones stop at their
        # first gap, so declining on a large graph does not try to derive every term of every set.
        gaps = (t.text() for t in terms if not store.can_derive(*_key(t)))
        lacking = list(gaps) if not missing else list(islice(gaps, 1))
        if lacking:
            missing.extend(x for x in lacking if x not in missing)
            steps.append(f"skip {est.label}: needs {', '.join(lacking)}")
            continue
        try:
            value = evaluate(est.expr, store.lookup)
        except ZeroDivisionError as e:  # e.g. a leftover variable fixed at a value of probability 0
            steps.append(f"skip {est.label}: {e} (no support)")
            empty.append(str(e))
            continue
        if est.instrument is not None:
            check_instrument((est.instrument, treatment_of(q), q.outcome), value, store, q.outcome_value)
        res = _result(q, est, value, store, terms, steps)
        return _decide(res, claim)
    if q.kind == QueryKind.ETT:
        bounded = _ett_bounds(g, q, store, steps)
        if bounded is not None:
            return _decide(bounded, claim)
    if empty and not missing:
        raise InconsistentInputError(f"every estimand divides by a probability that is zero here ({empty[0]})",
                                     "the conditionals it needs have no support; give data where that cell occurs")
    if too_long and not missing:
        raise QueryError(f"every estimand of {q.describe()} has more than {MAX_TERMS} terms "
                         f"({', '.join(too_long)})", "ask about a smaller part of the graph")
    raise MissingQuantityError(missing or ["(no estimand)"], q.describe())


def check_instrument(instrument: tuple[str, str, str], ratio: float, store: ProbabilityStore, yv: int = 1) -> None:
    """An instrumental-variable answer checks its own assumptions on the numbers it is given.

    * The Wald ratio is, under the assumptions it rests on (z affects y only through x, z unconfounded,
      a monotone effect of z on x), the effect of x on the compliers: a risk difference of a binary outcome,
      so it lies in [-1, 1].  Outside, the numbers contradict those assumptions.
    * Pearl's instrument inequality (1995): for every value of x, Σ_y max_z P(x, y | z) ≤ 1 — testable when the
      joint P(x, y | z) can be derived from the given numbers.
    Either failure raises :class:`AssumptionViolation` with the numbers.
    """
    z, x, y = instrument
    if abs(ratio) > 1 + 1e-9:
        num = store.lookup(((y, yv),), ((z, 1),)) - store.lookup(((y, yv),), ((z, 0),))
        den = store.lookup(((x, 1),), ((z, 1),)) - store.lookup(((x, 1),), ((z, 0),))
        raise AssumptionViolation(
            f"the Wald ratio of the instrument {z} is {ratio:.2f} = ({num:+.2f}) / ({den:+.2f}), but the effect of "
            f"{x} on a binary {y} is a difference of two probabilities and lies in [-1, 1]: these numbers contradict "
            f"the instrument assumptions ({z} affects {y} only through {x}, nothing confounds {z}, {z} moves {x} "
            "one way)",
            f"check the numbers: the change in P({y}) across {z} cannot exceed the change in P({x}) that carries it")
    joint = [((x, xv), (y, v)) for xv in (0, 1) for v in (0, 1)]
    if not all(store.can_derive(tuple(sorted(e)), ((z, zv),)) for e in joint for zv in (0, 1)):
        return
    for xv in (0, 1):
        total = sum(max(store.lookup(tuple(sorted(((x, xv), (y, v)))), ((z, zv),)) for zv in (0, 1)) for v in (0, 1))
        if total > 1 + 1e-9:
            raise AssumptionViolation(
                f"these numbers violate Pearl's instrument inequality for {z}: for {x}={xv}, Σ_{y} max_{z} "
                f"P({x}={xv}, {y} | {z}) = {total:.3f} > 1, which no instrument allows: {z} must affect {y} other "
                f"than through {x} (or share a cause with it), so the instrumental-variable estimate does not apply",
                f"check the numbers, or the story's claim that {z} affects {y} only through {x}")


def _key(t: Prob) -> tuple[Assign, Assign]:
    """A concrete term's (event, given): concrete_terms has bound every symbol to a value."""
    return cast(Assign, t.event), cast(Assign, t.given)


def _result(q: Query, est: Estimand, value: float, store: ProbabilityStore, terms: list[Prob], steps: list[str]) -> QueryResult:
    used = {t.text(): store.lookup(*_key(t)) for t in terms}
    steps.append(f"identify with {est.label}: {est.expr.text()}")
    steps.append("plug in: " + ", ".join(f"{k} = {v:.4g}" for k, v in used.items()))
    steps.append(f"value = {value:.4f}")
    return QueryResult(q, value=value, estimand=est.expr.text(), estimand_expanded=expand(est.expr).text(),
                       method=est.label, identified=est, assumptions=list(est.assumptions), exact=est.exact, terms=used,
                       steps=steps)


def _ett_bounds(g: G.CausalGraph, q: Query, store: ProbabilityStore, steps: list[str]) -> QueryResult | None:
    """ETT when the treated's covariate weights P(z | x) are not given: exact bounds over all weights.

    ETT = Σ_z P(z | x) [P(y | x', z) - P(y | x, z)] lies between the smallest and
    largest stratum effect; when both have one sign, the direction is known exactly.
    """
    x, y, yv, t, o = treatment_of(q), q.outcome, q.outcome_value, q.treatment_value, q.control_value
    for z in backdoor_sets(g, x, y):
        zs = sorted(z)
        if not zs or 2 ** len(zs) > MAX_TERMS:
            continue
        diffs: list[float] = []
        weights: list[float | None] = []
        for combo in product((0, 1), repeat=len(zs)):
            zz = tuple(zip(zs, combo, strict=True))
            a, b = (((y, yv),), tuple(sorted(((x, o), *zz)))), (((y, yv),), tuple(sorted(((x, t), *zz))))
            if not (store.can_derive(*a) and store.can_derive(*b)):
                break
            diffs.append(store.lookup(*a) - store.lookup(*b))
            weights.append(store.lookup(zz, ()) if store.can_derive(zz, ()) else None)
        else:
            lo, hi = min(diffs), max(diffs)
            steps.append(f"P({', '.join(zs)} | {x}={t}) is not given: ETT = Σ_z P(z | {x}={t}) [P({y}={yv} | {x}={o}, z) - "
                         f"P({y}={yv} | {x}={t}, z)] lies in [{lo:.4f}, {hi:.4f}] for every weighting")
            res = QueryResult(q, bounds=(lo, hi), method=f"bounds over the unknown weights P({', '.join(zs)} | {x})",
                              estimand=f"Σ_z P(z | {x}={t}) [P({y}={yv} | {x}={o}, z) - P({y}={yv} | {x}={t}, z)], "
                                       f"z over {{{', '.join(zs)}}}",
                              steps=steps)
            if lo * hi > 0:
                res.value = None
                res.reason = "the sign is identified exactly: every stratum effect has the same sign"
                return res
            known = [w for w in weights if w is not None]
            if len(known) == len(weights):
                res.value = sum(w * d for w, d in zip(known, diffs, strict=True))
                res.exact = False
                res.assumptions.append(f"weights P({', '.join(zs)}) used for P({', '.join(zs)} | {x}={t}) "
                                       f"(assumes {x} independent of {', '.join(zs)}; not implied by the graph)")
                steps.append(f"approximate value with population weights: {res.value:.4f}")
                return res
    return None


def _yn(b: bool) -> str:
    return "yes" if b else "no"


def _decide(res: QueryResult, claim: Claim) -> QueryResult:
    """Turn a value (or exact bounds) into the yes/no answer of a claim."""
    if claim == Claim.NONE:
        return res
    lo, hi = res.bounds if (res.value is None and res.bounds) else (res.value, res.value)
    q = res.query
    if claim in (Claim.POSITIVE, Claim.NEGATIVE):
        if q.kind not in EFFECT_KINDS:
            raise QueryError(f"claim {claim!r} needs an effect query", "use more_likely/less_likely for probabilities")
        if lo is None or hi is None:
            raise InternalError(f"{q.describe()} has neither a value nor bounds", "a bug: an answered effect has one")
        positive = lo >= MIN_EFFECT
        negative = hi <= -MIN_EFFECT
        holds = positive if claim == Claim.POSITIVE else negative
        res.answer = _yn(holds)
        sign = "positive" if positive else "negative" if negative else f"below {MIN_EFFECT} in size (no effect)"
        res.reason = (res.reason + "; " if res.reason else "") + f"the effect is {sign}"
        if not (positive or negative) and max(abs(lo), abs(hi)) > 1e-9:  # the convention, not the number, decided
            res.assumptions.append(f"an effect smaller than {MIN_EFFECT} in size counts as no effect "
                                   f"(here {lo:+.4f}{'' if lo == hi else f' to {hi:+.4f}'}; stated numbers are "
                                   "rounded to whole percents)")
    elif claim in (Claim.AFFECTS, Claim.NOT_AFFECTS) and q.kind in EFFECT_KINDS:
        if lo is None or hi is None:
            raise InternalError(f"{q.describe()} has neither a value nor bounds", "a bug: an answered effect has one")
        if lo >= MIN_EFFECT or hi <= -MIN_EFFECT:
            some = True
        elif -MIN_EFFECT < lo and hi < MIN_EFFECT:
            some = False
        else:
            raise NotIdentifiableError(f"{q.describe()} lies in [{lo:.4f}, {hi:.4f}]: the numbers allow an effect and none",
                             "give the numbers that pin the effect down")
        res.answer = _yn(some if claim == Claim.AFFECTS else not some)
        res.reason = (res.reason + "; " if res.reason else "") + ("an effect" if some else
                                                                   f"no effect (below {MIN_EFFECT} in size)")
        if not some and max(abs(lo), abs(hi)) > 1e-9:
            res.assumptions.append(f"an effect smaller than {MIN_EFFECT} in size counts as no effect")
    elif claim in (Claim.MORE_LIKELY, Claim.LESS_LIKELY):
        p = res.value
        if p is None:
            raise NotIdentifiableError(f"claim {claim!r} needs the value of {q.describe()}, not only bounds",
                             "ask for the effect's direction instead")
        holds = p > 0.5 if claim == Claim.MORE_LIKELY else p < 0.5
        res.answer = _yn(holds)
        res.reason = f"P = {p:.4f} {'>' if p > 0.5 else '<=' } 0.5"
    res.steps.append(f"claim {claim}: {res.answer}")
    return res
