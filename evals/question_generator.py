"""Benchmark generator: causal questions in plain English from random causal models, with computed truths.

Each row draws a structure (chain, two causes, confounder, mediation, mediation without a direct edge,
front-door, unobserved confounder, collider, or a deterministic boolean rule), a theme of everyday
variable names, whole-percent parameters and a question kind; it states the needed numbers in words
(sentence families from :mod:`evals.question_families`, only those of the requested split) and computes
the truth by enumerating the model: truncated factorization for interventions, the mediation formula
for natural effects, the front-door formula from the stated observational numbers, and
abduction-action-prediction for deterministic counterfactuals. Some rows leave out a needed number
(``expect: "ask"``); an unobserved confounder without a front-door path gives ``not_identifiable``.

    python -m evals.question_generator --split heldout --n 1000 --seed 0 --out rows.jsonl

Row fields: ``id``, ``question``, ``expect`` ("yes", "no", null for a number, "not_identifiable",
"ask"), ``value`` (numbers) or ``value_abs`` (the magnitude behind a yes/no), ``kind``, ``structure``,
``families``, ``model``, ``why``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

from evals.question_families import Family, families
from evals.question_themes import RULE_THEMES, THEMES, RuleTheme, RuleVar, Theme

Cond = tuple[tuple[str, int], ...]
MIN_EFFECT = Fraction(3, 100)
IMPLIED_RATE = 0.25  # stories told as numbers only (no arrow stated): the graph is what the numbers condition on
ASK_RATE = 0.1
SIMPSON_RATE = 0.35
TRIES = 400
GRID = (1, 10, 30, 50, 70, 90, 99)
FRAC_OF = {10: "one in ten", 20: "one in five", 25: "one in four", 30: "three in ten", 40: "two in five",
           50: "half of the", 60: "three in five", 70: "seven in ten", 75: "three quarters of the", 80: "four in five",
           90: "nine in ten"}
FRAC_BARE = {**FRAC_OF, 50: "half", 75: "three quarters"}


# ---------------------------------------------------------------------------------------------------- structures


@dataclass(frozen=True)
class Spec:
    """A structure: the stated factorization (role, parents) in topological order, the causal edges between
    observed variables, whether an unobserved common cause of X and Y exists, and the question kinds."""

    nodes: tuple[tuple[str, tuple[str, ...]], ...]
    edges: tuple[tuple[str, str], ...]
    kinds: tuple[tuple[str, int], ...]
    hidden: bool = False


SPECS: dict[str, Spec] = {
    "chain": Spec((("X", ()), ("Y", ("X",))), (("X", "Y"),),
                  (("ate", 4), ("ate_value", 1), ("corr", 2), ("marg", 1), ("ett", 1))),
    "two_causes": Spec((("X", ()), ("W", ()), ("Y", ("X", "W"))), (("X", "Y"), ("W", "Y")),
                       (("ate", 3), ("ate_value", 1), ("corr", 1), ("marg", 1))),
    "confounder": Spec((("Z", ()), ("X", ("Z",)), ("Y", ("X", "Z"))), (("Z", "X"), ("Z", "Y"), ("X", "Y")),
                       (("ate", 4), ("ate_value", 1), ("corr", 2), ("corr_value", 1), ("ett", 2), ("marg", 1))),
    "mediation": Spec((("X", ()), ("M", ("X",)), ("Y", ("X", "M"))), (("X", "M"), ("M", "Y"), ("X", "Y")),
                      (("ate", 2), ("ate_value", 1), ("nde", 2), ("nie", 2), ("nde_value", 1), ("nie_value", 1))),
    "chain3": Spec((("X", ()), ("M", ("X",)), ("Y", ("M",))), (("X", "M"), ("M", "Y")),
                   (("ate", 2), ("nde", 1), ("nie", 2))),
    "frontdoor": Spec((("X", ()), ("M", ("X",)), ("Y", ("X", "M"))), (("X", "M"), ("M", "Y")),
                      (("ate", 3), ("ate_value", 1), ("corr", 1)), hidden=True),
    "unobs": Spec((("X", ()), ("Y", ("X",))), (("X", "Y"),),
                  (("ate", 3), ("ate_value", 1), ("ett", 1), ("corr", 2), ("marg", 1)), hidden=True),
    "collider": Spec((("X", ()), ("Y", ()), ("C", ("X", "Y"))), (("X", "C"), ("Y", "C")),
                     (("ate", 2), ("ate_value", 1), ("cond_corr", 3))),
}
STRUCTURE_WEIGHTS: dict[str, int] = {"chain": 10, "two_causes": 7, "confounder": 20, "mediation": 13, "chain3": 5,
                                     "frontdoor": 10, "unobs": 10, "collider": 10, "rules": 15}
STRUCTURAL_ZERO = {("collider", "ate"), ("collider", "ate_value"), ("chain3", "nde"), ("chain3", "nde_value")}


def param_key(role: str, cond: Cond) -> str:
    inner = ",".join(f"{r}={v}" for r, v in cond)
    return f"P({role}=1|{inner})" if cond else f"P({role}=1)"


def joint_key(x: int) -> str:
    return f"P(X={x},Y=1)"


# ---------------------------------------------------------------------------------------------------- enumeration


@dataclass(frozen=True)
class Net:
    """Binary network: (role, parents) in topological order and P(role=1 | parents) per parent assignment."""

    nodes: tuple[tuple[str, tuple[str, ...]], ...]
    cpt: dict[str, dict[tuple[int, ...], Fraction]]
    cache: dict[tuple[tuple[str, int], ...], list[tuple[dict[str, int], Fraction]]] = field(
        default_factory=dict, compare=False, repr=False)

    def parents(self, role: str) -> tuple[str, ...]:
        return dict(self.nodes)[role]


def build_net(spec: Spec, params: dict[str, int]) -> Net:
    """The network of the stated numbers; a chain stated by joints (P(X=x, Y=1)) is turned into its CPT."""
    cpt: dict[str, dict[tuple[int, ...], Fraction]] = {}
    for role, parents in spec.nodes:
        cpt[role] = {}
        for vals in product((0, 1), repeat=len(parents)):
            key = param_key(role, tuple(zip(parents, vals, strict=True)))
            if key in params:
                cpt[role][vals] = Fraction(params[key], 100)
    if joint_key(1) in params:
        px = Fraction(params["P(X=1)"], 100)
        cpt["Y"] = {(1,): Fraction(params[joint_key(1)], 100) / px, (0,): Fraction(params[joint_key(0)], 100) / (1 - px)}
    return Net(spec.nodes, cpt)


def worlds(net: Net, do: dict[str, int] | None = None) -> list[tuple[dict[str, int], Fraction]]:
    """Every assignment with its probability, by the (truncated) factorization."""
    do = do or {}
    key = tuple(sorted(do.items()))
    if key not in net.cache:
        net.cache[key] = _enumerate(net, do)
    return net.cache[key]


def _enumerate(net: Net, do: dict[str, int]) -> list[tuple[dict[str, int], Fraction]]:
    roles = [r for r, _ in net.nodes]
    out = []
    for vals in product((0, 1), repeat=len(roles)):
        world = dict(zip(roles, vals, strict=True))
        if any(world[r] != v for r, v in do.items()):
            continue
        weight = Fraction(1)
        for role, parents in net.nodes:
            if role in do:
                continue
            p1 = net.cpt[role][tuple(world[q] for q in parents)]
            weight *= p1 if world[role] else 1 - p1
        if weight:
            out.append((world, weight))
    return out


def prob(net: Net, target: dict[str, int], given: dict[str, int] | None = None, do: dict[str, int] | None = None) -> Fraction:
    num = den = Fraction(0)
    for world, weight in worlds(net, do):
        if all(world[k] == v for k, v in (given or {}).items()):
            den += weight
            if all(world[k] == v for k, v in target.items()):
                num += weight
    return num / den


def ate(net: Net) -> Fraction:
    return prob(net, {"Y": 1}, do={"X": 1}) - prob(net, {"Y": 1}, do={"X": 0})


def corr(net: Net) -> Fraction:
    return prob(net, {"Y": 1}, {"X": 1}) - prob(net, {"Y": 1}, {"X": 0})


def marginal(net: Net) -> Fraction:
    return prob(net, {"Y": 1})


def ett(net: Net) -> Fraction:
    """E[Y(1) - Y(0) | X=1]: X's parents screen off Y(0) from X, so E[Y(0)|X=1] = sum_pa P(pa|X=1) P(Y=1|do(X=0), pa)."""
    pa = net.parents("X")
    untreated = Fraction(0)
    for vals in product((0, 1), repeat=len(pa)):
        given = dict(zip(pa, vals, strict=True))
        untreated += prob(net, given, {"X": 1}) * prob(net, {"Y": 1}, given, do={"X": 0})
    return prob(net, {"Y": 1}, {"X": 1}) - untreated


