"""Given probabilities, validated, and the exact derivations that extend them.

A :class:`ProbabilityStore` holds statements P(event | given) = p over binary
variables and answers any concrete term it can derive exactly:

* complements (P(Y=0 | ·) = 1 - P(Y=1 | ·)),
* independences the graph implies (d-separation drops conditioning variables),
* Bayes' rule from joints (P(A | B) = P(A, B) / P(B)),
* total probability (P(A | B) = Σ_c P(A | B, c) P(c | B)),
* the chain rule for joint events.

A term it cannot derive raises :class:`MissingQuantityError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fmcgm.causal import graph as G
from fmcgm.errors import InconsistentInputError, MissingQuantityError, ProbabilityError

Assign = tuple[tuple[str, int], ...]
TOL = 0.015  # given numbers are rounded to whole percents


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


def used_vars(ev: Assign, gv: Assign) -> set[str]:
    return {k for k, _ in ev} | {k for k, _ in gv}


class ProbabilityStore:
    def __init__(self, statements: list[Statement], graph: G.CausalGraph | None = None,
                 domains: Mapping[str, tuple[int, ...]] | None = None) -> None:
        self.graph = graph
        self.domains = dict(domains or {})
        self._known: dict[tuple[Assign, Assign], float] = {}
        for s in statements:
            self._add(s)
        self._check_consistency()

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

    @property
    def statements(self) -> list[Statement]:
        return [Statement(e, g, p) for (e, g), p in self._known.items()]

    # -- derivation ------------------------------------------------------------
    def lookup(self, event: Assign, given: Assign) -> float:
        """Exact value of P(event | given) or MissingQuantityError."""
        value = self._derive(tuple(sorted(event)), tuple(sorted(given)), 0, frozenset())
        if value is None:
            raise MissingQuantityError([term_text(tuple(sorted(event)), tuple(sorted(given)))])
        return value

    def can_derive(self, event: Assign, given: Assign) -> bool:
        return self._derive(tuple(sorted(event)), tuple(sorted(given)), 0, frozenset()) is not None

    def _derive(self, ev: Assign, gv: Assign, depth: int, visiting: frozenset) -> float | None:
        key = (ev, gv)
        if key in self._known:
            return self._known[key]
        if depth > 6 or key in visiting:
            return None
        visiting = visiting | {key}
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
            first, rest = ev[:1], ev[1:]
            a = self._derive(first, tuple(sorted(gv + rest)), depth + 1, visiting)
            if a is not None:
                b = self._derive(rest, gv, depth + 1, visiting)
                if b is not None:
                    return a * b
            a = self._derive(rest, tuple(sorted(gv + first)), depth + 1, visiting)
            if a is not None:
                b = self._derive(first, gv, depth + 1, visiting)
                if b is not None:
                    return a * b
        # Bayes: P(ev | gv) = P(ev, gv) / P(gv)
        if gv:
            joint = self._derive(tuple(sorted(ev + gv)), (), depth + 1, visiting)
            if joint is not None:
                marg = self._derive(gv, (), depth + 1, visiting)
                if marg is not None and marg > 0:
                    return min(1.0, joint / marg)
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
