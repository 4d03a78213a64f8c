"""A mechanism stated in words over a world's concepts, read into the user's own SCM.

"Suppose the light follows the pendulum: it is always 60° to the right of the angle", "the light is the angle plus
30 degrees", "in my tank the hole height sets the ball size", "the stream is long when the water level is above 3,
short otherwise": each clause is matched against the rules of ``data/mechanisms.toml`` (a pattern, an entry of the
menu, an example each) and becomes a spec of :mod:`fmcgm.worlds.user_scm`, which checks it exactly as it checks a
``--scm`` file (ranges, units of a copy, cycles).  Concepts are the world's (names or synonyms; anything else is
refused naming the accepted ones), numbers carry the unit of the concept they concern or a share of its range.
What the words leave open (no formula: a monotone map of one range onto the other; no noise: exact) is said as an
assumption.  A clause that uses a mechanism's words but no rule reads is refused, naming the forms read.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from fmcgm.errors import FMCGMError, QueryError, UnknownVariableError
from fmcgm.language.rule import PatternRule
from fmcgm.worlds.base import PERCENT, Concept, World, unit_words
from fmcgm.worlds.user_scm import UserSCM, parse_scm

NUM = r"(?P<num>[-+\u2212]?\d+(?:\.\d+)?)(?:\s*(?P<unit>°|%|scene units?|per ?cent|[a-z]+))??"
NAME = r"(?P<{}>[a-z][a-z' ]*?)"
NOISE = re.compile(r",? (?:give or take|plus or minus|±|\+/-|with noise(?: of)?) (?P<num>\d+(?:\.\d+)?)"
                   r"(?:\s*(?P<unit>°|%|scene units?|per ?cent|[a-z]+))?$")
DETERMINERS = ("the ", "my ", "its ", "a ", "an ", "our ", "your ", "this ", "that ")


class NotAConcept(QueryError):
    """A phrase a rule took for a concept names none of the world's: another rule may read the clause."""


@dataclass(frozen=True)
class Rule(PatternRule):
    mechanism: str
    sign: int
    example: str
    world: str
    factor: float | None = None


@dataclass
class StatedMechanism:
    """The user's SCM as read from words: the spec (user_scm's format), the checked SCM, and what was assumed."""

    world: str
    spec: dict[str, Any]
    scm: UserSCM
    clauses: list[str]  # the clauses read, in order
    rules: list[str]  # the rule that read each
    assumptions: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        return self.scm.describe()


