"""Sentence families for the question generator, as data (``evals/data/question_families.json``).

A :class:`Family` is one way to word one part of a story: a ``str.format`` template, an id, the part it
realises and, for questions, the kind of quantity it asks about and the polarity of its wording. Every
family has an example (``EXAMPLES``): its rendering on the first theme, checked by the tests.

Parts and their template fields:

* ``intro``: ``{unit}``.
* ``graph``: one edge ``{a} {b}`` (nouns) / ``{A} {B}`` (notation names), shape ``single``; one source
  and two targets ``{a} {b1} {b2}`` (shape ``fanout``); two sources and one target ``{a1} {a2} {b}``
  (``fanin``); a path ``{a} {b} {c}`` (``path``, or ``only`` when it says there is no other route).
* ``hidden``: an unobserved common cause ``{u}`` of ``{a}`` and ``{b}``.
* ``prob``: one probability, ``P(target=1 | group)``: ``{grp}`` (the group, or the unit for a root),
  ``{grp_all}`` ("all people" for a root), ``{event}`` (``{inf}`` its infinitive), ``{noun}``, ``{p}`` (whole percent), ``{d}``
  (decimal), ``{frac}``/``{frac_bare}`` (words, only for round values), ``{note}`` ("P(Y=1 | X=1)").
* ``pair``: two probabilities that differ in the value of the group's last condition: ``{base}``,
  ``{g1}``/``{g0}``, ``{last_event}``, ``{last_neg_event}``, ``{event}``, ``{p1}``/``{p0}``, ``{d1}``/``{d0}``,
  ``{note1}``/``{note0}``.
* ``joint``: ``P(X=x, Y=1)``: ``{unit}``, ``{a}`` (the treatment's event or its negation), ``{b}``, ``{p}``,
  ``{d}``, ``{note}``.
* ``question``: ``{x}`` ``{X}`` ``{y}`` ``{Y}`` ``{unit}`` ``{x_event}`` ``{y_event}`` ``{y_inf}`` ``{y_neg_inf}``
  ``{x_pos}`` ``{x_neg}`` ``{x_pp}`` ``{off}`` ``{m}`` ``{M}`` ``{c_pos}`` ``{C}``.
* ``rule``: clauses ``{A}`` ``{A_neg}`` ``{B}`` ``{B_neg}`` ``{Y}`` ``{Y_neg}`` and ``{op}`` ("and"/"or").
* ``observation``: ``{facts}`` (past-tense clauses joined with "and").
* ``cf_question``: ``{a_subj}`` ``{a_not}`` (" not" or "") ``{a_pp}`` ``{y_subj}`` ``{y_pp}`` ``{y_pp_neg}``.

Question polarity: the expected answer is "yes" when ``sign * treat * outcome * quantity > 0``
(``sign`` +1 for increase/raise/help/more, -1 for lower/reduce/prevent/less; ``treat`` -1 when the
wording sets the treatment off: quitting, banning, "had they not"; ``outcome`` -1 for a negated outcome
such as "stay cancer-free"); ``sign`` 0 asks whether there is any effect at all.

The ``tune``/``heldout`` split is fixed by the ids: within each (part, slot) the families are ordered
by the SHA-256 of their id and dealt alternately, starting from a side fixed by the slot's own hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Family:
    id: str
    part: str
    text: str
    slot: str = "any"
    kind: str = ""
    sign: int = 1
    treat: int = 1
    outcome: int = 1
    needs: tuple[str, ...] = ()
    answer: str = "yesno"  # "yesno" or "value" (questions)
    ops: tuple[str, ...] = ()  # rules: the boolean operators the wording can express

    @property
    def example(self) -> str:
        return EXAMPLES[self.id]


_DATA: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "question_families.json").read_text(encoding="utf-8"))
FAMILIES: tuple[Family, ...] = tuple(
    Family(**{**row, "needs": tuple(row.get("needs", ())), "ops": tuple(row.get("ops", ()))}) for row in _DATA["families"])
BY_ID: dict[str, Family] = {f.id: f for f in FAMILIES}
PARTS: tuple[str, ...] = ("intro", "graph", "hidden", "prob", "pair", "joint", "question", "rule", "observation",
                          "cf_question")
SPLITS: tuple[str, ...] = ("tune", "heldout")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _compute_split() -> dict[str, str]:
    groups: dict[tuple[str, str], list[Family]] = defaultdict(list)
    for fam in FAMILIES:
        groups[(fam.part, fam.slot)].append(fam)
    out: dict[str, str] = {}
    for (part, slot), fams in groups.items():
        start = int(_digest(f"{part}/{slot}"), 16) % 2
        for i, fam in enumerate(sorted(fams, key=lambda f: _digest(f.id))):
            out[fam.id] = SPLITS[(i + start) % 2]
    return out


SPLIT: dict[str, str] = _compute_split()


def families(part: str, split: str | None = None) -> list[Family]:
    """The families of one part, all or those of one split, in a fixed order."""
    return [f for f in FAMILIES if f.part == part and (split is None or SPLIT[f.id] == split)]


EXAMPLES: dict[str, str] = _DATA["examples"]
