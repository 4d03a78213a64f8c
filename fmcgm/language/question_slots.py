"""Questions read by slots, not by whole-sentence shapes: which variables, in which roles, asking what.

A question in free wording names its variables (found by name, with the value each phrase asserts, by
:func:`fmcgm.language.names.mentions`), and cue words say what is asked (``data/questions.toml``: kinds,
directions, value questions, clause openers — data with an example each). Roles come from where a
variable stands: the one in an opening clause ("if it had rained", "among smokers", "for those who ...")
or named first is the cause; the one after "through"/"leaving aside" is the mediator; an "among ... only"
group is a selection. Anything that does not fit exactly (a third variable without a role, two directions,
a stray negation, a cause that could be either variable) is asked back — never guessed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fmcgm.causal.graph import CausalGraph, has_directed_path
from fmcgm.causal.queries import Query
from fmcgm.errors import FMCGMError
from fmcgm.language.lexicon import words
from fmcgm.language.names import (
    EVERYONE_WORDS,
    FILLER,
    GENERIC_UNITS,
    GROUP_NOUNS,
    PRONOUNS,
    Mention,
    mentions,
    name_stems,
    negating,
    partial_names,
    stem,
    tokens,
    unknown_actions,
    unnamed_groups,
    words_match,
)
from fmcgm.vocabulary import QueryKind

_SIGN_WORDS = frozenset({"positive", "negative"})
_SHARE = tuple(tuple(p.split()) for p in ("what share", "what proportion", "what fraction", "what percentage", "how many",
                                          "what is the probability", "what is the chance", "how likely",
                                          "what are the chances"))


class SlotError(FMCGMError):
    def __init__(self, missing: str) -> None:
        super().__init__(missing, "name the cause and the outcome as in the story, e.g. 'Does X increase the chance of Y?'")
        self.missing = missing


@dataclass(frozen=True)
class Cues:
    kinds: dict[str, tuple[tuple[str, ...], ...]]
    up: tuple[tuple[str, ...], ...]
    down: tuple[tuple[str, ...], ...]
    neutral: tuple[tuple[str, ...], ...]
    value: tuple[tuple[str, ...], ...]
    opening: frozenset[str]


@cache
def cues() -> Cues:
    raw = tomllib.loads(resources.files("fmcgm.language").joinpath("data/questions.toml").read_text(encoding="utf-8"))

    def phrases(xs: list[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(x.split()) for x in xs)

    d = raw["direction"]
    return Cues({k: phrases(v["cues"]) for k, v in raw["kinds"].items()}, phrases(d["up"]), phrases(d["down"]),
                phrases(d["neutral"]), phrases(raw["value"]["cues"]), frozenset(raw["clauses"]["opening"]))


def _find(toks: tuple[str, ...], phrase: tuple[str, ...], free: set[int]) -> list[int]:
    """Start positions of a cue phrase on tokens no variable name took."""
    n = len(phrase)
    return [i for i in range(len(toks) - n + 1) if toks[i:i + n] == phrase and all(j in free for j in range(i, i + n))]


def _has(toks: tuple[str, ...], group: tuple[tuple[str, ...], ...], free: set[int]) -> list[tuple[int, int]]:
    return [(i, i + len(p)) for p in group for i in _find(toks, p, free)]


def _opened(toks: tuple[str, ...], ms: list[Mention], k: int, opening: frozenset[str]) -> bool:
    start = ms[k - 1].end if k else 0
    return any(w in opening for w in toks[start:ms[k].start])


def read_slots(question: str, graph: CausalGraph, has_numbers: bool,
               story_words: frozenset[str] = frozenset()) -> tuple[Query, str]:
    """The query and claim of a question, by slots; raises :class:`SlotError` saying what is unclear.
    ``story_words``: the stems the story's statements use (a chance question may repeat them)."""
    c = cues()
    # a sign word names the direction asked, never a value of the variable before it ("... on flowering negative?")
    text = " ".join(w for w in question.strip().rstrip("?").split() if w.lower().strip(",.") not in _SIGN_WORDS)
    toks = tokens(text)
    nodes = [n for n in graph.nodes if n not in graph.latent]
    acting = unknown_actions(text, nodes)
    if acting:
        raise SlotError(f"what {acting[0]!r} does to the variable after it (raise it, remove it?)")
    part = partial_names(text, nodes)
    if part:
        raise SlotError(f"which value of {part[0]!r} the question means: it names only part of that variable")
    unnamed = unnamed_groups(text, nodes)
    if unnamed:
        raise SlotError(f"who {unnamed[0]!r} are: the story has no such variable, so the answer would be for everyone")
    ms = mentions(text, nodes)
    if not ms:
        raise SlotError(f"which variables the question is about (known: {', '.join(nodes)})")
    again = _negated_again(toks, ms)
    if again:
        raise SlotError(f"what {again!r} does: the question names that variable twice, once negated (say the group "
                        f"and the change apart, e.g. 'For people who X, would not X make Y more likely?')")
    covered = {i for m in ms for i in range(m.start, m.end)}
    # a negation governs the mention right after it; one that governs none is a stray: ask
    governed = {j for m in ms for j in range(max(0, m.start - 4), m.start)}
    free = set(range(len(toks))) - covered
    contrast = {j for i, w in enumerate(toks) if w == "than" for j in range(i, len(toks))}  # "than if it were banned"
    stray = [toks[j] for j in sorted(free - governed - contrast) if negating(toks, j) and toks[j] not in ("without",)]
    if stray:
        raise SlotError(f"what {stray[0]!r} in the question negates; name the variable and its value")
    kind = _kind(toks, free, c)
    conditional = _conditional(toks, ms, free, c)
    if story_words:
        # a question asked of what the story names, and nothing else: "What share of bus riders were on time?" names
        # bus riders and "on time", a value no variable accounts for — never the share of bus riders; "Does the drug
        # make female patients more likely to recover?" restricts to a group the story has no numbers for
        left = _unaccounted(toks, free, c, story_words, full=conditional is not None or kind == "marginal")
        if left:
            raise SlotError(f"what {left!r} says in the question: no variable of the story accounts for it; say "
                            "the value as the story does")
    if conditional is not None:
        return conditional, "none"
    if kind != "marginal" and _has(toks, _SHARE, free):  # "what share of late staff came by bus?" is P(bus | late)
        raise SlotError("a share within a group (a conditional probability) — ask how much the cause changes the outcome, "
                        "or give the question in notation, e.g. P(Y=1 | X=1)")
    signs = {w.lower().strip(",.") for w in question.split()} & _SIGN_WORDS
    up = _has(toks, c.up, free) + [(0, 0)] * ("positive" in signs)
    down = _has(toks, c.down, free) + [(0, 0)] * ("negative" in signs)
    ask_value = bool(_has(toks, c.value, free))
    claim = _claim(up, down, ask_value, bool(_has(toks, c.neutral, free)))
    order: list[str] = []
    for m in ms:
        if m.node not in order:
            order.append(m.node)
    first = {n: next(m for m in ms if m.node == n) for n in order}
    if kind == "marginal":
        if len(order) != 1:
            raise SlotError("one variable for an overall chance (the question names " + ", ".join(order) + ")")
        only = first[order[0]]
        mclaim = ("more_likely" if _has(toks, (("more", "likely", "than", "not"),), free) else
                  "less_likely" if _has(toks, (("less", "likely", "than", "not"),), free) else "none")
        return Query(QueryKind.MARGINAL, only.node, outcome_value=only.value), mclaim
    roles = dict.fromkeys(order, "")
    mediators: list[str] = []
    if kind in ("nie", "nde"):
        spans = _has(toks, c.kinds[kind], free)
        after = [m for m in ms if any(e <= m.start <= e + 2 for _, e in spans) or
                 any(m.end <= s <= m.end + 1 and toks[s] == "aside" for s, _ in spans)]
        for m in after:
            roles[m.node] = "mediator"
            mediators.append(m.node)
    condition: tuple[tuple[str, int], ...] = ()
    if kind == "selection":
        k0 = ms[0]
        if toks[:1] and toks[0] in ("among", "within", "if") and len(order) == 3:
            roles[k0.node] = "condition"
            condition = ((k0.node, k0.value),)
        else:
            raise SlotError("which group the question selects ('Among X only, ...') and the two variables compared")
    rest = [n for n in order if not roles[n]]
    if len(rest) != 2:
        raise SlotError("one cause and one outcome in the question (it names " + ", ".join(rest or order) + ")")
    x, y, weak = _cause_and_outcome(toks, ms, rest, c.opening)
    if weak and has_directed_path(graph, y, x):  # the roles came from word order alone and either is a cause
        raise SlotError(f"which is the cause: {x} or {y} (the graph has {y} affecting {x})")
    xm = next(m for m in ms if m.node == x)
    ym = next(m for m in ms if m.node == y)
    x1 = xm.value
    if kind == "ett":
        # the engine's ETT(x1, x0) is E[Y_x0 - Y | X = x1]; asked about the outcome's other value, that is the effect
        # of the treatment on the treated, E[Y_x1 - Y_x0 | X = x1], in the direction the question asks
        return Query(QueryKind.ETT, y, x, x1, 1 - x1, 1 - ym.value), claim
    if kind in ("nie", "nde"):
        meds = tuple(mediators) or _all_mediators(graph, x, y)
        if not meds:
            raise SlotError("a mediator: the graph has no variable between the cause and the outcome")
        return Query(QueryKind(kind), y, x, x1, 1 - x1, ym.value, mediators=meds), claim
    if kind == "selection":
        return Query(QueryKind.EXP_AWAY, y, x, x1, 1 - x1, ym.value, condition=condition), claim
    if kind == "correlation":
        return Query(QueryKind.CORRELATION, y, x, x1, 1 - x1, ym.value), claim
    if not has_numbers:
        return Query(QueryKind.COLLIDER_BIAS, y, x), "affects"
    return Query(QueryKind.ATE, y, x, x1, 1 - x1, ym.value), claim


