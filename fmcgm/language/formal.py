"""Formal notation: `X -> Y`, `U unobserved`, `P(Y=1 | X=0, Z=1) = 0.2`, `P(Y=1 | do(X=1))`, ATE/NDE/NIE/ETT.

Why a grammar here: the notation is a small formal language with nesting (lists of
edges, assignments inside P(...), do(...) inside the conditioning bar, differences of
terms), and a grammar (lark, Earley: the notation's comparisons and estimand names are ambiguous
for LALR) reads it exactly and deterministically, and
rejects anything else, so a clause is either read completely or not at all.
Variable names are the words written (``Node1`` and ``Node11`` stay distinct).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError

GRAMMAR = r"""
?start: statement_list | query

statement_list: statement ("," statement)* ","?
?statement: chain | latent | prob_eq | bidirected
chain: var (ARROW var)+
bidirected: var BIARROW var
latent: var_list COPULA? LATENT
prob_eq: term EQ number

?query: QPREFIX? qbody "?"
?qbody: expr | estimand | sign_q | cmp_q
sign_q: "is"i estimand (SIGN | ABOVE ZERO | BELOW ZERO)
cmp_q: "is"i term (ABOVE | BELOW) term
estimand: "the"i? ESTIMAND ("of" | "(") var ("on" | "->" | ",") var ")"? ("through" var_list)?
?expr: term | term "-" term -> diff

term: "P" "(" assigns ("|" cond)? ")"
cond: condpart ("," condpart)*
?condpart: assign | do
do: "do" "(" assigns ")"
assigns: assign ("," assign)*
assign: var "=" INT | var
var_list: var (("," | "and") var)*
var: NAME
number: NUMBER PCT?

ARROW: "->" | "→"
BIARROW: "<->" | "↔"
EQ: "=" | "is"
COPULA: "is" | "are"
LATENT: "unobserved" | "latent" | "hidden" | "unmeasured" | "not observed"
ESTIMAND: /ATE|NDE|NIE|ETT|ATT|CDE|average (?:treatment|causal) effect|(?:total )?causal effect/i
        | /natural (?:in)?direct effect/i
SIGN: "positive" | "negative"
ABOVE: /(?:larger|greater|bigger|higher|more) than|>/i
BELOW: /(?:smaller|less|lower) than|</i
ZERO: /zero|0(?:\.0+)?/i
QPREFIX: /what is|what's|compute|find/i
PCT: "%"
NAME: /(?!(?:is|are|the|of|on|through|and|do|unobserved|latent|hidden|unmeasured)\b)[A-Za-z_][A-Za-z0-9_']*/
%import common.INT
%import common.NUMBER
%import common.WS
%ignore WS
"""


@dataclass(frozen=True)
class Term:
    event: tuple[tuple[str, int], ...]
    given: tuple[tuple[str, int], ...] = ()
    do: tuple[tuple[str, int], ...] = ()


@dataclass
class FormalStatements:
    edges: list[tuple[str, str]] = field(default_factory=list)
    latent: list[str] = field(default_factory=list)
    bidirected: list[tuple[str, str]] = field(default_factory=list)
    probabilities: list[tuple[Term, float]] = field(default_factory=list)


@dataclass(frozen=True)
class FormalQuery:
    """Either an estimand by name (kind in ate/nde/nie/ett) or an expression: one term or a difference."""

    kind: str  # "estimand" | "term" | "diff"
    name: str = ""
    treatment: str = ""
    outcome: str = ""
    mediators: tuple[str, ...] = ()
    sign: str = ""  # "positive" / "negative" for "Is the ATE of X on Y positive?"
    terms: tuple[Term, ...] = ()


@v_args(inline=True)
class _Build(Transformer):
    def var(self, tok: Token) -> str:
        return str(tok)

    def var_list(self, *vs):
        return list(vs)

    def assign(self, name, value=None):
        return (name, int(value) if value is not None else 1)

    def assigns(self, *a):
        return tuple(a)

    def do(self, assigns):
        return ("do", assigns)

    def cond(self, *parts):
        return parts

    def number(self, num, pct=None):
        v = float(num)
        return v / 100 if pct is not None else v

    def term(self, assigns, cond=()):
        given, do = [], []
        for part in cond:
            if part and part[0] == "do":
                do.extend(part[1])
            else:
                given.append(part)
        return Term(tuple(assigns), tuple(given), tuple(do))

    def chain(self, *items):
        names = [i for i in items if not isinstance(i, Token)]
        return ("edges", list(zip(names, names[1:], strict=False)))

    def bidirected(self, a, _arrow, b):
        return ("bidirected", [(a, b)])

    def latent(self, names, *_):
        return ("latent", names)

    def prob_eq(self, term, _eq, p):
        return ("prob", (term, p))

    def statement_list(self, *stmts):
        out = FormalStatements()
        for kind, val in stmts:
            if kind == "edges":
                out.edges.extend(val)
            elif kind == "latent":
                out.latent.extend(val)
            elif kind == "bidirected":
                out.bidirected.extend(val)
            else:
                out.probabilities.append(val)
        return out

    def estimand(self, name, x, y, meds=()):
        return FormalQuery("estimand", _ESTIMAND_NAMES.get(str(name).lower(), str(name).lower()), x, y, tuple(meds))

    def sign_q(self, est, sign, _zero=None):
        return FormalQuery("estimand", est.name, est.treatment, est.outcome, est.mediators, _sign(sign))

    def cmp_q(self, a, cmp, b):  # "Is P(Y=1 | do(X=1)) larger than P(Y=1 | do(X=0))?": the sign of a - b
        return FormalQuery("diff", terms=(a, b), sign=_sign(cmp))

    def diff(self, a, b):
        return FormalQuery("diff", terms=(a, b))

    def query(self, *parts):
        return parts[-1]


_ESTIMAND_NAMES = {"average treatment effect": "ate", "average causal effect": "ate", "causal effect": "ate",
                   "total causal effect": "ate", "natural direct effect": "nde", "natural indirect effect": "nie"}


def _sign(tok: Token) -> str:
    t = str(tok).lower()
    return "positive" if t in ("positive", ">") or t.endswith("er than") and not t.startswith(("smaller", "lower")) \
        else "negative"


_PARSER = Lark(GRAMMAR, parser="earley", maybe_placeholders=False)
_BUILD = _Build()


def read_formal(clause: str) -> FormalStatements | FormalQuery | None:
    """The clause read as formal notation, or None when it is not (entirely) formal."""
    text = clause.strip().rstrip(".").strip()
    if not text or not any(s in text for s in ("->", "→", "P(", "unobserved", "latent", "hidden", "unmeasured",
                                                "ATE", "NDE", "NIE", "ETT", "ATT", "<->", "do(", "effect")):
        return None
    try:
        tree = _PARSER.parse(text)
        out = _BUILD.transform(tree)
    except (LarkError, ValueError):
        return None
    if isinstance(out, Term):
        return FormalQuery("term", terms=(out,))
    if isinstance(out, (FormalStatements, FormalQuery)):
        return out
    return None
