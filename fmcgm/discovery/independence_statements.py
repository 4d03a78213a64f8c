"""A strict reader for stated (in)dependences and a causal hypothesis — the Corr2Cause premise language.

Two published spellings of the same thing are read, sentence for sentence:

* Corr2Cause++ (Englberger et al.): "Suppose there is a closed system of 3 variables, X, Z, and Y, whose
  causal structure forms a directed acyclic graph and satisfies faithfulness. All the conditional
  independence relations are: Z indep Y | X."
* Corr2Cause (Jin et al., ICLR 2024): "Suppose there is a closed system of 3 variables, A, B and C. All the
  statistical relations among these 3 variables are as follows: A correlates with C. B correlates with C.
  However, A is independent of B."

and the hypotheses of both (the six relation types Parent, Child, Ancestor, Descendant, Has-Collider,
Has-Confounder, each in its original, paraphrased and ++ wording), plus a few plain forms ("A and C have a
common cause", "There is a collider of A and B", "A influences C through a mediator").

Why a grammar: the premise language is small and regular but has lists inside lists (statements separated
by ";" whose conditioning sets are separated by "," and "and"), and a LALR parser (lark) either reads a
statement completely or rejects it at a known position.  A rejection is a :class:`StatementError` that
quotes the statement it could not read — never a guess.  What the reader returns is typed:
:class:`Independence` / :class:`Dependence` facts, a :class:`Hypothesis`, and the :class:`Premises` they
belong to.  What the facts imply is :mod:`fmcgm.discovery.equivalence_class`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from fmcgm.errors import InconsistentInputError, ParseError

RESERVED = ("All", "However", "Suppose", "There", "Some", "Premise", "Hypothesis", "Is", "Does", "Can",
            "and", "indep", "given", "is", "are")

GRAMMAR = r"""
problem: PREMISE_LABEL? premises hyp_part
premises_only: PREMISE_LABEL? premises
hypothesis_only: HYPOTHESIS_LABEL? hyp_body END?

hyp_part: HYPOTHESIS_LABEL hyp_body END?                 -> labelled
        | question hyp_body "?"                          -> asked
question: "Is" "it" ("implied" | "true") "that"
        | "Does" "it" "follow" "that"
        | "Can" "we" "conclude" "that"

premises: header? closure? sentence* last_sentence?
header: "Suppose" "there" "is" "a" "closed" "system" "of" INT "variables" "," names WHOSE? "."
closure: "All" "the" "conditional" "independence" "relations" "are" ":" clauses? "."            -> ci_closure
       | "All" "the" "statistical" "relations" "among" "these" INT "variables" "are" "as" "follows" ":" -> stat_closure
sentence: HOWEVER? clauses "."
last_sentence: HOWEVER? clauses                          -> sentence
clauses: clause (";" clause)*

?clause: formal_ci | prose_ci | prose_dep
formal_ci: NAME INDEP NAME ("|" names)?
prose_ci: NAME "is" "independent" "of" NAME given?
        | NAME "and" NAME "are" "independent" given?
prose_dep: NAME "correlates" "with" NAME given?
         | NAME "is" ("correlated" "with" | "dependent" "on") NAME given?
         | NAME "and" NAME "are" ("correlated" | "dependent") given?
given: "given" names
names: NAME (SEP NAME)*
SEP: /,\s*and\b/ | "," | /and\b/

?hyp_body: parent_h | child_h | ancestor_h | collider_h | confounder_h
parent_h: NAME "directly" ("causes" | "affects") NAME
        | NAME "has" "a" "direct" "causal"? "effect" "on" NAME
        | NAME "is" "a" "direct" "cause" "of" NAME
        | NAME "is" "a" "parent" "of" NAME
child_h: NAME "is" "directly" ("affected" | "caused") "by" NAME
       | NAME "is" "a" "child" "of" NAME
ancestor_h: NAME "causes" "something" "else" "which" "causes" NAME
          | NAME "is" "a" "cause" "for" NAME "," "but" "not" "a" "direct" "one"
          | NAME "is" "an" "indirect" "cause" "of" NAME
          | NAME ("influences" | "affects" | "causes") NAME "through" mediators not_directly?
mediators: "some" ("mediator(s)" | "mediators") | "a" "mediator" | "mediators" | "one" "or" "more" "mediators"
not_directly: ","? "but" "not" "directly"
collider_h: "There" ("exists" | "is") quantity? "collider" collider_gloss? "of" NAME "and" NAME
          | NAME "and" NAME "together" "cause" "some" "other" ("variable(s)" | "variables" | "variable")
          | NAME "and" NAME ("have" | "share") "a" "common" ("child" | "effect")