@dataclass
class Reading:
    """A message split into the mechanism it states (or the refusal of one) and the rest (the question)."""

    mechanism: StatedMechanism | None
    rest: str
    refusal: FMCGMError | None = None


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return tomllib.loads(resources.files("fmcgm.language").joinpath("data/mechanisms.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    d = data()
    words = {k: _alternatives(v) for k, v in d["words"].items()}

    def fill(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in ("child", "parent"):
            return NAME.format(key)
        if key == "num":
            return NUM
        if key in ("value", "value2", "value3"):
            return rf"(?P<{key}>[-+]?\d+(?:\.\d+)?(?:\s*[a-z°%]+(?: units?)?)?|[a-z]+(?: [a-z]+)?)"
        return f"(?:{words[key]})"

    out = []
    for name, r in d["rules"].items():
        pattern = re.compile(re.sub(r"\{(\w+)\}", fill, r["pattern"]))
        out.append(Rule(name, pattern, r["mechanism"], int(r.get("sign", 1)), r["example"], r["world"]))
    return tuple(out)


def _concept(world: World, phrase: str) -> Concept:
    """A concept of the world named by ``phrase`` ("the hole height", "my ball", "the pendulum's angle",
    "the angle of the pendulum"); refused naming the concepts and their synonyms."""
    p = phrase.strip().removesuffix("'s")
    for q in data()["qualifiers"]["words"]:
        p = p.removesuffix(" " + q)
    while p.startswith(DETERMINERS):
        p = p.split(" ", 1)[1]
    tries = [p, p.replace("'s ", " ")]
    if " of " in p:
        a, b = p.split(" of ", 1)
        while b.startswith(DETERMINERS):
            b = b.split(" ", 1)[1]
        tries.append(f"{b} {a}")
    for t in tries:
        try:
            return world.concept(t)
        except UnknownVariableError:
            continue
    raise NotAConcept(f"{phrase.strip()!r} is not a concept of the {world.name} world",
                     "the concepts: " + "; ".join(f"{c.name} ({', '.join(c.synonyms)})" for c in world.concepts))


def _number(world: World, c: Concept, num: str, unit: str | None, what: str, offset: bool = False) -> float:
    """A number said about concept ``c`` in its unit, or as a share of its range; any other unit is refused."""
    v = float(num.replace("\u2212", "-"))
    u = (unit or "").strip()
    if not u or u in unit_words(c.unit):
        return v
    if PERCENT.fullmatch(u) or u in ("per cent", "percent"):
        return v / 100 * c.span if offset else c.low + v / 100 * c.span
    raise QueryError(f"{what}: {u!r} is not a unit of {c.name}",
                     f"give a number in {c.unit} ({c.low:g}..{c.high:g}) or a share of its range (\"10%\")")


def _clauses(sentence: str) -> list[str]:
    return [c.strip(" ,") for c in re.split(r"[:;]", sentence) if c.strip(" ,")]


def _strip_preamble(clause: str) -> str:
    words = sorted(data()["preambles"]["words"], key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for w in words:
            if clause.startswith(w + " ") or clause.startswith(w + ", "):
                clause = clause[len(w):].lstrip(" ,")
                changed = True
    return clause


def _has_cue(clause: str) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", clause) for w in data()["cues"]["words"])


def _read_clause(world: World, clause: str, previous: str | None,
                 strict: bool) -> tuple[Rule, dict[str, Any], str, list[str]] | None:
    """The first rule that reads the whole clause with concepts of the world: (rule, the child's spec, the child,
    assumptions); ``None`` when no rule reads it.  ``strict`` (a clause with a mechanism's words): a rule that
    matches but names what the world lacks is the refusal; otherwise such a match is no mechanism."""
    noise: tuple[str, str | None] | None = None
    n = NOISE.search(clause)
    if n:
        noise, clause = (n.group("num"), n.group("unit")), clause[:n.start()]
    first_error: FMCGMError | None = None
    for rule in rules():
        m = rule.pattern.fullmatch(clause)
        if not m:
            continue
        try:
            return _build(world, rule, m, previous, noise)
        except NotAConcept as e:  # another rule may split the clause into the world's concepts
            first_error = first_error or e
        except FMCGMError:
            if strict:
                raise
            return None
    if first_error is not None and strict:
        raise first_error
    return None


def _build(world: World, rule: Rule, m: re.Match[str], previous: str | None,
           noise: tuple[str, str | None] | None) -> tuple[Rule, dict[str, Any], str, list[str]]:
    g = m.groupdict()
    child_phrase = g["child"].strip()
    if child_phrase in ("it", "this", "that", "it's") and previous is None:
        raise NotAConcept(f"{child_phrase!r} names no concept said before", "name the concept, e.g. 'the light'")
    child = world.concept(previous) if child_phrase in ("it", "this", "that") and previous else _concept(world, child_phrase)
    parent = _concept(world, g["parent"])
    if parent.name == child.name:
        raise QueryError(f"{child.name} cannot be set by itself", "name another concept as its cause")
    assumptions: list[str] = []
    spec: dict[str, Any]
    if rule.mechanism == "offset":
        off = rule.sign * _number(world, child, g["num"], g.get("unit"), f"the offset of {child.name}", offset=True)
        spec = {"mechanism": "copy", "parent": parent.name, "offset": off}
        if re.search(r"\b(?:right|left|ahead|behind|past|beyond|over|under)\b", m.group(0)):
            assumptions.append(f"'{m.group(0)}' read as {child.name} = {parent.name} {'+' if off >= 0 else '−'} "
                               f"{abs(off):g} {child.unit}")
    elif rule.mechanism == "equal":
        spec = {"mechanism": "copy", "parent": parent.name, "offset": 0.0}
    elif rule.mechanism == "times":
        f = g["factor"]
        factor = {"twice": 2.0, "double": 2.0, "two times": 2.0, "half": 0.5, "half of": 0.5, "three times": 3.0,
                  "triple": 3.0}.get(f) or float(f.split()[0])
        spec = {"mechanism": "linear", "weights": {parent.name: factor}, "intercept": 0.0}
    elif rule.mechanism == "proportional":
        k = child.high / parent.high
        spec = {"mechanism": "linear", "weights": {parent.name: k}, "intercept": 0.0}
        assumptions.append(f"'{m.group(0)}' gives no factor: read as {child.name} proportional to {parent.name}, "
                           f"{child.name} = {k:.3g} · {parent.name} (the top of {parent.name}'s range gives the top of "
                           f"{child.name}'s)")
    elif rule.mechanism == "inverse":
        raise QueryError(f"'{m.group(0)}' is an inverse proportion ({child.name} = k / {parent.name}), not a mechanism "
                         "of the menu the generator is served (root, linear, threshold, copy, world)",
                         f"say it as a falling line instead, e.g. '{child.name.replace('_', ' ')} falls as "
                         f"{parent.name.replace('_', ' ')} rises'")
    elif rule.mechanism == "threshold":
        at = _number(world, parent, g["num"], g.get("unit"), f"the threshold on {parent.name}")
        v1 = world.parse_value(child.name, g["value"].strip())
        v2 = world.parse_value(child.name, (g["value2"] or g["value3"]).strip())
        above = g["cmp"] in data()["words"]["past"]
        spec = {"mechanism": "threshold", "parent": parent.name, "at": at,
                "below": v2 if above else v1, "above": v1 if above else v2}
    else:  # monotone, no formula given: one range mapped onto the other
        sign = rule.sign
        if sign == 0:
            bigger = set(data()["words"]["bigger"])
            sign = 1 if (g["more"] in bigger) == (g["then"] in bigger) else -1
        w = sign * child.span / parent.span
        b = (child.low if sign > 0 else child.high) - w * parent.low
        spec = {"mechanism": "linear", "weights": {parent.name: w}, "intercept": b}
        assumptions.append(
            f"'{m.group(0)}' gives no formula: read as a monotone {'rising' if sign > 0 else 'falling'} copy of "
            f"{parent.name}'s range [{parent.low:.3g}, {parent.high:.3g}] onto {child.name}'s [{child.low:.3g}, "
            f"{child.high:.3g}] ({child.name} = {b:.3g} {'+' if w >= 0 else '−'} {abs(w):.3g} · {parent.name})")
    if noise is not None:
        spec["noise"] = abs(_number(world, child, noise[0], noise[1], f"the noise of {child.name}", offset=True))
    return rule, spec, child.name, assumptions


def read_mechanism(text: str, world: World) -> Reading:
    """Split ``text`` into the mechanism it states over ``world``'s concepts and the rest.  A clause read by a rule
    is taken out of the text; a clause with a mechanism's words that no rule reads, a concept or a unit the world
    lacks, two mechanisms for one concept, or what :func:`fmcgm.worlds.user_scm.parse_scm` refuses (a cycle, a
    mechanism that never reaches its concept's range, a copy across units) is the reading's refusal."""
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", re.sub(r"\s+", " ", text.strip())) if s]
    found: dict[str, list[tuple[Rule, dict[str, Any], str, list[str]]]] = {}
    rest: list[str] = []
    previous: str | None = None
    try:
        for s in sentences:
            body, end = s.strip(), ""
            if body and body[-1] in ".?!":
                body, end = body[:-1], body[-1]
            kept: list[str] = []
            for clause in _clauses(body):
                low = _strip_preamble(clause.lower().replace("\u2212", "-"))
                got = _read_clause(world, low, previous, strict=end != "?" and _has_cue(low))
                if got is None and "," in low:  # "if the light followed the pendulum, what would ... look like?"
                    head = _strip_preamble(low.split(",", 1)[0].strip())
                    got = _read_clause(world, head, previous, strict=_has_cue(head))
                    if got is not None:
                        low, clause = head, clause.split(",", 1)[1].strip()
                        kept.append(clause)
                if got is None:
                    if end != "?" and _has_cue(low):
                        raise QueryError(f"cannot read the mechanism in '{clause}'",
                                         "say it in a form I read, e.g. " + "; ".join([
                                             f"'{r.example}'" for r in rules()
                                             if r.mechanism != "inverse" and r.world == world.name][:3]))
                    kept.append(clause)
                    continue
                rule, spec, child, notes = got
                found.setdefault(child, []).append((rule, spec, low, notes))
                previous = child
            if kept:
                rest.append(", ".join(kept) + end)
        if not found:
            return Reading(None, text)
        concepts: dict[str, dict[str, Any]] = {}
        clauses, names, assumptions = [], [], []
        for child, said in found.items():
            parents = {_parent(spec) for _, spec, _, _ in said}
            if len(parents) > 1:
                raise QueryError(f"two mechanisms for {child}: " + " and ".join(f"'{c}'" for _, _, c, _ in said),
                                 f"give {child} one mechanism")
            # a clause with a formula makes a vaguer one precise ("follows the pendulum: it is 60° more than ...")
            precise = [x for x in said if x[0].mechanism != "monotone"]
            rule, spec, clause, notes = (precise or said)[-1]
            if len(precise) > 1 and any(p[1] != spec for p in precise):
                raise QueryError(f"two mechanisms for {child}: " + " and ".join(f"'{c}'" for _, _, c, _ in precise),
                                 f"give {child} one mechanism")
            concepts[child] = spec
            clauses += [c for _, _, c, _ in said]
            names += [r.name for r, _, _, _ in said]
            assumptions += notes
        if not any("noise" in s for s in concepts.values()):
            assumptions.append("no noise was stated: the stated mechanisms are exact")
        spec_all = {"world": world.name, "concepts": concepts}
        scm = parse_scm(spec_all, world, source="the mechanism you stated")
    except FMCGMError as e:
        return Reading(None, " ".join(rest), e)
    return Reading(StatedMechanism(world.name, spec_all, scm, clauses, names, assumptions), " ".join(rest))


def _parent(spec: dict[str, Any]) -> str | None:
    return spec.get("parent") or next(iter(spec.get("weights", {})), None)
