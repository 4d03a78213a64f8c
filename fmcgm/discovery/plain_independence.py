"""Stated independences and a causal hypothesis in plain words — "Exercise and weight are correlated, but they
are independent once diet is known. Does diet directly cause weight?"

The phrasings are data (``data/plain_independence.toml``): statement patterns that say what a clause means
(an independence or a dependence, with a conditioning set when a conditioning phrase comes with it: "given
z", "once z is known", "after controlling for z", "holding z fixed", "knowing z makes x and y unrelated"),
header patterns that name the variables, closing sentences (completeness, assumptions) and hypotheses
(direct cause, mediated cause, common effect, common cause; as a clause after "Hypothesis:" or inside "Is
it implied that …?", or as a direct question "Do x and y share a common cause?").

Reading is strict: every clause must be matched in full by a pattern, a variable's name may not contain a
word that builds statements ("not", "correlated", "given", …), so "x and y are not correlated" can only be
read as an independence and "x and y are hardly correlated" is not read at all; two patterns (or two ways
of splitting a sentence into clauses) that read a clause differently make it ambiguous.  A sentence that
is not read is an error that quotes it — never a guess.  When a sentence names the variables, every
statement must use those names.  What the reader returns is the formal reader's :class:`Premises` and
:class:`Hypothesis`, so the equivalence class and the verdict are the same code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from fmcgm.discovery.independence_statements import (
    Dependence,
    Hypothesis,
    HypothesisKind,
    Independence,
    Premises,
    Problem,
    StatementError,
)
from fmcgm.errors import InconsistentInputError, ParseError

DATA = Path(__file__).parent / "data" / "plain_independence.toml"

HINT = ("write one statement per clause, e.g. 'Exercise and weight are correlated.', 'Exercise and weight are "
        "independent given diet.', 'Knowing diet makes exercise and weight unrelated.', and the hypothesis as "
        "'Does diet directly cause weight?' or 'Do exercise and weight share a common cause?'")

PRONOUNS = (r"(?P<pron>they|the two(?: variables| quantities| of them)?|these two(?: variables)?|those two|both(?: of them)?"
            r"|the pair)")
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12}
OPENERS = re.compile(
    r"^(?:(?:however|but|and|also|moreover|furthermore|in addition|additionally|likewise|similarly|still|yet|"
    r"on the other hand|although|though|while|whereas|finally|besides|meanwhile|at the same time|in contrast|"
    r"by contrast|lastly|first|second|third|next|then|further|importantly|note that|we know that|we find that|"
    r"it turns out that|the data show that|it is known that|we observe that|we see that|observe that)\b,?\s*)+")
CLOSERS = re.compile(r"(?:,?\s+(?:too|as well|also|unconditionally|marginally|overall|on their own|in general))+$")
MAX_CLAUSE_TRIES = 300  # clause readings tried for one sentence part before it is declined
MAX_CLAUSE_CHARS = 1_000
SEPARATORS = (", but ", " but ", ", however, ", ", while ", ", whereas ",
              ", yet ", ", although ", ", though ", ", and ", ", ", " and ")


class PlainStatementError(StatementError):
    """A plain-word sentence the reader cannot read (quoted), or one that contradicts the rest."""

    def __init__(self, sentence: str, problem: str) -> None:
        super().__init__(sentence, problem, HINT)


class _Ambiguous(Exception):
    """Two readings of one sentence."""


@dataclass(frozen=True)
class _Reading:
    kind: str  # "ind" / "dep"
    x: str
    y: str
    given: frozenset[str]


@dataclass
class _Grammar:
    statements: list[tuple[str, bool, bool, str, re.Pattern[str]]] = field(default_factory=list)  # kind, cond, elliptic, multi
    conds: list[tuple[re.Pattern[str], re.Pattern[str]]] = field(default_factory=list)  # prefix, suffix
    header: list[re.Pattern[str]] = field(default_factory=list)
    closure: list[re.Pattern[str]] = field(default_factory=list)
    assumptions: list[re.Pattern[str]] = field(default_factory=list)
    frames: list[re.Pattern[str]] = field(default_factory=list)
    labels: re.Pattern[str] = re.compile("$^")
    hypotheses: list[tuple[HypothesisKind, bool, re.Pattern[str]]] = field(default_factory=list)  # kind, question
    determiners: tuple[str, ...] = ()
    reserved: frozenset[str] = frozenset()


_WORD = re.compile(r"[a-z][a-z0-9'’-]*")
_SOURCE_WORD = re.compile(r"(?<![\\<\w])([a-z][a-z0-9'’-]*)(s\?)?")


def _mark(text: str, reserved: frozenset[str], source: bool = False) -> str:
    """Reserved words in capitals (a variable's name is lower-case words only, so it cannot take one in).  In a
    pattern's source, "words?" stands for both forms."""
    def one(w: str) -> str:
        return w.upper() if w in reserved else w

    if not source:
        return _WORD.sub(lambda m: one(m.group(0)), text)
    return _SOURCE_WORD.sub(lambda m: (f"(?:{one(m.group(1))}|{one(m.group(1) + 's')})" if m.group(2)
                                       else one(m.group(1))), text)


def _expand(template: str, macros: dict[str, str], name: str, names: str, reserved: frozenset[str]) -> list[str]:
    names2 = names.replace(")*", ")+")  # a list of at least two
    text = template
    for _ in range(3):  # macros may use macros
        for k, v in macros.items():
            text = text.replace("{" + k + "}", v)
    out = []
    variants = [text.replace("{pair}", "(?P<x>NAME) and (?P<y>NAME)")]
    if "{pair}" in text:
        variants.append(text.replace("{pair}", PRONOUNS))
    for v in variants:
        v = (v.replace("{x}", "(?P<x>NAME)").replace("{y}", "(?P<y>NAME)").replace("{z}", "(?P<z>LIST)")
             .replace("{xs}", "(?P<xs>LIST)").replace("{ys}", "(?P<ys>LIST2)"))
        out.append(_mark(v, reserved, source=True).replace("LIST2", names2).replace("LIST", names).replace("NAME", name))
    return out


@lru_cache(maxsize=1)
def grammar() -> _Grammar:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    words = raw["words"]
    reserved = frozenset(words["reserved"])
    word = r"[a-z0-9][a-z0-9'’-]*"
    name = rf"{word}(?: {word}){{0,5}}"
    names = rf"(?:BOTH )?{name}(?:(?:,? AND|,| AS well AS| together WITH|, AS well AS) {name})*"
    macros = {k: v for k, v in raw["macros"].items() if isinstance(v, str)}
    g = _Grammar(determiners=tuple(words["determiners"]), reserved=reserved)

    def full(pattern: str) -> re.Pattern[str]:
        return re.compile(rf"^(?:{pattern})$")

    cond_templates: list[str] = raw["macros"]["cond"]
    for c in cond_templates:
        (body,) = _expand(c, macros, name, names, reserved)
        comma = ",?" if not c.endswith("{z}") else ","
        g.conds.append((re.compile(rf"^(?:{body}){comma} (?P<rest>.+)$"), re.compile(rf"^(?P<rest>.+?),? (?:{body})$")))
    for entry in raw["statement"]:
        cond, elliptic, multi = bool(entry.get("conditional")), bool(entry.get("elliptic")), entry.get("multi", "")
        for p in entry["patterns"]:
            bodies = [p.replace("{cond}", c) for c in cond_templates] if "{cond}" in p else [p]
            for b in bodies:
                for v in _expand(b, macros, name, names, reserved):
                    g.statements.append((entry["kind"], cond, elliptic, multi, full(v)))
    for p in raw["header"]["patterns"]:
        g.header.extend(full(v) for v in _expand(p, macros, name, names, reserved))
    for p in raw["closure"]["patterns"]:
        g.closure.extend(full(v) for v in _expand(p, macros, name, names, reserved))
    g.assumptions = [full(_mark(a, reserved, source=True)) for a in raw["closure"]["assumptions"]]
    for f in raw["question"]["frames"]:
        g.frames.extend(full(v.replace("{h}", "(?P<h>.+)")) for v in _expand(f, macros, name, names, reserved))
    g.labels = re.compile(rf"^(?:{'|'.join(re.escape(_mark(x, reserved)) for x in raw['question']['labels'])})\s*:\s*(?P<h>.+)$")
    for entry in raw["hypothesis"]:
        for p in entry["patterns"]:
            g.hypotheses.extend((entry["kind"], False, full(v)) for v in _expand(p, macros, name, names, reserved))
        for p in entry.get("questions", []):
            g.hypotheses.extend((entry["kind"], True, full(v)) for v in _expand(p, macros, name, names, reserved))
    return g


def _normalise(text: str) -> str:
    t = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = t.replace("\u2014", " - ").replace("\u2013", " - ")
    t = re.sub(r"\b(do|does|did|is|are|was|were|has|have|had|can|could|would|should|must)n't\b", r"\1 not", t,
               flags=re.IGNORECASE)
    t = re.sub(r"\bcan't\b", "can not", t, flags=re.IGNORECASE)
    t = re.sub(r"\bwon't\b", "will not", t, flags=re.IGNORECASE)
    return " ".join(t.split())


_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=\S)|\n\s*\n")


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after '.', '?' or '!' and at blank lines), whitespace collapsed."""
    out = []
    for part in _SENTENCE.split(text.replace("\r", "")):
        for line in part.split("\n") if re.search(r"\n\s*(?:hypothesis|claim|question)\s*:", part, re.I) else [part]:
            s = " ".join(line.split())
            if s:
                out.append(s)
    return out


def _key(name: str, g: _Grammar) -> str:
    words = name.lower().split()
    for det in g.determiners:
        d = det.split()
        if len(words) > len(d) and words[:len(d)] == d:
            words = words[len(d):]
            break
    return " ".join(words)


def _list(text: str, g: _Grammar) -> list[str]:
    text = re.sub(r"^both ", "", text.lower())
    parts = re.split(r",? and |, as well as | as well as | together with |, ", text)
    return [_key(p, g) for p in parts if p.strip()]


class _Reader:
    """Reads the sentences of one problem, keeping the pair each statement was about (for 'they')."""

    def __init__(self) -> None:
        self.g = grammar()
        self.budget = MAX_CLAUSE_TRIES
        self.last_pair: tuple[str, str] | None = None
        self.last_kind: str | None = None

    # ---- statements ----
    def _core(self, text: str, given: frozenset[str]) -> set[tuple[_Reading, ...]]:
        out: set[tuple[_Reading, ...]] = set()
        for kind, cond, elliptic, multi, pat in self.g.statements:
            if cond and given:
                continue  # a conditioning phrase around a statement that has its own
            m = pat.match(text)
            if not m:
                continue
            gd = m.groupdict()
            z = (frozenset(_list(gd["z"], self.g)) if gd.get("z") else frozenset()) | given
            if multi:
                ys = _list(gd["ys"], self.g)
                pairs = ([(_key(gd["x"], self.g), y) for y in ys] if multi == "object"
                         else [(a, b) for i, a in enumerate(ys) for b in ys[i + 1:]])
                out.add(tuple(_Reading(kind, a, b, z) for a, b in pairs))
                continue
            if elliptic or gd.get("pron"):
                if self.last_pair is None:
                    continue
                x, y = self.last_pair
            else:
                x, y = _key(gd["x"], self.g), _key(gd["y"], self.g)
            if kind == "same":
                if self.last_kind is None:
                    continue
                kind = self.last_kind
            if kind == "flip":
                if self.last_kind is None:
                    continue
                kind = "dep" if self.last_kind == "ind" else "ind"
            out.add((_Reading(kind, x, y, z),))
        return out

    def clause(self, text: str) -> set[tuple[_Reading, ...]]:
        text = CLOSERS.sub("", OPENERS.sub("", text.strip(" ,;:"))).strip(" ,;:")
        if not text:
            return set()
        text = _mark(text, self.g.reserved)
        out = self._core(text, frozenset())
        for pre, suf in self.g.conds:
            for pat in (pre, suf):
                m = pat.match(text)
                if m:
                    z = frozenset(_list(m.group("z"), self.g))
                    out |= self._core(m.group("rest").strip(" ,"), z)
        return out

    def sentence(self, text: str) -> list[_Reading] | None:
        """The statements of a sentence (None: not read); raises on an ambiguous one.  Parts between semicolons
        are read one after the other; within a part, splits into clauses are tried when the whole is not read."""
        out: list[_Reading] = []
        for part in re.split(r";\s+(?=\S)", text.lower().rstrip(".!").strip()):
            self.budget = MAX_CLAUSE_TRIES
            try:
                got = self._part(part)
            except _Ambiguous:
                raise PlainStatementError(" ".join(text.split()), "it can be read in more than one way") from None
            if got is None:
                return None
            out.extend(got)
        return out

    def _part(self, text: str, depth: int = 0) -> list[_Reading] | None:
        t = text.strip()
        self.budget -= 1
        if self.budget < 0 or len(t) > MAX_CLAUSE_CHARS:
            return None
        saved = (self.last_pair, self.last_kind)
        whole = self.clause(t)
        if len(whole) == 1:
            rs = next(iter(whole))
            if len(rs) == 1:
                self.last_pair, self.last_kind = (rs[0].x, rs[0].y), rs[0].kind
            else:
                self.last_pair = self.last_kind = None  # "they" after a list names no one pair
            return list(rs)
        if len(whole) > 1:
            raise _Ambiguous
        if depth >= 5:
            return None
        results: list[tuple[list[_Reading], tuple[Any, Any]]] = []
        for sep in SEPARATORS:
            start = 0
            while (i := t.find(sep, start)) >= 0:
                start = i + 1
                self.last_pair, self.last_kind = saved
                left = self._part(t[:i], depth + 1)
                if left is None:
                    continue
                right = self._part(t[i + len(sep):], depth + 1)
                if right is None:
                    continue
                results.append((left + right, (self.last_pair, self.last_kind)))
        self.last_pair, self.last_kind = saved
        if not results:
            return None
        readings = {frozenset(r) for r, _ in results}
        if len(readings) > 1:
            raise _Ambiguous
        self.last_pair, self.last_kind = results[0][1]
        return results[0][0]

    # ---- scene ----
    def header(self, text: str) -> list[str] | None:
        t = text.lower().rstrip(".!").strip()
        t = re.sub(r"^(?:premise|premises|context)\s*:\s*", "", t)
        found: set[tuple[str, ...]] = set()
        marked = _mark(t, self.g.reserved)
        for pat in self.g.header:
            m = pat.match(marked)
            if m:
                names = tuple(_list(m.group("xs"), self.g))
                count = next((w for w in re.findall(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                                                    r" (?:variables|quantities|factors|things|measurements)\b", t)), None)
                if count is not None and int(NUMBERS.get(count, count) if not count.isdigit() else count) != len(names):
                    raise PlainStatementError(text, f"it announces {count} variables but names {len(names)}")
                found.add(names)
        if len(found) > 1:
            raise PlainStatementError(text, "the list of variables can be read in more than one way")
        return list(next(iter(found))) if found else None

    def closure(self, text: str) -> bool:
        t = text.lower().rstrip(".!").strip()
        t = re.sub(r"^(?:premise|premises|context)\s*:\s*", "", t)
        if any(p.match(_mark(t, self.g.reserved)) for p in self.g.closure):
            return True
        m = re.match(r"^(?:we )?assume(?:s)?(?: that)?:?\s+(?P<rest>.+)$", t)
        if not m:
            return False
        parts = [p.strip() for p in re.split(r",|;|:| and | with ", m.group("rest")) if p.strip()]
        return bool(parts) and all(any(a.match(_mark(p, self.g.reserved)) for a in self.g.assumptions) for p in parts)

    # ---- hypothesis ----
    def hypothesis(self, text: str) -> Hypothesis | None:
        t = text.lower().strip()
        question = t.endswith("?")
        t = _mark(t.rstrip(".?!").strip(), self.g.reserved)
        m = self.g.labels.match(t)
        clauses: list[tuple[str, bool]] = []
        if m:
            body = m.group("h").strip()
            clauses.append((body, False))
            clauses.extend((fm.group("h"), False) for f in self.g.frames if (fm := f.match(body)))
            clauses.append((body, True))
        else:
            clauses.extend((fm.group("h"), False) for f in self.g.frames if (fm := f.match(t)))
            if question:
                clauses.append((t, True))
        found: set[tuple[HypothesisKind, str, str]] = set()
        for body, as_question in clauses:
            body = body.strip(" ,")
            for kind, q, pat in self.g.hypotheses:
                if q != as_question:
                    continue
                hm = pat.match(body)
                if hm:
                    x, y = _key(hm.group("x"), self.g), _key(hm.group("y"), self.g)
                    if kind in ("collider", "confounder"):
                        x, y = sorted((x, y))  # symmetric
                    found.add((kind, x, y))
        if len(found) > 1:
            raise PlainStatementError(text, "the hypothesis can be read in more than one way")
        if not found:
            return None
        kind, x, y = next(iter(found))
        if x == y:
            raise PlainStatementError(text, f"the hypothesis relates {x} to itself")
        return Hypothesis(kind, x, y, " ".join(text.split()))


def _is_hypothesis_sentence(s: str, g: _Grammar) -> bool:
    t = s.lower().strip()
    return t.endswith("?") or bool(g.labels.match(_mark(t.rstrip(".?!"), g.reserved)))


def _display(keys: list[str], text: str) -> dict[str, str]:
    """Each variable as the text writes it (not at a sentence's start, where it is capitalised, when it can)."""
    out = {}
    for k in keys:
        found = list(re.finditer(rf"(?<![\w'’-]){re.escape(k)}(?![\w'’-])", text, re.IGNORECASE))
        inner = [m for m in found if not re.search(r"(?:^|[.?!:;]\s*|\n\s*)$", text[:m.start()])]
        best = (inner or found)[:1]
        out[k] = " ".join(best[0].group(0).split()) if best else k
    return out


@dataclass(frozen=True)
class PlainProblem:
    problem: Problem
    premise_sentences: tuple[str, ...]
    hypothesis_sentence: str


def _read(text: str, want_hypothesis: bool) -> tuple[Premises, Hypothesis | None, list[str], str]:
    if not text.strip():
        raise ParseError("nothing to read: the text is empty", HINT)
    text = _normalise(text)
    text = re.sub(r"^\s*premises?\s*:\s*", "", text, flags=re.IGNORECASE)
    sents = sentences(text)
    reader = _Reader()
    hyp_sentence = ""
    h: Hypothesis | None = None
    if want_hypothesis:
        if not sents or not _is_hypothesis_sentence(sents[-1], reader.g):
            raise ParseError("no hypothesis: the last sentence should ask it ('Does diet directly cause weight?') or "
                             "state it ('Hypothesis: diet directly causes weight.')", HINT)
        hyp_sentence = sents.pop()
        h = reader.hypothesis(hyp_sentence)
        if h is None:
            raise PlainStatementError(hyp_sentence, "this hypothesis is not one the reader knows (a direct cause, "
                                      "a cause through mediators only, a common effect or a common cause of two "
                                      "variables)")
    header: list[str] | None = None
    complete = False
    statements: list[tuple[_Reading, str]] = []
    for s in sents:
        if s.rstrip().endswith("?"):
            raise PlainStatementError(s, "a question among the premises (ask one hypothesis, at the end)")
        hd = reader.header(s)
        if hd is not None:
            if header is not None:
                raise PlainStatementError(s, "the variables are named a second time")
            header = hd
            continue
        if reader.closure(s):
            complete = True
            continue
        head, colon, rest = s.partition(": ")
        if colon and rest.strip() and reader.closure(head):  # "All the relations are as follows: x correlates with y."
            complete = True
            s = rest.strip()
        got = reader.sentence(s)
        if got is None:
            raise PlainStatementError(s, "no statement of (in)dependence the reader knows matches the whole sentence")
        statements.extend((r, s) for r in got)
    if not statements and header is None:
        raise ParseError("no statements of independence or correlation were found", HINT)
    mentioned: list[str] = []
    for r, s in statements:
        if r.x == r.y:
            raise PlainStatementError(s, f"{r.x} is paired with itself")
        if r.x in r.given or r.y in r.given:
            raise PlainStatementError(s, f"{r.x if r.x in r.given else r.y} is both tested and conditioned on")
        for v in (r.x, r.y, *sorted(r.given)):
            if header is not None and v not in header:
                raise PlainStatementError(s, f"\u201c{v}\u201d is not one of the variables named ({', '.join(header)})")
            if v not in mentioned:
                mentioned.append(v)
    if header is not None and len(set(header)) != len(header):
        raise ParseError("a variable is named twice in the list of variables", HINT)
    keys = header if header is not None else mentioned
    if len(keys) < 2:
        raise ParseError("the premises need at least two variables", HINT)
    if h is not None:
        for v in (h.x, h.y):
            if v not in keys:
                raise PlainStatementError(hyp_sentence, f"\u201c{v}\u201d is not one of the variables "
                                                        f"({', '.join(keys)})")
    show = _display(keys, text)
    ind, dep = [], []
    seen_ind: dict[Any, str] = {}
    for r, s in statements:
        x, y, given = show[r.x], show[r.y], frozenset(show[v] for v in r.given)
        if r.kind == "ind":
            ind.append(Independence(x, y, given, s))
            seen_ind[(frozenset((x, y)), given)] = s
        else:
            dep.append(Dependence(x, y, given, s))
    for d in dep:
        if d.key in seen_ind:
            raise InconsistentInputError(f"the statements \u201c{d.sentence}\u201d and \u201c{seen_ind[d.key]}\u201d "
                                         "contradict each other", "keep one of them")
    premises = Premises(tuple(show[k] for k in keys), tuple(dict.fromkeys(ind)), tuple(dict.fromkeys(dep)),
                        declared=header is not None, complete=complete, faithfulness_stated=False)
    if h is not None:
        h = Hypothesis(h.kind, show[h.x], show[h.y], h.sentence)
    return premises, h, sents, hyp_sentence


def read_plain_premises(text: str) -> Premises:
    """Plain-word premises: a sentence naming the variables (optional), statements, closing sentences."""
    return _read(text, want_hypothesis=False)[0]


def read_plain_problem(text: str) -> PlainProblem:
    """Premises and, as the last sentence, the hypothesis (a question or 'Hypothesis: …')."""
    premises, h, sents, hyp = _read(text, want_hypothesis=True)
    assert h is not None
    return PlainProblem(Problem(premises, h, " ".join(sents)), tuple(sents), hyp)


def read_plain_hypothesis(text: str, premises: Premises | None = None) -> Hypothesis:
    """One hypothesis sentence; its variables checked against the premises' (names compared without case)."""
    text = _normalise(text)
    reader = _Reader()
    t = text.strip()
    h = reader.hypothesis(t if _is_hypothesis_sentence(t, reader.g) else f"Hypothesis: {t}")
    if h is None:
        raise PlainStatementError(t, "this hypothesis is not one the reader knows (a direct cause, a cause through "
                                  "mediators only, a common effect or a common cause of two variables)")
    h = Hypothesis(h.kind, h.x, h.y, t)
    if premises is not None:
        by_key = {_key(v, reader.g): v for v in premises.variables}
        for v in (h.x, h.y):
            if v not in by_key:
                raise PlainStatementError(t, f"\u201c{v}\u201d is not one of the variables ({', '.join(premises.variables)})")
        h = Hypothesis(h.kind, by_key[h.x], by_key[h.y], t)
    return h


def split_plain(text: str) -> tuple[str, str]:
    """The premises' sentences and the hypothesis sentence (the last one) of a plain-word problem, unread."""
    sents = sentences(re.sub(r"^\s*premises?\s*:\s*", "", _normalise(text), flags=re.IGNORECASE))
    if len(sents) < 2:
        raise ParseError("a problem needs premises and, as its last sentence, a hypothesis", HINT)
    return " ".join(sents[:-1]), sents[-1]


def claims(text: str) -> bool:
    """Whether a question is a plain-word independence problem for this reader (it states no probabilities, and
    either its last sentence reads as one of the hypotheses and some other sentence as a statement of
    (in)dependence, or at least two sentences, half of those before the last, read as statements).  A claimed
    question that has a sentence the reader cannot read — the hypothesis included — is declined by the tool,
    which names that sentence, rather than passed to readers that might answer another question."""
    if re.search(r"%|\bpercent\b|\bprobabilit|\bP\(|\d\.\d|\bdo\(", text, re.IGNORECASE):
        return False
    try:
        t = _normalise(text)
        sents = sentences(re.sub(r"^\s*premises?\s*:\s*", "", t, flags=re.IGNORECASE))
        if len(sents) < 2:
            return False
        reader = _Reader()
        try:
            hypothesis = _is_hypothesis_sentence(sents[-1], reader.g) and reader.hypothesis(sents[-1]) is not None
        except ParseError:
            hypothesis = False
        read = 0
        for s in sents[:-1]:
            try:
                if reader.sentence(s):
                    read += 1
            except ParseError:
                read += 1
        return read >= 1 if hypothesis else (read >= 2 and 2 * read >= len(sents) - 1)
    except ParseError:
        return False