# the clause that states what is known about the unit asked about: "given that she tested positive", "if someone
# smokes", "among the late staff", and the group after a share ("what share of late staff ...")
_KNOWN = frozenset("given if when whenever among once after".split())
_SHARE_OF = frozenset("share proportion fraction percentage percent".split())
_SUPPOSED = frozenset("would were could might".split())  # "if it rained every day, what would ... be": do(), not seen


# words a chance question may hold besides its variables and cues: who is asked about, and how
_ASKING_WORDS = frozenset("what whats how which who s is are was were be been being has have had do does did will would "
                          "the a an of in on at for that they them their it its someone somebody anyone one people "
                          "person he she his her we our us you your all any random randomly given if when among "
                          "probability chance chances share proportion fraction percentage percent likely likelihood "
                          "odds rate overall total actually really also still there then this these those to day "
                          "picked chosen selected some difference differ different whole entire every each all both".split())


def _unaccounted(toks: tuple[str, ...], free: set[int], c: Cues, story_words: frozenset[str],
                 full: bool = True) -> str | None:
    """The first word of a chance question that no variable, cue, population, asking word or word of the story's own
    statements accounts for ("on time", "punctual", "healthy" where the story only says "late", "sick")."""
    cued = {i for group in (c.value, _SHARE, *c.kinds.values()) for a, b in _has(toks, group, free) for i in range(a, b)}
    for i in sorted(free - cued):
        w = toks[i]
        if w in ("on", "in") and i + 1 < len(toks) and toks[i + 1] == "time" and "time" not in story_words:
            return f"{w} time"
        if stem(w) in story_words or negating(toks, i) or w.isdigit():  # a negation is read with its name (above)
            continue
        if (stem(w) in words("populations") or w in GROUP_NOUNS) and w not in EVERYONE_WORDS and story_words \
                and stem(w) not in GENERIC_UNITS:  # "cancer patients": the story's usual unit restricts nothing
            return w  # "What share of women recovered?" on a story that never says women: a group, not everyone
        if w in _ASKING_WORDS or w in FILLER or stem(w) in words("populations"):
            continue
        if full or w in words("value_adjectives") or stem(w) in words("value_adjectives"):
            return w  # an effect question may frame itself in words of its own, never a value ("female", "rural")
    return None


