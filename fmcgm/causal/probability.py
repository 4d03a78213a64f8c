"""Given probabilities, validated, and the exact derivations that extend them.

A :class:`ProbabilityStore` holds statements P(event | given) = p over binary
variables and answers any concrete term it can derive exactly:

* complements (P(Y=0 | ·) = 1 - P(Y=1 | ·)),
* independences the graph implies (d-separation drops conditioning variables),
* Bayes' rule from joints (P(A | B) = P(A, B) / P(B)),
* total probability (P(A | B) = Σ_c P(A | B, c) P(c | B)),
* the chain rule for joint events,
* variable elimination over the factorisation the statements support on the graph
  (:mod:`fmcgm.causal.network`): when every local conditional of a query's ancestors is
  given, any term follows exactly in polynomial time on sparse graphs.

Each term-by-term rewrite is one function with its identity in its docstring, tried in order from
:data:`RULES`.  Term-by-term derivation is memoised and its search is bounded (``RULE_BUDGET``), so a term
that cannot be derived is reported quickly.  A term it cannot derive raises
:class:`MissingQuantityError` naming it.  A number the others already determine must agree
with them up to rounding, or the store refuses the input naming both numbers
(:mod:`fmcgm.causal.consistency`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import lru_cache
from typing import Literal, TypeAlias

from fmcgm.causal import consistency
from fmcgm.causal import graph as G
from fmcgm.causal.consistency import CONTRADICTION_HINT, TOL
from fmcgm.causal.network import Network
from fmcgm.causal.terms import Assign, Key, Statement, pct, term_text
from fmcgm.errors import InconsistentInputError, MissingQuantityError, ProbabilityError

__all__ = ["RULES", "ProbabilityStore", "Statement", "term_text"]

# Rule applications per derivation: the rules search a space that grows exponentially with the
# number of variables; past this budget the term counts as not derivable (a decline, never a guess).
RULE_BUDGET = 2000


def used_vars(ev: Assign, gv: Assign) -> set[str]:
    return {k for k, _ in ev} | {k for k, _ in gv}


@lru_cache(maxsize=256)  # one question's numbers are checked by the reader, the critique and the tool
def _inconsistency(statements: tuple[Statement, ...], graph: G.CausalGraph | None,
                   domains: tuple[tuple[str, tuple[int, ...]], ...]) -> tuple[str, str] | None:
    """(message, hint) of the first contradiction among the numbers, or None."""
    try:
        consistency.check(ProbabilityStore(list(statements), graph, dict(domains), check=False))
    except InconsistentInputError as e:
        return e.message, e.hint
    return None


class ProbabilityStore:
    def __init__(self, statements: list[Statement], graph: G.CausalGraph | None = None,
                 domains: Mapping[str, tuple[int, ...]] | None = None, *, check: bool = True) -> None:
        self.graph = graph
        self.domains = dict(domains or {})
        self._known: dict[Key, float] = {}
        for s in statements:
            self._add(s)
        self._network = Network(graph, self._known, self.domains) if graph is not None else None
        self._memo: dict[Key, float | None] = {}
        self._separated: dict[tuple[frozenset[str], str, frozenset[str]], bool] = {}
        self._budget = 0
        if check:
            found = _inconsistency(tuple(statements), graph, tuple(sorted(self.domains.items())))
            if found is not None:
                raise InconsistentInputError(*found)

    # -- input ---------------------------------------------------------------
    def _add(self, s: Statement) -> None:
        if not (0.0 <= s.p <= 1.0):
            raise ProbabilityError(f"{term_text(s.event, s.given)} = {s.p:g} is outside [0, 1]",
                                   "probabilities are between 0 and 1 (0% to 100%)")
        if not s.event:
            raise ProbabilityError("a probability statement needs an event", "say what the probability is of")
        overlap = {k for k, _ in s.event} & {k for k, _ in s.given}
        if overlap:
            raise InconsistentInputError(f"{term_text(s.event, s.given)} conditions on its own event {sorted(overlap)}",
                                         "a variable is either the event or the condition")
        if self.graph is not None:
            self.graph.require(*[k for k, _ in (*s.event, *s.given)])
        key = (tuple(sorted(s.event)), tuple(sorted(s.given)))
        if key in self._known and abs(self._known[key] - s.p) > 1e-9:
            raise InconsistentInputError(
                f"{term_text(*key)} is given twice with different values ({self._known[key]:g} and {s.p:g})",
                "keep one value")
        self._known[key] = s.p

    # -- views for the consistency checks ---------------------------------------
    @property
    def known(self) -> Mapping[Key, float]:
        """The given numbers by (event, given)."""
        return self._known

    def local_set(self, var: str) -> set[str] | None:
        """C(var): what var's local conditional in the graph's factorisation is given (None without a graph)."""
        if self._network is None or var not in self._network.position:
            return None
        return set(self._network.local_set(var))

    def replaced(self, key: Key, value: float | None) -> ProbabilityStore:
        """The same store, unchecked, with one statement's number changed (or left out when None)."""
        known = dict(self._known)
        if value is None:
            del known[key]
        else:
            known[key] = value
        stmts = [Statement(e, g, p) for (e, g), p in known.items()]
        return ProbabilityStore(stmts, self.graph, self.domains, check=False)

    # -- derivation ------------------------------------------------------------
    def lookup(self, event: Assign, given: Assign) -> float:
        """Exact value of P(event | given) or MissingQuantityError."""
        key = (tuple(sorted(event)), tuple(sorted(given)))
        value = self.value(*key)
        if value is None:
            raise MissingQuantityError([term_text(*key)])
        return value

    def can_derive(self, event: Assign, given: Assign) -> bool:
        return self.value(tuple(sorted(event)), tuple(sorted(given))) is not None

    def value(self, ev: Assign, gv: Assign) -> float | None:
        """P(ev | gv) for sorted assignments, or None when it cannot be derived."""
        key = (ev, gv)
        if key not in self._memo:
            value = self._known.get(key)
            if value is None and self._network is not None:
                value = self._network.value(ev, gv)
            if value is None:
                self._budget = RULE_BUDGET
                value = self._derive(ev, gv, 0, frozenset())
            self._memo[key] = value
        return self._memo[key]

    def _derive(self, ev: Assign, gv: Assign, depth: int, visiting: frozenset) -> float | None:
        key = (ev, gv)
        if key in self._known:
            return self._known[key]
        if self._memo.get(key) is not None:  # a derived value is final; a failure may depend on the path
            return self._memo[key]
        if depth > 6 or key in visiting or self._budget <= 0:
            return None
        self._budget -= 1
        if self._network is not None:
            value = self._network.value(ev, gv)
            if value is not None:
                self._memo[key] = value
                return value
        visiting = visiting | {key}
        value = self._apply_rules(ev, gv, depth, visiting)
        if value is not None:
            self._memo[key] = value
        return value

    def independent(self, evars: frozenset[str], k: str, rest: frozenset[str]) -> bool:
        """evars ⫫ k | rest in the graph (memoised: the rule search asks the same question often)."""
        key = (evars, k, rest)
        if self.graph is None:
            return False
        if key not in self._separated:
            self._separated[key] = G.d_separated(self.graph, evars, {k}, rest)
        return self._separated[key]

    def _apply_rules(self, ev: Assign, gv: Assign, depth: int, visiting: frozenset) -> float | None:
        """Try the rewrite rules of :data:`RULES` in order; the first that derives the term (or decides it
        cannot be derived, :data:`UNDERIVABLE`) gives the answer. Sub-terms are derived one level deeper."""

        def derive(event: Assign, given: Assign) -> float | None:
            return self._derive(event, given, depth + 1, visiting)

        for rule in RULES:
            got = rule(self, ev, gv, derive)
            if got is UNDERIVABLE:
                return None
            if got is not None:
                return got
        return None


