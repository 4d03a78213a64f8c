"""The graph a story implies when it states only numbers: each variable's chances, given its groups, name its causes.

People often tell a causal story as a sequence of conditional tables, without one causal verb: "40% of
patients are old. Among old patients, 60% take the drug; among the young, 20% do. Old patients recover 50% of
the time with the drug and 40% without; young patients 80% and 70%. Does the drug help?"  Read as a Bayesian
network, every statement P(E | G…) says that the groups G are E's parents (old → drug, old → recovery,
drug → recovery): the factorisation the story gives *is* the graph.  That is an assumption (the order of
conditioning is the causal order, and nothing unnamed affects two variables), so every answer read this way
says it.

Steps (each a function):
1. ``propose_nodes`` — the variables: the question's cause and outcome, and what a population share states
   ("40% of patients are old" → old); every other phrase must ground to these, or the story is declined.
2. ``families`` — each variable's parents: the groups its numbers are given for, the same for every number
   of that variable (a variable given for different groups in different sentences is asked about).
3. ``check_direction`` — a causal question needs a directed path from the cause to the outcome in the implied
   graph, and a cause named only with its outcome (two variables, nothing else measured) needs the story to say
   it was assigned at random: a table of two variables shows association, not causation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fmcgm.causal.graph import CausalGraph, has_directed_path
from fmcgm.causal.probability import Statement
from fmcgm.language.lexicon import words
from fmcgm.language.names import EVERYONE_WORDS, FILLER, GROUP_NOUNS, POLES, mentions, negating, stem, tokens, words_match
from fmcgm.language.prose import HEADING_PROBWORDS, NUMBER_RE, SHARE_VERBS, ProseStory, clean_name
from fmcgm.language.text import leading_negating_verb

# "40% of patients are old", "Half of the farms have irrigation": the share of a population with a property
_SHARE_RE = re.compile(
    rf"^(?:(?:in|at|on|among)\s+[^,]+?,?\s+)?(?:{NUMBER_RE.pattern})\s+(?:of\s+)?(?:(?:all\s+)?(?:the|our|my|their)\s+|all\s+)?"
    rf"(?P<pop>[^,]+?)\s+"
    rf"{SHARE_VERBS}\s+(?P<pred>[^,]+)$", re.I)
# a property ends before its qualifier: "weak in math" -> "weak", "a pool at home" -> "pool"
_QUALIFIER = re.compile(r"\s+(?:in|at|on|for|from|of|with|by|during|this|last|each|every|per)\b.*$", re.I)
_QUESTION_FILLER = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:chance|probability|risk|likelihood|odds|rate)s?\s+(?:of|that)\s+)"
    r"|^(?:its|their|the)\s+(?:effect|influence|impact)\s+(?:of\s+\w+(?:\s+\w+)?\s+)?on\s+", re.I)

ASSUMPTION = ("no causal graph was stated: read from how the numbers are conditioned ({edges}), "
              "assuming nothing unnamed affects two of them")


@dataclass(frozen=True)
class Implied:
    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]

    def assumption(self) -> str:
        return ASSUMPTION.format(edges=", ".join(f"{a} -> {b}" for a, b in self.edges) or "no arrows")


class NotImplied(Exception):
    """The numbers do not imply one graph; ``missing`` says what to add."""

    def __init__(self, missing: str, sentence: str | None = None) -> None:
        super().__init__(missing)
        self.missing = missing
        self.sentence = sentence


# -- 1. the variables --------------------------------------------------------------------------

def _question_name(phrase: str | None) -> str | None:
    if not phrase:
        return None
    name = clean_name(_QUESTION_FILLER.sub("", phrase.strip()))
    name = re.sub(r"^(?:be|being|become|becoming)\s+", "", name, flags=re.I)  # "likely to be alert" -> "alert"
    toks = name.split()
    low = tuple(tokens(name))
    # "quitting/refusing X" names X (its value is read when the question is grounded)
    if len(low) > 1 and (leading_negating_verb(low) or negating(low, 0)):
        k = 1
        while k < len(toks) - 1 and toks[k].lower() in ("up", "out", "down", "away", "off", "of", "from", "to", "on"):
            k += 1  # the verb's particles: "turning down", "opting out of", "giving up"
        name = clean_name(" ".join(toks[k:]))
    # "indoor cats" names indoor: the unit counted is no part of a variable ("house indoor" must say it)
    kept = [w for w in name.split() if stem(w.lower()) not in words("populations")]
    if kept and len(kept) < len(name.split()):
        name = " ".join(kept)
    return name or None


def share_property(clause: str) -> str | None:
    """The property a population share states: '40% of patients are old' -> 'old' (None for other clauses)."""
    m = _SHARE_RE.match(clause.strip().rstrip("."))
    if not m:
        return None
    pred = re.sub(r"^(?:in|at|on|near|by)\s+(?:the\s+|a\s+)?", "", m.group("pred").strip(), flags=re.I)  # "are in wet valleys"
    pred = _QUALIFIER.sub("", pred)
    name = clean_name(pred)
    return name if tokens(name) else None


def heading_name(heading: str) -> str | None:
    """The variable a table's heading names: 'Failure rates on the exam' -> 'failure', 'Good yield' -> 'good yield'."""
    h = HEADING_PROBWORDS.sub(" ", heading)
    name = clean_name(_QUALIFIER.sub("", re.sub(r"\s+", " ", h).strip()))
    return name if tokens(name) else None