collider_gloss: "(" "i.e." ","? "a"? "common" ("child" | "effect") ")"
confounder_h: "There" ("exists" | "is") quantity? "confounder" confounder_gloss? "of" NAME "and" NAME
            | "Some" ("variable(s)" | "variables" | "variable") ("cause(s)" | "causes" | "cause") "both" NAME "and" NAME
            | NAME "and" NAME ("have" | "share") "a" "common" ("parent" | "cause")
confounder_gloss: "(" "i.e." ","? "a"? "common" ("parent" | "cause") ")"
quantity: "at" "least" "one" | "a" | "an"

PREMISE_LABEL: /Premise\s*:/
HYPOTHESIS_LABEL: /Hypothesis\s*:/
WHOSE.2: /,\s*whose\s+causal\s+structure\s+forms\s+a\s+directed\s+acyclic\s+graph\s+and\s+satisfies\s+faithfulness/
HOWEVER: /However\s*,/
INDEP: "indep" | "\u2aeb" | "\u22a5\u22a5" | "\u22a5" | "_||_"
END: "." | "?"
NAME: /(?!(?:__RESERVED__)\b)[A-Za-z][A-Za-z0-9_]*/
%import common.INT
%import common.WS
%ignore WS
""".replace("__RESERVED__", "|".join(RESERVED))

HypothesisKind = Literal["parent", "ancestor", "collider", "confounder"]


class StatementError(ParseError):
    """A statement the reader cannot read, or one that contradicts the rest; it quotes the statement."""

    def __init__(self, sentence: str, problem: str, hint: str = "") -> None:
        super().__init__(f"cannot read the statement \u201c{sentence}\u201d: {problem}",
                         hint or "write statements like 'A indep B | C', 'A is independent of B given C and D' or "
                                 "'A correlates with B', separated by ';' or '.'")
        self.sentence = sentence


@dataclass(frozen=True)
class _Relation:
    """A stated relation of the pair x, y given ``given``, with the sentence it came from."""

    x: str
    y: str
    given: frozenset[str]
    sentence: str

    @property
    def key(self) -> tuple[frozenset[str], frozenset[str]]:
        return frozenset((self.x, self.y)), self.given


@dataclass(frozen=True)
class Independence(_Relation):
    """x ⫫ y | given, as stated in ``sentence``."""

    def formal(self) -> str:
        return f"{self.x} \u2aeb {self.y}" + (f" | {', '.join(sorted(self.given))}" if self.given else "")


@dataclass(frozen=True)
class Dependence(_Relation):
    """x and y are dependent given ``given`` ("x correlates with y": given nothing)."""


@dataclass(frozen=True)
class Hypothesis:
    """A causal claim about two variables, true or false in each DAG (``x`` and ``y`` in the claim's order)."""

    kind: HypothesisKind
    x: str
    y: str
    sentence: str

    def formal(self) -> str:
        return {"parent": f"{self.x} \u2192 {self.y} (a direct edge)",
                "ancestor": f"{self.x} is an ancestor of {self.y} but not a parent (a directed path through "
                            "at least one mediator, and no direct edge)",
                "collider": f"some K with {self.x} \u2192 K \u2190 {self.y} (a common child)",
                "confounder": f"some K with {self.x} \u2190 K \u2192 {self.y} (a common parent)"}[self.kind]


@dataclass(frozen=True)
class Premises:
    variables: tuple[str, ...]
    independences: tuple[Independence, ...]
    dependences: tuple[Dependence, ...]
    declared: bool  # the header named the variables
    complete: bool  # "All the ... relations are": the list is said to be complete
    faithfulness_stated: bool


@dataclass(frozen=True)
class Problem:
    premises: Premises
    hypothesis: Hypothesis
    premises_text: str = ""  # the words the premises were read from (for a tool call that carries them apart)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", start=["problem", "premises_only", "hypothesis_only"],
                propagate_positions=True, maybe_placeholders=False)


_BOUNDARY = re.compile(r"(?<=[.;:?])(?:\s+|$)|\n\s*\n")


def statement_at(text: str, pos: int) -> str:
    """The statement (between '.', ';', ':' or '?' followed by space) that contains position ``pos``."""
    pos = max(0, min(pos, len(text.rstrip()) - 1))
    start, end = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return " ".join(text[start:end].split()).rstrip(".;:")