def nde(net: Net) -> Fraction:
    """Mediation formula: sum_m [P(Y=1|X=1,m) - P(Y=1|X=0,m)] P(m|X=0)."""
    total = Fraction(0)
    for m in (0, 1):
        gap = prob(net, {"Y": 1}, {"X": 1, "M": m}) - prob(net, {"Y": 1}, {"X": 0, "M": m})
        total += gap * prob(net, {"M": m}, {"X": 0})
    return total


def nie(net: Net) -> Fraction:
    """Mediation formula: sum_m P(Y=1|X=0,m) [P(m|X=1) - P(m|X=0)]."""
    total = Fraction(0)
    for m in (0, 1):
        shift = prob(net, {"M": m}, {"X": 1}) - prob(net, {"M": m}, {"X": 0})
        total += prob(net, {"Y": 1}, {"X": 0, "M": m}) * shift
    return total


def frontdoor_do(net: Net, x: int) -> Fraction:
    """P(Y=1|do(X=x)) = sum_m P(m|x) sum_x' P(Y=1|x',m) P(x'), from the observational numbers alone."""
    total = Fraction(0)
    for m in (0, 1):
        adjusted = sum((prob(net, {"Y": 1}, {"X": x2, "M": m}) * prob(net, {"X": x2}) for x2 in (0, 1)), Fraction(0))
        total += prob(net, {"M": m}, {"X": x}) * adjusted
    return total