def _conditional(toks: tuple[str, ...], ms: list[Mention], free: set[int], c: Cues) -> Query | None:
    """P(Y | X = x) asked in words: a chance or share asked (no direction), of two variables, one of them in a clause
    saying what is known ("If someone tests positive, what's the chance they have the disease?"); None otherwise.
    A supposition ("what would the chance be if ...") is an intervention, not a conditional: None."""
    nodes = list(dict.fromkeys(m.node for m in ms))
    if len(nodes) != 2 or set(toks) & _SUPPOSED or not (_has(toks, _SHARE, free) or _has(toks, c.value, free)):
        return None
    if _has(toks, c.up, free) or _has(toks, c.down, free) or _has(toks, c.kinds["correlation"], free):
        return None
    known = []
    for k, m in enumerate(ms):
        before = toks[ms[k - 1].end if k else 0:m.start]
        if set(before) & _KNOWN or (len(before) >= 1 and before[-1] == "of" and set(before) & _SHARE_OF):
            known.append(m)
    if len({m.node for m in known}) != 1:
        return None
    xm = known[0]
    ym = next(m for m in ms if m.node != xm.node)
    return Query(QueryKind.CONDITIONAL, ym.node, xm.node, xm.value, 1 - xm.value, ym.value)


def _negated_again(toks: tuple[str, ...], ms: list[Mention]) -> str:
    """A name said a second time right after a negating word ("For people who exercise, would stopping exercise
    ..."): one mention per variable holds one value, so the second one's negation would be lost; the phrase, or ''."""
    for j in range(len(toks) - 1):  # "would stopping it ...": what "it" is, the group or the outcome, is a guess
        if negating(toks, j) and toks[j + 1] in PRONOUNS:
            return f"{toks[j]} {toks[j + 1]}"
    for m in ms:
        ns = name_stems(m.node)
        for i in range(m.end, len(toks)):  # any word of the name: "coffee drinkers ... quitting coffee"
            if any(words_match(stem(toks[i]), s) for s in ns):
                for j in range(max(m.end, i - 2), i):
                    if negating(toks, j):
                        return " ".join(toks[j:i + 1])
    return ""


