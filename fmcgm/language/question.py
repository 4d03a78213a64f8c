"""Recognise what a question asks: its query type, the phrases it names, and its claim.

Each question form is a regular expression over the sentence shape; the
captured phrases are grounded to variables later.  A question no form matches
raises :class:`ParseError` with the forms we do understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fmcgm.errors import ParseError


@dataclass
class QuestionSpec:
    kind: str
    claim: str
    treatment: str | None = None  # phrase for the treatment (often a value phrase)
    outcome: str | None = None  # phrase for the outcome value asked about
    outcome_alt: str | None = None  # marginal: "than Y0"
    mediators: list[str] = field(default_factory=list)
    condition: str | None = None  # collider group, ETT treated group
    counterfactual: str | None = None  # ETT/det: the counterfactual treatment clause
    factual: str | None = None  # det: "instead of ..."
    names_variables: bool = False  # phrases are variable names rather than value phrases


def _dir(word: str) -> str:
    return "positive" if word.lower() in ("increase", "larger", "more", "positively", "raise", "higher") else "negative"


FORMS: list[tuple[str, re.Pattern]] = [
    ("ate", re.compile(r"^will (.+?) (increase|decrease) the (?:chance|probability|likelihood) of (.+?)\?$", re.I)),
    ("correlation", re.compile(r"^is the (?:chance|probability) of (.+?) (larger|smaller) when observing (.+?)\?$", re.I)),
    ("marginal", re.compile(r"^is (.+?) (more|less) likely than (.+?) overall\?$", re.I)),
    ("ett", re.compile(r"^for (.+?), would it be (more|less) likely to see (.+?) if (.+?)\?$", re.I)),
    ("nde", re.compile(r"^if we disregard the mediation effect through (.+?), "
                       r"would (.+?) (positively|negatively) affect (.+?)\?$", re.I)),
    ("nie", re.compile(r"^does (.+?) (positively|negatively) affect (.+?) through (.+?)\?$", re.I)),
    ("backadj", re.compile(r"^to understand how (.+?) affects (.+?), "
                           r"is it more correct to use the method 1 than method 2\?$", re.I)),
    ("collider_bias", re.compile(r"^if we look at (.+?), "
                                 r"does it mean that (.+?) (does not affect|doesn't affect|affects) (.+?)\?$", re.I)),
    ("exp_away", re.compile(r"^if we look at (.+?), "
                            r"does the (?:chance|probability) of (.+?) (increase|decrease) when (.+?)\?$", re.I)),
    ("det_counterfactual", re.compile(r"^would (.+?) if (.+?) instead of (.+?)\?$", re.I)),
    # general forms for chat users
    ("ate_value", re.compile(r"^what (?:is|would be) the (?:average )?(?:causal |treatment )?effect of (.+?) on (.+?)\?$", re.I)),
    ("ate_sign", re.compile(r"^does (.+?) (?:causally )?(increase|decrease|raise|lower) "
                            r"(?:the (?:chance|probability|risk) of )?(.+?)\?$", re.I)),
]


def parse_question(q: str) -> QuestionSpec:
    q = re.sub(r"\s+", " ", q.strip())
    for kind, rx in FORMS:
        m = rx.match(q)
        if not m:
            continue
        g = m.groups()
        if kind == "ate":
            return QuestionSpec("ate", _dir(g[1]), treatment=g[0], outcome=g[2])
        if kind == "correlation":
            return QuestionSpec("correlation", _dir(g[1]), treatment=g[2], outcome=g[0])
        if kind == "marginal":
            return QuestionSpec("marginal", "more_likely" if g[1].lower() == "more" else "less_likely",
                                outcome=g[0], outcome_alt=g[2])
        if kind == "ett":
            return QuestionSpec("ett", _dir(g[1]), condition=g[0], outcome=g[2], counterfactual=g[3])
        if kind == "nde":
            return QuestionSpec("nde", _dir(g[2]), treatment=g[1], outcome=g[3], mediators=_names(g[0]),
                                names_variables=True)
        if kind == "nie":
            return QuestionSpec("nie", _dir(g[1]), treatment=g[0], outcome=g[2], mediators=_names(g[3]),
                                names_variables=True)
        if kind == "backadj":
            return QuestionSpec("backadj", "method1_better", treatment=g[0], outcome=g[1], names_variables=True)
        if kind == "collider_bias":
            claim = "affects" if g[2].lower() == "affects" else "not_affects"
            return QuestionSpec("collider_bias", claim, treatment=g[1], outcome=g[3], condition=g[0])
        if kind == "exp_away":
            return QuestionSpec("exp_away", _dir(g[2]), treatment=g[3], outcome=g[1], condition=g[0])
        if kind == "det_counterfactual":
            return QuestionSpec("det_counterfactual", "holds", outcome=g[0], counterfactual=g[1], factual=g[2])
        if kind == "ate_value":
            return QuestionSpec("ate", "none", treatment=g[0], outcome=g[1], names_variables=True)
        if kind == "ate_sign":
            return QuestionSpec("ate", _dir(g[1]), treatment=g[0], outcome=g[2])
    raise ParseError(
        f"I do not understand the question {q!r}",
        "the offline reasoner reads questions such as 'Will X increase the chance of Y?', "
        "'Is the chance of Y larger when observing X?', 'Does X positively affect Y through M?', "
        "'What is the effect of X on Y?'; for free-form questions switch on an LLM backend "
        "(--backend ollama or --backend openai)",
    )


def _names(s: str) -> list[str]:
    return [re.sub(r"^(the|a|an)\s+", "", p.strip(), flags=re.I) for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", s) if p.strip()]
