"""Read an effect question against a table's columns ("Does wet pavement affect slipping?").

Grounding words to columns, best first:

1. the whole column name: case and ``_``/``-`` versus spaces do not matter (``wet_pavement`` ↔ "wet
   pavement"), a plural ``s``/``es`` neither;
2. part of a column name: consecutive words of the question that are consecutive parts of the name
   ("ice cream" → ``ice_cream_sales``), a word matching a part when it is the part, its inflection
   ("drowning" ↔ ``drownings``), an everyday synonym of it (:data:`SYNONYMS`: "sunshine" ↔ ``sun`` ↔
   ``sunlight``) or, from four letters on, its abbreviation ("temp" → ``temperature``).  The words of
   the question's own grammar ("does", "more", "effect", "unit", ...) never ground.

A phrase that fits two columns equally well is not guessed: :class:`AmbiguousColumn` asks which is
meant (a reply naming the column settles it, ``prefer``).

Roles: the cause is the first column named, the effect the second — except where the wording puts
the effect first: "How much does Y change per unit of X?", "By how much does Y rise for each extra
X?", "What is the effect on Y of one more X?", "Is Y affected by X?", "Does Y depend on X?", "How does
Y respond to X?", "How much does Y change when X rises?".  A "how much"/"what is" question asks for
the size, so its claim is ``affects``; a yes/no question's verb gives the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from fmcgm.errors import ParseError


class EffectQuestion(BaseModel):
    treatment: str
    outcome: str
    claim: str  # affects / not_affects / positive / negative


class AmbiguousColumn(ParseError):
    """A phrase of the question fits several columns equally well: the user is asked which is meant."""

    def __init__(self, phrase: str, candidates: list[str]) -> None:
        self.phrase, self.candidates = phrase, candidates
        listed = ", ".join(repr(c) for c in candidates[:-1]) + f" or {candidates[-1]!r}"
        super().__init__(f"which column {phrase!r} means: {listed}",
                         f"reply with the column you mean (for example {candidates[0]!r}), or ask again with it")


# everyday synonyms: a word of a group grounds to a column part that is any word of the group
SYNONYMS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "sun sunshine sunlight sunny sunlit",
    "rain rainfall raining rainy precipitation",
    "snow snowfall snowing snowy",
    "wind windy winds",
    "temperature temp heat warmth",
    "smoking smoke smoker smokers cigarettes cigarette tobacco",
    "exercise exercising workout workouts",
    "income salary salaries wage wages earnings pay",
    "advertising ads adverts advertisement advertisements",
    "price prices pricing",
    "car cars automobile automobiles",
    "weight bodyweight",
    "grades grade marks scores",
    "injuries injury injured",
    "drowning drownings drowned",
    "alcohol drinking booze",
    "homework assignments",
    "crowding crowds crowded",
    "allergies allergy allergic",
    "vitamins vitamin",
))
_SYNONYM_OF = {w: g for g in SYNONYMS for w in g}

# the question's own grammar: never grounded by part (a column named exactly so is still found whole)
FUNCTION_WORDS = frozenset("""
a an the of on in at to for from by with per each every one more less fewer much many how what which who whom
whose is are was were be been being do does did doing has have had will would can could should may might must
does not no never n t it its this that these those there their than then when if as after before while
effect effects affect affects affected affecting cause causes caused causing influence influences influenced
impact impacts impacted lead leads leading led increase increases increased increasing decrease decreases
decreased decreasing raise raises raised rise rises rising fall falls falling go goes up down drop drops
change changes changed changing reduce reduces reduced lower lowers higher boost boosts improve improves
prevent prevents unit units extra additional another amount level big large strong size strength yes
depend depends dependent respond responds response because due make makes made get gets result results
between and or any some all there whether really truly actually matter matters help helps hurt hurts
""".split())

_QUANTITY = re.compile(r"^\s*(by how much|how much|how many|how big|how large|how strong|how strongly|"
                       r"what is|what s|what are|what would|estimate|quantify|size of)\b")
# wordings that name the effect before the cause (searched between the two mentions)
_EFFECT_FIRST_BETWEEN = re.compile(
    r"\b(per|for each|for every|for one|with each|with every|with one|each extra|every extra|"
    r"by|due to|because of|depend on|depends on|depend upon|respond to|responds to|react to|when|if|as|after|"
    r"once|given|under)\b")
_EFFECT_ON_FIRST = re.compile(r"\b(on|upon|in)\s*$")  # "the effect on Y of X", "the change in Y per X"


@dataclass(frozen=True)
class _Hit:
    start: int  # token index
    end: int  # token index past the last
    columns: tuple[str, ...]  # the best-fitting columns (several: a tie)
    score: tuple[int, int]  # (whole name?, parts matched)


def _words(name: str) -> str:
    return re.sub(r"[_\-\s]+", " ", name.strip().lower())


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()) if p]


def _forms(w: str) -> set[str]:
    """The word and the bases its inflection may come from ("drownings" → drowning, drown; "noisy" → noise)."""
    out = {w}
    for suffix in ("ings", "ing", "ies", "es", "s", "ed", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            out |= {base + "y"} if suffix == "ies" else {base, base + "e"} if suffix in ("ings", "ing", "ed", "y") \
                else {base}
    return out


def word_fits_part(word: str, part: str) -> bool:
    """Whether a question word names a column part: the same word, an inflection, a synonym, an abbreviation."""
    fw, fp = _forms(word), _forms(part)
    if fw & fp:
        return True
    groups = [_SYNONYM_OF[w] for w in fw if w in _SYNONYM_OF]
    if any(g & fp for g in groups):
        return True
    return len(word) >= 4 and len(part) >= 6 and part.startswith(word)


def _tokens(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def _hits(tokens: list[str], columns: list[str]) -> list[_Hit]:
    """Every phrase of the question with the columns it fits best, longest and whole names first, not overlapping."""
    found: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}
    for c in columns:
        whole = _words(c).split()
        parts = _parts(c)
        for i in range(len(tokens)):
            # the whole name (the last word may carry a plural)
            k = len(whole)
            if k and tokens[i:i + k - 1] == whole[:-1] and i + k <= len(tokens) \
                    and re.fullmatch(re.escape(whole[-1]) + r"(?:s|es)?", tokens[i + k - 1]):
                found.setdefault((i, i + k), {})[c] = (1, k)
            # consecutive words fitting consecutive parts
            for j in range(len(parts)):
                m = 0
                while (i + m < len(tokens) and j + m < len(parts) and tokens[i + m] not in FUNCTION_WORDS
                       and not tokens[i + m].isdigit() and word_fits_part(tokens[i + m], parts[j + m])):
                    m += 1
                if m:
                    best = found.setdefault((i, i + m), {})
                    best[c] = max(best.get(c, (0, 0)), (0, m))
    cands = []
    for (s, e), cols in found.items():
        top = max(cols.values())
        cands.append(_Hit(s, e, tuple(sorted(c for c, v in cols.items() if v == top)), top))
    # the longer phrase first ("ice cream" before "ice"), then whole names, then the earlier
    cands.sort(key=lambda h: (-(h.end - h.start), -h.score[0], -h.score[1], h.start))
    chosen: list[_Hit] = []
    for h in cands:
        if not any(h.start < o.end and o.start < h.end for o in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def _resolve(hits: list[_Hit], tokens: list[str], prefer: tuple[str, ...]) -> list[tuple[_Hit, str]]:
    """One column per phrase: a tie is settled only by a column the user named (``prefer``), never guessed
    (:class:`AmbiguousColumn`).  A column named twice counts once (its first mention)."""
    out: list[tuple[_Hit, str]] = []
    for h in hits:
        cols = list(h.columns)
        if len(cols) > 1:
            cols = [c for c in cols if c in prefer]
            if len(cols) != 1:
                raise AmbiguousColumn(" ".join(tokens[h.start:h.end]), list(h.columns))
        if cols[0] not in [c for _, c in out]:
            out.append((h, cols[0]))
    return out


def read_effect_question(question: str, columns: list[str], prefer: tuple[str, ...] | list[str] = ()) -> EffectQuestion:
    """The treatment, outcome and claim of an effect question about a table's ``columns``.

    ``prefer``: columns the user named in reply to :class:`AmbiguousColumn` (they settle its tie)."""
    tokens = _tokens(question)
    hits = _hits(tokens, columns)
    resolved = _resolve(hits, tokens, tuple(prefer))
    if len(resolved) < 2:
        named = [c for _, c in resolved]
        raise ParseError("the question names " + (f"only {named[0]!r}" if named else "no column") + " of the data",
                         "name the cause and the effect by their column names, e.g. 'Does "
                         + " affect ".join(_words(c) for c in columns[:2]) + "?'")
    (h1, a), (h2, b) = resolved[0], resolved[1]
    before = " ".join(tokens[:h1.start])
    between = " ".join(tokens[h1.end:h2.start])
    text = " ".join(tokens)
    inside = {i for h in hits for i in range(h.start, h.end)}
    free = [t if i not in inside else "_" for i, t in enumerate(tokens)]  # the words no column took
    quantity = _QUANTITY.search(text) is not None
    effect_first = (_EFFECT_FIRST_BETWEEN.search(between) is not None
                    or (_EFFECT_ON_FIRST.search(before) is not None and re.search(r"\b(of|from)\b", between) is not None)
                    or re.search(r"\b(affected|caused|influenced|driven|determined|changed|increased|decreased|raised|"
                                 r"lowered|reduced|improved|boosted|impacted)\s+by\b", between) is not None)
    if effect_first and re.search(r"\beffect of\s*$", before) and re.search(r"\bon\b", between):
        effect_first = False  # "the effect of X on Y" (… "when"/"if" later in the sentence does not turn it)
    x, y = (b, a) if effect_first else (a, b)
    verbs = " ".join(free if effect_first else free[: h2.start])
    negated = re.search(r"\b(not|no|never|doesn|don|didn|isn|aren|won|can)\s+t\b|\b(not|no|never)\b",
                        " ".join(free[:h2.start])) is not None
    if quantity:
        claim = "affects"
    elif re.search(r"\b(increase|increases|increased|raise|raises|raised|boost|boosts|boosted|improve|improves|"
                   r"improved|more|higher)\b", verbs):
        claim = "positive"
    elif re.search(r"\b(decrease|decreases|decreased|reduce|reduces|reduced|lower|lowers|lowered|less|fewer|"
                   r"prevent|prevents|prevented)\b", verbs):
        claim = "negative"
    else:
        claim = "affects"
    if negated and claim == "affects" and not quantity:
        claim = "not_affects"
    return EffectQuestion(treatment=x, outcome=y, claim=claim)


def question_columns(question: str, columns: list[str]) -> list[str]:
    """The columns a question names (treatment and outcome first), or none when it names fewer than two."""
    try:
        q = read_effect_question(question, columns)
    except ParseError:
        return []
    return [q.treatment, q.outcome]


def named_columns(text: str, columns: list[str]) -> list[str]:
    """The columns a reply names ("sun_hours", "the sunlight one"): each phrase's best-fitting columns."""
    return [c for h in _hits(_tokens(text), columns) for c in h.columns]
