"""Read a causal story: background (graph), given information, question — at phrase level.

This module only segments and pattern-matches sentences; deciding which
variable a phrase such as "husbands that set the alarm" refers to is the job of
:mod:`fmcgm.language.grounding`.  Patterns are regular expressions over
sentence shapes (never ``eval``), so unknown words, names and numbers are fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fmcgm.errors import ParseError

NUM = r"(-?\d+(?:\.\d+)?)\s*(%?)"


@dataclass
class Background:
    names: list[str]  # display names in order of appearance
    edges: list[tuple[str, str]]
    latent: list[str]


@dataclass
class Conditional:
    conditions: str  # the whole "For ..." clause, split later into slots
    target: str
    p: float
    slots: list[str] = field(default_factory=list)


@dataclass
class Marginal:
    phrase: str
    p: float


@dataclass
class Joint:
    text: str  # "A and B", split later
    p: float
    parts: list[str] = field(default_factory=list)


@dataclass
class Correlation:
    condition: str
    a: str
    b: str
    r: float


@dataclass
class MethodStatement:
    number: int
    treatment: str | None
    outcome: str | None
    adjust: list[str]  # phrases adjusted for ("case by case according to ...")


@dataclass
class MechanismText:
    causes: list[str]
    op: str  # and / or
    effects: list[str]


@dataclass
class Story:
    background: Background
    given: list  # Conditional | Marginal | Joint | Correlation | MethodStatement
    mechanisms: list[MechanismText]
    observations: list[str]
    question: str
    unparsed: list[str]


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Za-z0-9\"'(])", text)
    return [p.strip() for p in parts if p.strip()]


def _prob(num: str, pct: str) -> float:
    v = float(num)
    return v / 100.0 if pct else v


def _strip_article(s: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", s.strip(), flags=re.I).strip()


def _split_list(s: str) -> list[str]:
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+", s.strip().rstrip("."))
    return [_strip_article(i) for i in items if i.strip()]


EDGE_RE = re.compile(r"^(.+?)\s+(?:has a direct effect on|directly affects|directly causes|causes|affects|->)\s+(.+?)\.?$", re.I)
LATENT_RE = re.compile(r"^(.+?)\s+(?:is|are)\s+(?:unobserved|not observed|latent|hidden|unmeasured)\.?$", re.I)
PREAMBLE_RE = re.compile(r"^imagine a self-contained.*?:\s*", re.I)


def parse_background(sents: list[str]) -> tuple[Background, list[str]]:
    names: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    latent: list[str] = []
    rest: list[str] = []

    def name(raw: str) -> str:
        n = _strip_article(raw)
        key = n.lower()
        if key not in names:
            names[key] = n
        elif names[key][:1].isupper() and n[:1].islower():
            names[key] = n  # prefer the form written mid-sentence
        return key

    for _i, s in enumerate(sents):
        if rest:  # the background is the opening run of graph sentences; later "A causes B" are rules
            rest.append(s)
            continue
        s = PREAMBLE_RE.sub("", s)
        if "->" in s or "\u2192" in s or re.search(r"\b(?:unobserved|latent|hidden|unmeasured)\.?$", s):
            formal = _formal_graph(s)  # "Z -> X, Z -> Y", "U unobserved": notation, read by its grammar
            if formal is not None:
                for a, b in formal.edges:
                    edges.append((name(a), name(b)))
                latent.extend(name(x) for x in formal.latent)
                continue
        m = LATENT_RE.match(s)
        if m:
            latent.extend(name(x) for x in _split_list(m.group(1)))
            continue
        m = EDGE_RE.match(s)
        if m and re.search(r",|\b(?:affect|cause|influence|both|also)\b|\d", m.group(1) + " " + m.group(2), re.I):
            m = None  # "A affect both B and C, and B also directly affects C" is not one edge list
        if m is None and not s.lower().startswith(("we know", "for ", "the probability", "the overall")):
            prose = _prose_graph(s)  # other verbs, voices and lists, read by the prose reader's clause shapes
            if prose is not None:
                edges.extend((name(a), name(b)) for a, b in prose.edges)
                latent.extend(name(x) for x in prose.latent)
                continue
        if m and not s.lower().startswith(("we know", "for ", "the probability", "the overall")):
            src = name(m.group(1))
            for t in _split_list(m.group(2)):
                edges.append((src, name(t)))
            continue
        rest.append(s)
    display = {k: _display(v) for k, v in names.items()}
    return Background(
        [display[k] for k in names],
        [(display[a], display[b]) for a, b in edges],
        [display[k] for k in latent if k in display],
    ), rest


def _prose_graph(s: str):
    from fmcgm.language.prose import graph_sentence

    return graph_sentence(s)


def _formal_graph(s: str):
    from fmcgm.language.formal import FormalStatements, read_formal

    f = read_formal(s)
    if isinstance(f, FormalStatements) and (f.edges or f.latent) and not f.probabilities:
        return f
    return None


def _display(n: str) -> str:
    # lower-case a sentence-initial capital unless the word is an acronym ("CEO") or a name-like token
    first = n.split(" ")[0]
    if first[:1].isupper() and not first.isupper():
        return n[0].lower() + n[1:]
    return n


GIVEN_PATTERNS = [
    ("marginal", re.compile(rf"^the overall probability of (.+?) is {NUM}\.?$", re.I)),
    ("joint", re.compile(rf"^the probability of (.+?) is {NUM}\.?$", re.I)),
    ("conditional", re.compile(rf"^for (.+?), the probability of (.+?) is {NUM}\.?$", re.I)),
    ("correlation", re.compile(rf"^for (.+?), the correlation between (.+?) and (.+?) is {NUM}\.?$", re.I)),
    ("method", re.compile(r"^method (\d):\s*(.+?)\.?$", re.I)),
]
KNOW_RE = re.compile(r"^(?:and )?we know that (.+?)\.?$", re.I)
OBSERVED_RE = re.compile(r"^we observed (?:that )?(.+?)\.?$", re.I)
CAUSES_RE = re.compile(r"^(.+?)\s+causes\s+(.+?)\.?$", re.I)


def parse_given(sents: list[str]) -> tuple[list, list[MechanismText], list[str], list[str]]:
    mechs: list[MechanismText] = []
    obs: list[str] = []
    given, unparsed = [], []
    for s in sents:
        # "X causes Y, and we know that Z causes W" holds two rules
        chunks = re.split(r",\s*and\s+we know that\s+", s, flags=re.I)
        if len(chunks) > 1:
            chunks = [chunks[0]] + [f"we know that {c}" for c in chunks[1:]]
        for c in chunks:
            item = _given_sentence(c, mechs, obs)
            if item is True:
                continue
            if item is None:
                unparsed.append(c)
            else:
                given.append(item)
    return given, mechs, obs, unparsed


def _given_sentence(s: str, mechs: list, obs: list):
    m = OBSERVED_RE.match(s)
    if m:
        obs.extend(x.strip() for x in re.split(r"\s+and\s+(?=(?:an?|the)\s|confounder|there\s)", m.group(1)) if x.strip())
        return True
    m = KNOW_RE.match(s)
    body = m.group(1) if m else s
    cm = CAUSES_RE.match(body)
    if cm and (m or not body.lower().startswith(("for ", "the probability", "the overall"))):
        lhs, rhs = cm.group(1), cm.group(2)
        effects = [e.strip() for e in re.split(r"\s+and\s+", rhs) if e.strip()]
        mechs.append(MechanismText([lhs.strip()], "and", effects))
        return True
    for kind, rx in GIVEN_PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        if kind == "marginal":
            return Marginal(m.group(1).strip(), _prob(m.group(2), m.group(3)))
        if kind == "joint":
            return Joint(m.group(1).strip(), _prob(m.group(2), m.group(3)))
        if kind == "conditional":
            return Conditional(m.group(1).strip(), m.group(2).strip(), _prob(m.group(3), m.group(4)))
        if kind == "correlation":
            return Correlation(m.group(1).strip(), m.group(2).strip(), m.group(3).strip(), float(m.group(4)))
        if kind == "method":
            return _method(int(m.group(1)), m.group(2))
    return None


def _method(n: int, text: str) -> MethodStatement:
    t = text.strip()
    m = re.search(r"how (.+?) correlates with (.+?)(?: in general| case by case|$)", t, re.I)
    x, y = (m.group(1).strip(), m.group(2).strip()) if m else (None, None)
    adj = re.search(r"case by case according to (.+?)$", t, re.I)
    return MethodStatement(n, x, y, _split_list(adj.group(1)) if adj else [])


def parse_story(text: str) -> Story:
    if not text or not text.strip():
        raise ParseError("the question is empty", "ask a causal question")
    sents = sentences(text)
    qs = [s for s in sents if s.endswith("?")]
    if not qs:
        raise ParseError("no question found (no sentence ends with '?')", "end the question with a question mark")
    question = qs[-1]
    body = [s for s in sents if s is not question]
    bg, rest = parse_background(body)
    given, mechs, obs, unparsed = parse_given(rest)
    protected = {e for m in mechs for e in m.effects} | set(obs)
    for m in mechs:
        m.causes, m.op = split_causes(m.causes[0], protected)
    return Story(bg, given, mechs, obs, question, unparsed)


def split_causes(lhs: str, protected: set[str]) -> tuple[list[str], str]:
    """Split "A and B" / "A or B" into literals, never inside a phrase used whole elsewhere.

    "confounder active and college degree or higher" is an AND of two literals
    because "college degree or higher" is itself the effect of another rule.
    """
    masked, slots = lhs, {}
    for i, ph in enumerate(sorted(protected, key=len, reverse=True)):
        if re.search(r"\s(and|or)\s", ph) and ph.lower() in masked.lower():
            key = f"\x00{i}\x00"
            start = masked.lower().index(ph.lower())
            masked = masked[:start] + key + masked[start + len(ph):]
            slots[key] = ph
    op = "or" if re.search(r"\s+or\s+", masked) else "and"
    parts = [p.strip() for p in re.split(rf"\s+{op}\s+", masked) if p.strip()]
    for key, ph in slots.items():
        parts = [p.replace(key, ph) for p in parts]
    return parts, op