def _unreadable(text: str, e: UnexpectedInput) -> StatementError:
    if isinstance(e, UnexpectedEOF) or (isinstance(e, UnexpectedToken) and e.token.type == "$END"):
        stripped = text.rstrip()
        where = statement_at(text, len(stripped) - 1) if stripped else ""
        return StatementError(where or stripped, "the text ends before the statement is complete")
    pos = e.pos_in_stream if e.pos_in_stream is not None else 0
    found = text[pos:pos + 20].split()[0] if text[pos:pos + 20].split() else text[pos:pos + 1]
    if isinstance(e, UnexpectedCharacters):
        what = f"unexpected character(s) at \u201c{found}\u201d"
    else:
        what = f"unexpected \u201c{found}\u201d"
    return StatementError(statement_at(text, pos) or found, what)


def _span(text: str, meta: Any) -> str:
    return " ".join(text[meta.start_pos:meta.end_pos].split())


class _Build(Transformer):
    """Parse tree → typed statements; every statement keeps the words it was read from."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def names(self, items: list[Token]) -> list[str]:
        return [str(t) for t in items if t.type == "NAME"]

    def given(self, items: list[list[str]]) -> list[str]:
        return items[0]

    def _pair(self, meta: Any, items: list[Any], cls: type) -> Any:
        a, b = str(items[0]), str(items[1])
        rest = [i for i in items[2:] if isinstance(i, list)]
        cond = rest[0] if rest else []
        sentence = _span(self.text, meta)
        if a == b:
            raise StatementError(sentence, f"{a} is paired with itself")
        if len(set(cond)) != len(cond):
            raise StatementError(sentence, "a variable is named twice in the conditioning set")
        if a in cond or b in cond:
            raise StatementError(sentence, f"{a if a in cond else b} is both tested and conditioned on")
        return cls(a, b, frozenset(cond), sentence)

    @v_args(meta=True)
    def formal_ci(self, meta: Any, items: list[Any]) -> Independence:
        return self._pair(meta, [i for i in items if not (isinstance(i, Token) and i.type == "INDEP")], Independence)

    @v_args(meta=True)
    def prose_ci(self, meta: Any, items: list[Any]) -> Independence:
        return self._pair(meta, items, Independence)

    @v_args(meta=True)
    def prose_dep(self, meta: Any, items: list[Any]) -> Dependence:
        return self._pair(meta, items, Dependence)

    def clauses(self, items: list[Any]) -> list[Any]:
        return items

    def sentence(self, items: list[Any]) -> list[Any]:
        return [s for i in items if isinstance(i, list) for s in i]

    @v_args(meta=True)
    def header(self, meta: Any, items: list[Any]) -> dict[str, Any]:
        n = int(items[0])
        names = items[1]
        sentence = _span(self.text, meta)
        if len(set(names)) != len(names):
            raise StatementError(sentence, "a variable is named twice")
        if n != len(names):
            raise StatementError(sentence, f"it announces {n} variables but names {len(names)}")
        return {"header": tuple(names), "faithful": any(isinstance(i, Token) and i.type == "WHOSE" for i in items),
                "sentence": sentence}

    @v_args(meta=True)
    def ci_closure(self, meta: Any, items: list[Any]) -> dict[str, Any]:
        return {"closure": True, "statements": [s for i in items if isinstance(i, list) for s in i]}

    @v_args(meta=True)
    def stat_closure(self, meta: Any, items: list[Any]) -> dict[str, Any]:
        return {"closure": True, "announced": int(items[0]), "sentence": _span(self.text, meta), "statements": []}

    def premises(self, items: list[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"header": None, "faithful": False, "closure": False, "statements": []}
        for i in items:
            if isinstance(i, dict):
                if "header" in i:
                    out.update(header=i["header"], faithful=i["faithful"], header_sentence=i["sentence"])
                else:
                    out["closure"] = True
                    out["statements"].extend(i["statements"])
                    if "announced" in i:
                        out["announced"] = (i["announced"], i["sentence"])
            else:
                out["statements"].extend(i)
        return out

    def premises_only(self, items: list[Any]) -> dict[str, Any]:
        return next(i for i in items if isinstance(i, dict))

    def _hyp(self, meta: Any, items: list[Any], kind: HypothesisKind, swap: bool = False) -> Hypothesis:
        a, b = (str(t) for t in items if isinstance(t, Token) and t.type == "NAME")
        sentence = _span(self.text, meta)
        if a == b:
            raise StatementError(sentence, f"the hypothesis relates {a} to itself")
        return Hypothesis(kind, b, a, sentence) if swap else Hypothesis(kind, a, b, sentence)

    @v_args(meta=True)
    def parent_h(self, meta: Any, items: list[Any]) -> Hypothesis:
        return self._hyp(meta, items, "parent")

    @v_args(meta=True)
    def child_h(self, meta: Any, items: list[Any]) -> Hypothesis:
        return self._hyp(meta, items, "parent", swap=True)

    @v_args(meta=True)
    def ancestor_h(self, meta: Any, items: list[Any]) -> Hypothesis:
        return self._hyp(meta, items, "ancestor")

    @v_args(meta=True)
    def collider_h(self, meta: Any, items: list[Any]) -> Hypothesis:
        return self._hyp(meta, items, "collider")

    @v_args(meta=True)
    def confounder_h(self, meta: Any, items: list[Any]) -> Hypothesis:
        return self._hyp(meta, items, "confounder")

    def hypothesis_only(self, items: list[Any]) -> Hypothesis:
        return next(i for i in items if isinstance(i, Hypothesis))

    @v_args(meta=True)
    def labelled(self, meta: Any, items: list[Any]) -> tuple[Hypothesis, int]:
        return next(i for i in items if isinstance(i, Hypothesis)), meta.start_pos

    asked = labelled

    def problem(self, items: list[Any]) -> tuple[dict[str, Any], Hypothesis, str]:
        prem = next(i for i in items if isinstance(i, dict))
        h, at = next(i for i in items if isinstance(i, tuple))
        return prem, h, self.text[:at].strip()


def _parse(text: str, start: str) -> Any:
    if not text.strip():
        raise ParseError("nothing to read: the text is empty", "write the premises and the hypothesis")
    try:
        tree: Tree = _parser().parse(text, start=start)
        return _Build(text).transform(tree)
    except UnexpectedInput as e:
        raise _unreadable(text, e) from None
    except VisitError as e:
        if isinstance(e.orig_exc, ParseError):
            raise e.orig_exc from None
        raise
    except LarkError as e:  # pragma: no cover - any other grammar failure is still a reading failure
        raise ParseError(f"cannot read the text: {e}", "check the wording of the statements") from None


def _premises(raw: dict[str, Any]) -> Premises:
    statements = raw["statements"]
    mentioned: list[str] = []
    for s in statements:
        for v in (s.x, s.y, *sorted(s.given)):
            if v not in mentioned:
                mentioned.append(v)
    header = raw.get("header")
    if header is not None:
        for s in statements:
            unknown = [v for v in (s.x, s.y, *sorted(s.given)) if v not in header]
            if unknown:
                raise StatementError(s.sentence, f"{unknown[0]} is not one of the variables {', '.join(header)}")
        variables = tuple(header)
    else:
        variables = tuple(mentioned)
    if "announced" in raw and raw["announced"][0] != len(variables):
        raise StatementError(raw["announced"][1], f"it speaks of {raw['announced'][0]} variables, "
                                                  f"but there are {len(variables)}")
    if len(variables) < 2:
        raise ParseError("the premises need at least two variables", "name the variables of the system")
    ind = tuple(s for s in statements if isinstance(s, Independence))
    dep = tuple(s for s in statements if isinstance(s, Dependence))
    said = {s.key: s for s in ind}
    for d in dep:
        if d.key in said:
            raise InconsistentInputError(
                f"the statements \u201c{d.sentence}\u201d and \u201c{said[d.key].sentence}\u201d contradict each other",
                "keep one of them")
    return Premises(variables, ind, dep, declared=header is not None, complete=bool(raw["closure"]),
                    faithfulness_stated=bool(raw["faithful"]))


def _check_hypothesis(h: Hypothesis, premises: Premises) -> Hypothesis:
    for v in (h.x, h.y):
        if v not in premises.variables:
            raise StatementError(h.sentence, f"{v} is not one of the variables {', '.join(premises.variables)}")
    return h


def read_premises(text: str) -> Premises:
    """The premises alone (an optional 'Premise:' label, header, statements)."""
    return _premises(_parse(text, "premises_only"))


def read_hypothesis(text: str, premises: Premises | None = None) -> Hypothesis:
    """One hypothesis sentence (an optional 'Hypothesis:' label); its variables are checked against the premises."""
    h = _parse(text, "hypothesis_only")
    return _check_hypothesis(h, premises) if premises is not None else h


def read_problem(text: str) -> Problem:
    """Premises followed by 'Hypothesis: …' or by 'Is it implied that …?' — the whole text or an error."""
    raw, h, premises_text = _parse(text, "problem")
    p = _premises(raw)
    return Problem(p, _check_hypothesis(h, p), premises_text)


def split_problem(text: str) -> tuple[str, str]:
    """The premises' words and the hypothesis sentence of a problem, read by the grammar alone (whether the
    statements fit together is the class's business): what a tool call carries apart."""
    _, h, premises_text = _parse(text, "problem")
    return premises_text, h.sentence


def accepts(text: str) -> bool:
    """Whether the whole text is a problem in this language (the agent's narrow check): the grammar reads it all."""
    try:
        split_problem(text)
    except ParseError:
        return False
    return True
