"""Consistency of the given probabilities: sums, joints, and numbers the others determine.

Given numbers are whole percents.  Three checks, each naming the numbers involved:

* the probabilities of a variable's values under one condition sum to one,
* a joint probability does not exceed its marginal,
* a number the other numbers already determine (an over-determined quantity: a stated
  marginal beside the conditionals that imply it, a joint, an inverted conditional, the same
  conditional given twice in forms the graph makes equal) agrees with them up to rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fmcgm.causal import graph as G
from fmcgm.causal.terms import Key, Statement, pct, term_text
from fmcgm.errors import InconsistentInputError

if TYPE_CHECKING:
    from fmcgm.causal.probability import ProbabilityStore

TOL = 0.015  # sums and joints: each given number is rounded to a whole percent
# Each given number is a whole percent, so it is within half a percentage point of the number it
# rounds: a stated value may differ from the value the other numbers imply by its own rounding
# (ROUNDING) plus the rounding of those numbers carried through the derivation (their
# sensitivity times ROUNDING each).  A larger difference cannot come from rounding.
ROUNDING = 0.005
CONTRADICTION_HINT = "the numbers contradict each other: check which one is wrong and correct or remove it"


def check(store: ProbabilityStore) -> None:
    """Raise :class:`InconsistentInputError` naming the numbers when the given ones contradict."""
    check_sums_and_joints(store.known, store.domains)
    check_overdetermined(store)


def check_sums_and_joints(known: Mapping[Key, float], domains: Mapping[str, tuple[int, ...]]) -> None:
    for (ev, gv), p in known.items():
        if len(ev) == 1:
            var, val = ev[0]
            dom = domains.get(var, (0, 1))
            total = sum(known.get((((var, o),), gv), 0.0) for o in dom)
            if all((((var, o),), gv) in known for o in dom) and abs(total - 1) > TOL * len(dom):
                raise InconsistentInputError(
                    f"the probabilities of {var} given {dict(gv) or 'nothing'} sum to {total:.3f}, not 1",
                    "check the given percentages")
        if len(ev) >= 2:
            for k, _ in ev:
                sub = tuple(x for x in ev if x[0] != k)
                marg = known.get((sub, gv))
                if marg is not None and p > marg + TOL:
                    raise InconsistentInputError(
                        f"{term_text(ev, gv)} = {p:g} exceeds {term_text(sub, gv)} = {marg:g}",
                        "a joint probability cannot exceed its marginal")


def check_overdetermined(store: ProbabilityStore) -> None:
    """A given number that the other given numbers already determine must agree with them.

    Each statement that is not a free parameter of the factorisation is derived from the
    others; when the stated and the implied value differ by more than rounding to whole
    percents explains, the input is refused naming both numbers and the statements used.
    """
    # Derived-looking statements first (marginals, joints, inverted conditionals; fewer
    # conditions first): when one contradicts the factorisation's entries, the message
    # names it rather than an entry.
    shapes: dict[str, set[frozenset[str]]] = {}
    for ev, gv in store.known:
        for k, _ in ev:
            shapes.setdefault(k, set()).add(frozenset(k2 for k2, _ in gv))
    for key in sorted(store.known, key=lambda k: (_is_local_entry(store, k), len(k[1]))):
        stated = store.known[key]
        if _is_free_parameter(store, key, shapes):
            continue
        rest = store.replaced(key, None)
        implied = rest.value(*key)
        if implied is None or abs(implied - stated) <= ROUNDING:
            continue
        spread, involved = _rounding_spread(rest, key, implied)
        if abs(implied - stated) > ROUNDING + spread + 1e-9:
            used = ", ".join(f"{term_text(*k)} = {pct(rest.known[k])}" for k in involved)
            raise InconsistentInputError(
                f"{term_text(*key)} is given as {pct(stated)}, but "
                + (f"{used} imply {pct(implied)}" if used else f"the other numbers imply {pct(implied)}")
                + f": they differ by {abs(implied - stated) * 100:.3g} percentage points, more than rounding "
                f"to whole percents explains (at most {(ROUNDING + spread) * 100:.2g})",
                CONTRADICTION_HINT)


def _is_local_entry(store: ProbabilityStore, key: Key) -> bool:
    """P(v | C(v)): an entry of v's local conditional in the graph's factorisation."""
    ev, gv = key
    return len(ev) == 1 and store.local_set(ev[0][0]) == {k for k, _ in gv}


def _is_free_parameter(store: ProbabilityStore, key: Key, shapes: Mapping[str, set[frozenset[str]]]) -> bool:
    """An entry of a local conditional P(v | C(v)) that no other statement constrains.

    Such a number is not determined by the others (a factorisation's entries are free),
    so deriving it from them would only spend time.  Complements are checked by the sums.
    ``shapes`` maps each variable to the conditioning sets of the statements about it.
    """
    ev, gv = key
    if len(ev) == 1:
        var, val = ev[0]
        dom = store.domains.get(var, (0, 1))
        if any(((((var, o),), gv) in store.known) for o in dom if o != val):
            return True  # the sum check covers the complement
    return _is_local_entry(store, key) and shapes[ev[0][0]] == {frozenset(k for k, _ in gv)}


def _rounding_spread(store: ProbabilityStore, key: Key, base: float) -> tuple[float, list[Key]]:
    """How far rounding of the given numbers can move the derived P(key), and which numbers move it.

    Each number is moved by ±ROUNDING in turn (first order: the effects add up).
    """
    spread, involved = 0.0, []
    for k, p in store.known.items():
        moves = [_moved(store, k, p + d, key) for d in (ROUNDING, -ROUNDING)]
        delta = max((abs(m - base) for m in moves if m is not None), default=0.0)
        if delta > 1e-12:
            spread += delta
            involved.append(k)
    return spread, involved


def _moved(store: ProbabilityStore, k: Key, p: float, key: Key) -> float | None:
    """P(key) with the number of statement k set to p (None where that cannot be derived)."""
    try:
        return store.replaced(k, min(1.0, max(0.0, p))).value(*key)
    except InconsistentInputError:  # a move past an edge of the feasible numbers
        return None


def check_local_markov(g: G.CausalGraph, statements: list[Statement]) -> None:
    """Numbers for a variable given more than its parents must not depend on the extra non-descendants.

    Local Markov property: V ⫫ nd(V) | pa(V).  "X -> M -> Y" with P(Y=1 | X=0, M=0) = 0.2 and
    P(Y=1 | X=1, M=0) = 0.1 says Y depends on X given M, which the graph (no X -> Y) denies: the input is refused
    naming both numbers, never answered with one of them."""
    groups: dict[tuple, list[Statement]] = {}
    for s in statements:
        if len(s.event) != 1 or s.event[0][0] not in g.nodes:
            continue
        v = s.event[0][0]
        given = dict(s.given)
        if any(k not in g.nodes for k in given):
            continue
        pa = G.parents(g, v)
        extra = set(given) - pa
        if not extra or not pa <= set(given) or extra & G.descendants(g, [v]):
            continue
        key = (s.event, tuple(sorted((k, given[k]) for k in pa)), tuple(sorted(extra)))
        groups.setdefault(key, []).append(s)
    for (event, pa_values, extra), ss in groups.items():
        lo, hi = min(ss, key=lambda s: s.p), max(ss, key=lambda s: s.p)
        if hi.p - lo.p > 2 * ROUNDING + 1e-9:
            v = event[0][0]
            raise InconsistentInputError(
                f"{lo.text()} and {hi.text()} say {v} depends on {', '.join(extra)}"
                + (f" given {', '.join(k for k, _ in pa_values)}" if pa_values else "")
                + f", but the graph has no arrow from {', '.join(extra)} to {v}",
                f"add the arrow(s) {', '.join(f'{x} -> {v}' for x in extra)} or correct the numbers")
