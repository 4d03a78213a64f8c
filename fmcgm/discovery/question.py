"""Read a yes/no effect question against a table's columns ("Does wet pavement affect slipping?").

Column names are matched to the question's words as in stories: case and ``_``/``-``
versus spaces do not matter (``wet_pavement`` ↔ "wet pavement").  The first column the
question names is the treatment, the second the outcome; the verb gives the claim.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from fmcgm.errors import ParseError


class EffectQuestion(BaseModel):
    treatment: str
    outcome: str
    claim: str  # affects / not_affects / positive / negative


def _words(name: str) -> str:
    return re.sub(r"[_\-\s]+", " ", name.strip().lower())


def read_effect_question(question: str, columns: list[str]) -> EffectQuestion:
    text = " " + re.sub(r"[^a-z0-9]+", " ", question.lower()) + " "
    hits: list[tuple[int, int, str]] = []
    for c in sorted(columns, key=len, reverse=True):  # longest first: "wet pavement" before "pavement"
        m = re.search(r" " + re.escape(_words(c)) + r"(?:s|es)? ", text)
        if m and not any(s <= m.start() < e for s, e, _ in hits):
            hits.append((m.start(), m.end(), c))
    hits.sort()
    if len(hits) < 2:
        named = [h[2] for h in hits]
        raise ParseError("the question names " + (f"only {named[0]!r}" if named else "no column") + " of the data",
                         "name the cause and the effect by their column names, e.g. 'Does "
                         + " affect ".join(_words(c) for c in columns[:2]) + "?'")
    x, y = hits[0][2], hits[1][2]
    between = text[hits[0][1]:hits[1][0]]
    negated = re.search(r"\b(not|no|never|n t)\b", text[:hits[1][0]]) is not None
    if re.search(r"\b(increase|increases|raise|raises|boost|boosts|improve|improves|more)\b", between):
        claim = "positive"
    elif re.search(r"\b(decrease|decreases|reduce|reduces|lower|lowers|less|prevent|prevents)\b", between):
        claim = "negative"
    else:
        claim = "affects"
    if negated and claim == "affects":
        claim = "not_affects"
    return EffectQuestion(treatment=x, outcome=y, claim=claim)


def question_columns(question: str, columns: list[str]) -> list[str]:
    """The columns a question names (treatment and outcome first), or none when it names fewer than two."""
    try:
        q = read_effect_question(question, columns)
    except ParseError:
        return []
    return [q.treatment, q.outcome]
