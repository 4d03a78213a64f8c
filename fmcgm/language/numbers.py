"""Numbers a probability can never be: refused with the reason, before any reader runs.

A reader that finds "40%" inside "20-40%" or "10%" inside "-10%" answers confidently from a number
nobody stated. Every rule below is one shape of number that is not a probability, with an example;
``refusals(text)`` lists each one found, naming the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fmcgm.language.rule import PatternRule

_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|a hundred|hundred)"
_PCT = r"(?:\s*%|\s+percent\b|\s+per\s*cent\b)"


@dataclass(frozen=True)
class Rule(PatternRule):
    reason: str  # why a number it matches is refused
    example: str


RULES = (
    Rule("negative", re.compile(rf"(?:(?<![\w.)])-\s*{_NUM}(?!\s*(?:->|=))|\b(?:minus|negative)\s+{_NUM}|"
                                rf"\b(?:minus|negative)\s+{_WORD}\b)", re.I),
         "a probability cannot be negative", "Among non-smokers, -10% get cancer."),
    Rule("range", re.compile(rf"{_NUM}{_PCT}?\s*(?:-|to)\s*{_NUM}{_PCT}|\bbetween\s+{_NUM}{_PCT}?\s+and\s+{_NUM}{_PCT}",
                             re.I),
         "a range is not one probability; give one number", "Among smokers, 20-40% get cancer."),
    Rule("over_100", re.compile(rf"(?<![\d.])(?:10[1-9]|1[1-9]\d|[2-9]\d\d|\d{{4,}})(?:\.\d+)?{_PCT}"
                                rf"|(?<![\d.])100\.0*[1-9]\d*{_PCT}", re.I),
         "a probability cannot exceed 100%", "Among smokers, 120% get cancer."),
    Rule("scientific", re.compile(r"\b\d+(?:\.\d+)?e[-+]?\d+\b", re.I),
         "write it as a percent or a decimal (0.1)", "Among smokers, 1e-1 get cancer."),
    Rule("bound", re.compile(rf"\b(?:more|less|fewer|greater|higher|lower) than\s+{_NUM}|\bat (?:most|least)\s+{_NUM}"
                             rf"|\b(?:up to|over|under|above|below|nearly|almost|no more than|not more than)\s+{_NUM}{_PCT}",
                             re.I),
         "a bound is not one probability; give the number", "Among non-smokers, more than 10% get cancer."),
    Rule("relative", re.compile(rf"(?<![=\d.])\s*{_NUM}(?:{_PCT}|\s*(?:percentage )?points?)\s+(?:more|fewer|less|higher|lower)\b"
                                rf"|(?<![=\d.])\s*{_NUM}\s+times\b", re.I),
         "a change relative to another group is not a probability; give the group's own number",
         "Among non-smokers, 20 percent more get cancer."),
    Rule("zero_base", re.compile(rf"(?:{_NUM}|{_WORD})\s+(?:in|out of)\s+(?:0+(?:\.0+)?|zero)\b", re.I),
         "'n in 0' is not a number", "1 in 0 smokers get cancer."),
)


@dataclass(frozen=True)
class Refusal:
    words: str
    reason: str

    def message(self) -> str:
        return f"the number {self.words!r}: {self.reason}"


def refusals(text: str) -> list[Refusal]:
    """Every number shape in ``text`` (normalized) that no probability can have."""
    out: list[Refusal] = []
    taken: list[tuple[int, int]] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if rule.name == "negative" and (_is_formal_minus(text, m.start()) or _signed_quantity(text, m.start())):
                continue
            if rule.name == "range" and _CHANGE_FROM.search(text[:m.start()]) and " to " in m.group(0):
                continue  # "raises the chance ... from 40% to 70%": two numbers, before and after (prose.read_change)
            taken.append(m.span())
            out.append(Refusal(m.group(0).strip(), rule.reason))
    return out


# a change said by its two ends: "The drug raises the chance that ... from 40% to 70%" (read by prose._read_change)
CHANGE_VERBS = r"raises?|increases?|boosts?|lifts?|lowers?|reduces?|cuts?|decreases?|drops?"
_CHANGE_FROM = re.compile(rf"\b(?:{CHANGE_VERBS})\s+[^.;?!]*\bfrom\s*$", re.I)


def _signed_quantity(text: str, i: int) -> bool:
    """'the correlation ... is -0.05': a quantity that may be negative, stated in the same clause."""
    clause = re.split(r"[.;?!]\s", text[:i])[-1].lower()
    return "correlat" in clause or "covarian" in clause


def _is_formal_minus(text: str, i: int) -> bool:
    """'P(Y=1) - P(Y=0)', 'a - 0.3' and '... is 0.3 - 0.1': a subtraction, not a sign."""
    before = text[:i].rstrip()
    return bool(before) and (before[-1] in ")]" or before[-1].isalnum() and not before.endswith(("is", "was", "of", "be",
                                                                                                   "are", "were", "equals")))


# "about 30%", "roughly 0.3": a number said to be approximate. It is used as stated, and the answer says so.
_APPROX = re.compile(rf"\b(?:about|approximately|roughly|around|some|circa|close to|in the region of)\s+"
                     rf"(?:{_NUM}{_PCT}|0?\.\d+\b)", re.I)


def approximations(text: str) -> list[str]:
    """The approximate numbers of ``text`` with their hedge word, as written ("about 30%")."""
    return [m.group(0) for m in _APPROX.finditer(text)]