def propose_nodes(st: ProseStory, x: str | None, y: str | None, extra: list[str] | None = None,
                  start: list[str] | None = None) -> list[str]:
    """The stated variables (``start``), the question's cause and outcome, then each property a share or a
    table's heading states, then what no name covers, each only when no earlier name covers it."""
    out: list[str] = list(start or [])

    def add(name: str | None) -> None:
        if name and not any(mentions(name, [o]) for o in out) and name not in out:
            out.append(name)

    for phrase in (x, y, *(extra or [])):
        add(_question_name(phrase))
    for pt in st.probs:
        if not pt.conditions:
            add(share_property(pt.segment or pt.sentence))
        elif pt.header:  # "Breakdown chance this year: ..." -> breakdown
            add(heading_name(pt.conditions[0]))
    # "Home workers sleep well 70% of the time ... home workers who sleep well 30%": what no name covers, said in two
    # numbers or more, is a variable of its own (a word said once, like a verb "gave", is not)
    seen: dict[tuple[str, ...], list[str]] = {}
    for pt in st.probs:
        for phrase in (*pt.conditions, pt.event.lstrip("\x00")):
            left = leftover(phrase, out)
            if left:
                seen.setdefault(tuple(stem(w) for w in left.split()), []).append(left)
    for said in seen.values():
        if len(said) >= 2:
            add(said[0])
    # "Does the course help motivated students pass?": a question's phrase that also names another variable of the
    # story restricts the question to a group; the answer for everyone would be another question
    phrases = {n: p for p in (x, y, *(extra or [])) if p for n in [_question_name(p)] if n}
    asked = [n for n in phrases if n in out]
    said_stems = st.statement_stems()
    for name in asked:
        # "Does the drug help female patients recover?" on a story that never says "female": a group the story has
        # no numbers for, or a qualifier ("fully recover"), would be dropped or glued to the outcome's name
        new = _group_words(name, phrases.get(name, name), said_stems)
        if new and said_stems:
            raise NotImplied(f"who or what {new[0]!r} in the question is: the story never says it; ask about the "
                             "groups and values the story gives numbers for")
        inside = mentions(name, [o for o in out if o not in asked])
        if inside:
            raise NotImplied(f"who the question is about: {name!r} names {inside[0].node!r} as well; ask about one "
                             f"group ('For {inside[0].node} ..., does ...?') or about everyone")
    return out


_COMPLEMENT_WORDS = frozenset("rest other others remaining remainder else".split())
_OPENS_GROUP = frozenset("who with in over under aged from without".split())


def _group_words(name: str, phrase: str, said: frozenset[str]) -> list[str]:
    """Words of a question's phrase that restrict it to a group or qualify it, and that the story never says: a
    value word ("female", "rural"), a word before a counted unit ("elderly patients"), one after "who/with/in/over"
    ("patients who smoke", "patients in the city"), an adverb ("fully recover"), "the rest/other". Other unsaid
    words (a name the question gives the cause, "payment reminder texts") are not restrictions."""
    toks = tokens(phrase)
    out = []
    for i, w in enumerate(toks):
        if w in EVERYONE_WORDS or negating(toks, i) or any(words_match(stem(w), t) for t in said) and \
                w not in _COMPLEMENT_WORDS:
            continue
        unit_after = i + 1 < len(toks) and (stem(toks[i + 1]) in words("populations") or toks[i + 1] in GROUP_NOUNS)
        before = [t for t in toks[:i] if t not in ("the", "a", "an")]
        if w in _COMPLEMENT_WORDS or w in GROUP_NOUNS or stem(w) in words("value_adjectives") or \
                w in words("value_adjectives") or unit_after or (before and before[-1] in _OPENS_GROUP) or \
                (w.endswith("ly") and len(w) > 4) or (w.endswith("ers") and len(w) > 5):  # "smokers": a group
            out.append(w)
    return out