def _kind(toks: tuple[str, ...], free: set[int], c: Cues) -> str:
    for kind in ("nde", "nie", "ett"):  # "disregard the mediation through M" is direct: its cue goes first
        if _has(toks, c.kinds[kind], free):
            return kind
    corr = bool(_has(toks, c.kinds["correlation"], free))
    if corr and _has(toks, c.kinds["selection"], free):
        return "selection"
    if corr:
        return "correlation"
    if _has(toks, c.kinds["marginal"], free):
        return "marginal"
    return "ate"


def _claim(up: list, down: list, ask_value: bool, neutral: bool) -> str:
    if ask_value:
        return "none"
    if up and down:
        raise SlotError("which direction is asked: the question says both 'more' and 'less' (or raise and lower)")
    if up:
        return "positive"
    if down:
        return "negative"
    if neutral:
        return "affects"
    raise SlotError("what is asked: whether the cause raises or lowers the outcome, or how much it changes it")


def _cause_and_outcome(toks: tuple[str, ...], ms: list[Mention], pair: list[str],
                       opening: frozenset[str]) -> tuple[str, str, bool]:
    """(cause, outcome, weak): the variable in an opening clause is the cause; else 'effect of A on B'; else the
    first named (weak: word order alone decided)."""
    opened = {m.node for k, m in enumerate(ms) if m.node in pair and _opened(toks, ms, k, opening)}
    if len(opened) == 1:
        (x,) = opened
        return x, next(n for n in pair if n != x), False
    a, b = pair
    am = next(m for m in ms if m.node == a)
    if "effect" in toks[:am.start] and "on" in toks[am.end:next(m for m in ms if m.node == b).start]:
        return a, b, False
    return a, b, True


def _all_mediators(graph: CausalGraph, x: str, y: str) -> tuple[str, ...]:
    return tuple(n for n in graph.nodes if n not in (x, y) and n not in graph.latent
                 and has_directed_path(graph, x, n) and has_directed_path(graph, n, y))
