"""Themed name sets for the question generator: everyday binary variables with the phrases a story needs.
The sets themselves are data, in ``evals/data/question_themes.json``.

A probabilistic :class:`Theme` names a population (``unit``) and five variables by role: the treatment
``x``, the outcome ``y``, a confounder or second cause ``z``, a mediator ``m`` and a collider ``c``,
plus the noun of an unobserved common cause ``u``. A :class:`RuleTheme` names two causes and an
effect tied by a deterministic boolean rule, with the tense forms counterfactual questions need.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def to_infinitive(phrase: str) -> str:
    for finite, bare in (("are not ", "not be "), ("are ", "be "), ("do not ", "not ")):
        if phrase.startswith(finite):
            return bare + phrase[len(finite):]
    return phrase


@dataclass(frozen=True)
class Var:
    """A binary variable of a population story.

    ``noun`` names the variable in graph statements and questions ("smoking"); ``pos``/``neg`` are the
    groups with the value 1/0 ("smokers"/"non-smokers"); ``event``/``neg_event`` are verb phrases for
    a plural subject ("smoke"/"do not smoke"); ``pp`` the past participle after "had they (not)"
    ("smoked"); ``off`` gerund phrases that set the treatment to 0 ("quitting smoking"); ``pnoun`` the
    noun after "the probability of" when ``noun`` does not fit there; ``sym`` the name in notation.
    """

    noun: str
    pos: str
    neg: str
    event: str
    neg_event: str
    pp: str = ""
    off: tuple[str, ...] = ()
    pnoun: str = ""
    sym: str = ""

    @property
    def prob_noun(self) -> str:
        return self.pnoun or self.noun

    @property
    def inf(self) -> str:
        """The event as a bare infinitive, for "likely to ..." and "help them ...": "are vaccinated" -> "be vaccinated"."""
        return to_infinitive(self.event)

    @property
    def neg_inf(self) -> str:
        return to_infinitive(self.neg_event)

    @property
    def symbol(self) -> str:
        if self.sym:
            return self.sym
        bare = re.sub(r"^(a|an|the) ", "", self.noun.lower())
        return re.sub(r"[^a-z0-9]+", "_", bare).strip("_")


@dataclass(frozen=True)
class Theme:
    name: str
    unit: str
    x: Var
    y: Var
    z: Var
    m: Var
    c: Var
    u: str

    @property
    def who(self) -> str:
        """The relative pronoun for the unit: "who" for people, "that" for fields, cars, mice..."""
        return "who" if self.unit in PERSONAL_UNITS else "that"

    def var(self, role: str) -> Var:
        """Role letters used by the structures: X, Y, Z (or W, a second cause), M, C."""
        return {"X": self.x, "Y": self.y, "Z": self.z, "W": self.z, "M": self.m, "C": self.c}[role]


@dataclass(frozen=True)
class RuleVar:
    """A yes/no fact of a deterministic story, in the tense forms the sentences use.

    ``subj`` + ``pp`` build "had it (not) rained" / "would the grass have been wet"; ``pres``/``pres_neg``
    the rule's clauses; ``past``/``past_neg`` the observations; ``pp_neg`` the negated outcome
    ("stayed dry"), optional.
    """

    subj: str
    pres: str
    pres_neg: str
    past: str
    past_neg: str
    pp: str
    pp_neg: str = ""


@dataclass(frozen=True)
class RuleTheme:
    name: str
    a: RuleVar
    b: RuleVar
    y: RuleVar
    ops: tuple[str, ...]  # "and", "or", "unless" (y = a and not b)


PERSONAL_UNITS = frozenset({"people", "students", "patients", "employees", "children", "customers", "drivers", "workers",
                            "teenagers"})


_DATA: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "question_themes.json").read_text(encoding="utf-8"))


def _var(v: dict) -> Var:
    return Var(**{**v, "off": tuple(v.get("off", ()))})


THEMES: tuple[Theme, ...] = tuple(
    Theme(**{**t, **{r: _var(t[r]) for r in "xyzmc"}}) for t in _DATA["themes"])
RULE_THEMES: tuple[RuleTheme, ...] = tuple(
    RuleTheme(**{**t, **{r: RuleVar(**t[r]) for r in "aby"}, "ops": tuple(t["ops"])}) for t in _DATA["rule_themes"])
