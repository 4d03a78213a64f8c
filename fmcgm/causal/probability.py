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

Term-by-term derivation is memoised and its search is bounded (``RULE_BUDGET``), so a term
that cannot be derived is reported quickly.  A term it cannot derive raises
:class:`MissingQuantityError` naming it.  A number the others already determine must agree
with them up to rounding, or the store refuses the input naming both numbers
(:meth:`ProbabilityStore._check_overdetermined`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fmcgm.causal import graph as G
from fmcgm.causal.network import Network
from fmcgm.errors import InconsistentInputError, MissingQuantityError, ProbabilityError

Assign = tuple[tuple[str, int], ...]
Key = tuple[Assign, Assign]
TOL = 0.015  # given numbers are rounded to whole percents
# Each given number is a whole percent, so it is within half a percentage point of the number it
# rounds: a stated value may differ from the value the other numbers imply by its own rounding
# (ROUNDING) plus the rounding of those numbers carried through the derivation (their
# sensitivity times ROUNDING each).  A larger difference cannot come from rounding.
ROUNDING = 0.005
# Rule applications per derivation: the rules search a space that grows exponentially with the
# number of variables; past this budget the term counts as not derivable (a decline, never a guess).
RULE_BUDGET = 2000


@dataclass(frozen=True)
class Statement:
    event: Assign
    given: Assign
    p: float

    @classmethod
    def of(cls, event: Mapping[str, int], given: Mapping[str, int] | None, p: float) -> "Statement":
        return cls(tuple(sorted(event.items())), tuple(sorted((given or {}).items())), float(p))

    def text(self) -> str:
        return term_text(self.event, self.given) + f" = {self.p:g}"


def term_text(event: Assign, given: Assign) -> str:
    ev = ", ".join(f"{k}={v}" for k, v in event)
    gv = ", ".join(f"{k}={v}" for k, v in given)
    return f"P({ev} | {gv})" if gv else f"P({ev})"


def _pct(p: float) -> str:
    return f"{p * 100:.4g}%"


def used_vars(ev: Assign, gv: Assign) -> set[str]:
    return {k for k, _ in ev} | {k for k, _ in gv}


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
        self._budget = 0
        if check:
            self._check_consistency()
            self._check_overdetermined()

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

    def _check_consistency(self) -> None:
        for (ev, gv), p in list(self._known.items()):
            if len(ev) == 1:
                var, val = ev[0]
                dom = self.domains.get(var, (0, 1))
                total = sum(self._known.get((((var, o),), gv), 0.0) for o in dom)
                if all((((var, o),), gv) in self._known for o in dom) and abs(total - 1) > TOL * len(dom):
                    raise InconsistentInputError(
                        f"the probabilities of {var} given {dict(gv) or 'nothing'} sum to {total:.3f}, not 1",
                        "check the given percentages")
            if len(ev) >= 2:
                for k, v in ev:
                    sub = tuple(x for x in ev if x[0] != k)
                    marg = self._known.get((sub, gv))
                    if marg is not None and p > marg + TOL:
                        raise InconsistentInputError(
                            f"{term_text(ev, gv)} = {p:g} exceeds {term_text(sub, gv)} = {marg:g}",
                            "a joint probability cannot exceed its marginal")

    def _check_overdetermined(self) -> None:
        """A given number that the other given numbers already determine must agree with them.

        Each statement that is not a free parameter of the factorisation is derived from the
        others; when the stated and the implied value differ by more than rounding to whole
        percents explains, the input is refused naming both numbers and the statements used.
        """
        # Derived-looking statements first (marginals, joints, inverted conditionals; fewer
        # conditions first): when one contradicts the factorisation's entries, the message
        # names it rather than an entry.
        shapes: dict[str, set[frozenset[str]]] = {}
        for ev, gv in self._known:
            for k, _ in ev:
                shapes.setdefault(k, set()).add(frozenset(k2 for k2, _ in gv))
        for key in sorted(self._known, key=lambda k: (self._is_local_entry(k), len(k[1]))):
            stated = self._known[key]
            if self._is_free_parameter(key, shapes):
                continue
            rest = self._replaced(key, None)
            implied = rest._value(*key)
            if implied is None or abs(implied - stated) <= ROUNDING:
                continue
            spread, involved = rest._rounding_spread(key, implied)
            if abs(implied - stated) > ROUNDING + spread + 1e-9:
                used = ", ".join(f"{term_text(*k)} = {_pct(rest._known[k])}" for k in involved)
                raise InconsistentInputError(
                    f"{term_text(*key)} is given as {_pct(stated)}, but "
                    + (f"{used} imply {_pct(implied)}" if used else f"the other numbers imply {_pct(implied)}")
                    + f": they differ by {abs(implied - stated) * 100:.3g} percentage points, more than rounding "
                    f"to whole percents explains (at most {(ROUNDING + spread) * 100:.2g})",
                    "the numbers contradict each other: check which one is wrong and correct or remove it")

    def _local_set(self, var: str) -> set[str] | None:
        if self._network is None or var not in self._network.position:
            return None
        return set(dict(self._network.plan(frozenset({var})))[var])

    def _is_local_entry(self, key: Key) -> bool:
        """P(v | C(v)): an entry of v's local conditional in the graph's factorisation."""
        ev, gv = key
        return len(ev) == 1 and self._local_set(ev[0][0]) == {k for k, _ in gv}

    def _is_free_parameter(self, key: Key, shapes: Mapping[str, set[frozenset[str]]]) -> bool:
        """An entry of a local conditional P(v | C(v)) that no other statement constrains.

        Such a number is not determined by the others (a factorisation's entries are free),
        so deriving it from them would only spend time.  Complements are checked by the sums.
        ``shapes`` maps each variable to the conditioning sets of the statements about it.
        """
        ev, gv = key
        if len(ev) == 1:
            var, val = ev[0]
            dom = self.domains.get(var, (0, 1))
            if any(((((var, o),), gv) in self._known) for o in dom if o != val):
                return True  # the sum check covers the complement
        return self._is_local_entry(key) and shapes[ev[0][0]] == {frozenset(k for k, _ in gv)}

    def _replaced(self, key: Key, value: float | None) -> "ProbabilityStore":
        """The same store with one statement's number changed (or the statement left out)."""
        stmts = [Statement(e, g, value if (e, g) == key else p) for (e, g), p in self._known.items()
                 if (e, g) != key or value is not None]
        return ProbabilityStore(stmts, self.graph, self.domains, check=False)

    def _rounding_spread(self, key: Key, base: float) -> tuple[float, list[Key]]:
        """How far rounding of the given numbers can move the derived P(key), and which numbers move it.

        Each number is moved by ±ROUNDING in turn (first order: the effects add up).
        """
        spread, involved = 0.0, []
        for k, p in self._known.items():
            moves = [self._replaced(k, min(1.0, max(0.0, p + d)))._value(*key) for d in (ROUNDING, -ROUNDING)]
            delta = max((abs(m - base) for m in moves if m is not None), default=0.0)
            if delta > 1e-12:
                spread += delta
                involved.append(k)
        return spread, involved

    # -- derivation ------------------------------------------------------------
    def lookup(self, event: Assign, given: Assign) -> float:
        """Exact value of P(event | given) or MissingQuantityError."""
        key = (tuple(sorted(event)), tuple(sorted(given)))
        value = self._value(*key)
        if value is None:
            raise MissingQuantityError([term_text(*key)])
        return value

    def can_derive(self, event: Assign, given: Assign) -> bool:
        return self._value(tuple(sorted(event)), tuple(sorted(given))) is not None

    def _value(self, ev: Assign, gv: Assign) -> float | None:
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

    def _apply_rules(self, ev: Assign, gv: Assign, depth: int, visiting: frozenset) -> float | None:
        # an event that contradicts the condition, or is implied by it
        gd = dict(gv)
        for k, v in ev:
            if k in gd:
                return 0.0 if gd[k] != v else self._derive(tuple(x for x in ev if x[0] != k), gv, depth + 1, visiting) if len(ev) > 1 else 1.0
        # complement of a single binary event
        if len(ev) == 1:
            var, val = ev[0]
            dom = self.domains.get(var, (0, 1))
            if len(dom) == 2:
                other = dom[0] if val == dom[1] else dom[1]
                got = self._derive((((var, other),)), gv, depth + 1, visiting)
                if got is not None:
                    return 1.0 - got
        # graph-implied independence: drop a conditioning variable d-separated from the event
        if self.graph is not None and gv:
            evars = {k for k, _ in ev}
            for k, v in gv:
                rest = tuple(x for x in gv if x[0] != k)
                if G.d_separated(self.graph, evars, {k}, {r for r, _ in rest}):
                    got = self._derive(ev, rest, depth + 1, visiting)
                    if got is not None:
                        return got
        # chain rule for a joint event
        if len(ev) >= 2:
            # P(a, b | g) = P(a | b, g) P(b | g), split either way
            for part, other in ((ev[:1], ev[1:]), (ev[1:], ev[:1])):
                a = self._derive(part, tuple(sorted(gv + other)), depth + 1, visiting)
                if a is not None:
                    b = self._derive(other, gv, depth + 1, visiting)
                    if b is not None:
                        return a * b
        # Bayes: P(ev | gv) = P(ev, gv) / P(gv)
        if gv:
            joint = self._derive(tuple(sorted(ev + gv)), (), depth + 1, visiting)
            if joint is not None:
                marg = self._derive(gv, (), depth + 1, visiting)
                if marg is not None and marg > 0:
                    if joint > marg + TOL:  # never clamp a contradiction into a probability
                        raise InconsistentInputError(
                            f"the given numbers imply {term_text(tuple(sorted(ev + gv)), ())} = {_pct(joint)}, "
                            f"more than {term_text(gv, ())} = {_pct(marg)}",
                            "the numbers contradict each other: check which one is wrong and correct or remove it")
                    return min(1.0, joint / marg)  # up to rounding
        # marginalise a joint over one extra event variable: P(A | g) = Σ_c P(A, c | g)
        for (kev, kgv) in list(self._known):
            extra = [x for x in kev if x not in ev]
            if kgv != gv or len(extra) != 1 or not set(ev) <= set(kev) or extra[0][0] in used_vars(ev, gv):
                continue
            var = extra[0][0]
            parts = [self._derive(tuple(sorted(ev + ((var, val),))), gv, depth + 1, visiting)
                     for val in self.domains.get(var, (0, 1))]
            if all(p is not None for p in parts):
                return float(sum(parts))
        # total probability over one extra conditioning variable present in the statements
        used = used_vars(ev, gv)
        for (kev, kgv) in list(self._known):
            if kev != ev:
                continue
            extra = [x for x in kgv if x[0] not in used]
            if len(extra) != 1 or not set(gv) <= set(kgv):
                continue
            var = extra[0][0]
            total = 0.0
            for val in self.domains.get(var, (0, 1)):
                a = self._derive(ev, tuple(sorted(gv + ((var, val),))), depth + 1, visiting)
                b = self._derive(((var, val),), gv, depth + 1, visiting)
                if a is None or b is None:
                    total = None
                    break
                total += a * b
            if total is not None:
                return total
        return None
