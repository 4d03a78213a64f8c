"""A rule's condition as a tree: "the card is valid and either the guard approves or it is daytime" is
All(card is valid, Any(guard approves, it is daytime)); notation "Y = A AND (B OR C)" the same.

English groups an "or" inside an "and" with "either" ("… and either B or C") and an "and" inside an "or" with "both";
a flat mix without them ("A and B or C") has two readings, so it is refused (the reader asks), never guessed.
Notation is parsed by a small lark grammar (never ``eval``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lark import Lark, Transformer
from lark.exceptions import LarkError


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class All:
    parts: tuple[Cond, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Cond, ...]


@dataclass(frozen=True)
class Not:
    part: Cond


Cond = Lit | All | AnyOf | Not


class Ambiguous(ValueError):
    """A condition that mixes 'and' and 'or' without saying how they group."""


def literals(c: Cond) -> list[str]:
    if isinstance(c, Lit):
        return [c.text]
    if isinstance(c, Not):
        return literals(c.part)
    return [t for p in c.parts for t in literals(p)]


# -- prose ------------------------------------------------------------------------------------

_AND = re.compile(r",?\s+and\s+(?:also\s+)?|,\s+(?=either\b|both\b)", re.I)
_OR = re.compile(r",?\s+or\s+", re.I)


def _top_level(text: str, sep: re.Pattern[str]) -> list[str]:
    """Split at ``sep`` outside an 'either … or …' / 'both … and …' group (a group runs to the next comma or the end)."""
    out, start = [], 0
    group_end = -1
    for m in re.finditer(rf"\b(?:either|both)\b|{sep.pattern}", text, re.I):
        if m.group(0).lower() in ("either", "both"):
            comma = text.find(",", m.end())
            group_end = len(text) if comma < 0 else comma
            continue
        if m.start() < group_end:
            continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def _listed(parts: list[str]) -> list[str]:
    """ "A, B and C": the commas of a list are its conjunction too (not inside an either/both group)."""
    out: list[str] = []
    for p in parts:
        out += [p] if re.search(r"\b(?:either|both)\b", p, re.I) else [q.strip() for q in p.split(",") if q.strip()]
    return out


def parse_condition(text: str) -> Cond:
    """The condition tree of a rule's condition said in words."""
    text = re.sub(r"^(?:if|when|whenever)\s+", "", text.strip().rstrip(".,;"), flags=re.I)
    # "A, or if B and C": a repeated "if" opens a group of its own, whatever the "and"s inside it
    repeated = re.split(r",?\s+or\s+(?:if|when|whenever)\s+", text, flags=re.I)
    if len(repeated) > 1:
        return AnyOf(tuple(parse_condition(p) for p in repeated))
    repeated = re.split(r",\s+and\s+(?:if|when|whenever)\s+", text, flags=re.I)
    if len(repeated) > 1:
        return All(tuple(parse_condition(p) for p in repeated))
    ands, ors = _top_level(text, _AND), _top_level(text, _OR)
    if len(ands) > 1 and len(ors) > 1:
        raise Ambiguous(text)
    if len(ands) > 1:
        return All(tuple(parse_condition(p) for p in _listed(ands)))
    if len(ors) > 1:
        return AnyOf(tuple(parse_condition(p) for p in _listed(ors)))
    grouped = re.match(r"^(?:(?:it is|it's|they are)\s+)?(either|both)\s+(.+)$", text, re.I)
    if grouped:
        word, body = grouped.group(1).lower(), grouped.group(2)
        parts = _OR.split(body) if word == "either" else re.split(r",?\s+and\s+", body, flags=re.I)
        if len(parts) > 1:
            subs = tuple(parse_condition(p) for p in parts)
            return AnyOf(subs) if word == "either" else All(subs)
    return Lit(text)


# -- notation ---------------------------------------------------------------------------------

_GRAMMAR = r"""
start: rule ((","|";"|"and"i) rule)*
rule: NAME ("=" | ":=" | "<->" | "iff"i) expr
?expr: or_
?or_: and_ (("OR"i | "|" | "∨" | "||") and_)*  -> either
?and_: not_ (("AND"i | "&" | "∧" | "&&") not_)* -> every
?not_: ("NOT"i | "~" | "¬" | "!") not_ -> neg
     | NAME -> name
     | "(" expr ")"
NAME: /(?!(?i:and|or|not)\b)[A-Za-z][A-Za-z0-9_]*/
%import common.WS
%ignore WS
"""


class _ToCond(Transformer):
    def name(self, items):
        return Lit(str(items[0]))

    def neg(self, items):
        return Not(items[0])

    def either(self, items):
        return items[0] if len(items) == 1 else AnyOf(tuple(items))

    def every(self, items):
        return items[0] if len(items) == 1 else All(tuple(items))

    def rule(self, items):
        return str(items[0]), items[1]

    def start(self, items):
        return list(items)


@cache
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="earley")


def parse_rules_notation(text: str) -> list[tuple[str, Cond]] | None:
    """ "Rules: Y = A AND B, Z = Y OR C" -> [("Y", All(A, B)), ("Z", AnyOf(Y, C))]; None when it is not that."""
    body = re.sub(r"^\s*(?:the\s+)?rules?\s*(?:are)?\s*[:,-]?\s*", "", text.strip().rstrip("."), flags=re.I)
    if not re.search(r"\b(?:AND|OR|NOT)\b|[&|~¬∧∨!]", body) or not re.search(r"=|<->|\biff\b", body):
        return None
    try:
        return _ToCond().transform(_parser().parse(body))
    except LarkError:
        return None


__all__ = ["Cond", "Lit", "All", "AnyOf", "Not", "Ambiguous", "literals", "parse_condition", "parse_rules_notation"]
