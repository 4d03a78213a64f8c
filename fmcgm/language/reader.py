"""Reading as one layer: text -> readings (typed problems) plus what could not be read.

``read_prose(text, context)`` returns a :class:`ReadResult`: the free-prose and formal-notation
reader's reading of the question (at most one; the offline reasoner adds the CLadder-shape
reader's readings and ranks them, ``agent/offline_model.py``), what was understood, the sentences
that could not be read, what is missing, an example of how to say it and the graph read so far.
It never calls the causal engine.  ``decide(readings, check)`` takes one injected check (a
function that answers a reading, e.g. the engine) over a bounded number of readings: one answer
when the surviving readings agree, a question back when they differ.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from fmcgm.causal.consistency import check_local_markov
from fmcgm.causal.deterministic import Mechanism
from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import FMCGMError, InconsistentInputError
from fmcgm.language.asking import Asked, read_question
from fmcgm.language.conditions import All, AnyOf, Cond, Lit, Not, literals
from fmcgm.language.formal import FormalQuery
from fmcgm.language.lexicon import words
from fmcgm.language.names import (
    FILLER,
    Mention,
    antonym_of,
    mentions,
    modifier,
    name_stems,
    negating,
    partial_names,
    population_modifiers,
    stem,
    story_antonyms,
    stray_values,
    tokens,
    unknown_actions,
    unknown_words,
    unnamed_groups,
    unnamed_predicates,
    unsure,
    words_match,
)
from fmcgm.language.poles import story_pairs
from fmcgm.language.prose import ENDS_IN_NUMBER, HEADING_PROBWORDS, NUMBER_RE, POLES, ProbText, ProseStory, read_story
from fmcgm.language.question_slots import SlotError, read_slots
from fmcgm.language.understand import Problem
from fmcgm.vocabulary import QueryKind

MAX_CHECKED = 4  # readings the check runs on: bounds the time a question takes

EXAMPLE = ("Smoking causes cancer. 40% of people smoke. Among smokers, 30% get cancer; among non-smokers, 10%. "
           "Does smoking increase the chance of cancer?  (or in notation: X -> Y. P(X=1) = 0.4. "
           "P(Y=1 | X=1) = 0.3. P(Y=1 | X=0) = 0.1. What is the ATE of X on Y?)")


@dataclass
class ReadResult:
    readings: list[Problem] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    example: str = EXAMPLE
    graph: dict[str, list] | None = None  # the graph read so far, shown (not committed) when the turn declines


class Unread(Exception):
    def __init__(self, missing: str, unreadable: str | None = None) -> None:
        super().__init__(missing)
        self.missing = missing
        self.unreadable = unreadable


def summary(st: ProseStory) -> str:
    parts = []
    if st.edges:
        parts.append("graph " + ", ".join(f"{a} -> {b}" for a, b in st.edges))
    if st.latent:
        parts.append("unobserved " + ", ".join(st.latent))
    n = len(st.probs) + len(st.formal_probs)
    if n:
        parts.append(f"{n} probabilit{'y' if n == 1 else 'ies'}")
    if st.rules:
        parts.append(f"{len(st.rules)} rule(s)")
    return "; ".join(parts) or "nothing yet"


def read_prose(text: str, context: tuple[str, ...] = (), changes: list[str] | None = None) -> ReadResult:
    """Read ``text`` against the statements of earlier turns (``context``); corrections go to ``changes``."""
    st = read_story(text, context)
    res = ReadResult(understood=[summary(st)], unreadable=list(st.unreadable),
                     graph={"edges": [list(e) for e in st.edges], "latent": list(st.latent)} if st.edges else None)
    if not st.question:
        res.missing.append("a question (a sentence ending with '?')")
        return res
    try:
        with story_antonyms(story_pairs(st.probs)):
            prob = _problem(st, changes)
    except Unread as e:
        res.missing.append(e.missing)
        if e.unreadable:
            res.unreadable.append(e.unreadable)
        return res
    except FMCGMError as e:  # what was read does not make a valid problem (a cycle, a self-loop): say so, as read
        res.missing.append(f"a story I can use: as I read it, {e.message}")
        return res
    if res.unreadable:
        res.missing.append("the sentences above in a form I can read, or drop them")
        return res
    res.readings.append(prob)
    return res


# -- grounding --------------------------------------------------------------------------------

# What a phrase says that no variable of the story accounts for: each check finds such words, the reader asks
# about the first instead of dropping it (the example after each check is a phrase it stops).
_UNACCOUNTED: tuple[tuple[Callable[[str, list[str], str], list[str]], str], ...] = (
    (lambda p, n, s: stray_values(p, n),  # "cars that are new" against "being old"
     "what {word!r} in {phrase!r} says: no variable of the story has that value; name the variable and its value"),
    (lambda p, n, s: unknown_actions(p, n),  # "lowering smoking"
     "what {word!r} does to the variable after it (raise it, remove it?); say 'if X' or 'if not X'"),
    # a relative clause is checked on the words as written too (the number words are cut from the phrase)
    (lambda p, n, s: unnamed_predicates(p, n) + unnamed_predicates(s, n),  # "people who are overweight"
     "what {word!r} in {phrase!r} says: no variable of the story accounts for it; name the variable and its value"),
    (lambda p, n, s: population_modifiers(p, n),  # "overweight people"
     "what {word!r} in {phrase!r} says: no variable of the story accounts for it; name the variable and its value"),
    (lambda p, n, s: partial_names(p, n),  # "a calm job" against "job stress"
     "which value of {word!r} {phrase!r} means: it names only part of that variable"),
)


def _sure(phrase: str, nodes: list[str], sentence: str | None) -> None:
    w = unsure(phrase, nodes)
    if w is not None:
        raise Unread(f"what {phrase!r} asserts: I am not sure what {w!r} changes; name the variable and its value",
                     sentence or phrase)
    for check, message in _UNACCOUNTED:
        found = check(phrase, list(nodes), sentence or "")
        if found:
            raise Unread(message.format(word=found[0], phrase=phrase), sentence or phrase)
    ms = mentions(phrase, nodes)
    for m in ms if len(ms) == 1 else ():  # "mild symptoms" against "severe symptoms"
        mod = modifier(phrase, m)
        if mod is not None:
            seen = getattr(nodes, "modifiers", {})
            seen.setdefault(m.node, set()).add(mod)
            if len(seen[m.node]) > 1:
                raise Unread(f"whether {' and '.join(repr(f'{x} {m.node}') for x in sorted(seen[m.node]))} are the "
                             "same value; say them as 'X' and 'not X' (or high/low)", sentence or phrase)


class Vars(list):
    """The variables of the question being read, with its graph and the modifiers seen per variable so far."""

    def __init__(self, graph: CausalGraph, glosses: dict[str, str] | None = None) -> None:
        super().__init__(graph.nodes)
        self.graph = graph
        self.modifiers: dict[str, set[str]] = {}
        self.glosses = {k: v for k, v in (glosses or {}).items() if k in graph.nodes}  # "X = code review"


def _one(phrase: str, nodes: list[str], what: str, sentence: str | None = None) -> Mention:
    _sure(phrase, nodes, sentence)
    ms = mentions(phrase, nodes)
    if len(ms) != 1:
        unknown = unknown_words(phrase, nodes)
        if not ms:
            raise Unread(f"which variable {what} {phrase!r} is (known: {', '.join(nodes) or 'none'})"
                         + (f"; not in the story: {', '.join(unknown)}" if unknown else ""), sentence)
        raise Unread(f"{what} {phrase!r} names several variables ({', '.join(m.node for m in ms)})", sentence)
    return ms[0]


_FUNCTION = frozenset("of the all a an are is were was be been do does did have has had both".split())


def _joint(phrase: str, ms: list[Mention]) -> bool:
    """Several variables joined as one event: "smoking and cancer", "people who smoke and get cancer" read as a
    population ("12% of people smoke and get cancer", "12% of people are smokers with cancer") — not a group
    ("30% of smokers get cancer", "12% of people who smoke get cancer")."""
    if len(ms) < 2:
        return False
    toks = tokens(phrase)
    if "who" in toks or "that" in toks or "which" in toks:
        return False
    lead = [j for j in range(ms[0].start) if toks[j] not in _FUNCTION]
    # "12% of people smoke and get cancer", "51% of fields receive fertilizer and give a high yield", "18% of mice eat
    # a high-fat diet and develop diabetes": the population (a known word, or one plain noun) first, then every
    # variable in the predicate (a verb may stand before the first)
    population = not lead or stem(toks[lead[0]]) in words("populations") or (
        len(lead) <= 2 and toks[lead[0]] not in words("value_adjectives") and not negating(toks, lead[0]))
    # the conjunction joins the first two variables; in "30% of smokers get cancer and die" smokers are the group
    between = set(toks[ms[0].end:ms[1].start])
    if between & {"and", "but", "while"}:
        if not population:  # "24% of mice eat a normal diet and develop diabetes": a joint or a group? ask
            raise Unread(f"whether {phrase!r} is one group or two things together; say 'p% of all X both A and B' "
                         "or 'among X who A, p% B'")
        return True
    if not population:
        return False
    # "people are smokers with cancer" is a joint; "patients recover with therapy" is a group ("with" opens it)
    return "with" in between and bool({"are", "is", "were", "was"} & set(toks[:ms[0].start]))


_CARRY = frozenset("it its do does did is are was were rate the time cases out of every chance probability share "
                   "figure number one ones so too as well respectively".split())  # "..., it is 10%": the same event
_MARKERS = frozenset("with without when whenever if given among for after".split())  # they open a group
_PRONOUNS = frozenset("it them this that one ones so".split())
_COMPLEMENTS = frozenset("others other rest remainder everyone everybody else elsewhere remaining".split())


# verbs whose "for" belongs to them ("sign up for tutoring", "apply for a loan"): the thing after it is what they do,
# never a group
_FOR_VERBS = frozenset("up apply applied applies applying pay paid pays vote voted votes ask asked asks opt opted opts "
                       "qualify qualified qualifies register registered registers enrol enroll enrolled enrolls enrols "
                       "test tested tests screen screened screens go goes went care cared cares wait waited waits "
                       "sign signed signs".split())


def _marked(toks: tuple[str, ...], ms: list[Mention], k: int) -> bool:
    """Mention k stands in a group phrase ("with therapy", "when it rains"), not as the event."""
    start = ms[k - 1].end if k else 0
    return any(w in _MARKERS and not (w == "for" and j and toks[j - 1] in _FOR_VERBS)
               for j, w in enumerate(toks[:ms[k].start]) if j >= start)


def _event(pt: ProbText, nodes: list[str], given: dict[str, int], last_event: dict[str, int] | None,
           last_conds: set[str], last_given: dict[str, int], marked: dict[str, dict[str, int]]) -> dict[str, int]:
    """The event a probability sentence states the chance of: one variable, or several joined (a joint)."""
    if pt.event.startswith("\x00"):
        body = pt.event[1:]
        them = re.search(r"\b(?:of|among)\s+(?:them|those|these)\b(?!\s+(?:who|that|which|with|without))", body, re.I)
        if them:
            if not given and (last_given or last_event and len(last_event) == 1):
                # "40% of patients have high cholesterol. 70% of them take statins": them is the group before, or
                # the ones the share before was about
                given.update(last_given or last_event or {})
            body = body[:them.start()] + body[them.end():]
        negated = None if given else _elliptic_negation(body, last_given)
        if negated is not None and last_event:  # "..., against 15% of those who didn't": the event carries on
            given.update(negated)
            return last_event
        body = _resolve_pronoun_group(body, given, last_given, pt.sentence, marked.get("last", {}))
        ms = mentions(body, nodes)
        toks = tokens(body)
        if ms or not set(toks) & _COMPLEMENTS:  # "compared with 40% of others": the group before, flipped (below)
            _sure(body, nodes, pt.sentence)
        if _joint(body, ms) and not given:
            return {m.node: m.value for m in ms}
        if ms and last_event and all(m.node in last_conds or m.node in given for m in ms):
            for m in ms:
                given[m.node] = m.value
            return last_event
        free = [m for k, m in enumerate(ms) if not _marked(toks, ms, k)]
        if ms and not free and last_event:  # "..., and 50% of the time without therapy": the event carries on
            given.update({m.node: m.value for m in ms})
            return last_event
        if free and len(free) < len(ms):  # "patients recover 70% of the time with therapy": recovery is the event
            event = free[-1]  # "remote workers get promoted ... if they burn out": the last unmarked one
            for m in ms:
                if m is not event:
                    given[m.node] = m.value
            marked["now"] = {m.node: m.value for m in ms if m not in free}
            return {event.node: event.value}
        if ms:
            for m in ms[:-1]:
                given[m.node] = m.value
            return {ms[-1].node: ms[-1].value}
        if last_event and "otherwise" in toks and not ms and not given and len(marked.get("last", {})) == 1:
            # "... 78% of the time if they have tar deposits, and 61% of the time otherwise": the if-clause flips
            ((k, v),) = marked["last"].items()
            given.update({**{a: b for a, b in last_given.items() if a != k}, k: 1 - v})
            return last_event
        if last_event and set(toks) & _COMPLEMENTS and not given:  # "..., compared with 40% of others"
            given.update(_complement(last_given, pt.sentence))
            return last_event
        other = [w for w in toks if w not in FILLER and w not in _CARRY and stem(w) not in words("populations")
                 and not negating(toks, toks.index(w))]
        if other:  # "among non-exercisers, 85% are thin": another event, not the one before
            raise Unread(f"what {' '.join(other)!r} is: no variable of the story; say the event as before "
                         "(e.g. 'are obese')", pt.sentence)
        if last_event and given:
            return last_event
        raise Unread("what the number in this sentence is the probability of, and for whom", pt.sentence)
    if not pt.event.strip():
        if not last_event:
            raise Unread("what the number in this sentence is the probability of", pt.sentence)
        return last_event
    ms = mentions(pt.event, nodes)
    if _joint("of " + pt.event, ms):  # "the probability of not smoking and cancer"
        _sure(pt.event, nodes, pt.sentence)
        return {m.node: m.value for m in ms}
    toks = tokens(pt.event)
    if len(ms) >= 2 and set(toks[ms[-2].end:ms[-1].start]) & {"that", "who", "which"}:
        # "the share of households with solar panels that get an audit": the last relative clause is the event
        _sure(pt.event, nodes, pt.sentence)
        given.update({m.node: m.value for m in ms[:-1]})
        return {ms[-1].node: ms[-1].value}
    m = _one(pt.event, nodes, "the event", pt.sentence)
    return {m.node: m.value}


def _resolve_pronoun_group(body: str, given: dict[str, int], last_given: dict[str, int], sentence: str,
                           last_marked: dict[str, int] | None = None) -> str:
    """'50% of the time without it': the group before, with its value flipped by the negation; the rest of
    the body is returned to be read as usual.  When the group before names several variables ("old people ...
    with the drug"), "it" is the one its with/if clause named, and the others stay."""
    toks = list(tokens(body))
    if toks and toks[-1] in ("with", "without") and last_given:  # "... 50% with the drug and 40% without": "without it"
        toks.append("it")
    for i, w in enumerate(toks):
        if w in _PRONOUNS and i and (toks[i - 1] in _MARKERS or negating(toks, i - 1)):
            j = i - 1
            while j > 0 and (toks[j - 1] in _MARKERS or negating(toks, j - 1)):
                j -= 1
            if len(last_given) > 1 and last_marked and len(last_marked) == 1 and set(last_marked) <= set(last_given):
                given.update({k: v for k, v in last_given.items() if k not in last_marked})
                group = _group(" ".join(toks[j:i + 1]), [], last_marked, sentence)
            else:
                group = _group(" ".join(toks[j:i + 1]), [], last_given, sentence)
            given.update(group)
            return " ".join(toks[:j] + toks[i + 1:])
    return body


_AUX = frozenset("do does did is are was were has have had could would will can".split())
_ELLIPTIC_HEADS = frozenset("those ones one others rest they it he she".split())
_OBJECT_PRONOUNS = frozenset("it them one so that this".split())


def _elliptic_negation(phrase: str, last_given: dict[str, int]) -> dict[str, int] | None:
    """"(30% of) those who didn't (take it)", "the ones who don't", "when it isn't": the one group before, negated.

    The phrase is only a subject, a negated auxiliary and at most a verb that is said of a pronoun ("take it") or is
    a word of that group's name ("those who don't train" after "athletes who strength-train"); anything else is read
    as usual (and asked about where it names nothing)."""
    toks = [w for w in tokens(phrase) if w not in ("of", "among", "for", "the")]
    if toks and toks[0] in ("when", "if", "where", "while"):
        toks = toks[1:]
    if len(last_given) != 1 or not toks or not (toks[0] in _ELLIPTIC_HEADS or stem(toks[0]) in words("populations")):
        return None
    k = 1 + (len(toks) > 1 and toks[1] in ("who", "that", "which"))
    k += k < len(toks) and toks[k] in _AUX
    if k >= len(toks) or toks[k] not in ("not", "never"):
        return None
    ((var, value),) = last_given.items()
    rest = toks[k + 1:]
    if rest and (rest[-1] in _OBJECT_PRONOUNS and len(rest) <= 3 or rest in (["do"], ["does"], ["did"])):
        rest = []  # "didn't take it", "didn't get one", "never do": said of the thing before
    if rest and not (len(rest) == 1 and any(words_match(stem(rest[0]), s) for s in name_stems(var))):
        return None
    return {var: 1 - value}


def _complement(group: dict[str, int], sentence: str) -> dict[str, int]:
    """'others' after a group of one binary variable is its other value; after a conjunction it is no one group."""
    if len(group) != 1:
        raise Unread("who 'the others' are: the group before names "
                     + (f"{len(group)} variables" if group else "no variable"), sentence)
    ((k, v),) = group.items()
    return {k: 1 - v}


def _group(c: str, nodes: list[str], last_given: dict[str, int], sentence: str) -> dict[str, int]:
    """The variables a group phrase names; 'without it' and 'the others' refer to the group before."""
    ms = mentions(c, nodes)
    if ms:
        return {m.node: m.value for m in ms}
    negated = _elliptic_negation(c, last_given)
    if negated is not None:  # "Among those who didn't, ..."
        return negated
    toks = tokens(c)
    if toks and set(toks) & _PRONOUNS and all(w in _PRONOUNS or w in _MARKERS or negating(toks, j)
                                               for j, w in enumerate(toks)):
        if len(last_given) != 1:
            raise Unread(f"what {c!r} refers to", sentence)
        ((k, v),) = last_given.items()
        flips = sum(negating(toks, j) for j in range(len(toks)))
        return {k: v if flips % 2 == 0 else 1 - v}
    if set(toks) & _COMPLEMENTS:
        return _complement(last_given, sentence)
    if toks and all(stem(w) in words("populations") or w in _FUNCTION or w in ("among", "for", "in") for w in toks):
        return {}  # "Among all patients", "People": the whole population, no condition
    raise Unread(f"which variable the group {c!r} is", sentence)


def _statements(st: ProseStory, nodes: list[str], changes: list[str] | None = None) -> list[Statement]:
    """Probability statements in any order; a later turn's number for the same probability replaces an earlier
    turn's (said in ``changes``), while two numbers for one probability within a turn are asked about."""
    out: list[Statement] = []
    turn_of: list[int] = []
    last_event: dict[str, int] | None = None
    last_conds: set[str] = set()
    last_given: dict[str, int] = {}
    marked: dict[str, dict[str, int]] = {"last": {}, "now": {}}  # the variables an if/with/when clause named
    last_sentence = None
    row_marked: dict[str, int] = {}  # the variable a heading's row named after "with" ("old with maintenance")
    first_row: dict[str, int] = {}  # the groups of a table's first row ("motivated with course"): "others" flips one
    last_opened: dict[str, int] = {}  # the group the clause before opened with ("Among high-income kids, ...")
    last_heading = None
    for pt in st.probs:
        opened: dict[str, int] = {}
        # a table's rows after a semicolon are read with its heading (prose._read_sentence): one table still
        table_goes_on = pt.header and bool(pt.conditions) and pt.conditions[0] == last_heading
        last_heading = pt.conditions[0] if pt.header and pt.conditions else None
        same = pt.sentence == last_sentence or table_goes_on
        if not same:  # "Among smokers, 30% get cancer; among non-smokers, 10%.": the event carries on
            last_conds, last_sentence, first_row = set(), pt.sentence, {}
        row = _heading_row(pt, nodes, row_marked, last_given if same else {}, first_row) if pt.header else None
        marked["now"] = {}
        if row is not None:  # "Breakdown chance: old with maintenance 25%, old without 45%": the heading is the event
            event, given = row
            first_row = first_row or dict(given)
        else:
            given = {}
            for c in pt.conditions:
                if mentions(c, nodes):
                    _sure(c, nodes, pt.sentence)
                # "without it": the most recent group; "among the rest" after "Among high-income kids, 90% pass with
                # tutoring and 80% without": the group the clause before opened with, not its with/without
                before = last_opened if set(tokens(c)) & _COMPLEMENTS and len(last_opened) == 1 else last_given
                given.update(_group(c, nodes, before, pt.sentence))
            opened = dict(given)
            event = _event(pt, nodes, given, last_event, last_conds, last_given, marked)
        both = set(event) & set(given)
        if both:
            name = sorted(both)[0]
            raise Unread(f"what the number is the chance of: the sentence names only {name}, as the group; "
                         "say the outcome as a variable of the story", pt.sentence)
        s = Statement.of(event, given, pt.p)
        k = next((i for i, o in enumerate(out) if (o.event, o.given) == (s.event, s.given)), None)
        if k is not None and abs(out[k].p - s.p) > 1e-9:
            if changes is not None and pt.turn > turn_of[k]:  # a correction in a later turn
                changes.append(f"{s.text().split(' = ')[0]}: {out[k].p:g} -> {s.p:g}")
                out[k], turn_of[k] = s, pt.turn
                last_event, last_conds, last_given, marked["last"] = event, set(given), dict(given), marked["now"]
                continue
            # two numbers for one probability: two phrases were read as the same value
            raise Unread(f"whether two groups differ: both read as {s.text().split(' = ')[0]} "
                         f"({out[k].p:g} and {s.p:g}); say which group is which, e.g. 'non-smokers' or 'without X'",
                         pt.sentence)
        if k is None:
            out.append(s)
            turn_of.append(pt.turn)
        last_event, last_conds, last_given, marked["last"] = event, set(given), dict(given), marked["now"]
        last_opened = opened or (last_opened if same else {})
    return out


def _heading_row(pt: ProbText, nodes: list[str], row_marked: dict[str, int], row_before: dict[str, int],
                 first_row: dict[str, int]) -> tuple[dict[str, int], dict[str, int]] | None:
    """A row under a heading that names one variable the row does not ("Good yield: fertilized & weedy 55%"): the
    heading is the event and the row the group; None when the heading is a group itself ("Smokers: 30% get cancer").
    A row ending in a bare "with"/"without" ("old without 45%") flips the variable the row before named after "with"."""
    heading = HEADING_PROBWORDS.sub(" ", pt.conditions[0])
    # the row is a group when its number ends it ("old with the drug 50%") or opens "p% of GROUP" ("25% of hat
    # wearers"); "Treated patients: 70% recover" names its event after the number, so there the heading is a group
    row_is_group = ENDS_IN_NUMBER.search(pt.segment) or \
        re.match(rf"^(?:and\s+)?(?:also\s+)?(?:{NUMBER_RE.pattern})\s+of\s+", pt.segment.strip(), re.I)
    if not row_is_group or any(stem(w) in words("populations") for w in tokens(heading)):
        return None
    hm = mentions(heading, nodes)
    body = pt.event.lstrip("\x00")
    toks = list(tokens(body))
    bare = toks[-1] if toks and toks[-1] in ("with", "without") else None
    if bare:
        body = " ".join(toks[:-1])
    # "motivated with course 85%, ..., others with course 60%": a row opening with "others" is the other value of
    # the one variable the table's first row named and this row does not
    other = None
    lead = next((k for k, w in enumerate(toks) if w not in ("the", "&", "and")), None)
    if first_row and lead is not None and toks[lead] in ("others", "other", "rest") and len(toks) > lead + 1:
        body = " ".join(w for w in tokens(body)[lead + 1:])
        named = {m.node for m in mentions(body, nodes)} | {m.node for m in mentions(heading, nodes)} | set(row_marked)
        left = [k for k in first_row if k not in named]
        if len(left) != 1:
            raise Unread(f"who 'others' are in {pt.event.lstrip(chr(0))!r}: the table's first row names "
                         f"{len(first_row)} groups", pt.sentence)
        other = {left[0]: 1 - first_row[left[0]]}
        toks = list(tokens(body))  # the row's words without "others": the spans below are read on them
    bm = mentions(body, nodes)
    if bare and not tokens(body) and len(hm) == 1 and len(row_marked) == 1 and set(row_marked) <= set(row_before) \
            and hm[0].node not in row_before:
        # "Flu rates: health workers with the shot 10%, without 30%": the row before's groups, its "with" flipped
        ((k, v),) = row_marked.items()
        return {hm[0].node: hm[0].value}, {**row_before, k: v if bare == "with" else 1 - v}
    if len(hm) == 1 and not bm and hm[0].node not in row_before and \
            (set(tokens(body)) & _COMPLEMENTS and len(row_before) == 1 or _elliptic_negation(body, row_before)):
        # "Insomnia: 30% of coffee drinkers, 12% of the rest": the row before's one group, the other value
        return {hm[0].node: hm[0].value}, _complement(row_before, pt.sentence)
    if len(hm) != 1 or not (bm or other) or hm[0].node in {m.node for m in bm}:
        return None
    _sure(heading, nodes, pt.sentence)
    _sure(body, nodes, pt.sentence)
    given = {m.node: m.value for m in bm} | (other or {})
    if bare:
        if len(row_marked) != 1 or set(row_marked) & set(given):
            raise Unread(f"what {bare!r} at the end of {pt.event.lstrip(chr(0))!r} refers to", pt.sentence)
        ((k, v),) = row_marked.items()
        given[k] = v if bare == "with" else 1 - v
    else:
        after_with = [m for m in bm if "with" in toks[max(0, m.start - 3):m.start]
                      and all(w in ("the", "a", "an", "their", "its", "his", "her", "with") for w in
                              toks[toks.index("with", max(0, m.start - 3)):m.start])]
        row_marked.clear()
        row_marked.update({m.node: m.value for m in after_with[:1]})
    return {hm[0].node: hm[0].value}, given


def _formal_node(name: str, nodes: list[str]) -> str:
    if name in nodes:
        return name
    low = [n for n in nodes if n.lower() == name.lower()]
    if len(low) == 1:
        return low[0]
    ms = mentions(name, nodes)  # "smoking" for the variable "smoking" read from prose
    if len(ms) == 1 and ms[0].value == 1:
        return ms[0].node
    raise Unread(f"the variable {name!r} is not in the graph (known: {', '.join(nodes)})")


def _formal_statements(st: ProseStory, nodes: list[str]) -> list[Statement]:
    out = []
    for term, p in st.formal_probs:
        if term.do:
            raise Unread("observational probabilities (an interventional P(Y | do(X)) cannot be given as data here)")
        out.append(Statement.of({_formal_node(k, nodes): v for k, v in term.event},
                                {_formal_node(k, nodes): v for k, v in term.given}, p))
    return out


def _problem(st: ProseStory, changes: list[str] | None = None) -> Problem:
    has_numbers = bool(st.probs or st.formal_probs)
    asked = read_question(st.question, bool(st.rules or st.pending), has_numbers)
    if st.pending and not (asked and asked.kind == "det"):
        raise Unread("what happens otherwise: " + "; ".join(r.sentence for r in st.pending) + " says one direction only",
                     st.pending[0].sentence)
    if asked is None and not st.rules and st.edges:
        return _slot_problem(st, has_numbers, changes)
    if asked is None and not st.rules and not st.latent and has_numbers:
        return _implied_problem(st, None, changes)
    if asked is None:
        raise Unread("a question I can read, e.g. 'Does X increase the chance of Y?', 'What is the effect of X on "
                     "Y?', 'What is P(Y=1 | do(X=1)) - P(Y=1 | do(X=0))?'", st.question)
    if asked.kind == "det":
        return _deterministic(st, asked)
    if not st.edges:
        if st.latent or not has_numbers:
            raise Unread("the causal graph: which variable affects which (e.g. 'Smoking causes cancer.' or 'X -> Y')")
        return _implied_problem(st, asked, changes)
    graph = CausalGraph.build(list(dict.fromkeys(st.edges)), nodes=st.nodes, latent=st.latent)
    nodes = Vars(graph, st.glosses)
    st = _pronoun_uses(_arms_named(st, asked, nodes), asked, nodes)
    try:
        statements = _statements(st, nodes, changes) + _formal_statements(st, nodes)
        _check_associations(st, nodes)
    except Unread as stated_error:
        # "Age also affects recovery" and then tables over old/young, drug and recovery: the stated arrows cover
        # part of the story; the numbers' groups may imply the rest, provided they contain every stated arrow (and
        # the story does not restrict its arrows in words: "Only motivation affects passing")
        if st.latent or not has_numbers or _restricted(st):
            raise
        try:
            return _implied_problem(st, asked, changes)
        except Unread:
            raise stated_error from None
    query, claim = _query(asked, nodes)
    if query.kind not in (QueryKind.COLLIDER_BIAS, QueryKind.BACKADJ) and not statements:
        raise Unread("the probabilities (e.g. 'Among smokers, 30% get cancer; among non-smokers, 10%.')")
    try:
        check_local_markov(graph, statements)  # numbers that depend on what the graph says they do not: refused
        _check_unsaid_path(st, graph, query)
    except (InconsistentInputError, Unread):
        # "Motivation affects both the course and passing" with passing given for each course group: the arrows said
        # leave one out that the numbers condition on. A story that says its arrows are complete (or absent, or
        # gives them in notation) is refused; otherwise the graph of the numbers' conditioning is read, if it holds
        # every arrow said, and the answer says so
        if st.closed or st.absent or st.formal_probs or st.latent or _restricted(st):
            raise
        return _implied_problem(st, asked, changes)
    return Problem(graph, st.question, query.kind, claim, statements, query,
                   notes=[f"read as {query.describe()}", *(f"changed: {c}" for c in changes or ())])


# How trials name their arms: "treated plots", "the control group", "on placebo" are the treatment's values
_ARMS = ((re.compile(r"\b(?:un|non-?)treated\b|\bcontrols?(?: group| arm| plots?| patients?)?\b|\bplacebo(?: group)?\b|"
                     r"\bcomparison group\b", re.I), "without {x}"),
         (re.compile(r"\btreated\b|\btreatment (?:group|arm)\b", re.I), "with {x}"))


def _arms_named(st: ProseStory, asked: Asked | None, nodes: list[str]) -> ProseStory:
    """The story with its trial arms said as the treatment ("3 in 10 untreated plots" -> "without fertilizer"): only
    when the question names one treatment and no variable of the story is itself named by these words."""
    if asked is None or not asked.x or any(re.search(r"treat|control|placebo", n, re.I) for n in nodes):
        return st
    xs = mentions(asked.x, nodes)
    if len(xs) != 1 or not any(rx.search(" ".join([pt.event, *pt.conditions])) for pt in st.probs for rx, _ in _ARMS):
        return st
    x = xs[0].node

    def said(text: str) -> str:
        for rx, as_x in _ARMS:
            text = rx.sub(as_x.format(x=x), text)
        return text

    out = copy.copy(st)
    out.probs = [replace(pt, event=("\x00" if pt.event.startswith("\x00") else "") + said(pt.event.lstrip("\x00")),
                         conditions=[said(c) for c in pt.conditions], segment=said(pt.segment)) for pt in st.probs]
    return out


# "Half of the fields use it", "40% of investors use one": the thing used, said by a pronoun
_USED_PRONOUN = re.compile(r"\b(?P<v>use|uses|used|adopt|adopts|adopted|take|takes|took|get|gets|got|receive|receives|"
                           r"received|choose|chooses|chose|buy|buys|bought|own|owns|owned|try|tries|tried)\s+"
                           r"(?P<p>it|one|them)\b", re.I)
_PRONOUN_START = re.compile(r"^(?:it|they|this|these|that|those|one|he|she)\b", re.I)


def _pronoun_uses(st: ProseStory, asked: Asked | None, nodes: list[str]) -> ProseStory:
    """The story with "use it" said as the question's cause, when that is what "it" refers to: the sentences before
    the number are walked back over those that open with a pronoun themselves ("It may also harm ..."), and the
    first variable the first other one names must be the cause ("The pesticide reduces wildflowers ... 50% of farms
    use it"). Anything else is left as written (and asked about)."""
    if asked is None or not asked.x or not any(_USED_PRONOUN.search(pt.segment or pt.event) for pt in st.probs):
        return st
    xs = mentions(asked.x, nodes)
    if len(xs) != 1:
        return st
    x = xs[0].node

    def referent(sentence: str) -> str | None:
        k = next((i for i, s in enumerate(st.said) if s == sentence or sentence in s), None)
        for s in reversed(st.said[:k] if k is not None else []):
            if _PRONOUN_START.match(s):
                continue
            ms = mentions(s, nodes)
            return ms[0].node if ms else None
        return None

    def said_as_x(text: str) -> str:
        return _USED_PRONOUN.sub(lambda m: f"{m.group('v')} {x}", text)

    out = copy.copy(st)
    out.probs = [replace(pt, event=said_as_x(pt.event), segment=said_as_x(pt.segment))
                 if _USED_PRONOUN.search(pt.segment or pt.event) and not mentions(pt.event.lstrip("\x00"), [x])
                 and referent(pt.sentence) == x else pt for pt in st.probs]
    return out


def _check_associations(st: ProseStory, nodes: list[str]) -> None:
    """Every phrase of "G are more likely to A and to B" names a variable the story has: a factor said only there
    ("ambitious people are more likely to ...") would be a cause the numbers leave out, so it is asked about."""
    for group, things, sentence in st.associations:
        for phrase in [group, *things]:
            if not mentions(phrase, nodes):
                raise Unread(f"which variable {phrase!r} is: the story says {group!r} go with "
                             f"{' and '.join(repr(t) for t in things)}, but gives no numbers for it", sentence)


# words that restrict what affects what ("Only motivation affects passing", "depends on motivation alone", "the only
# cause"): a story saying them is never read by its numbers' conditioning instead of its words
_RESTRICTS = re.compile(r"\b(?:only|alone|solely|sole|exclusively|just|nothing else|no other|nothing but)\b", re.I)


def _restricted(st: ProseStory) -> bool:
    return any(_RESTRICTS.search(s) for s in st.statements())


def _check_unsaid_path(st: ProseStory, graph: CausalGraph, query: Query) -> None:
    """A causal question about X and Y on a story that names no path from X to Y: the answer would be "no effect"
    from an arrow merely left unsaid ("a hidden factor makes people smoke and get cancer ... how much does smoking
    raise the risk?"). Only a story that says its arrows are complete ("nothing else", "regardless of", "has no
    effect on") or gives numbers in notation with its graph (the formal convention) answers so; otherwise ask."""
    from fmcgm.causal.graph import has_directed_path

    if query.kind not in _CAUSAL_KINDS or not query.treatment or st.closed or st.formal_probs:
        return
    if not has_directed_path(graph, query.treatment, query.outcome):
        raise Unread(f"whether {query.treatment} affects {query.outcome}: the story names no path from "
                     f"{query.treatment} to {query.outcome}; say '{query.treatment} affects {query.outcome}' (or that it "
                     "has no effect)", st.question)


def _implied_problem(st: ProseStory, asked: Asked | None, changes: list[str] | None) -> Problem:
    """A story of numbers (and perhaps some arrows): the graph its conditioning implies (fmcgm.language.implied),
    said as an assumption; every stated arrow must be among the implied ones.  Numbers in notation name their
    variables themselves; a question no whole-sentence shape reads (``asked`` None) is read by slots on that graph."""
    from fmcgm.language.implied import NotImplied, check_direction, check_links, covers, implied_graph, propose_nodes

    extra = [*asked.mediators, *([asked.condition] if asked.condition else [])] if asked else []
    formal_names = list(dict.fromkeys(k for term, _ in st.formal_probs for k, _ in (*term.event, *term.given)))
    try:
        nodes = propose_nodes(st, asked.x if asked else None, asked.y if asked else None, extra,
                              start=[*st.nodes, *formal_names])
    except NotImplied as e:
        raise Unread(e.missing, st.question) from None
    st = _pronoun_uses(_arms_named(st, asked, nodes), asked, nodes)
    try:
        statements = _statements(st, nodes, changes) + _formal_statements(st, nodes)
        _check_associations(st, nodes)
        implied = implied_graph(nodes, statements)
        covers(implied, st.edges)
        graph = CausalGraph.build(list(implied.edges), nodes=list(implied.nodes))
        if asked is None:
            try:
                query, claim = read_slots(st.question, graph, True, st.statement_stems())
            except SlotError as e:
                raise Unread(e.missing, st.question) from None
        else:
            query, claim = _query(asked, Vars(graph))
        check_direction(graph, query.treatment or "", query.outcome, query.kind in _CAUSAL_KINDS, st.randomized)
        if not st.closed and st.probs:  # numbers in notation alone are a factorisation by convention
            root = query.treatment and not any(e == query.treatment for _, e in implied.edges)
            check_links(graph, frozenset({query.treatment}) if st.randomized and root and query.treatment
                        else frozenset())
    except NotImplied as e:
        raise Unread(e.missing, e.sentence) from None
    except Unread as e:
        raise Unread(f"{e.missing} (no causal graph was stated, so I read the groups each number is given for as "
                     "its causes)", e.unreadable) from None
    return Problem(graph, st.question, query.kind, claim, statements, query,
                   notes=[f"read as {query.describe()}" + (" (by slots)" if asked is None else ""),
                          f"assume: {implied.assumption()}", *(f"changed: {c}" for c in changes or ())])


_CAUSAL_KINDS = frozenset({QueryKind.ATE, QueryKind.ETT, QueryKind.NDE, QueryKind.NIE})


def _slot_problem(st: ProseStory, has_numbers: bool, changes: list[str] | None) -> Problem:
    """A question no whole-sentence shape reads, read by its slots against the story's variables."""
    graph = CausalGraph.build(list(dict.fromkeys(st.edges)), nodes=st.nodes, latent=st.latent)
    nodes = Vars(graph)
    statements = _statements(st, nodes, changes) + _formal_statements(st, nodes)
    try:
        query, claim = read_slots(st.question, graph, has_numbers, st.statement_stems())
    except SlotError as e:
        raise Unread(e.missing, st.question) from None
    if query.kind not in (QueryKind.COLLIDER_BIAS, QueryKind.BACKADJ) and not statements:
        raise Unread("the probabilities (e.g. 'Among smokers, 30% get cancer; among non-smokers, 10%.')")
    _check_unsaid_path(st, graph, query)
    return Problem(graph, st.question, query.kind, claim, statements, query,
                   notes=[f"read as {query.describe()} (by slots)", *(f"changed: {c}" for c in changes or ())])


def _q(phrase: str | None, nodes: list[str], what: str) -> Mention:
    if not phrase:
        raise Unread(f"the {what} of the question")
    glosses = getattr(nodes, "glosses", {})
    if glosses and not mentions(phrase, nodes):  # "Does code review reduce bugs?" on "X = the PR got a code review"
        by_gloss = mentions(phrase, list(glosses.values()))
        if len(by_gloss) == 1:
            letter = next(k for k, v in glosses.items() if v == by_gloss[0].node)
            return Mention(letter, by_gloss[0].value, by_gloss[0].start, by_gloss[0].end)
    unnamed = unnamed_groups(phrase, nodes)
    if unnamed:
        raise Unread(f"who {unnamed[0]!r} are: the story has no such variable, so the answer would be for everyone")
    return _one(phrase, nodes, f"the question's {what}")


def _mediators(nodes: Vars, x: str, y: str) -> tuple[str, ...]:
    """Every observed variable on a directed path from x to y: the mediators of a direct/indirect effect."""
    from fmcgm.causal.graph import has_directed_path

    g = nodes.graph
    return tuple(n for n in g.nodes if n not in (x, y) and n not in g.latent
                 and has_directed_path(g, x, n) and has_directed_path(g, n, y))


def _query(a: Asked, nodes: Vars) -> tuple[Query, str]:
    if a.kind == "formal" or a.formal is not None:
        return _formal_query(a.formal, nodes)
    if a.kind == QueryKind.MARGINAL:
        y = _q(a.y, nodes, "outcome")
        return Query(QueryKind.MARGINAL, y.node, outcome_value=y.value), a.claim
    x, y = _q(a.x, nodes, "cause"), _q(a.y, nodes, "outcome")
    if x.node == y.node:
        raise Unread(f"two different variables in the question (both phrases name {x.node})")
    if a.kind in (QueryKind.ATE, QueryKind.CORRELATION):
        return Query(QueryKind(a.kind), y.node, x.node, x.value, 1 - x.value, y.value), a.claim
    if a.kind in (QueryKind.NDE, QueryKind.NIE):
        meds = tuple(_q(m, nodes, "mediator").node for m in a.mediators) or _mediators(nodes, x.node, y.node)
        if not meds:
            raise Unread("a mediator: the graph has no variable between the cause and the outcome")
        return Query(QueryKind(a.kind), y.node, x.node, x.value, 1 - x.value, y.value, mediators=meds), a.claim
    if a.kind == QueryKind.ETT:
        if a.counterfactual and re.search(r"\binstead of\b", a.counterfactual, re.I):
            return _ett_instead(a, x, y, nodes)
        if a.counterfactual and not mentions(a.counterfactual, nodes) and \
                _NEGATED.search(a.counterfactual):  # "... if they had not?"
            return Query(QueryKind.ETT, y.node, x.node, x.value, 1 - x.value, y.value), a.claim
        cf = _q(a.counterfactual, nodes, "counterfactual")
        if cf.node != x.node or cf.value == x.value:
            raise Unread("the counterfactual should switch the group's own treatment (e.g. 'if they had not smoked')")
        return Query(QueryKind.ETT, y.node, x.node, x.value, cf.value, y.value), a.claim
    if a.kind == QueryKind.EXP_AWAY:
        c = _q(a.condition, nodes, "selected group")
        return Query(QueryKind.EXP_AWAY, y.node, x.node, x.value, 1 - x.value, y.value, condition=((c.node, c.value),)), a.claim
    if a.kind in (QueryKind.COLLIDER_BIAS, "path"):
        return Query(QueryKind.COLLIDER_BIAS, y.node, x.node), "affects"
    raise Unread("a question I can read")


_NEGATED = re.compile(r"\b(?:not|n't|never|no)\b", re.I)


def _ett_instead(a: Asked, x: Mention, y: Mention, nodes: Vars) -> tuple[Query, str]:
    """"For patients who take the drug, would they be more likely to recover if they took it instead of not taking
    it?": the supposed clause and its alternative must differ by one negation and name no other variable; the one
    that keeps the group's treatment compares E[Y_1 - Y_0 | treated], the reverse of the usual "if they had not"."""
    supposed, alternative = re.split(r"\s+instead of\s+", a.counterfactual or "", maxsplit=1, flags=re.I)
    named = {m.node for part in (supposed, alternative) for m in mentions(part, nodes)}
    if named - {x.node} or bool(_NEGATED.search(supposed)) == bool(_NEGATED.search(alternative)):
        raise Unread(f"which treatment the question supposes in {a.counterfactual!r}: say 'if they had not ...'")
    if _NEGATED.search(supposed):  # "if they had not taken it instead of taking it": the usual question
        return Query(QueryKind.ETT, y.node, x.node, x.value, 1 - x.value, y.value), a.claim
    # E[Y_x - Y_x' | X = x] is the engine's E[Y_x' - Y | X = x] asked of the outcome's other value
    return Query(QueryKind.ETT, y.node, x.node, x.value, 1 - x.value, 1 - y.value), a.claim


def _formal_query(f: FormalQuery | None, nodes: Vars) -> tuple[Query, str]:
    if f is None:
        raise Unread("a question I can read")
    if f.kind == "estimand":
        x, y = _formal_node(f.treatment, nodes), _formal_node(f.outcome, nodes)
        meds = tuple(_formal_node(m, nodes) for m in f.mediators)
        claim = f.sign or "none"
        if f.name in ("ett", "att"):
            # P(Y_{x0}=0 | x1) - P(Y=0 | x1) equals E[Y_1 - Y_0 | X=1], the effect on the treated
            return Query(QueryKind.ETT, y, x, 1, 0, 0), claim
        if f.name in ("nde", "nie"):
            return Query(QueryKind(f.name), y, x, 1, 0, 1, mediators=meds or _mediators(nodes, x, y)), claim
        return Query(QueryKind.ATE, y, x, 1, 0, 1), claim
    terms = f.terms
    if f.kind == "term":
        t = terms[0]
        if t.do or len(t.event) != 1 or len(t.given) > 1:
            raise Unread("a single probability such as P(Y=1), P(Y=1 | X=1), or a difference of two")
        (yv,) = t.event
        if not t.given:
            return Query(QueryKind.MARGINAL, _formal_node(yv[0], nodes), outcome_value=yv[1]), "none"
        (xv,) = t.given
        y0, x0 = _formal_node(yv[0], nodes), _formal_node(xv[0], nodes)
        return Query(QueryKind.CONDITIONAL, y0, x0, xv[1], 1 - xv[1], yv[1]), "none"
    a, b = terms
    if a.event != b.event or len(a.event) != 1:
        raise Unread("a difference of two probabilities of the same event")
    ((y, y_value),) = a.event
    if a.do or b.do:
        if a.given or b.given or len(a.do) != 1 or len(b.do) != 1 or a.do[0][0] != b.do[0][0] or a.do[0][1] == b.do[0][1]:
            raise Unread("an effect written as P(Y=1 | do(X=1)) - P(Y=1 | do(X=0))")
        x = a.do[0][0]
        return (Query(QueryKind.ATE, _formal_node(y, nodes), _formal_node(x, nodes), a.do[0][1], b.do[0][1], y_value),
                f.sign or "none")
    ga, gb = dict(a.given), dict(b.given)
    diff = [k for k in ga if ga.get(k) != gb.get(k)]
    if set(ga) != set(gb) or len(diff) != 1:
        raise Unread("a contrast that changes one conditioning variable, e.g. P(Y=1 | X=1) - P(Y=1 | X=0)")
    x = diff[0]
    rest = tuple((_formal_node(k, nodes), v) for k, v in ga.items() if k != x)
    kind = "exp_away" if rest else "correlation"
    return Query(QueryKind(kind), _formal_node(y, nodes), _formal_node(x, nodes), ga[x], gb[x], y_value,
                 condition=rest), f.sign or "none"


# -- deterministic rules ----------------------------------------------------------------------

# when it happened, and how it goes on, is no part of what happened ("yesterday", "still", "instead")
_WHEN = frozenset("yesterday today tonight now then so still also instead".split())


def _literal_name(lit: str) -> str:
    from fmcgm.language.names import FILLER

    toks = tokens(lit)
    skip = FILLER | set(POLES) | {"it", "there", "been", "had", "someon", "someone", "somebodi", "somebody", "anyon",
                                  "anyone", "anybodi", "anybody", "everyon", "everyone", "everybodi", "everybody",
                                  "stay", "stays", "stayed", "remain", "remains", "remained", "keep", "keeps", "kept",
                                  "night", "morning", "evening", "week", "month", "last"} | _WHEN
    away = {j for j in range(len(toks) - 1) if (toks[j], toks[j + 1]) in _AWAY}  # "out of the kitchen": a value
    toks = tuple(w for j, w in enumerate(toks) if j not in away)
    name = " ".join(w for j, w in enumerate(toks) if w not in skip and not negating(toks, j) and w != "-")
    return name or " ".join(w for j, w in enumerate(toks) if w not in FILLER and not negating(toks, j) and w != "-")


# "This season the field was dry", "Last Sunday the oven was too hot": when it happened is no part of what happened
_TIME_LEAD = re.compile(r"^(?:(?:this|last|that|one|on a|on the)\s+(?:\w+day|morning|afternoon|evening|night|week|"
                        r"weekend|month|year|season|summer|winter|spring|autumn|fall|time|game|match|race)|yesterday|"
                        r"today|tonight|earlier|recently|once|then)\s*,?\s*", re.I)
_FUNCTION_WORDS = frozenset("the a an was were is are be been being has have had did do does got get gets to of "
                            "that this these those".split())
_NOT_CONTENT = frozenset("she he they we i you it its her his their him them even yet".split()) | _WHEN


def _said_by_its_words(lit: str, nodes: list[str]) -> list[Mention]:
    """ "did the extra credit" for the rule's "do the extra-credit work", "passed" for "pass the course": a literal
    whose every content word is a word of exactly one variable's name (the shortest such) names that variable."""
    toks = tokens(lit)
    # every word but articles, auxiliaries, pronouns, negations and who is counted must be the variable's: a value
    # said otherwise ("the warehouse was on time" against "the warehouse is delayed") is no part of any name
    named = {s for n in nodes for s in name_stems(n)}
    content = [(j, stem(w)) for j, w in enumerate(toks) if w not in _FUNCTION_WORDS and w != "-" and w not in POLES
               and w not in _NOT_CONTENT and (stem(w) not in words("populations") or stem(w) in named)
               and not negating(toks, j) and stem(w) not in words("affirming_verbs")]
    if not content:
        return []
    fits = [n for n in nodes if all(any(words_match(s, o) for o in name_stems(n)) for _, s in content)]
    # the shortest name that holds the words: a group of conditions ("project or extra credit work") holds them too
    fits = [n for n in fits if len(name_stems(n)) == min((len(name_stems(f)) for f in fits), default=0)]
    if len(fits) != 1:
        return []
    return [Mention(fits[0], 1, content[0][0], content[-1][0] + 1)]


_NOTATION_LITERAL = re.compile(r"^\s*(?P<n>[A-Za-z]\w*)\s*(?:(?:=|==|is|was|were|be|been|had been|is still|be still|"
                               r"still be|still)\s*(?P<v>[01])|(?P<none>))\s*$")


def _literal(lit: str, nodes: list[str]) -> tuple[str, int]:
    n = _NOTATION_LITERAL.match(lit)
    if n and n.group("n") in nodes:  # a rule in notation names its variables exactly ("B been 0", "Z=1", "A")
        return n.group("n"), int(n.group("v") or 1)
    ms = mentions(lit, nodes)
    if not ms:
        ms = _said_by_its_words(lit, nodes)
    if len(ms) != 1:
        raise Unread(f"which variable {lit!r} is" if not ms else f"{lit!r} names several variables", lit)
    m = ms[0]
    toks = tokens(lit)
    prefix_flip = any(re.fullmatch(r"(?:un|non|dis|in)[a-z]{3,}", toks[k]) and
                      all(not toks[k].startswith(s) for s in name_stems(m.node)) for k in range(m.start, m.end))
    own = name_stems(m.node)  # a name's own words never negate it ("the bus was cancelled"); a "not" between them does
    inside = {k for k in range(m.start, m.end) if any(stem(toks[k]) == s for s in own)}
    # the name said by its antonym ("the alarm was silent" for "alarm sounds") is its other value
    # (a value word such as "dry" is counted below already)
    antonyms = {k for k in range(m.start, m.end) for s in own if toks[k] not in POLES and antonym_of(stem(toks[k]), s)
                and not any(words_match(stem(toks[k]), o) for o in own)}
    prefix_flip ^= bool(antonyms)
    # a word is one flip: "failed the review" for "pass the review" is the antonym, not also a negating verb
    flips = prefix_flip + sum(j not in inside and j not in antonyms and (negating(toks, j) or POLES.get(w) == 0)
                              for j, w in enumerate(toks))
    # "moved it out of the shade", "kept away from the heater": out of / away from a place is not being there
    # (once: "kept away from" is already the negating verb "keep away")
    flips += sum(1 for j in range(len(toks) - 1) if j not in inside and (toks[j], toks[j + 1]) in _AWAY
                 and not (j and negating(toks, j - 1)))
    # "the key was out" against "the key is in": out, on its own, is the other value ("out of" is counted above)
    flips += sum(1 for j, w in enumerate(toks) if w == "out" and j not in inside and j > m.start
                 and (j + 1 == len(toks) or toks[j + 1] != "of"))
    # notation values: "A=0", "B been 0", "Z be 1"
    flips += sum(1 for j, w in enumerate(toks) if w == "0" and j >= m.end)
    return m.node, 1 - flips % 2


_AWAY = frozenset({("out", "of"), ("away", "from")})


def _check_new_values(st: ProseStory, phrases: list[str], nodes: list[str]) -> None:
    """"Would the lamp be dark if ...?" on a story that only ever says the lamp is on: a value word the question uses
    and the story never does may be the other value or another variable; asked about, never dropped."""
    for phrase in phrases:
        still = re.search(r"\b(?:be|been|was|were|is|are|kept|keep|gone|go|stay|stayed|remain|remained|stood|stand|"
                          r"fallen|fell|come|came)\s+still\b", phrase, re.I)
        if still:  # "would the fan have been still": motionless, a value the rules never name
            raise Unread(f"what {still.group(0)!r} says in {phrase!r}: say the value as the story does", st.question)
    said = {stem(w) for r in [*st.rules, *st.pending] for w in tokens(f"{r.sentence} {r.otherwise or ''}")} | \
        {stem(w) for o in st.observations for w in tokens(o)}
    for phrase in phrases:
        for w in stray_values(phrase, nodes):
            if stem(w) not in said:
                raise Unread(f"what {w!r} says in {phrase!r}: the story never says it; say the value as the story "
                             "does", st.question)


# Words that count or pick among several ("one of", "the other", "exactly one", "two switches"): a rule's condition
# must name one variable, so a rule said this way (often an exclusive or) is asked about, never read as an and/or
_COUNTING = re.compile(r"\b(?:one of|(?:the )?other (?:one|down|up|on|off)\b|the other\b|exactly (?:one|two)|only one|"
                       r"(?:two|three|four|both|all|none|neither|either) of\b|(?:two|three|four) \w+s\b|"
                       r"at least|at most|more than one|an odd|an even)", re.I)


def _lowered(c: Cond, nodes: list[str], mechs: list[Mechanism], sentence: str) -> tuple[str, int]:
    """A condition as one (variable, value): a literal as read; an inner and/or group becomes a variable of its own
    ("guard approves or daytime"), set by its own mechanism, so nesting needs no new kind of mechanism."""
    if isinstance(c, Lit):
        return _literal(c.text, nodes)
    if isinstance(c, Not):
        n, v = _lowered(c.part, nodes, mechs, sentence)
        return n, 1 - v
    inputs = [_lowered(p, nodes, mechs, sentence) for p in c.parts]
    if len({n for n, _ in inputs}) < len(inputs):
        raise Unread(f"which variables the conditions of {sentence!r} are: two read as one", sentence)
    op: Literal["and", "or"] = "and" if isinstance(c, All) else "or"
    return _condition_variable(f" {op} ".join(n if v else f"not {n}" for n, v in inputs), op, inputs, nodes, mechs)


def _condition_variable(name: str, op: Literal["and", "or"], inputs: list[tuple[str, int]], nodes: list[str],
                        mechs: list[Mechanism]) -> tuple[str, int]:
    """An and/or group of conditions as a variable of its own, set by its own mechanism: nesting ("A and either B
    or C") and a half rule's condition beside its unobserved other cause need no new kind of mechanism."""
    if name not in nodes:
        nodes.append(name)
        mechs.append(Mechanism(name, 1, op, tuple(inputs)))
    return name, 1


def _deterministic(st: ProseStory, asked: Asked) -> Problem:
    nodes: list[str] = []

    def node_of(lit: str) -> str:
        written = _NOTATION_LITERAL.match(lit)
        if written and any(r.cond is not None and lit in (r.effect, *literals(r.cond)) for r in st.rules):
            if written.group("n") not in nodes:  # a rule in notation: its variable's name as written
                nodes.append(written.group("n"))
            return written.group("n")
        name = _literal_name(lit)
        if not name:
            raise Unread(f"what {lit!r} is about", lit)
        for n in nodes:  # the same variable only when every word of its name is said ("desk switch" is not "wall switch")
            if name_stems(n) == name_stems(name) or set(name_stems(n)) <= set(name_stems(name)) and \
                    any(len(m.node) and m.end - m.start == len(name_stems(n)) for m in mentions(lit, [n])):
                return n
        nodes.append(name)
        return name

    for r in [*st.rules, *st.pending]:
        if r.ambiguous:
            raise Unread(f"how the conditions in {r.sentence!r} group: 'A and B or C' may mean '(A and B) or C' or "
                         "'A and (B or C)'; say 'either A or B' or 'both A and B'", r.sentence)
        for lit in [r.effect, *r.causes]:
            inner = re.search(r"\b(?:unless|if|when|whenever|otherwise)\b", lit, re.I)
            if inner:  # "Unless the dog is asleep, the dog barks exactly when ...": a rule inside a condition
                raise Unread(f"each case of {r.sentence!r} as a rule of its own: {inner.group(0)!r} inside it makes a "
                             "rule within a condition (e.g. 'the dog barks exactly when a stranger comes and the dog "
                             "is not asleep')", r.sentence)
            counted = _COUNTING.search(lit)
            if counted:  # "one of its two switches is up and the other down" counts, it names no one condition
                raise Unread(f"each condition of the rule by name: {counted.group(0)!r} in {lit!r} counts things rather "
                             "than naming one (e.g. 'the lamp is on exactly when switch A is up or switch B is up')",
                             r.sentence)
            node_of(lit)
    mechs: list[Mechanism] = []
    hidden: list[str] = []
    for r in [*st.rules, *st.pending]:
        y, yv = _literal(r.effect, nodes)
        inputs: list[tuple[str, int]] = []
        if r.cond is not None and not r.negate_causes:  # a nested condition: each inner group its own node
            top = r.cond.parts if isinstance(r.cond, (All, AnyOf)) else (r.cond,)
            inputs = [_lowered(p, nodes, mechs, r.sentence) for p in top]
        for c in r.causes if r.cond is None or r.negate_causes else ():
            n, v = _literal(c, nodes)
            if any(n == k for k, _ in inputs):  # two causes of one rule read as one variable: ask, never merge
                raise Unread(f"which variables {' and '.join(repr(x) for x in r.causes)} are: two read as {n!r}", r.sentence)
            inputs.append((n, 1 - v if r.negate_causes else v))
        op: Literal["and", "or"] = "or" if r.op == "or" else "and"
        if r.negate_causes and len(inputs) > 1:  # "unless A or B" = not A and not B
            op = "and" if op == "or" else "or"
        if r.otherwise:  # "otherwise Z": Z must be Y's other value, or the two sentences are no one rule
            z, zv = _literal(r.otherwise, nodes)
            if z != y or zv == yv:
                raise Unread(f"what 'otherwise {r.otherwise}' adds: it should say the other value of {y}", r.sentence)
        if r.half and not r.otherwise:
            # "Y if X": X suffices, other causes may also bring Y (Y = X or U); "Y only when X": X is needed, other
            # conditions may still keep Y off (Y = X and U). U is unobserved: a counterfactual that depends on it
            # is "not determined", never guessed
            u = f"other causes of {y}" if r.half == "if" else f"other conditions of {y}"
            hidden.append(u)
            nodes.append(u)
            want: Literal["and", "or"] = "or" if r.half == "if" else "and"
            if len(inputs) > 1 and op != want:  # (A and B) or U: the condition as its own node
                inputs = [_condition_variable(f"the condition of {y}", op, inputs, nodes, mechs)]
            mechs.append(Mechanism(y, yv, want, (*inputs, (u, 1))))
            continue
        mechs.append(Mechanism(y, yv, op, tuple(inputs)))
    # the arrows are the mechanisms' inputs (two rules may name one cause)
    edges = list(dict.fromkeys((v, m.target) for m in mechs for v, _ in m.inputs))
    graph = CausalGraph.build(edges, nodes=nodes, latent=hidden)
    obs: dict[str, int] = {}
    for o in st.observations:
        for part in [p for p in re.split(r"\s+(?:and|but|while)\s+|,\s*", _TIME_LEAD.sub("", o)) if p.strip()]:
            n, v = _literal(_TIME_LEAD.sub("", part), nodes)
            obs[n] = v
    if not asked.x or not asked.y:
        raise Unread("the change and the outcome of the counterfactual ('Would Y if X had not ...?')")
    if re.search(r"\b(?:differ\w*|different|change\w*|the same|as (?:before|observed))\b", asked.y, re.I):
        # "would Y differ from what was observed?" compares with the observation: asked, never read as "Y be 1"
        raise Unread("which value of the outcome is asked: say 'would Y be 1?' or 'would Y still be 1?' rather than "
                     "'would Y differ'", st.question)
    x, xv = _literal(asked.x, nodes)
    y, yv = _literal(asked.y, nodes)
    _check_new_values(st, [asked.x, asked.y], nodes)
    return Problem(graph, st.question, "det_counterfactual", "holds", mechanisms=mechs, observations=obs,
                   intervention={x: xv}, outcome=(y, yv), notes=["read deterministic rules"])


# -- choosing among readings ------------------------------------------------------------------

@dataclass
class Decision:
    problem: Problem | None
    ask: str | None = None  # the question back when readings disagree or none answers
    error: FMCGMError | None = None


def decide(readings: list[Problem], check: Callable[[Problem], object]) -> Decision:
    """Run the injected check on at most MAX_CHECKED readings; agree -> that reading, differ -> ask."""
    answered: list[tuple[Problem, object]] = []
    first_error: FMCGMError | None = None
    for p in readings[:MAX_CHECKED]:
        try:
            answered.append((p, check(p)))
        except InconsistentInputError as e:
            # contradicting numbers are reported, never stepped around by choosing another reading
            return Decision(p, error=e)
        except FMCGMError as e:
            first_error = first_error or e
    if not answered:
        return Decision(readings[0] if readings else None, error=first_error)
    distinct = {repr(a) for _, a in answered}
    if len(distinct) > 1:
        opts = "; ".join(f"({i + 1}) {p.query.describe() if p.query else p.kind}" for i, (p, _) in enumerate(answered))
        return Decision(None, ask=f"the question can be read in ways that give different answers: {opts}. "
                                  "Which one do you mean? Name the variables and values as in the story.")
    return Decision(answered[0][0])