def leftover(phrase: str, nodes: list[str]) -> str | None:
    """The words of a phrase no variable, group word, value word or number accounts for, when they stand together
    ("home workers sleep well" with 'working from home' known -> 'sleep'); None when nothing or scattered words
    are left (those are asked about when the phrase is grounded)."""
    toks = tokens(NUMBER_RE.sub(" ", phrase))
    covered = {i for m in mentions(" ".join(toks), nodes) for i in range(m.start, m.end)}
    keep = [i for i, w in enumerate(toks) if i not in covered and w not in _SKIP and stem(w) not in words("populations")
            and stem(w) not in words("affirming_verbs") and w not in POLES and not negating(toks, i) and not w.isdigit()
            and w != "-"]
    if not keep or keep[-1] - keep[0] + 1 != len(keep) or len(keep) > 3:
        return None
    return " ".join(toks[i] for i in keep)


_SKIP = FILLER | frozenset("with without when whenever if given among for after it them this that one ones so others other "
                           "rest remainder everyone everybody else remaining percent per cent time times out every "
                           "chance chances probability rate rates risk share proportion odds likelihood caught "
                           "developed became suffered showed ended did does do had see sees saw seen show shows end "
                           "ends up happen happens happened occur occurs occurred".split())


# -- 2. the parents of each variable -------------------------------------------------------------

def families(statements: list[Statement]) -> dict[str, frozenset[str]]:
    """Each variable's parents: the variables its numbers are conditioned on, the same in every statement."""
    parents: dict[str, frozenset[str]] = {}
    for s in statements:
        if len(s.event) != 1:
            raise NotImplied("the causal graph: a number for two events at once (a joint) does not say which causes "
                             "which; say it (e.g. 'Smoking causes cancer.')", s.text())
        ((e, _),) = s.event
        given = frozenset(k for k, _ in s.given)
        if e in parents and parents[e] != given:
            raise NotImplied(f"the causal graph: the numbers for {e} are given for different groups "
                             f"({', '.join(sorted(parents[e])) or 'everyone'} and {', '.join(sorted(given)) or 'everyone'}); "
                             "say what affects it", s.text())
        parents[e] = given
    return parents


def implied_graph(nodes: list[str], statements: list[Statement]) -> Implied:
    """The graph of the numbers' conditioning: each variable's parents are the groups its numbers are given for."""
    parents = families(statements)
    unused = [n for n in nodes if n not in parents and not any(n in p for p in parents.values())]
    if unused:
        raise NotImplied(f"the numbers for {unused[0]}: no sentence gives its chance")
    used = tuple(n for n in nodes if n in parents or any(n in p for p in parents.values()))
    edges = tuple((p, e) for e in nodes if e in parents for p in nodes if p in parents[e])
    return Implied(used, edges)


def check_links(graph: CausalGraph, exempt: frozenset[str] = frozenset()) -> None:
    """Every two variables must be linked by the numbers: recovery given only for the drug, beside a story of old
    patients, does not say that age leaves recovery alone — it may be an aggregate — so a pair the numbers never
    link is asked about rather than read as no effect.  Not checked where the story says its links are complete
    ("nothing else", "independently", "regardless of") or gives the numbers in notation (a factorisation, by
    convention); a variable assigned at random (``exempt``) has no causes by design.  Pairs are named cause first
    (a topological order, stated order among equals)."""
    import networkx as nx

    linked = {frozenset(e) for e in graph.edges}
    order = list(nx.lexicographical_topological_sort(graph.dag(), key=graph.nodes.index))
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            if frozenset((a, b)) not in linked and not {a, b} & exempt:
                raise NotImplied(f"whether {a} and {b} affect each other: no number of one is given for groups of "
                                 f"the other, and the story does not say they are unrelated; give those numbers "
                                 f"(e.g. {b} for each group of {a}), or say that {a} does not affect {b}")


def covers(implied: Implied, stated: list[tuple[str, str]]) -> None:
    """Every arrow the story states is one the numbers imply: a stated arrow the numbers do not condition on (or
    reverse) means the story and its numbers disagree, and nothing is guessed."""
    for a, b in stated:
        if (a, b) not in implied.edges:
            raise NotImplied(f"numbers for {b} given for groups of {a}: the story says {a} affects {b}, but no number "
                             f"of {b} depends on {a}")


# -- 3. a causal question needs a path, and two variables need randomisation -----------------------

def check_direction(graph: CausalGraph, x: str, y: str, causal: bool, randomized: bool) -> None:
    if not causal:
        return
    if not has_directed_path(graph, x, y):
        raise NotImplied(f"whether {x} affects {y}: the numbers give {x} for groups of {y}, not the other way round; "
                         f"say what causes what (e.g. '{x} affects {y}.')")
    if len(graph.nodes) == 2 and not randomized:
        raise NotImplied(f"whether {x} causes {y}: the numbers show how often {y} goes with {x}, which a common cause "
                         f"could explain; say '{x} affects {y}' (or that {x} was assigned at random) and I will compute "
                         "the effect")
