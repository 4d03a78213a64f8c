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
from functools import cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError

GRAMMAR = r"""
?start: statement_list | query

// "Model: A -> B; B -> C, with an unobserved U -> A and U -> C, and no direct arrow from A to C"
statement_list: LABEL? ONLY? statement (_sep statement)* _tail?
_sep: "," | ";" | ","? ("and"i | "plus"i | "with"i | "but"i)
_tail: ","? "as well"i | "," | "only"i
?statement: chain | latent | latent_chain | prob_eq | bidirected | absent | closure | direct_chain
chain: var (ARROW var)+
// "plus a direct X -> Y arrow"
direct_chain: ("a"i | "an"i)? "direct"i chain EDGE? -> chain_only
bidirected: var BIARROW var
latent: var_list COPULA? LATENT
latent_chain: ("an"i | "a"i)? LATENT chain
absent: "there is"i? "no"i "direct"i? EDGE "from"i var "to"i var
     | "there is"i? "no"i "direct"i? var ARROW var EDGE? -> absent_arrow
     | var ("not"i | "does not"i | "doesn't"i | "never"i) ("affecting"i | "affect"i | "affects"i | "causing"i
                                                          | "cause"i) var -> absent_plain
     | "there is"i? "no"i "direct"i? EDGE "between"i var "and"i var -> absent_between
closure: CLOSURE
prob_eq: term EQ number

?query: QPREFIX? qbody "="? "?"?
?qbody: expr | estimand | sign_q | cmp_q | named
sign_q: "is"i estimand (SIGN | ABOVE ZERO | BELOW ZERO)
cmp_q: "is"i term (ABOVE | BELOW) term
estimand: "the"i? ESTIMAND ("of"i | "(") var ("on"i | "->" | ",") var ")"? ("through"i var_list)?
named: "the"i? ESTIMAND ("," | ":" | "=") (expr | ett)
?expr: term | term "-" term -> diff | ett

term: PROB "(" assigns ("|" cond)? ")"
    | EXP "[" var ("|" cond)? "]" -> expectation
    | EXP "(" var ("|" cond)? ")" -> expectation
ett: EXP ("[" | "(") var "-" var "|" assign ("]" | ")")
cond: condpart ("," condpart)*
?condpart: assign | do
do: "do" "(" assigns ")"
assigns: assign ("," assign)*
assign: var "=" INT | var | NOT var -> negated
var_list: var (("," | "and"i) var)*
var: NAME
number: NUMBER PCT?

ARROW: "->" | "→"
BIARROW: "<->" | "↔"
EQ: "=" | "is"
NOT: "~" | "¬" | "!"
PROB: "P" | "p" | "Pr"
EXP: "E"
COPULA: "is" | "are"
LATENT: "unobserved" | "latent" | "hidden" | "unmeasured" | "not observed"
EDGE: /(?:arrow|edge|link|path)s?/i
CLOSURE: /nothing else|no (?:confounding|confounders|other (?:arrows|edges|variables|causes))/i
LABEL: /(?:the |a |our )?(?:(?:causal|mediation|structural|true) )?(?:model|graph|dag|diagram|structure)(?: is)?\s*:?/i
ONLY: /only/i
ESTIMAND: /ATE|NDE|NIE|ETT|ATT|CDE|average (?:treatment|causal) effect|(?:total )?causal effect/i
        | /natural (?:in)?direct effect/i
        | /(?:average )?(?:treatment )?effect (?:of (?:the )?treatment )?on the treated/i
SIGN: "positive" | "negative"
ABOVE: /(?:larger|greater|bigger|higher|more) than|>/i
BELOW: /(?:smaller|less|lower) than|</i
ZERO: /zero|0(?:\.0+)?/i
QPREFIX: /what is|what's|compute|calculate|find|determine|evaluate|give/i
PCT: "%"
NAME: /@NAME@/
%import common.INT
%import common.NUMBER
%import common.WS
%ignore WS
"""
# a name: not a keyword; "Y_1" / "Y_{1}" are an outcome's potential values (the underscore before "{" starts one)
_NAME = (r"(?!(?:is|are|the|of|on|through|and|do|no|with|plus|only|unobserved|latent|hidden|unmeasured)\b)"
         r"[A-Za-z_](?:[A-Za-z0-9']|_(?!\{))*(?:_\{[01]\})?")
