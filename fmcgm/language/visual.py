"""Recognise requests for a counterfactual image of a known world ("What would the shadow look
like if the light were on the far left?") and read the intervention from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fmcgm.errors import FMCGMError
    from fmcgm.language.mechanism_words import StatedMechanism

VISUAL_WORDS = ("look like", "looks like", "image", "picture", "render", "draw", "show", "scene", "appear")
# how the web app names a person's uploaded image in the question (fmcgm/app/uploads.py)
IMAGE_SENTENCE = re.compile(r"\s*The factual image is (\S+\.png)\s*$")


# a number and what follows it: a unit ("10 percent", "30 degrees", "10 km") unless it is a word of the sentence
NUMBER = re.compile(r"([-+\u2212]?\d+(?:\.\d+)?)\s*(%|°|per cent(?: of (?:the|its) range)?|percent(?: of (?:the|its) range)?"
                    r"|scene units?|[a-z]+)?")
NOT_UNITS = {"and", "or", "but", "instead", "to", "toward", "towards", "from", "with", "then", "than", "in", "on", "at",
             "of", "for", "while", "so", "what", "how", "would", "will", "the", "a", "an", "more", "less", "further",
             "left", "right", "up", "down", "is", "was", "were", "be", "it", "its", "this", "that", "rather", "if",
             "when", "had", "as", "before", "after", "now", "there", "here", "please"}


def _with_unit(num: re.Match, concept) -> str | float:
    """The value as written: a number in the concept's unit, a share of its range ("10%"), or the number with
    a unit the world will refuse, naming the units it reads (a unit is never dropped)."""
    from fmcgm.worlds.base import PERCENT, unit_words

    value, unit = num.group(1).replace("\u2212", "-"), (num.group(2) or "").strip()
    if not unit or unit in NOT_UNITS or unit in unit_words(concept.unit):
        return float(value)
    return f"{value}%" if PERCENT.fullmatch(unit) else f"{value} {unit}"


@dataclass
class VisualRequest:
    world: str
    intervention: dict[str, str | float]
    image: str | None = None  # the factual image to start from (else one is sampled)
    # a mechanism the question states over the world's concepts ("suppose the light follows the pendulum: ..."),
    # rendered under that SCM; or why it was refused (then nothing is rendered)
    mechanism: StatedMechanism | None = None
    refusal: FMCGMError | None = None
    notes: list[str] = field(default_factory=list)


def parse_visual(question: str) -> VisualRequest | None:
    from fmcgm.worlds import all_worlds

    img = IMAGE_SENTENCE.search(question)
    if img:
        question = question[:img.start()]
    q = " " + re.sub(r"\s+", " ", question.lower()) + " "
    if not any(w in q for w in VISUAL_WORDS):
        return None
    # the world whose words the question uses most (the first registered on a tie)
    scores = [(sum(q.count(f" {k}") for k in w.words), w) for w in all_worlds()]
    score, world = max(scores, key=lambda sw: sw[0])
    if score == 0:
        return None
    world_name = world.name
    from fmcgm.language.mechanism_words import read_mechanism

    stated = read_mechanism(question, world)  # the user's own mechanism, taken out of the text before the "if ..."
    if stated.mechanism is not None or stated.refusal is not None:
        q = " " + re.sub(r"\s+", " ", stated.rest.lower()) + " "
    m = re.search(r"\b(?:if|when|had)\b(.+?)(?:[?.!]|$)", q)
    if not m:
        if stated.refusal is not None:
            return VisualRequest(world_name, {}, img.group(1) if img else None, refusal=stated.refusal)
        return None
    clause = m.group(1)
    intervention: dict[str, str | float] = {}
    for c in sorted(world.concepts, key=lambda c: -max(len(s) for s in (c.name.replace("_", " "), *c.synonyms))):
        names = sorted({c.name.replace("_", " "), *c.synonyms}, key=len, reverse=True)
        hit = next((n for n in names if re.search(rf"\b{re.escape(n)}\b", clause)), None)
        if not hit or any(hit in k.replace("_", " ") for k in intervention):
            continue
        rest = clause[clause.index(hit) + len(hit):]
        word = next((w for w in sorted(c.value_words, key=len, reverse=True) if re.search(rf"\b{re.escape(w)}\b", rest)), None)
        num = NUMBER.search(rest)
        if word:
            intervention[c.name] = word
        elif num:
            intervention[c.name] = _with_unit(num, c)
        if intervention:
            break  # one intervention per question: the first concept named with a value
    if not intervention and stated.refusal is None:
        return None
    return VisualRequest(world_name, intervention, img.group(1) if img else None, stated.mechanism, stated.refusal)
