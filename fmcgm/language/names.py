"""Ground phrases to variables by whole names, and read which value a phrase asserts.

A variable is the list of stems of its name ("blood pressure" -> blood, pressur).  A phrase
names a variable when every stem of the name matches a whole word of the phrase: the same
stem, an agent noun or a derived form ("smokers" ~ "smoking", "recover" ~ "recovery"), never
a bare prefix with digits ("Node1" is not "Node11").  Longer names win over names they
contain.  The value a phrase asserts is 1 unless it is negated ("non-smokers", "without
fertilizer", "people who do not exercise", "unvaccinated") or uses the opposite pole of a
value word ("low tar" against "high tar").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from fmcgm.language.lexicon import words
from fmcgm.language.porter import PorterStemmer

_STEM = PorterStemmer()

# Function words and words that name a population rather than a variable.
FILLER = frozenset("""
a an the of for to in on at by with and or is are was were be been being has have had do does did will would
who whom that which those these this there their they them it its he she his her him we our you your i my me
as if than then so such from into about among also get gets got getting people person persons individuals
individual patients patient students student children child households household employees employee units unit
ones one population group groups someone anyone everyone cases case time times men women adults kids
catch catches develop develops show shows become becomes suffer suffers end up tend tends likely
""".split())
NEGATORS = frozenset("""
not no non never without none neither nor lack lacks lacking cannot quit quits quitted stopped stop stops avoid avoids
avoided refuse refuses refused skip skips skipped free prevent prevents prevented nobody
""".split())


_NEGATED_NAME = re.compile(r"^(?:not|non)(?:\s*-\s*|\s+)(?=\w)", re.I)


def without_negation(name: str) -> str:
    """A variable named by its negation ("not smoking", "non-smoking") is the variable itself: the graph is the
    same, and the phrases that mention it say the value. The reader names the variable so, and the critique
    checks a question's names against the graph by the same rule."""
    return _NEGATED_NAME.sub("", name).strip() or name.strip()


def negating(toks: list[str] | tuple[str, ...], j: int) -> bool:
    """Token j negates what follows it: a negation ("not", "nobody") or a verb that negates its object
    ("quitting", "giving up", "refrains from") — compared by stem, so every inflection counts."""
    w = toks[j]
    if w in NEGATORS:
        return True
    st = stem(w)
    if st == "end" and j + 1 < len(toks) and toks[j + 1] == "up":  # "end up sick" is not "ending sickness"
        return False
    if st in words("negations") or st in words("negating_verbs"):
        return True
    return j + 1 < len(toks) and f"{st} {stem(toks[j + 1])}" in words("negating_verbs")


# words after which "ban" is the verb ("that ban phones", "to ban"), not the noun closing a name ("the phone ban")
_BAN_VERB_BEFORE = frozenset("to that who which we they i you he she it will would should could can may might must did "
                             "does do not and or also".split())


def _ban_noun(toks: list[str] | tuple[str, ...], j: int) -> bool:
    return toks[j] in ("ban", "bans", "banned") and j > 0 and toks[j - 1] not in _BAN_VERB_BEFORE


def negating_suffix(toks: list[str] | tuple[str, ...], end: int) -> bool:
    """The word right after a name negates it: "cancer-free", "cancer free", "phone-ban" (the hyphen is no token).
    Not "less": "insomnia less common" is a comparative, never "insomnia-less"."""
    return end < len(toks) and (toks[end] == "free" or _ban_noun(toks, end))


