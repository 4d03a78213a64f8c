"""Corr2Cause problems rewritten in plain words, with everyday variable names instead of letters.

The phrasing families are data (``evals/data/corr2cause_phrasings.toml``); each is ``tune`` or ``heldout``,
fixed by the SHA-256 of its id (within a slot: ordered by hash, dealt alternately from a side fixed by the
slot's hash, as in :mod:`evals.question_families`).  The plain-word reader was tuned on problems rendered
with the tune families only; the held-out families are the headline.

A formal problem (Corr2Cause++ "Z indep Y | X" or Corr2Cause "A correlates with C") is read with the formal
reader, its letters are replaced by names, and every sentence is rendered with a family drawn (seeded by
the record) from the requested split:

* a header naming the variables, an optional closing sentence (completeness / assumptions);
* every stated independence (marginal: ``ind``; conditional: ``cind``), and — in about half of the
  problems — the marginal dependences the closed world implies (``dep``), some of them merged with a
  conditional independence of the same pair into one sentence (``dep_cind``);
* the hypothesis: a clause family inside a frame (``ask``) or a direct question (``q_*``).

The label is unchanged: the rewriting keeps every statement and the hypothesis's meaning.
"""

from __future__ import annotations

import hashlib
import random
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmcgm.discovery.independence_statements import Hypothesis, Premises, read_problem

FAMILIES_FILE = Path(__file__).parent / "data" / "corr2cause_phrasings.toml"
SPLITS = ("tune", "heldout")

NAMES = ("exercise", "diet", "body weight", "sleep", "stress", "blood pressure", "income", "education", "age",
         "smoking", "coffee intake", "rainfall", "crop yield", "temperature", "ice cream sales", "screen time",
         "mood", "heart rate", "commute time", "salary", "job satisfaction", "air pollution", "asthma",
         "vitamin D level", "sunlight", "traffic", "noise level", "test scores", "study hours", "class size")

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


@dataclass(frozen=True)
class Family:
    id: str
    slot: str
    templates: tuple[str, ...]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_families(path: Path = FAMILIES_FILE) -> tuple[Family, ...]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = tuple(Family(f["id"], f["slot"], tuple(f["templates"])) for f in raw["family"])
    if len({f.id for f in out}) != len(out):
        raise ValueError(f"{path}: a family id is used twice")
    return out


def split_of(families: tuple[Family, ...]) -> dict[str, str]:
    groups: dict[str, list[Family]] = defaultdict(list)
    for fam in families:
        groups[fam.slot].append(fam)
    out: dict[str, str] = {}
    for slot, fams in groups.items():
        start = int(_digest(slot), 16) % 2
        for i, fam in enumerate(sorted(fams, key=lambda f: _digest(f.id))):
            out[fam.id] = SPLITS[(i + start) % 2]
    return out


FAMILIES = load_families()
SPLIT = split_of(FAMILIES)


def families(slot: str, split: str | None = None) -> list[Family]:
    return [f for f in FAMILIES if f.slot == slot and (split in (None, "all") or SPLIT[f.id] == split)]


def _listing(items: list[str], oxford: bool = True) -> str:
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ("," if oxford else "") + f" and {items[-1]}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Paraphrase:
    text: str
    names: dict[str, str]  # letter -> name
    families: tuple[str, ...]  # the family ids used, in order


def paraphrase(premises: Premises, hypothesis: Hypothesis, split: str = "all", seed: int | str = 0,
               dependences: bool | None = None) -> Paraphrase:
    """The problem in plain words, every sentence from a family of ``split`` ("tune", "heldout" or "all")."""
    rng = random.Random(f"{seed}")
    names = rng.sample(NAMES, len(premises.variables))
    name = dict(zip(premises.variables, names, strict=True))
    used: list[str] = []

    def render(slot: str, **fields: str) -> str:
        fams = families(slot, split)
        if not fams:
            raise ValueError(f"no family for slot {slot} in split {split}")
        fam = rng.choice(fams)
        used.append(fam.id)
        return rng.choice(fam.templates).format(**fields)

    order = list(premises.variables)
    listed = [name[v] for v in order]
    n = len(listed)
    parts = [_sentence(render("header", n=str(n), n_word=NUMBER_WORDS.get(n, str(n)), names=_listing(listed),
                              names_plain=_listing(listed, oxford=False)))]
    if rng.random() < 0.5:
        parts.append(_sentence(render("closure")))
    statements: list[str] = []
    marginal = {frozenset((s.x, s.y)) for s in premises.independences if not s.given}
    with_deps = rng.random() < 0.5 if dependences is None else dependences
    merged: set[int] = set()
    if with_deps:
        pairs = [frozenset(p) for p in _pairs(order)]
        dependent = [p for p in pairs if p not in marginal]
        for p in dependent:
            a, b = sorted(p, key=order.index)
            x, y = (a, b) if rng.random() < 0.5 else (b, a)
            cond = [i for i, s in enumerate(premises.independences)
                    if frozenset((s.x, s.y)) == p and s.given and i not in merged]
            if cond and rng.random() < 0.5:
                i = rng.choice(cond)
                merged.add(i)
                z = _listing([name[v] for v in sorted(premises.independences[i].given, key=order.index)], oxford=False)
                statements.append(_sentence(render("dep_cind", x=name[x], y=name[y], z=z)))
            else:
                statements.append(_sentence(render("dep", x=name[x], y=name[y])))
    for i, s in enumerate(premises.independences):
        if i in merged:
            continue
        x, y = (s.x, s.y) if rng.random() < 0.5 else (s.y, s.x)
        if s.given:
            z = _listing([name[v] for v in sorted(s.given, key=order.index)], oxford=rng.random() < 0.5)
            statements.append(_sentence(render("cind", x=name[x], y=name[y], z=z)))
        else:
            statements.append(_sentence(render("ind", x=name[x], y=name[y])))
    rng.shuffle(statements)
    parts.extend(statements)
    hx, hy = name[hypothesis.x], name[hypothesis.y]
    if hypothesis.kind in ("collider", "confounder") and rng.random() < 0.5:
        hx, hy = hy, hx  # symmetric relations
    if rng.random() < 0.5:
        parts.append(_sentence(render(f"q_{hypothesis.kind}", x=hx, y=hy)))
    else:
        clause = render(f"hyp_{hypothesis.kind}", x=hx, y=hy)
        parts.append(_sentence(render("ask", h=clause)))
    return Paraphrase(" ".join(parts), name, tuple(used))


def _pairs(order: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(order) for b in order[i + 1:]]


def paraphrase_record(rec: dict[str, Any], split: str = "all", seed: int | str = 0) -> Paraphrase:
    """A record of the Corr2Cause eval (``problem`` holds the formal text) in plain words."""
    p = read_problem(rec["problem"])
    return paraphrase(p.premises, p.hypothesis, split, seed=f"{seed}/{rec.get('index', 0)}")


def main() -> None:  # pragma: no cover - a look at the families and their split
    for slot in sorted({f.slot for f in FAMILIES}):
        for f in families(slot):
            print(f"{SPLIT[f.id]:8} {slot:15} {f.id:28} {f.templates[0]}")


if __name__ == "__main__":  # pragma: no cover
    main()
