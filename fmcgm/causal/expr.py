"""Estimand expressions over observational probabilities.

A small expression tree (probability terms, sums over finite domains,
products, ratios, differences).  It renders as a readable formula, writes its
sums out over concrete terms (``expand``, what an answer shows), expands to a
sympy expression over named probability symbols (``to_sympy``, for callers who
want computer algebra), and evaluates numerically against any lookup of
concrete probability terms.  We keep our own tree rather
than sympy's ``Sum`` because terms need structured access (which variables are
conditioned on which) for evaluation, derivation and display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, ClassVar, Union

if TYPE_CHECKING:  # sympy is imported where an expression is expanded (about 1 s of start-up otherwise)
    import sympy

Value = Union[int, str]  # a concrete value, or a symbol bound by an enclosing Sum
Lookup = Callable[[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]], float]


class Expr:
    def text(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Const(Expr):
    value: float

    def text(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class Prob(Expr):
    """P(event | given); values are ints or bound symbols."""

    event: tuple[tuple[str, Value], ...]
    given: tuple[tuple[str, Value], ...] = ()

    def text(self) -> str:
        ev = ", ".join(f"{v}={x}" for v, x in self.event)
        gv = ", ".join(f"{v}={x}" for v, x in self.given)
        return f"P({ev} | {gv})" if gv else f"P({ev})"


@dataclass(frozen=True)
class Sum(Expr):
    bindings: tuple[tuple[str, str], ...]  # (variable, symbol)
    body: Expr

    def text(self) -> str:
        idx = ",".join(s for _, s in self.bindings)
        return f"Σ_{{{idx}}} {_wrap(self.body)}"


@dataclass(frozen=True)
class Product(Expr):
    factors: tuple[Expr, ...]

    def text(self) -> str:
        return " · ".join(_wrap(f) for f in self.factors) if self.factors else "1"


@dataclass(frozen=True)
class Binary(Expr):
    """Two operands and an operator: a difference or a ratio (substitution and traversal treat them alike)."""

    left: Expr
    right: Expr
    op: ClassVar[str]
    wrap_left: ClassVar[bool]  # a ratio brackets both sides, a difference only the subtrahend

    def text(self) -> str:
        left = _wrap(self.left) if self.wrap_left else self.left.text()
        return f"{left} {self.op} {_wrap(self.right)}"


class Diff(Binary):
    op, wrap_left = "-", False


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple[Expr, ...]

    def text(self) -> str:
        return " + ".join(t.text() for t in self.terms)


class Ratio(Binary):
    """left / right."""

    op, wrap_left = "/", True


def _wrap(e: Expr) -> str:
    return f"[{e.text()}]" if isinstance(e, (Binary, Add, Sum)) else e.text()


def prob(event: Mapping[str, Value], given: Mapping[str, Value] | None = None) -> Prob:
    return Prob(tuple(event.items()), tuple((given or {}).items()))


def _resolve(pairs, env: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((v, env[x] if isinstance(x, str) else int(x)) for v, x in pairs)


def evaluate(e: Expr, lookup: Lookup, domains: Mapping[str, tuple[int, ...]] | None = None,
             env: Mapping[str, int] | None = None) -> float:
    """Numeric value of an expression; ``lookup`` answers concrete P(event | given)."""
    env = dict(env or {})
    dom = domains or {}
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Prob):
        return lookup(_resolve(e.event, env), _resolve(e.given, env))
    if isinstance(e, Sum):
        total = 0.0
        vals = [dom.get(v, (0, 1)) for v, _ in e.bindings]
        for combo in product(*vals):
            inner = {**env, **{s: x for (_, s), x in zip(e.bindings, combo, strict=True)}}
            total += evaluate(e.body, lookup, dom, inner)
        return total
    if isinstance(e, Product):
        out = 1.0
        for f in e.factors:
            out *= evaluate(f, lookup, dom, env)
        return out
    if isinstance(e, Diff):
        return evaluate(e.left, lookup, dom, env) - evaluate(e.right, lookup, dom, env)
    if isinstance(e, Add):
        return sum(evaluate(t, lookup, dom, env) for t in e.terms)
    if isinstance(e, Ratio):
        den = evaluate(e.right, lookup, dom, env)
        if abs(den) < 1e-12:
            raise ZeroDivisionError(f"denominator {e.right.text()} is zero")
        return evaluate(e.left, lookup, dom, env) / den
    raise TypeError(f"not an expression: {e!r}")


def term_count(e: Expr, domains: Mapping[str, tuple[int, ...]] | None = None) -> int:
    """How many probability terms evaluating the expression looks up (sums expanded)."""
    if isinstance(e, Prob):
        return 1
    if isinstance(e, Sum):
        size = 1
        for v, _ in e.bindings:
            size *= len((domains or {}).get(v, (0, 1)))
        return size * term_count(e.body, domains)
    return sum(term_count(c, domains) for c in _children(e))


def concrete_terms(e: Expr, domains: Mapping[str, tuple[int, ...]] | None = None,
                   env: Mapping[str, int] | None = None) -> list[Prob]:
    """Every concrete probability term the expression needs, in order, without repeats."""
    seen: dict[Prob, None] = {}

    def record(ev, gv):
        seen.setdefault(Prob(ev, gv), None)
        return 0.5  # any valid number: only the terms matter here

    try:
        evaluate(e, record, domains, env)
    except ZeroDivisionError:  # pragma: no cover - 0.5 never divides to zero
        pass
    return list(seen)


def expand(e: Expr, domains: Mapping[str, tuple[int, ...]] | None = None) -> Expr:
    """The expression with every sum written out over its variables' finite domains: concrete terms only.
    What an answer shows as its expanded estimand, without importing a computer algebra system."""
    dom = domains or {}
    if isinstance(e, Sum):
        vals = [dom.get(v, (0, 1)) for v, _ in e.bindings]
        return Add(tuple(expand(substitute(e.body, {s: c for (_, s), c in zip(e.bindings, combo, strict=True)}), dom)
                         for combo in product(*vals)))
    if isinstance(e, Product):
        return Product(tuple(expand(f, dom) for f in e.factors))
    if isinstance(e, Add):
        return Add(tuple(expand(t, dom) for t in e.terms))
    if isinstance(e, Binary):
        return type(e)(expand(e.left, dom), expand(e.right, dom))
    return e


def to_sympy(e: Expr, domains: Mapping[str, tuple[int, ...]] | None = None) -> sympy.Expr:
    """Expand sums over finite domains into a sympy expression of probability symbols."""
    import sympy

    def walk(x: Expr, env: dict[str, int]) -> sympy.Expr:
        if isinstance(x, Const):
            return sympy.nsimplify(x.value)
        if isinstance(x, Prob):
            return sympy.Symbol(Prob(_resolve(x.event, env), _resolve(x.given, env)).text(), nonnegative=True)
        if isinstance(x, Sum):
            vals = [(domains or {}).get(v, (0, 1)) for v, _ in x.bindings]
            return sympy.Add(*[walk(x.body, {**env, **{s: c for (_, s), c in zip(x.bindings, combo, strict=True)}})
                               for combo in product(*vals)])
        if isinstance(x, Product):
            return sympy.Mul(*[walk(f, env) for f in x.factors])
        if isinstance(x, Diff):
            return walk(x.left, env) - walk(x.right, env)
        if isinstance(x, Add):
            return sympy.Add(*[walk(t, env) for t in x.terms])
        if isinstance(x, Ratio):
            return walk(x.left, env) / walk(x.right, env)
        raise TypeError(f"not an expression: {x!r}")

    return walk(e, {})


def free_symbols(e: Expr, bound: frozenset[str] = frozenset()) -> set[str]:
    """Value symbols not bound by an enclosing sum."""
    if isinstance(e, Prob):
        return {x for _, x in (*e.event, *e.given) if isinstance(x, str) and x not in bound}
    if isinstance(e, Sum):
        return free_symbols(e.body, bound | {s for _, s in e.bindings})
    out: set[str] = set()
    for child in _children(e):
        out |= free_symbols(child, bound)
    return out


def substitute(e: Expr, values: Mapping[str, Value], bound: frozenset[str] = frozenset()) -> Expr:
    """Replace free value symbols by concrete values."""
    def sub(pairs):
        return tuple((v, values[x] if isinstance(x, str) and x in values and x not in bound else x) for v, x in pairs)

    if isinstance(e, Prob):
        return Prob(sub(e.event), sub(e.given))
    if isinstance(e, Sum):
        return Sum(e.bindings, substitute(e.body, values, bound | {s for _, s in e.bindings}))
    if isinstance(e, Product):
        return Product(tuple(substitute(f, values, bound) for f in e.factors))
    if isinstance(e, Add):
        return Add(tuple(substitute(f, values, bound) for f in e.terms))
    if isinstance(e, Binary):
        return type(e)(substitute(e.left, values, bound), substitute(e.right, values, bound))
    return e


def _children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, Product):
        return e.factors
    if isinstance(e, Add):
        return e.terms
    if isinstance(e, Binary):
        return (e.left, e.right)
    if isinstance(e, Sum):
        return (e.body,)
    return ()
