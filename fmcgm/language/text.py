"""Word-level tools for reading causal stories: tokens, stems, similarity, polarity.

Stems come from NLTK's Porter stemmer; on top we keep a small English lexicon
of negation markers and antonym pairs, because whether "the patient recovers
from scurvy" means scurvy = 0 is a question of word meaning that no
dictionary-free rule answers.  Everything here is general English, not tied
to any one benchmark story.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fmcgm.language.lexicon import words as lexicon_words
from fmcgm.language.porter import PorterStemmer

_STEMMER = PorterStemmer()

STOPWORDS = frozenset("""
a an the of for to in on at by with and or is are was were be been being has have had do does did
who whom that which those these this there their they them it its he she his her him we our you your
i my me as if than then so such from into about individuals individual people person persons patients
patient students student those ones one days day when where whose while also get gets got
""".split())

# Words that flip the meaning of the phrase they stand in.
NEGATIONS = frozenset("""
not no non never without absence absent lack lacks lacking none neither nor refuse refuses refused
refusal refusing avoid avoids avoided avoiding cannot deprived deprivation don't doesn't didn't isn't aren't
wasn't weren't hasn't haven't won't
""".split())

# Multi-word expressions folded into one token before tokenising.
PHRASES = {
    "on time": "ontime",
    "recovers from": "free-of",
    "recovered from": "free-of",
    "recovering from": "free-of",
    "recover from": "free-of",
    "free of": "free-of",
    "free from": "free-of",
    "out of": "out-of",
    "far from": "far",
    "close to": "close",
}
NEGATING_TOKENS = frozenset({"free-of", "out-of"})

_ANTONYM_PAIRS = [
    ("high", "low"), ("increased", "decreased"), ("increased", "reduced"), ("large", "small"), ("big", "small"),
    ("long", "short"), ("good", "poor"), ("good", "bad"), ("late", "ontime"), ("early", "late"),
    ("active", "inactive"), ("alive", "dead"), ("survival", "death"), ("live", "die"),
    ("accepted", "rejected"), ("admission", "rejection"), ("admitted", "rejected"), ("admission", "rejected"),
    ("win", "lose"), ("rich", "poor"), ("strong", "weak"), ("young", "old"), ("male", "female"),
    ("heavy", "light"), ("wet", "dry"), ("hot", "cold"), ("healthy", "sick"), ("present", "absent"),
    ("sufficient", "insufficient"), ("happy", "sad"), ("open", "closed"), ("bright", "dark"), ("fast", "slow"),
    ("full", "empty"), ("positive", "negative"), ("pass", "fail"), ("success", "failure"), ("more", "less"),
    ("above", "below"), ("encouragement", "discouragement"), ("encouraged", "discouraged"),
    ("attractive", "unattractive"), ("intelligent", "unintelligent"), ("employed", "unemployed"),
    ("married", "single"), ("tall", "short"), ("raised", "lowered"), ("gain", "loss"), ("safe", "dangerous"),
    ("clean", "dirty"), ("wide", "narrow"), ("thick", "thin"), ("hard", "soft"), ("hard-working", "lazy"),
    ("smart", "stupid"), ("urban", "rural"), ("white-collar", "blue-collar"), ("expensive", "cheap"),
    ("far", "close"), ("far", "near"), ("higher", "lower"), ("more", "fewer"), ("pale", "tanned"),
    ("local", "global"), ("local", "foreign"), ("normal", "low"), ("normal", "high"), ("normal", "obese"),
    ("thin", "obese"), ("clean", "polluted"), ("kind", "mean"), ("ringing", "silent"), ("noisy", "quiet"),
    ("loud", "quiet"), ("guilty", "innocent"), ("legal", "illegal"), ("black", "white"),
]
# Different surface words for one concept (so "dead" finds "death").
_SYNONYM_WORDS = {"dead": "death", "die": "death", "dies": "death", "died": "death", "kill": "death",
                  "alive": "survival", "survive": "survival", "survives": "survival", "admitted": "admission",
                  "accepted": "admission", "acceptance": "admission"}


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    w = word.lower().strip("'\u2019")
    if w.endswith("'s") or w.endswith("\u2019s"):
        w = w[:-2]
    return _STEMMER.stem(w) if len(w) > 3 else w


@lru_cache(maxsize=20000)
def _canon(word: str) -> str:
    return stem(_SYNONYM_WORDS.get(word, word))


def _antonyms() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for a, b in _ANTONYM_PAIRS:
        sa, sb = _canon(a), _canon(b)
        table.setdefault(sa, set()).add(sb)
        table.setdefault(sb, set()).add(sa)
    return table


def _fold(text: str) -> str:
    t = " " + text.lower().replace("\u2019", "'") + " "
    for k, v in PHRASES.items():
        t = t.replace(f" {k} ", f" {v} ")
    return t


@lru_cache(maxsize=20000)
def words(text: str) -> tuple[str, ...]:
    """Lower-case words, contractions kept whole ("don't"), hyphenated words kept."""
    return tuple(re.findall(r"[a-z0-9][a-z0-9\-']*", _fold(text)))


@lru_cache(maxsize=20000)
def content(text: str) -> tuple[str, ...]:
    """Stems of the content words, negation markers dropped."""
    out = []
    for w in words(text):
        base = w[:-2] if w.endswith("'s") else w
        if base in STOPWORDS or base in NEGATIONS or base in NEGATING_TOKENS or base.endswith("n't"):
            continue
        out.append(_canon(base))
    return tuple(out)


ANTONYMS = _antonyms()


# The last part of a hyphenated word that negates the first: "cancer-free", "sleep-deprived", "sugar-less".
NEGATING_PARTS = frozenset({"free", "less", "deprived"})


def negation_count(text: str) -> int:
    toks = words(text)
    return int(leading_negating_verb(toks)) + sum(
        1 for w in toks if w in NEGATIONS or w.endswith("n't") or w in NEGATING_TOKENS
        or ("-" in w and w.rsplit("-", 1)[1] in NEGATING_PARTS))


def leading_negating_verb(toks: tuple[str, ...]) -> bool:
    """The phrase starts with a verb that negates its object ("giving up smoking", "stopping exercise", "failing to
    recover"), from the lexicon's list. "fail" only before "to" ("fail the exam" is the antonym of passing), and
    "end up" is no negation."""
    if not toks:
        return False
    first = stem(toks[0])
    nxt = toks[1] if len(toks) > 1 else ""
    if first == "fail":
        return nxt == "to"
    if first == "end" and nxt == "up":
        return False
    verbs = lexicon_words("negating_verbs")
    if toks[0] in NEGATIONS:  # counted as a negation word already ("avoiding", "refusing")
        return False
    return first in verbs or bool(nxt) and f"{first} {stem(nxt)}" in verbs


def token_match(a: str, b: str) -> float:
    """1 for the same stem, 0.7 for a long shared prefix or an antonym (same concept), else 0."""
    if a == b:
        return 1.0
    if b in ANTONYMS.get(a, ()):
        return 0.7
    if prefix_negated(a, b) or prefix_negated(b, a):
        return 0.8
    return _shared_prefix(a, b)


def _shared_prefix(a: str, b: str) -> float:
    if any(c.isdigit() for c in a + b):  # "node1" is not "node11": names with digits match whole or not at all
        return 0.0
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    if n >= 4 and n >= 0.5 * min(len(a), len(b)):
        return 0.7
    return 0.0


@lru_cache(maxsize=50000)
def similarity(a: str, b: str) -> float:
    """How strongly two phrases talk about the same variable, in [0, 1] (values and negation ignored)."""
    ta, tb = content(a), content(b)
    if not ta or not tb:
        return 0.0
    sa = sum(max(token_match(x, y) for y in tb) for x in ta) / len(ta)
    sb = sum(max(token_match(y, x) for x in ta) for y in tb) / len(tb)
    return max(sa, sb) * 0.6 + min(sa, sb) * 0.4


def polarity(a: str, b: str) -> int:
    """+1 when phrase a asserts the same value as phrase b, -1 when the opposite, 0 when unrelated."""
    if similarity(a, b) == 0:
        return 0
    flips = negation_count(a) + negation_count(b)
    ta, tb = content(a), content(b)
    for x in ta:
        if x in tb:
            continue
        if any(y in ANTONYMS.get(x, ()) and y not in ta for y in tb):
            flips += 1
        elif any(prefix_negated(x, y) for y in tb if y not in ta):
            flips += 1
    for y in tb:
        if y not in ta and any(prefix_negated(y, x) for x in ta if x not in tb):
            flips += 1
    return -1 if flips % 2 else 1


def prefix_negated(x: str, y: str) -> bool:
    for pre in ("un", "non", "non-", "in", "dis"):
        rest = x[len(pre):]
        if x.startswith(pre) and len(rest) >= 3 and (rest == y or _shared_prefix(rest, y) >= 0.7):
            return True
    return False