GRAMMAR = GRAMMAR.replace("@NAME@", _NAME)


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
    # "no arrow from A to C" (False) / "no arrow between A and C" (True: either direction): checked against the
    # arrows once the whole story is read, so a contradiction is declined rather than half-read
    absent: list[tuple[str, str, bool]] = field(default_factory=list)


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

    def negated(self, _not, name):  # "~a": the variable at 0
        return (name, 0)

    def expectation(self, _e, name, cond=()):  # E[Y | ...] of a binary Y is P(Y=1 | ...)
        return self.term(_e, ((name, 1),), cond)

    def ett(self, _e, y1, y0, given):
        """E[Y_1 - Y_0 | X=1]: the effect of treatment on the treated, when the names are one outcome's two
        potential values and the condition is the treated."""
        base1, base0 = _potential(y1), _potential(y0)
        if base1 is None or base0 is None or base1[0] != base0[0] or (base1[1], base0[1]) != (1, 0) or given[1] != 1:
            raise ValueError("not an effect on the treated")
        return FormalQuery("estimand", "ett", given[0], base1[0])

    def assigns(self, *a):
        return tuple(a)

    def do(self, assigns):
        return ("do", assigns)

    def cond(self, *parts):
        return parts

    def number(self, num, pct=None):
        v = float(num)
        return v / 100 if pct is not None else v

    def term(self, _p, assigns, cond=()):
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

    def latent_chain(self, _latent, chain):  # "an unobserved U -> A": the chain's first variable is unobserved
        edges = chain[1]
        return ("latent_chain", (edges[0][0], edges))

    def absent(self, _edge, a, b):
        return ("absent", (a, b, False))

    def absent_between(self, _edge, a, b):
        return ("absent", (a, b, True))

    def absent_arrow(self, a, _arrow, b, *_edge):  # "no direct X -> Y arrow"
        return ("absent", (a, b, False))

    def absent_plain(self, a, b):  # "U not affecting M"
        return ("absent", (a, b, False))

    def chain_only(self, chain, *_edge):  # "a direct X -> Y arrow": the chain itself
        return chain

    def closure(self, _tok):  # "nothing else": the notation's graph is already complete
        return ("closure", None)

    def prob_eq(self, term, _eq, p):
        return ("prob", (term, p))

    def statement_list(self, *stmts):
        out = FormalStatements()
        for item in stmts:
            if isinstance(item, Token):  # the label ("Model:") and "only"
                continue
            kind, val = item
            if kind == "closure":
                continue
            if kind == "absent":
                out.absent.append(val)
            elif kind == "latent_chain":
                out.latent.append(val[0])
                out.edges.extend(val[1])
            elif kind == "edges":
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

    def named(self, name, body):
        """"the effect of treatment on the treated, E[Y_1 - Y_0 | X=1]": the formula is what is computed, and the
        name must agree with it (a name beside another quantity's formula is a contradiction, not read)."""
        kind = _ESTIMAND_NAMES.get(str(name).lower(), str(name).lower())
        kind = "ett" if kind in ("att",) or "treated" in kind else kind
        if isinstance(body, Term):
            body = FormalQuery("term", terms=(body,))
        got = body.name if body.kind == "estimand" else "ate" if body.kind == "diff" and _is_ate(body) else "?"
        if got != kind:
            raise ValueError(f"{name} named beside another quantity")
        return body

    def query(self, *parts):
        return parts[-1]


_ESTIMAND_NAMES = {"average treatment effect": "ate", "average causal effect": "ate", "causal effect": "ate",
                   "total causal effect": "ate", "natural direct effect": "nde", "natural indirect effect": "nie"}


def _potential(name: str) -> tuple[str, int] | None:
    """``Y_1`` / ``Y_{0}``: an outcome's potential value under treatment 1 or 0."""
    for v in (0, 1):
        for suffix in (f"_{v}", f"_{{{v}}}"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)], v
    return None


def _is_ate(q: FormalQuery) -> bool:
    """P(Y=1 | do(X=1)) - P(Y=1 | do(X=0)), nothing else given: the average treatment effect."""
    a, b = q.terms
    return (a.event == b.event and not a.given and not b.given and len(a.do) == len(b.do) == 1
            and a.do[0][0] == b.do[0][0] and (a.do[0][1], b.do[0][1]) == (1, 0))


def _sign(tok: Token) -> str:
    t = str(tok).lower()
    return "positive" if t in ("positive", ">") or t.endswith("er than") and not t.startswith(("smaller", "lower")) \
        else "negative"


@cache
def _parser() -> Lark:  # built on the first formal clause (40 ms), not by every start-up
    return Lark(GRAMMAR, parser="earley", maybe_placeholders=False)


_BUILD = _Build()


def read_formal(clause: str) -> FormalStatements | FormalQuery | None:
    """The clause read as formal notation, or None when it is not (entirely) formal."""
    text = clause.strip().rstrip(".").strip()
    if not text or not any(s in text for s in ("->", "→", "P(", "p(", "E[", "E(", "arrow", "edge", "unobserved",
                                                "latent", "hidden", "unmeasured",
                                                "ATE", "NDE", "NIE", "ETT", "ATT", "<->", "do(", "effect")):
        return None
    try:
        tree = _parser().parse(text)
        out = _BUILD.transform(tree)
    except (LarkError, ValueError):
        return None
    if isinstance(out, Term):
        return FormalQuery("term", terms=(out,))
    if isinstance(out, (FormalStatements, FormalQuery)):
        return out
    return None