def frontdoor_ate(net: Net) -> Fraction:
    return frontdoor_do(net, 1) - frontdoor_do(net, 0)


def cond_corr(net: Net) -> Fraction:
    return prob(net, {"Y": 1}, {"X": 1, "C": 1}) - prob(net, {"Y": 1}, {"X": 0, "C": 1})


def quantity(structure: str, kind: str, net: Net) -> Fraction | None:
    """The number a question of this kind is about; None where it is not identifiable from the story."""
    base = kind.removesuffix("_value")
    if base == "ate":
        return None if structure == "unobs" else frontdoor_ate(net) if structure == "frontdoor" else ate(net)
    if base == "ett":
        return None if structure in ("unobs", "frontdoor") else ett(net)
    table: dict[str, Callable[[Net], Fraction]] = {"corr": corr, "marg": marginal, "nde": nde, "nie": nie,
                                                    "cond_corr": cond_corr}
    return table[base](net)


def all_truths(structure: str, net: Net) -> dict[str, float]:
    kinds = {"ate", "corr", "marg", "ett"} | ({"nde", "nie"} if "M" in net.cpt and structure != "frontdoor" else set())
    if structure == "collider":
        kinds = {"ate", "corr", "cond_corr"}
    out = {}
    for kind in sorted(kinds):
        q = quantity(structure, kind, net)
        if q is not None:
            out[kind] = round(float(q), 6)
    return out


FORMULAS = {
    "ate": "ATE = P(Y=1|do(X=1)) - P(Y=1|do(X=0)) by truncated factorization",
    "frontdoor": "front-door: P(Y=1|do(x)) = sum_m P(m|x) sum_x' P(Y=1|x',m) P(x')",
    "corr": "P(Y=1|X=1) - P(Y=1|X=0)",
    "marg": "P(Y=1) = sum over the stated factorization",
    "ett": "ETT = P(Y=1|X=1) - sum_pa P(pa|X=1) P(Y=1|do(X=0),pa)",
    "nde": "NDE = sum_m [P(Y=1|X=1,m) - P(Y=1|X=0,m)] P(m|X=0)",
    "nie": "NIE = sum_m P(Y=1|X=0,m) [P(m|X=1) - P(m|X=0)]",
    "cond_corr": "P(Y=1|X=1,C=1) - P(Y=1|X=0,C=1) (selection on the collider C)",
}


def formula(structure: str, kind: str) -> str:
    base = kind.removesuffix("_value")
    if base == "ate" and structure == "frontdoor":
        return FORMULAS["frontdoor"]
    if structure == "collider" and base == "ate":
        return "X and Y are independent causes of C: the effect of X on Y is 0"
    return FORMULAS[base]