# Value words with a positive (1) and a negative (0) pole.
POLES = {
    "high": 1, "low": 0, "good": 1, "bad": 0, "poor": 0, "rich": 1, "large": 1, "small": 0, "big": 1,
    "strong": 1, "weak": 0, "on": 1, "off": 0, "up": 1, "down": 0, "open": 1, "closed": 0, "shut": 0,
    "wet": 1, "dry": 0, "present": 1, "absent": 0, "positive": 1, "negative": 0, "yes": 1,
    "heavy": 1, "long": 1, "short": 0, "old": 1, "young": 0, "many": 1, "few": 0,
    "more": 1, "less": 0, "increased": 1, "decreased": 0, "elevated": 1, "normal": 0, "well": 1, "badly": 0,
}
# Two-valued variables often named by their values (lexicon ``attribute_values``): value stem -> (the attribute's
# noun stems, the value)
@lru_cache(maxsize=1)
def attribute_words() -> dict[str, tuple[frozenset[str], int]]:
    out: dict[str, tuple[frozenset[str], int]] = {}
    for row in words("attribute_values"):
        nouns, ones, zeros = (frozenset(part.split()) for part in row.split("|"))
        for value, stems in ((1, ones), (0, zeros)):
            for w in stems:
                out[w] = (nouns, value)
    return out


NOT_NEGATED = frozenset("under understood understanding universal university united uniform unique until unless "
                        "union unit units unity nonetheless".split())
IRREGULAR = {"grown": "grow", "grew": "grow", "rung": "ring", "rang": "ring", "fell": "fall", "fallen": "fall",
             "broke": "break", "broken": "break", "ran": "run", "won": "win", "lost": "lose", "began": "begin",
             "begun": "begin", "froze": "freeze", "frozen": "freeze", "made": "make", "took": "take",
             "taken": "take", "caught": "catch", "went": "go", "gone": "go", "came": "come", "saw": "see",
             "seen": "see", "drove": "drive", "driven": "drive", "ate": "eat", "eaten": "eat", "lit": "light",
             "wore": "wear", "worn": "wear", "sold": "sell", "bought": "buy", "paid": "pay", "left": "leave",
             "kept": "keep", "slept": "sleep", "felt": "feel", "held": "hold", "met": "meet", "sat": "sit",
             "stood": "stand", "thrown": "throw", "threw": "throw", "woke": "wake", "woken": "wake",
             "died": "die", "dies": "die", "dead": "die", "death": "die", "children": "child", "men": "man",
             "women": "woman", "people": "person", "smoker": "smoke",
             # comparatives name the same attribute as their adjective ("older riders" are the old ones)
             "older": "old", "younger": "young", "richer": "rich", "poorer": "poor", "weaker": "weak",
             "stronger": "strong", "newer": "new", "bigger": "big", "smaller": "small", "larger": "large",
             "healthier": "healthy", "sicker": "sick", "heavier": "heavy", "wealthier": "wealthy", "hotter": "hot",
             "colder": "cold", "warmer": "warm", "busier": "busy", "fitter": "fit", "taller": "tall",
             "elder": "old", "eldest": "old", "oldest": "old", "youngest": "young",
             "did": "do", "does": "do", "done": "do"}


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    w = word.lower().strip("'\u2019")
    if w.endswith("'s"):
        w = w[:-2]
    w = IRREGULAR.get(w, w)
    return _STEM.stem(w) if len(w) > 3 else w


@dataclass(frozen=True)
class Token:
    word: str  # lower-case surface word
    stem: str
    negated_prefix: bool  # "un-", "non-" before a word that is itself a stem elsewhere


@lru_cache(maxsize=20000)
def tokens(text: str) -> tuple[str, ...]:
    t = text.lower().replace("\u2019", "'").replace("n't", " not")
    return tuple(re.findall(r"[a-z0-9][a-z0-9']*", t.replace("-", " - ")))


def words_match(a: str, b: str) -> bool:
    """Two stems name the same thing: equal, or a derived form of one another (never across digits)."""
    if a == b:
        return True
    if any(c.isdigit() for c in a + b):
        return False
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 4


@lru_cache(maxsize=50000)
def name_stems(name: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(name) if w not in FILLER and w != "-")


_QUALIFYING = frozenset("in at on from of for with during by".split())


@lru_cache(maxsize=50000)
def name_head(name: str) -> tuple[str, ...]:
    """The stems of a name before its qualifying phrase ("tar deposits in the lungs" -> tar, deposit); empty when
    the name has no qualifier or nothing stands before it."""
    toks = tokens(name)
    k = next((i for i, w in enumerate(toks) if w in _QUALIFYING), None)
    if not k or k == len(toks) - 1:
        return ()
    head = tuple(stem(w) for w in toks[:k] if w not in FILLER and w != "-")
    # one word is too little a head ("work" of "work from home" would take "office workers")
    return head if len(head) >= 2 and head != name_stems(name) else ()


