"""Words a story itself uses as the two values of one variable, read from the tables it gives.

"Overweight: apartment indoor cats 35%, apartment outdoor 25%, house indoor 20%, house outdoor 10%." Four cells that
cross two words with two other words say that 'apartment' and 'house' are the two values of one variable (and
'indoor' and 'outdoor' of another) as plainly as a word list could: every combination is given once, so each word
of a pair must be the other's complement.  Word lists (``antonyms`` in the lexicon) cannot hold every such pair
("premium"/"standard" couriers, "remote"/"office" workers, "skip"/"eat" breakfast); the table can.

Steps:
1. ``cell_labels`` — the labels of one table: the cells of one sentence that share a heading (or an event), each
   a group said before its number;
2. ``factors`` — a four-cell table's two crossed factors: two pairs of cells, each opening with its own words,
   followed in both by the same two openings;
3. ``story_pairs`` — the factors' word pairs that differ in one word, as stems, for ``names.antonym_of``.

Only a complete crossing counts: a table of three cells, or cells "young holders, old holders, female holders ..."
that do not cross, give nothing, and the grounding asks as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from fmcgm.language.lexicon import words
from fmcgm.language.names import FILLER, lexicon_antonyms, stem, tokens
from fmcgm.language.prose import ProbText

Label = tuple[str, ...]

# words that say a value by negation or as the rest, never a word pair of their own
_NOT_VALUES = frozenset("not no non un other others rest remainder everyone else with without only neither both "
                        "none all".split())


def _label(pt: ProbText) -> Label:
    text = pt.event.lstrip("\x00") if pt.header or not pt.conditions else pt.conditions[-1]
    # "&", "/" and hyphens are no tokens, "and" is filler: "fragile & padded" is (fragile, padded)
    return tuple(w for w in tokens(text) if w not in FILLER or w in ("not", "no"))


def cell_labels(probs: list[ProbText]) -> list[list[Label]]:
    """The label lists of the story's tables: a sentence's numbers that share a heading, or that share an event and
    are given each for its own group ("Among young holders 8% default, among young non-holders 6%, ...")."""
    tables: dict[tuple[str, str], list[Label]] = {}
    for pt in probs:
        if pt.header and pt.conditions:
            key = (pt.sentence, "h:" + pt.conditions[0])
        elif pt.conditions and not pt.header:
            key = (pt.sentence, "e:" + " ".join(tokens(pt.event.lstrip("\x00"))))
        else:
            continue
        tables.setdefault(key, []).append(_label(pt))
    return [labels for labels in tables.values() if len(labels) >= 4]


def _common(a: Label, b: Label) -> Label:
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return a[:k]


def factors(labels: list[Label]) -> list[tuple[Label, Label]] | None:
    """The two crossed factors of a four-cell table, or None unless its labels cross: two pairs of cells, each pair
    opening with its own words (the first factor's values), followed in both pairs by the same two openings (the
    second factor's values, perhaps said shorter the second time: "apartment indoor cats", "house indoor")."""
    if len(labels) != 4 or len(set(labels)) != 4:
        return None
    for (i, j), (k, m) in (((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))):
        p, q = _common(labels[i], labels[j]), _common(labels[k], labels[m])
        if not p or not q or p == q:
            continue
        rest = [labels[n][len(p if n in (i, j) else q):] for n in (i, j, k, m)]
        if not all(rest):
            continue
        heads = [r[0] for r in rest]
        if heads[0] == heads[1] or {heads[0], heads[1]} != {heads[2], heads[3]}:
            continue
        first = rest[0] if rest[0][0] == heads[0] else rest[1]
        second = rest[1] if first is rest[0] else rest[0]
        return [(p, q), (first, second)]
    return None


def _word_pair(a: Label, b: Label) -> tuple[str, str] | None:
    """The one word in which two values differ ("small class" / "large class" -> small, large)."""
    if len(a) != len(b) and not (len(a) == 2 and len(b) == 1):
        return None  # only "indoor cats" / "outdoor" (the second said shorter): "peak" / "off peak" is a negation
    diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    if len(diff) != 1 or set(diff[0]) & _NOT_VALUES:
        return None  # negations and complements ("others", "without") are read as such already
    a_word, b_word = diff[0]
    a_stem, b_stem = stem(a_word), stem(b_word)
    if _prefix_negated(a_word, b_word) or _prefix_negated(b_word, a_word):
        return None  # "treated" / "untreated": a negation, read as one already
    known = words("value_adjectives")
    if a_stem in known and b_stem in known and b_stem not in lexicon_antonyms(a_stem):
        return None  # two value words of the lexicon that are no pair there ("young" / "female"): two variables
    for w, other in ((a_stem, b_stem), (b_stem, a_stem)):
        if lexicon_antonyms(w) and other not in lexicon_antonyms(w):
            return None  # "rich" has its other value in the lexicon ("poor"): "city" is another variable
    return a_stem, b_stem


def _prefix_negated(word: str, other: str) -> bool:
    return any(word == p + other for p in ("un", "non", "in", "dis", "im", "off"))


def _contrasts(probs: list[ProbText]) -> dict[str, set[str]]:
    """The words each word is contrasted with as a group elsewhere in the story: the first word of every group a
    sentence gives numbers for ("Among rich students, 90% ...; among poor students, 10%" -> rich: {poor})."""
    firsts: dict[str, set[str]] = {}
    for pt in probs:
        text = pt.conditions[-1] if pt.conditions and not pt.header else pt.event.lstrip("\x00")
        content = [w for w in tokens(text) if w not in FILLER and w not in ("of", "among")]
        if content:
            firsts.setdefault(pt.sentence, set()).add(stem(content[0]))
    out: dict[str, set[str]] = {}
    for group in firsts.values():
        for w in group:
            out.setdefault(w, set()).update(group - {w})
    return out


def story_pairs(probs: Iterable[ProbText]) -> frozenset[tuple[str, str]]:
    """Stem pairs the story's complete tables use as the two values of one variable: never a pair whose words the
    story (or the lexicon) gives another other value ("Among rich ..., among poor ...", then a table crossing "rich"
    with "city": city is not the poor, and their numbers are never given)."""
    probs = list(probs)
    said = _contrasts([pt for pt in probs if not pt.header])
    out: set[tuple[str, str]] = set()
    for labels in cell_labels(probs):
        for a, b in factors(labels) or ():
            pair = _word_pair(a, b)
            if pair and not (said.get(pair[0], set()) - {pair[1]}) and not (said.get(pair[1], set()) - {pair[0]}):
                out.add(pair)
    return frozenset(out)