# -- the rewrite rules -----------------------------------------------------------------------------------
# Each rule sees the term P(ev | gv) (sorted assignments) and ``derive``, the store's bounded, memoised
# derivation of a sub-term one level deeper. It returns the term's value, None when it does not apply (the
# next rule is tried), or UNDERIVABLE when it settles that the term cannot be derived on this path.


class _Underivable(Enum):
    UNDERIVABLE = "underivable"


UNDERIVABLE = _Underivable.UNDERIVABLE
Derive: TypeAlias = Callable[[Assign, Assign], float | None]
RuleResult: TypeAlias = float | None | Literal[_Underivable.UNDERIVABLE]
Rule: TypeAlias = Callable[["ProbabilityStore", Assign, Assign, Derive], RuleResult]


def event_fixed_by_condition(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(x, A | x, g) = P(A | g, x);  P(x | x, g) = 1;  P(x | x', g) = 0 for x' ≠ x.

    Decided by the first event variable the condition also fixes: when the rest of the event cannot be
    derived, the term is UNDERIVABLE (no other rule is tried)."""
    fixed = dict(gv)
    for k, v in ev:
        if k in fixed:
            if fixed[k] != v:
                return 0.0
            if len(ev) == 1:
                return 1.0
            got = derive(tuple(x for x in ev if x[0] != k), gv)
            return UNDERIVABLE if got is None else got
    return None


def complement(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(X = x | g) = 1 − P(X = x' | g) for a binary X with values {x, x'}."""
    if len(ev) != 1:
        return None
    var, val = ev[0]
    dom = store.domains.get(var, (0, 1))
    if len(dom) != 2:
        return None
    other = dom[0] if val == dom[1] else dom[1]
    got = derive(((var, other),), gv)
    return None if got is None else 1.0 - got


def graph_independence(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(A | k, g) = P(A | g) when A ⫫ K | G in the graph (d-separation), for each conditioning K in turn."""
    if store.graph is None or not gv:
        return None
    evars = frozenset(k for k, _ in ev)
    for k, _ in gv:
        rest = tuple(x for x in gv if x[0] != k)
        if store.independent(evars, k, frozenset(r for r, _ in rest)):
            got = derive(ev, rest)
            if got is not None:
                return got
    return None


def chain_rule(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(a, B | g) = P(a | B, g) · P(B | g), or split the other way: P(A, b | g) = P(A | b, g) · P(b | g)."""
    if len(ev) < 2:
        return None
    splits: tuple[tuple[Assign, Assign], ...] = ((ev[:1], ev[1:]), (ev[1:], ev[:1]))
    for part, cond in splits:
        a = derive(part, tuple(sorted(gv + cond)))
        if a is not None:
            b = derive(cond, gv)
            if b is not None:
                return a * b
    return None


def bayes(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(A | g) = P(A, g) / P(g) for P(g) > 0.

    A joint above its marginal beyond rounding is a contradiction in the input, refused, never clamped."""
    if not gv:
        return None
    joint_event = tuple(sorted(ev + gv))
    joint = derive(joint_event, ())
    if joint is None:
        return None
    marg = derive(gv, ())
    if marg is None or marg <= 0:
        return None
    if joint > marg + TOL:
        raise InconsistentInputError(
            f"the given numbers imply {term_text(joint_event, ())} = {pct(joint)}, "
            f"more than {term_text(gv, ())} = {pct(marg)}",
            CONTRADICTION_HINT)
    return min(1.0, joint / marg)  # up to rounding


def marginalisation(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(A | g) = Σ_c P(A, C = c | g), over one extra event variable C of a given statement P(A, c | g)."""
    for (kev, kgv) in list(store.known):
        extra = [x for x in kev if x not in ev]
        if kgv != gv or len(extra) != 1 or not set(ev) <= set(kev) or extra[0][0] in used_vars(ev, gv):
            continue
        var = extra[0][0]
        parts = [derive(tuple(sorted(ev + ((var, val),))), gv) for val in store.domains.get(var, (0, 1))]
        if all(p is not None for p in parts):
            return float(sum(p for p in parts if p is not None))
    return None


def total_probability(store: ProbabilityStore, ev: Assign, gv: Assign, derive: Derive) -> RuleResult:
    """P(A | g) = Σ_c P(A | g, C = c) · P(C = c | g), over one extra conditioning variable C of a given
    statement P(A | g, c)."""
    used = used_vars(ev, gv)
    for (kev, kgv) in list(store.known):
        if kev != ev:
            continue
        extra = [x for x in kgv if x[0] not in used]
        if len(extra) != 1 or not set(gv) <= set(kgv):
            continue
        var = extra[0][0]
        total = 0.0
        for val in store.domains.get(var, (0, 1)):
            a = derive(ev, tuple(sorted(gv + ((var, val),))))
            b = derive(((var, val),), gv)
            if a is None or b is None:
                break
            total += a * b
        else:
            return total
    return None


# Tried in this order: the order is part of the behaviour (the search is budgeted and memoised).
RULES: tuple[Rule, ...] = (
    event_fixed_by_condition,
    complement,
    graph_independence,
    chain_rule,
    bayes,
    marginalisation,
    total_probability,
)