@dataclass(frozen=True)
class Mention:
    node: str
    value: int
    start: int  # token span in the phrase
    end: int


@lru_cache(maxsize=1)
def _antonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for pair in words("antonyms"):
        a, b = pair.split()
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


# pairs the story being read uses as two values of one variable (fmcgm.language.poles), beside the lexicon's
_STORY_PAIRS: ContextVar[frozenset[tuple[str, str]]] = ContextVar("story_pairs", default=frozenset())


@contextmanager
def story_antonyms(pairs: frozenset[tuple[str, str]]) -> Iterator[None]:
    """Read a story with its own word pairs as antonyms (only while it is read: stories never share them)."""
    token = _STORY_PAIRS.set(pairs)
    try:
        yield
    finally:
        _STORY_PAIRS.reset(token)


def lexicon_antonyms(word_stem: str) -> frozenset[str]:
    """The other values the lexicon knows for a word (stems), the story's own pairs aside."""
    return _antonyms().get(word_stem, frozenset())


def antonym_of(word_stem: str, target: str) -> bool:
    """The word is the other pole of a word of a name ("dirti" against "clean"): the same variable, other value."""
    pairs = _STORY_PAIRS.get()
    return word_stem in _antonyms().get(target, ()) or (word_stem, target) in pairs or (target, word_stem) in pairs


def _negated_word(word: str, target: str) -> bool:
    for pre in ("non", "un", "in", "dis", "im"):
        if word.startswith(pre) and len(word) - len(pre) >= 3 and words_match(stem(word[len(pre):]), target):
            return True
    return False


def mentions(phrase: str, nodes: list[str]) -> list[Mention]:
    """Every variable the phrase names, with the value it asserts; longest names first, no overlaps."""
    toks = list(tokens(phrase))
    stems = [stem(w) for w in toks]
    found: list[Mention] = []
    spans: list[tuple[str, list[int], bool]] = []
    used: set[int] = set()
    placed: set[str] = set()
    all_stems = frozenset(s for n in nodes for s in name_stems(n))
    # exact names first, derived forms ("smokers" ~ "smoking") only for what is left: "Blip" is not "Blipper"
    for exact in (True, False):
        for node in sorted(nodes, key=lambda n: -len(name_stems(n))):
            ns = name_stems(node)
            if not ns or node in placed:
                continue
            span = _match(ns, toks, stems, used, exact, all_stems)
            if span is None:
                continue
            idx, flipped = span
            used |= set(idx)
            placed.add(node)
            spans.append((node, idx, flipped))
    # every word of a placed name, at any of its occurrences: a negation does not cross a name, even said twice
    # ("than plants not watered daily to flower": the "not" is watering's, not flowering's)
    name_words = used | {i for i, st in enumerate(stems) for n, _, _ in spans for s in name_stems(n) if words_match(st, s)}
    for node, part in _said_in_part(tuple(nodes)):
        if node in placed:
            continue
        span = _match(part, toks, stems, used, False)
        if span is not None:
            used |= set(span[0])
            placed.add(node)
            spans.append((node, span[0], span[1]))
    # value words naming a two-valued variable ("rich households" -> income, "strong students" -> ability)
    attrs = attribute_words()
    for i in range(len(toks)):
        if i in used or stems[i] not in attrs:
            continue
        nouns, v = attrs[stems[i]]
        fits = [n for n in nodes if set(name_stems(n)) & nouns and n not in placed]
        if len(fits) == 1:
            found.append(Mention(fits[0], 1 - v if _negated_before(toks, i) else v, i, i + 1))
            used.add(i)
            placed.add(fits[0])
    # "good soil" for "soil quality", "high-risk patients" for "risk level": a pole word before the rest of a name
    # that ends in an attribute noun
    for node in nodes:
        ns = name_stems(node)
        if len(ns) < 2 or ns[-1] not in words("attribute_nouns") or node in placed:
            continue
        head = ns[:-1]
        if any(tuple(name_stems(o))[:len(head)] == head for o in nodes if o != node):
            continue  # two names share the head: which one is meant is unknown
        for i, w in enumerate(toks):
            j = i + 2 if i + 1 < len(toks) and toks[i + 1] == "-" else i + 1
            if w in POLES and i not in used and tuple(stems[j:j + len(head)]) == head and \
                    not used & set(range(j, j + len(head))):
                found.append(Mention(node, 1 - POLES[w] if _negated_before(toks, i) else POLES[w], i, j + len(head)))
                used |= set(range(i, j + len(head)))
                placed.add(node)
                break
    # values once every name is placed, names said in part or by their values included: "who skip helmets get
    # injured" — the "skip" is the helmets'; "weak tutored" — the "weak" is ability's, not tutoring's
    for node, idx, flipped in spans:
        others = (used | name_words) - set(idx)
        found.append(Mention(node, _value(toks, stems, min(idx), flipped, others, max(idx) + 1), min(idx), max(idx) + 1))
    return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=4096)