# ---------------------------------------------------------------------------------------------------- parameters


def draw_percent(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.4:
        return rng.randrange(10, 91, 10)
    if r < 0.6:
        return rng.randrange(5, 96, 5)
    return rng.randint(3, 97)


def draw_params(rng: random.Random, spec: Spec, joint_view: bool) -> dict[str, int]:
    params: dict[str, int] = {}
    for role, parents in spec.nodes:
        for vals in product((0, 1), repeat=len(parents)):
            params[param_key(role, tuple(zip(parents, vals, strict=True)))] = draw_percent(rng)
    if joint_view:
        px = rng.randint(10, 90)
        params = {"P(X=1)": px, joint_key(1): rng.randint(2, px - 2), joint_key(0): rng.randint(2, 98 - px)}
    return params


def acceptable(structure: str, kind: str, net: Net, simpson: bool) -> bool:
    q = quantity(structure, kind, net)
    if q is None:
        return abs(corr(net)) >= 2 * MIN_EFFECT
    if simpson:
        a, c = ate(net), corr(net)
        if min(abs(a), abs(c)) < MIN_EFFECT or (a > 0) == (c > 0):
            return False
    return kind == "marg" or (structure, kind) in STRUCTURAL_ZERO or abs(q) >= MIN_EFFECT


def choose_params(rng: random.Random, structure: str, kind: str, joint_view: bool) -> dict[str, int]:
    spec = SPECS[structure]
    simpson = structure == "confounder" and kind in ("ate", "ate_value", "corr", "corr_value", "ett") \
        and rng.random() < SIMPSON_RATE
    params = draw_params(rng, spec, joint_view)
    for attempt in range(TRIES):
        if acceptable(structure, kind, build_net(spec, params), simpson and attempt < TRIES // 2):
            return params
        params = draw_params(rng, spec, joint_view)
    raise RuntimeError(f"no acceptable parameters for {structure}/{kind}")


# ---------------------------------------------------------------------------------------------------- answers


def expected(fam: Family, q: Fraction | None) -> tuple[str | None, dict[str, float]]:
    """The expected answer of a question family about quantity q, and the value fields of the row."""
    if q is None:
        return "not_identifiable", {}
    if fam.answer == "value":
        return None, {"value": round(float(q), 6)}
    if fam.sign == 0:
        yes = q != 0
    else:
        yes = fam.sign * fam.treat * fam.outcome * q > 0
    return ("yes" if yes else "no"), {"value_abs": round(float(abs(q)), 6)}


def answer_key(fam: Family, q: Fraction | None) -> str | float | None:
    """What grading compares: the yes/no of a yes/no question, the number of a number question."""
    expect, values = expected(fam, q)
    return values.get("value") if fam.answer == "value" and expect is None else expect


def ask_candidates(structure: str, kind: str, fam: Family, params: dict[str, int]) -> list[str]:
    """Stated numbers whose absence leaves the answer open: some value in GRID changes it."""
    spec = SPECS[structure]
    answer = answer_key(fam, quantity(structure, kind, build_net(spec, params)))
    out = []
    for key in params:
        for v in GRID:
            other = answer_key(fam, quantity(structure, kind, build_net(spec, {**params, key: v})))
            if other != answer:
                out.append(key)
                break
    return out


# ---------------------------------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Fact:
    """A stated probability: P(target=1 | cond), or P(X=x, Y=1) when ``joint``, in whole percent."""

    target: str
    cond: Cond
    p: int
    joint: bool = False


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def dec(p: int) -> str:
    return f"{p / 100:.2f}".rstrip("0")


def event(theme: Theme, role: str, value: int) -> str:
    var = theme.var(role)
    return var.event if value else var.neg_event


def group(theme: Theme, cond: Cond) -> str | None:
    if not cond:
        return None
    (role, value), rest = cond[0], cond[1:]
    head = theme.var(role).pos if value else theme.var(role).neg
    return f"{head} {theme.who} {' and '.join(event(theme, r, v) for r, v in rest)}" if rest else head


def notation(theme: Theme, target: str, cond: Cond, value: int = 1) -> str:
    inner = ", ".join(f"{theme.var(r).symbol}={v}" for r, v in cond)
    return f"P({theme.var(target).symbol}={value} | {inner})" if cond else f"P({theme.var(target).symbol}={value})"


def prob_context(theme: Theme, fact: Fact) -> dict[str, Any]:
    grp = group(theme, fact.cond)
    var = theme.var(fact.target)
    return {"grp": grp or theme.unit, "grp_all": grp or f"all {theme.unit}", "event": var.event, "inf": var.inf,
            "noun": var.prob_noun, "p": fact.p, "d": dec(fact.p), "frac": FRAC_OF.get(fact.p, ""),
            "frac_bare": FRAC_BARE.get(fact.p, ""), "note": notation(theme, fact.target, fact.cond), "who": theme.who}


def prob_flags(fact: Fact) -> set[str]:
    return ({"cond"} if fact.cond else set()) | ({"round"} if fact.p in FRAC_OF else set())


def pair_context(theme: Theme, f1: Fact, f0: Fact) -> dict[str, Any]:
    prefix, (last, _) = f1.cond[:-1], f1.cond[-1]
    return {"base": group(theme, prefix) or theme.unit, "g1": group(theme, f1.cond), "g0": group(theme, f0.cond),
            "last_event": event(theme, last, 1), "last_neg_event": event(theme, last, 0),
            "event": theme.var(f1.target).event, "p1": f1.p, "p0": f0.p, "d1": dec(f1.p), "d0": dec(f0.p),
            "note1": notation(theme, f1.target, f1.cond), "note0": notation(theme, f0.target, f0.cond), "who": theme.who}


def joint_context(theme: Theme, fact: Fact) -> dict[str, Any]:
    x = fact.cond[0][1]
    return {"unit": theme.unit, "a": event(theme, "X", x), "b": theme.y.event, "p": fact.p, "d": dec(fact.p),
            "note": f"P({theme.x.symbol}={x}, {theme.y.symbol}=1)", "who": theme.who}


def question_context(theme: Theme, rng: random.Random) -> dict[str, Any]:
    x, y = theme.x, theme.y
    return {"x": x.noun, "X": x.symbol, "y": y.prob_noun, "Y": y.symbol, "unit": theme.unit, "x_event": x.event,
            "y_event": y.event, "y_neg_event": y.neg_event, "y_inf": y.inf, "y_neg_inf": y.neg_inf, "x_pos": x.pos,
            "x_neg": x.neg, "x_pp": x.pp, "off": rng.choice(x.off), "m": theme.m.noun, "M": theme.m.symbol,
            "c_pos": theme.c.pos, "C": theme.c.symbol, "who": theme.who}


@dataclass
class Story:
    """Sentences under construction, with the ids of the families used."""

    rng: random.Random
    split: str
    sentences: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)

    def pick(self, part: str, flags: set[str] | None = None, slot: str | None = None,
             keep: Callable[[Family], bool] | None = None) -> Family:
        pool = [f for f in families(part, self.split) if set(f.needs) <= (flags or set())
                and (slot is None or f.slot == slot) and (keep is None or keep(f))]
        if not pool:
            raise LookupError(f"no {part} family in {self.split} for slot={slot} flags={flags}")
        return self.rng.choice(pool)

    def say(self, fam: Family, ctx: dict[str, Any]) -> str:
        self.used.append(fam.id)
        return cap(fam.text.format(**ctx))


def graph_items(rng: random.Random, spec: Spec) -> list[tuple[str, tuple[str, ...]]]:
    """Groups the edges into sentence shapes: single edges, fan-out, fan-in, and the path X -> M -> Y."""
    edges = list(spec.edges)
    items: list[tuple[str, tuple[str, ...]]] = []
    if ("X", "M") in edges and ("M", "Y") in edges and rng.random() < 0.4:
        only = ("X", "Y") not in edges and rng.random() < 0.6
        items.append(("only" if only else "path", ("X", "M", "Y")))
        edges = [e for e in edges if e not in (("X", "M"), ("M", "Y"))]
    for shape in rng.sample(["fanin", "fanout"], 2):
        if rng.random() < 0.5:
            continue
        pos = 1 if shape == "fanin" else 0
        counts = Counter(e[pos] for e in edges)
        hubs = sorted(n for n, k in counts.items() if k >= 2)
        if hubs:
            hub = rng.choice(hubs)
            mine = [e for e in edges if e[pos] == hub][:2]
            others = tuple(e[1 - pos] for e in mine)
            items.append((shape, (*others, hub) if shape == "fanin" else (hub, *others)))
            edges = [e for e in edges if e not in mine]
    items += [("single", e) for e in edges]
    return items


def graph_sentence(story: Story, theme: Theme, shape: str, roles: tuple[str, ...]) -> str:
    nouns = [theme.var(r).noun for r in roles]
    syms = [theme.var(r).symbol for r in roles]
    ctx: dict[str, Any] = {
        "single": {"a": nouns[0], "b": nouns[1], "A": syms[0], "B": syms[1]},
        "fanout": {"a": nouns[0], "b1": nouns[1], "b2": nouns[2] if len(nouns) > 2 else ""},
        "fanin": {"a1": nouns[0], "a2": nouns[1], "b": nouns[-1]},
    }.get(shape, {"a": nouns[0], "b": nouns[1], "c": nouns[-1]})
    return story.say(story.pick("graph", slot=shape), ctx)


def facts_of(spec: Spec, params: dict[str, int]) -> list[Fact]:
    if joint_key(1) in params:
        return [Fact("X", (), params["P(X=1)"]), Fact("Y", (("X", 1),), params[joint_key(1)], joint=True),
                Fact("Y", (("X", 0),), params[joint_key(0)], joint=True)]
    out = []
    for role, parents in spec.nodes:
        for vals in product((1, 0), repeat=len(parents)):
            cond = tuple(zip(parents, vals, strict=True))
            out.append(Fact(role, cond, params[param_key(role, cond)]))
    return out


def fact_sentences(story: Story, theme: Theme, facts: list[Fact]) -> list[str]:
    """One sentence per fact, or one for a pair differing only in the last condition's value."""
    out, done = [], set()
    index = {(f.target, f.cond, f.joint): f for f in facts}
    for fact in facts:
        if fact in done:
            continue
        if fact.joint:
            out.append(story.say(story.pick("joint", {"x1"} if fact.cond[0][1] else set()), joint_context(theme, fact)))
            done.add(fact)
            continue
        twin = index.get((fact.target, fact.cond[:-1] + ((fact.cond[-1][0], 0),), False)) if fact.cond else None
        if twin is not None and fact.cond[-1][1] == 1 and twin not in done and story.rng.random() < 0.35:
            out.append(story.say(story.pick("pair"), pair_context(theme, fact, twin)))
            done |= {fact, twin}
            continue
        out.append(story.say(story.pick("prob", prob_flags(fact)), prob_context(theme, fact)))
        done.add(fact)
    return out


# ---------------------------------------------------------------------------------------------------- rows


def weighted(rng: random.Random, options: list[tuple[str, int]] | tuple[tuple[str, int], ...]) -> str:
    names, weights = zip(*options, strict=True)
    return rng.choices(names, weights=weights)[0]


def model_row(rng: random.Random, split: str, structure: str, implied: bool = False) -> dict[str, Any]:
    """One question on a random model; ``implied``: the story states no arrow and no hidden factor, only the
    numbers, whose conditioning is the graph (kept only for fully observed models of three or more variables)."""
    spec = SPECS[structure]
    kind = weighted(rng, spec.kinds)
    theme = rng.choice(THEMES)
    story = Story(rng, split)
    qfam = story.pick("question", keep=lambda f: f.kind == kind)
    joint_view = structure == "chain" and rng.random() < 0.3
    params = choose_params(rng, structure, kind, joint_view)
    net = build_net(spec, params)
    q = quantity(structure, kind, net)
    missing = None
    if q is not None and not joint_view and rng.random() < ASK_RATE:
        candidates = ask_candidates(structure, kind, qfam, params)
        missing = rng.choice(candidates) if candidates else None

    intro = [story.say(story.pick("intro"), {"unit": theme.unit})] if rng.random() < 0.5 else []
    body = [graph_sentence(story, theme, shape, roles) for shape, roles in graph_items(rng, spec)]
    if spec.hidden:
        body.append(story.say(story.pick("hidden"), {"u": theme.u, "a": theme.x.noun, "b": theme.y.noun}))
    implied = implied and not spec.hidden and not joint_view and len(spec.nodes) >= 3
    if implied:  # drawn as usual (the same random draws), then left out: the numbers alone carry the graph
        body = []
    facts = [f for f in facts_of(spec, params) if missing is None or param_key(f.target, f.cond) != missing]
    body += fact_sentences(story, theme, facts)
    rng.shuffle(body)
    question = story.say(qfam, question_context(theme, rng))

    expect, values = expected(qfam, q)
    why = f"{formula(structure, kind)} = {float(q):.4f}" if q is not None else \
        "an unobserved common cause of X and Y and no front-door path: the effect is not identifiable"
    if expect in ("yes", "no"):
        why += f"; wording sign {qfam.sign:+d}, treatment {qfam.treat:+d}, outcome {qfam.outcome:+d} -> {expect}"
    if missing is not None:
        expect, values = "ask", {}
        why = f"{missing} is needed but not stated (the answer changes with it); " + why
    model = {"theme": theme.name, "unit": theme.unit,
             "variables": {r: theme.var(r).noun for r, _ in spec.nodes},
             "edges": [list(e) for e in spec.edges],
             "hidden": {"name": theme.u, "affects": ["X", "Y"]} if spec.hidden else None,
             "params": {k: v / 100 for k, v in params.items()}, "missing": missing, "joint_view": joint_view,
             "graph_stated": not implied,
             "truths": all_truths(structure, net)}
    return {"question": " ".join(intro + body + [question]), "expect": expect, **values, "kind": kind,
            "structure": structure, "families": list(dict.fromkeys(story.used)), "model": model, "why": why}


RULES: dict[str, Callable[[int, int], int]] = {"and": lambda a, b: a & b, "or": lambda a, b: a | b,
                                               "unless": lambda a, b: a & (1 - b)}
RULE_TEXT = {"and": "Y = A and B", "or": "Y = A or B", "unless": "Y = A and not B"}


def past(var: RuleVar, value: int) -> str:
    return var.past if value else var.past_neg


def join_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class RuleCase:
    actual: dict[str, int]
    observed: tuple[str, ...]
    target: str
    value: int
    outcome: int
    consistent: tuple[tuple[int, int], ...]


def draw_rule_case(rng: random.Random, op: str) -> RuleCase:
    """A world, what is observed of it, and an antecedent whose counterfactual outcome the observation fixes."""
    f = RULES[op]
    while True:
        a, b = rng.randint(0, 1), rng.randint(0, 1)
        actual = {"A": a, "B": b, "Y": f(a, b)}
        observed = tuple(v for v, p in (("A", 0.6), ("B", 0.6), ("Y", 0.85)) if rng.random() < p)
        if not observed:
            continue
        consistent = tuple((a2, b2) for a2, b2 in product((0, 1), repeat=2)
                           if all({"A": a2, "B": b2, "Y": f(a2, b2)}[v] == actual[v] for v in observed))
        target = rng.choice("AB")
        known = {w[0] if target == "A" else w[1] for w in consistent}
        value = 1 - known.pop() if len(known) == 1 else rng.randint(0, 1)
        outcomes = {f(value, b2) if target == "A" else f(a2, value) for a2, b2 in consistent}
        if len(outcomes) == 1:
            return RuleCase(actual, observed, target, value, outcomes.pop(), consistent)


def rule_row(rng: random.Random, split: str) -> dict[str, Any]:
    theme: RuleTheme = rng.choice(RULE_THEMES)
    op = rng.choice(theme.ops)
    story = Story(rng, split)
    case = draw_rule_case(rng, op)
    a, b, y = theme.a, theme.b, theme.y
    rule_ctx = {"A": a.pres, "A_neg": a.pres_neg, "B": b.pres, "B_neg": b.pres_neg, "Y": y.pres, "Y_neg": y.pres_neg,
                "op": op}
    body = [story.say(story.pick("rule", keep=lambda f: op in f.ops), rule_ctx)]
    clauses = [past({"A": a, "B": b, "Y": y}[v], case.actual[v]) for v in case.observed]
    rng.shuffle(clauses)
    body.append(story.say(story.pick("observation"), {"facts": join_and(clauses)}))
    rng.shuffle(body)
    flags = {"pp_neg"} if y.pp_neg else set()
    if "Y" in case.observed:
        flags.add(f"y_was_{case.actual['Y']}")
    qfam = story.pick("cf_question", flags)
    ant = a if case.target == "A" else b
    question = story.say(qfam, {"a_subj": ant.subj, "a_not": "" if case.value else " not", "a_pp": ant.pp,
                                "y_subj": y.subj, "y_pp": y.pp, "y_pp_neg": y.pp_neg})
    expect = "yes" if (case.outcome == 1) == (qfam.outcome == 1) else "no"
    why = (f"{RULE_TEXT[op]}; observed {', '.join(f'{v}={case.actual[v]}' for v in case.observed)}; worlds (A,B) "
           f"consistent: {list(case.consistent)}; do({case.target}={case.value}) gives Y={case.outcome} in each; "
           f"the question asks Y={1 if qfam.outcome == 1 else 0} -> {expect}")
    model = {"theme": theme.name, "rule": RULE_TEXT[op], "variables": {"A": a.pres, "B": b.pres, "Y": y.pres},
             "observed": {v: case.actual[v] for v in case.observed}, "consistent_worlds": [list(w) for w in case.consistent],
             "intervention": {case.target: case.value}, "counterfactual_Y": case.outcome}
    return {"question": " ".join(body + [question]), "expect": expect, "kind": "det_cf", "structure": f"rule_{op}",
            "families": list(dict.fromkeys(story.used)), "model": model, "why": why}


def example_text(fam: Family) -> str:
    """A family rendered on fixed material: the first theme (or the first rule theme with the family's operator)."""
    theme, story = THEMES[0], Story(random.Random(0), "tune")
    if fam.part == "graph":
        roles = {"single": ("X", "Y"), "fanout": ("X", "M", "Y"), "fanin": ("X", "Z", "Y")}.get(fam.slot, ("X", "M", "Y"))
        nouns, syms = [theme.var(r).noun for r in roles], [theme.var(r).symbol for r in roles]
        ctx = {"a": nouns[0], "b": nouns[1], "c": nouns[-1], "A": syms[0], "B": syms[1], "b1": nouns[1], "b2": nouns[-1],
               "a1": nouns[0], "a2": nouns[1]}
        if fam.slot == "fanin":
            ctx["b"] = nouns[-1]
        return story.say(fam, ctx)
    rule_theme = next(t for t in RULE_THEMES if not fam.ops or fam.ops[0] in t.ops)
    a, b, y = rule_theme.a, rule_theme.b, rule_theme.y
    ctx = {
        "intro": {"unit": theme.unit},
        "hidden": {"u": theme.u, "a": theme.x.noun, "b": theme.y.noun},
        "prob": prob_context(theme, Fact("Y", (("X", 1), ("Z", 0)), 25)),
        "pair": pair_context(theme, Fact("Y", (("X", 1), ("Z", 1)), 40), Fact("Y", (("X", 1), ("Z", 0)), 20)),
        "joint": joint_context(theme, Fact("Y", (("X", 1),), 12, joint=True)),
        "question": {**question_context(theme, random.Random(0)), "off": theme.x.off[0]},
        "rule": {"A": a.pres, "A_neg": a.pres_neg, "B": b.pres, "B_neg": b.pres_neg, "Y": y.pres, "Y_neg": y.pres_neg,
                 "op": fam.ops[0] if fam.ops else ""},
        "observation": {"facts": join_and([a.past, b.past_neg, y.past])},
        "cf_question": {"a_subj": a.subj, "a_not": " not", "a_pp": a.pp, "y_subj": y.subj, "y_pp": y.pp,
                        "y_pp_neg": y.pp_neg},
    }[fam.part]
    return story.say(fam, ctx)


def make_row(split: str, seed: int, index: int) -> dict[str, Any]:
    if split not in ("tune", "heldout"):
        raise ValueError(f"split must be tune or heldout, not {split!r}")
    rng = random.Random(f"{split}:{seed}:{index}")
    structure = weighted(rng, list(STRUCTURE_WEIGHTS.items()))
    # a separate stream, so that the rows of every earlier seed stay as they were
    implied = random.Random(f"implied:{split}:{seed}:{index}").random() < IMPLIED_RATE
    row = rule_row(rng, split) if structure == "rules" else model_row(rng, split, structure, implied)
    return {"id": f"{split}-{seed}-{index:05d}", **row}


def generate(split: str, n: int, seed: int = 0) -> list[dict[str, Any]]:
    return [make_row(split, seed, i) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "heldout"), required=True)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = generate(args.split, args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    expects = Counter(str(r["expect"]) for r in rows)
    structures = Counter(r["structure"] for r in rows)
    print(f"{len(rows)} rows -> {args.out}; expect {dict(expects)}; structures {dict(structures)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