def _said_in_part(nodes: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parts by which a multi-word name may be said when no other variable could be meant, tried in order:
    its last word ("exercise" for "regular exercise", when no other name has it — never for a name with a negation
    or a verb of unknown direction in it: "the drug" is not "refusing the drug", nor "forswearing the drug"), then
    its head before a qualifier ("tar deposits" for "tar deposits in the lungs", when no other name has that head)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in nodes:
        ns = name_stems(node)
        node_toks = tokens(node)
        if len(ns) < 2 or any(ns[-1] in name_stems(o) for o in nodes if o != node) or \
                any(negating(node_toks, j) or (w.endswith("ing") and len(w) > 4 and j < len(node_toks) - 1
                                               and stem(w) not in words("affirming_verbs"))
                    for j, w in enumerate(node_toks)):
            continue
        out.append((node, ns[-1:]))
    for node in nodes:
        head = name_head(node)
        if head and not any(set(head) <= set(name_stems(o)) for o in nodes if o != node):
            out.append((node, head))
    # "long distance", "large breeds": a value word first says the name ("long & premium", "small dogs" by its
    # antonym) when no other name has that word
    for node in nodes:
        ns = name_stems(node)
        if len(ns) >= 2 and ns[0] in words("value_adjectives") and \
                not any(ns[0] in name_stems(o) for o in nodes if o != node):
            out.append((node, ns[:1]))
    # "statin use", "coffee consumption": said by what is used ("takes statins", "statin users"); the noun of use
    # is no value, so the thing alone names the variable with value 1 (a negation before it, 0)
    for node in nodes:
        ns = name_stems(node)
        if len(ns) >= 2 and ns[-1] in words("use_nouns") and \
                not any(set(ns[:-1]) <= set(name_stems(o)) for o in nodes if o != node):
            out.append((node, ns[:-1]))
    return tuple(out)


def _match(ns: tuple[str, ...], toks: list[str], stems: list[str], used: set[int], exact: bool,
           all_stems: frozenset[str] = frozenset()):
    idx, flipped = [], False
    for s in ns:
        hit = None
        for i, (w, st) in enumerate(zip(toks, stems, strict=False)):
            if i in used or i in idx:
                continue
            if st == s if exact else words_match(st, s):
                hit = i
                break
            # an antonym names the other value: inside a longer name, or of a one-word name when the antonym is no
            # word of any variable ("the young" against "old"; not "light" against "heavy" beside a "light" variable)
            if _negated_word(w, s) or (antonym_of(st, s) and (len(ns) > 1 or st not in all_stems)):
                hit, flipped = i, not flipped
                break
        if hit is None:
            return None
        idx.append(hit)
    if max(idx) - min(idx) > 2 * len(ns) + 1:  # the name's words must stand together
        return None
    return idx, flipped


PRONOUNS = frozenset({"it", "them", "this", "these", "those", "him", "her", "one"})


def _negated_before(toks: list[str], i: int, others: frozenset[int] | set[int] = frozenset()) -> bool:
    """An odd number of negations govern token i: 'not'/'no'/'without'/'quitting'/'non -' shortly before,
    not across a joint or a name ("not quitting smoking" asserts smoking)."""
    odd = False
    for j in range(i - 1, max(-1, i - 5), -1):
        w = toks[j]
        if j in others:
            break
        if w in ("and", "with", "who", "that", "which", "but", "or", ",", "while") or w in PRONOUNS:
            break  # "stopping it makes injury likely": the pronoun is what is stopped, not injury
        if negating(toks, j) and not _bound_elsewhere(toks, j, i):
            odd = not odd
    return odd


# "insomnia less common", "jog less likely to": a comparative says the direction asked, never the value of the name
_COMPARED = frozenset({"likely", "common", "often", "frequent", "frequently", "probable", "prevalent", "usual", "than",
                       "widespread", "typical", "apt"})


def _comparative(toks: list[str] | tuple[str, ...], k: int) -> bool:
    return toks[k] in ("less", "more") and k + 1 < len(toks) and toks[k + 1] in _COMPARED


def _bound_elsewhere(toks: list[str], j: int, i: int) -> bool:
    """A prefix negation ("non-smokers") binds to its own word only, a suffix ("cancer-free") to the word before:
    neither negates a name further on ("than non-smokers to get lung cancer", "who stay injury-free file a report")."""
    if toks[j] in words("negating_suffixes") and (toks[j] in ("free", "less") or _ban_noun(toks, j)):
        # "free" negates the name before it ("cancer-free") or after "of"; "ban" the word before it when it is the
        # noun ("phone-ban classes", "the smoking ban"), while "classes that ban phones" is the verb
        return not (j + 1 < len(toks) and toks[j + 1] in ("of", "from"))
    if toks[j] not in ("non", "un"):
        return False
    k = j + 2 if j + 1 < len(toks) and toks[j + 1] == "-" else j + 1
    return k != i


def _value(toks: list[str], stems: list[str], i: int, flipped: bool, others: set[int], end: int | None = None) -> int:
    v = 1
    if end is not None and end < len(toks) and end not in others:  # right after the name: "sleep badly"
        # a particle of a phrasal verb is not a value ("break down", "turn off", "give up")
        pole = toks[end] in POLES and POLES[toks[end]] == 0 and toks[end] not in ("down", "off", "out") \
            and not _comparative(toks, end)
        if pole or toks[end] == "fewer" or negating_suffix(toks, end):
            v = 1 - v
    if flipped:
        v = 0
    if _negated_before(toks, i, others):
        v = 1 - v
    # an explicit pole word right before the name ("low tar", "high blood pressure", "an unhealthy diet")
    for j in range(i - 1, max(-1, i - 4), -1):
        if toks[j] == "-":  # "low-income": the pole before a hyphen
            continue
        if j in others:  # a word of another name ("weak" of ability in "weak tutored") is that name's value
            break
        if toks[j] in POLES:
            if POLES[toks[j]] == 0 and pole_modifies(toks, j):
                v = 1 - v
            break
        if re.fullmatch(r"(?:un|non)[a-z]{4,}", toks[j]) and toks[j] not in NOT_NEGATED:
            v = 1 - v
            break
        if toks[j] not in ("very", "a", "the"):
            break
    return v


def unknown_words(phrase: str, nodes: list[str]) -> list[str]:
    """Content words of a phrase that name no variable (what a question asks about but the story lacks)."""
    ms = mentions(phrase, nodes)
    covered = {i for m in ms for i in range(m.start, m.end)}
    toks = tokens(phrase)
    return [w for i, w in enumerate(toks) if i not in covered and w not in FILLER and w not in NEGATORS
            and w not in POLES and w != "-" and not w.isdigit()]


# words after which a pole word opens a noun phrase ("with low tar", "a high yield"); after a verb such as "stay"
# it is the verb's complement ("who stay weak walk again": "weak" is not a value of walking)
_NP_OPENERS = frozenset("a an the with without of for among in have has had is are was were who that very get gets got "
                        "their his her its and or from on at by to".split())


def pole_modifies(toks: list[str] | tuple[str, ...], j: int) -> bool:
    """The pole word at ``j`` opens a noun phrase ("with high blood pressure", "from low-income families", "of
    families, high income" as a share's predicate after who is counted)."""
    k = j - 1
    while k >= 0 and toks[k] == "very":
        k -= 1
    return k < 0 or toks[k] in _NP_OPENERS or stem(toks[k]) in words("populations")


# words that stand for everyone a story counts, or hold no group ("what share of people ...", "does it help them"):
# any other population word in a question ("women", "children") names a group the story may have no numbers for
EVERYONE_WORDS = frozenset("people person persons individual individuals everyone someone somebody anyone population "
                           "unit units case cases one ones it its they them their he she his her we our us you your i "
                           "me my who whom which that this these those there then so such than as of in on at for by "
                           "from into to up with if or and is are was were be been being has have had do does did will "
                           "would get gets got getting a an the time times likely all every each both whole entire".split())

# nouns for people that name a group of them ("women", "children"): never everyone a story counts
GROUP_NOUNS = frozenset("men women man woman children child kids kid adults adult boys girls boy girl".split())

_GROUP_OPENERS = frozenset("in for among with given within".split())
_GROUP_SKIP = frozenset("a an the all those people persons individuals someone somebody anyone everyone whose "
                        # "given that someone has cancer": the verb of the known fact, no group
                        "has have had is are was were be been gets get got does do did "
                        "actually really already ever indeed".split())  # "among the patients who actually got it"


# units that are the whole population of a story, never a subgroup ("men", "children" may well be one)
GENERIC_UNITS = frozenset("peopl person patient individu everyon popul particip subject case resid citizen user "
                           "custom employe worker student".split())


def unnamed_groups(phrase: str, nodes: list[str]) -> list[str]:
    """A group a question restricts to that no variable names ("for men", "in women", "among people over 60"):
    answering for everyone would be answering another question."""
    ms = mentions(phrase, nodes)
    covered = {i for m in ms for i in range(m.start, m.end)}
    toks = tokens(phrase)
    out = []
    for i, w in enumerate(toks):
        if w not in _GROUP_OPENERS:
            continue
        j = i + 1
        while j < len(toks) and (toks[j] in _GROUP_SKIP or toks[j] in ("who", "that") or negating(toks, j)
                                 or stem(toks[j]) in GENERIC_UNITS):
            j += 1  # "among patients ...": the story's own unit restricts nothing; what follows is checked
        if j < len(toks) and j not in covered and toks[j] not in ("the", "general", "total", "turn", "other", "case",
                                                                  "order", "average", "terms", "fact", "effect"):
            out.append(toks[j])
    return out


def unknown_actions(phrase: str, nodes: list[str]) -> list[str]:
    """A verb in -ing right before a variable whose direction the lexicon does not know ("cancelling tutoring"):
    it may negate the cause or keep it, so the reader asks instead of reading the cause as done."""
    ms = mentions(phrase, nodes)
    toks = tokens(phrase)
    out = []
    for m in ms:
        for j in range(max(0, m.start - 3), m.start):
            w = toks[j]
            if w.endswith("ing") and len(w) > 4 and not negating(toks, j) and stem(w) not in words("affirming_verbs") \
                    and f"{stem(w)} {toks[j + 1]}" not in words("affirming_verbs") and w not in FILLER:
                out.append(w)
    return out


def stray_values(phrase: str, nodes: list[str]) -> list[str]:
    """Value adjectives of the phrase that no variable accounts for ("cars that are new" when the variable is
    "being old"): the phrase may mean a value or a group the reader would otherwise drop."""
    ms = mentions(phrase, nodes)
    toks = tokens(phrase)
    # value words of a name: the pole word before it when it opens the noun phrase ("high tar"), the word after it
    near = {i for m in ms for i in range(m.start, m.end + 1)}
    near |= {m.start - 1 for m in ms if m.start and pole_modifies(toks, m.start - 1)}
    near |= {m.start - 2 for m in ms if m.start > 1 and toks[m.start - 1] == "-" and pole_modifies(toks, m.start - 2)}
    return [w for i, w in enumerate(toks) if i not in near and (w in words("value_adjectives")
                                                               or stem(w) in words("value_adjectives"))]


def population_modifiers(phrase: str, nodes: list[str]) -> list[str]:
    """Words that narrow a population no variable accounts for ("overweight people" when the variable is
    "healthy weight"): dropping them would state the number for everyone — the reader asks instead."""
    ms = mentions(phrase, nodes)
    covered = {i for m in ms for i in range(m.start, m.end)}
    toks = tokens(phrase)
    return [toks[i - 1] for i in range(1, len(toks)) if stem(toks[i]) in words("populations") and i - 1 not in covered
            and toks[i - 1] not in FILLER and toks[i - 1] not in ("-", "the", "all", "of") and not negating(toks, i - 1)]


_LINKS = frozenset("are is was were keep keeps kept stay stays stayed remain remains remained become becomes".split())


def unnamed_predicates(phrase: str, nodes: list[str]) -> list[str]:
    """What a relative clause says of a group when no variable accounts for it ("people who are overweight",
    "cars that keep running"): a condition the reader would otherwise drop."""
    ms = mentions(phrase, nodes)
    covered = {i for m in ms for i in range(m.start, m.end)}
    toks = tokens(phrase)
    out = []
    for i in range(len(toks) - 2):
        if toks[i] in ("who", "that", "which") and toks[i + 1] in _LINKS:
            j = i + 2
            while j < len(toks) and (toks[j] in ("a", "an", "the", "very", "-") or negating(toks, j)):
                j += 1
            if j < len(toks) and j not in covered and stem(toks[j]) not in words("populations"):
                out.append(toks[j])
    return out


def partial_names(phrase: str, nodes: list[str]) -> list[str]:
    """Variables the phrase names only in part ("a calm job" against "job stress"): which value it means is
    unknown, and dropping the phrase would drop a condition — the reader asks instead."""
    ms = mentions(phrase, nodes)
    named = {m.node for m in ms}
    covered = {i for m in ms for i in range(m.start, m.end)}
    free = [stem(w) for i, w in enumerate(tokens(phrase)) if i not in covered and w not in FILLER
            and stem(w) not in words("populations")]
    out = []
    for n in nodes:
        ns = name_stems(n)
        if n not in named and len(ns) > 1 and any(words_match(f, s) for f in free for s in ns):
            out.append(n)
    return out


def unsure(phrase: str, nodes: list[str]) -> str | None:
    """A value word the phrase uses that no named variable accounts for ("smoking less", "if not"), or None.

    Such a word could flip the meaning of the phrase; the reader asks back instead of guessing.
    """
    toks = list(tokens(phrase))
    ms = mentions(phrase, nodes)
    covered: set[int] = set()
    for m in ms:
        covered |= set(range(max(0, m.start - 4), m.end + 1))
    for i, w in enumerate(toks):
        if i in covered:
            continue
        if w in ("on", "up", "down") and i + 1 < len(toks) and toks[i + 1] not in ("-", ","):
            continue  # a preposition or particle ("on placebo", "on stormy days", "up to"), not the value "on"
        if w in NEGATORS or w in POLES or w in ("less", "more", "fewer", "rarely", "seldom"):
            return w
    return None


def modifier(phrase: str, m: Mention) -> str | None:
    """The content word right before a name ("mild" in "mild symptoms"), when it is not a known value word."""
    toks = tokens(phrase)
    if m.start == 0:
        return None
    w = toks[m.start - 1]
    if w in FILLER or w in NEGATORS or w in POLES or stem(w) in attribute_words() or w == "-" or \
            re.fullmatch(r"(?:un|non)[a-z]+", w):
        return None
    return w
