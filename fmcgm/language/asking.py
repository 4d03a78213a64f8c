"""Question shapes of free prose and formal notation: what is asked, about which phrases, with which claim.

Every shape is one regular expression over the question (the phrases it captures are
grounded by whole names later); formal queries go through the lark grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fmcgm.language.formal import FormalQuery, read_formal
from fmcgm.language.prose import SETTING_PHRASE

POS = r"increases?|increased|raises?|boosts?|improves?|helps?|promotes?|strengthens?|heightens?|worsens?"
NEG = r"decreases?|decreased|reduces?|lowers?|hurts?|harms?|prevents?|protects?|weakens?|lessens?|cuts?"
BASE = {"increase", "raise", "boost", "improve", "help", "promote", "strengthen", "heighten", "worsen"}


@dataclass
class Asked:
    kind: str  # ate / nde / nie / ett / correlation / exp_away / marginal / conditional / collider_bias / det / path
    claim: str = "none"
    x: str | None = None
    y: str | None = None
    mediators: list[str] = field(default_factory=list)
    condition: str | None = None
    counterfactual: str | None = None
    formal: FormalQuery | None = None


def _claim(verb: str) -> str:
    v = verb.lower()
    return "negative" if re.fullmatch(NEG, v) else "positive"


EFFECT_RE = re.compile(
    rf"^(?:does|do|did|will|would|can|could)\s+(?P<x>.+?)\s+(?:(?:really|actually|causally|also|on average)\s+)?"
    rf"(?P<direct>directly\s+)?(?P<v>{POS}|{NEG}|makes?)\s+"
    rf"(?:the\s+(?:chance|probability|risk|likelihood|rate|odds|incidence|number)s?\s+(?:of|that)\s+)?(?P<y>.+?)"
    rf"(?:\s+(?:through|via|by way of|by changing|by affecting)\s+(?P<m>.+?))?\?$", re.I)
VALUE_RE = re.compile(
    r"^(?:what|how (?:large|big|strong))\s+(?:is|was|would be|'s)\s+the\s+(?P<adj>(?:(?:average|total|overall|causal|"
    r"treatment|natural|direct|indirect|controlled|mean)\s+)*)effect\s+of\s+(?P<x>.+?)\s+on\s+(?P<y>.+?)"
    r"(?:\s+(?:through|via|mediated by|by way of)\s+(?P<m>.+?))?\?$", re.I)
HOWMUCH_RE = re.compile(r"^how much does\s+(?P<x>.+?)\s+(?:change|affect|increase|raise|influence)\s+(?P<y>.+?)\?$", re.I)
CORR_RE = [
    re.compile(r"^is\s+(?P<y>.+?)\s+(?P<d>more|less)\s+(?:likely|common|frequent|probable)\s+(?:among|for|in|when)\s+"
               r"(?P<x>.+?)\s+than\s+(?:among|for|in|when)\s+(?P<x0>.+?)\?$", re.I),
    re.compile(r"^when we (?:observe|see|find|know)\s+(?P<x>.+?),\s*is\s+(?P<y>.+?)\s+(?P<d>more|less)\s+likely\?$", re.I),
    re.compile(r"^(?:is|are)\s+(?P<x>.+?)\s+(?P<d>more|less)\s+likely\s+to\s+(?P<y>.+?)(?:\s+than\s+.+)?\?$", re.I),
    re.compile(r"^is\s+(?P<y>.+?)\s+(?P<d>more|less)\s+likely\s+(?:when|if|given that)\s+(?P<x>.+?)"
               r"(?:\s+is observed)?\?$", re.I),
]
EXPAWAY_RE = re.compile(r"^(?:among|for|in|within)\s+(?P<c>.+?),\s*is\s+(?P<y>.+?)\s+(?P<d>more|less)\s+likely\s+"
                        r"when\s+(?P<x>.+?)\s+than\s+when\s+(?P<x0>.+?)\?$", re.I)
MARG_RE = [
    re.compile(r"^(?:overall,\s*)?is\s+(?P<y>.+?)\s+(?P<d>more|less)\s+likely than not(?:\s+\S+)?(?:\s+overall)?\?$", re.I),
    re.compile(r"^(?:what|how large)\s+(?:is|'s)\s+the\s+(?:overall\s+|total\s+|marginal\s+)?(?:probability|chance|share|"
               r"proportion|rate|risk)\s+of\s+(?P<y>.+?)(?:\s+overall|\s+in the population)?\?$", re.I),
    re.compile(r"^how likely is\s+(?P<y>.+?)(?:\s+overall)?\?$", re.I),
    re.compile(r"^(?:overall,\s*)?(?:do|does|will)\s+(?P<d>most)\s+(?:of the\s+)?(?:people|patients|students|children|"
               r"units|individuals|households)?\s*(?P<y>.+?)(?:\s+overall)?\?$", re.I),
]
# the counterfactual clause: "if they had not taken it", or inverted, "had they not taken it"
_CF = r"(?:if\s+(?P<cf>.+?)|had\s+(?P<cfh>(?:they|it|he|she|we|you|i)\s+.+?))\?$"
ETT_RE = [
    re.compile(r"^would\s+(?P<g>.+?)\s+(?:be|have been)\s+(?P<d>more|less)\s+likely\s+to\s+(?P<y>.+?)\s+" + _CF,
               re.I),
    re.compile(r"^(?:among|for)\s+(?P<g>.+?),\s*would\s+(?P<y>.+?)\s+(?:be|have been)\s+(?P<d>more|less)\s+likely\s+"
               + _CF, re.I),
    re.compile(r"^(?:among|for)\s+(?P<g>.+?),\s*would\s+(?:they|it|he|she)\s+(?:be|have been)\s+(?P<d>more|less)\s+likely"
               r"\s+to\s+(?P<y>.+?)\s+" + _CF, re.I),
]
DET_RE = [re.compile(r"^would\s+(?P<y>.+?)\s+(?:if|had)\s+(?P<x>.+?)\?$", re.I),
          re.compile(r"^if\s+(?P<x>.+?),\s*would\s+(?P<y>.+?)\?$", re.I),
          re.compile(r"^had\s+(?P<x>.+?),\s*would\s+(?P<y>.+?)\?$", re.I),
          re.compile(r"^in a world where\s+(?P<x>.+?),\s*would\s+(?P<y>.+?)\?$", re.I),
          # "Under do(C=0), is Y still 1?": an intervention in notation on rules
          re.compile(r"^(?:under|with|after|if we apply)\s+do\((?P<x>[^)]+)\),?\s*(?:is|would|will|does|do)\s+"
                     r"(?P<y>.+?)\?$", re.I)]  # "Had the gate been open, would ...?"
COLLIDER_RE = re.compile(r"^(?:if we (?:look|focus) (?:only )?(?:at|on)\s+(?P<c>.+?)|(?:among|within)\s+(?P<c2>.+?)),\s*"
                         r"does\s+(?P<x>.+?)\s+(?:cause|affect|influence)\s+(?P<y>.+?)\?$", re.I)
# "Does X cause more Y?", "Does X lead to fewer Y?": a direction said by a comparative after a plain causal verb
MORE_RE = re.compile(r"^(?:does|do|did|will|would|can|could)\s+(?P<x>.+?)\s+(?:causally\s+)?(?:cause|lead to|result in|"
                     r"bring about|produce|give rise to|contribute to|translate into)\s+(?P<d>more|less|fewer|higher|"
                     r"lower|greater|increased|reduced|decreased|extra)\s+(?P<y>.+?)\?$", re.I)
COMPARATIVE = {"more": "positive", "higher": "positive", "greater": "positive", "increased": "positive",
               "extra": "positive", "less": "negative", "fewer": "negative", "lower": "negative", "reduced": "negative",
               "decreased": "negative"}
PATH_RE = re.compile(r"^(?:does|do|did|can)\s+(?P<x>.+?)\s+(?:causally\s+)?(?P<v>cause|affect|influence|have an effect on)\s+"
                     r"(?P<y>.+?)\?$", re.I)
SIGN_RE = re.compile(r"^is the (?P<e>ATE|NDE|NIE|ETT|ATT) of (?P<x>\w+) on (?P<y>\w+) (?P<s>positive|negative)\?$", re.I)


def _meds(s: str | None) -> list[str]:
    if not s:
        return []
    return [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", s) if p.strip()]


def _outcome(y: str) -> tuple[str, str | None]:
    """Strip "more/less likely" and "against/from" wrappers from an outcome phrase."""
    m = re.match(r"^(?P<y>.+?)\s+(?P<d>more|less)\s+likely$", y, re.I)
    if m:
        return m.group("y"), "positive" if m.group("d").lower() == "more" else "negative"
    m = re.match(r"^(?:\w+\s+)?(?:against|from)\s+(?P<y>.+)$", y, re.I)
    if m:
        return m.group("y"), None
    return y, None


# an estimand named with no variables (or with a formula in potential outcomes the grammar does not read): in notation
# the treatment is X and the outcome Y; a story without those letters declines ("X is not in the graph")
_NAMED_KINDS = {"nde": ("natural direct", "nde"), "nie": ("natural indirect", "nie"),
                "ett": ("treated", "ett", "att"), "ate": ("average treatment", "average causal", "ate")}
_NAMED_ONLY = re.compile(r"^(?:what is|what's|compute|calculate|find|give)\s+(?:the\s+)?(?P<e>natural (?:in)?direct "
                         r"effect|average (?:treatment|causal) effect|(?:average )?effect of (?:the )?treatment on the "
                         r"treated|NDE|NIE|ATE|ETT|ATT)\b(?:\s*\(?(?:NDE|NIE|ATE|ETT|ATT)\)?)?\s*(?:[=:,]\s*[^?]*E\s*[\[(][^?]*)?"
                         r"\?$", re.I)


_SETTING_LEAD = re.compile(rf"^{SETTING_PHRASE}\s*,\s*", re.I)


def read_question(q: str, deterministic: bool, has_numbers: bool) -> Asked | None:
    q = re.sub(r"\s+", " ", q.strip())
    setting = _SETTING_LEAD.match(q)
    if setting:  # "In our survey, are indoor cats ...?": where, not who
        q = q[setting.end():]
        q = q[:1].upper() + q[1:]
    said_twice = re.match(r"^(?P<a>.+?),?\s*\b(?:i\.e\.|that is,|in other words,?)\s*(?P<b>.+)$", q, re.I)
    if said_twice:  # "What is the ATE of X on Y, i.e. P(Y=1|do(X=1)) - ...?": the question said twice, either reads
        a = read_question(said_twice.group("a").rstrip(" ,") + "?", deterministic, has_numbers)
        return a or read_question(said_twice.group("b"), deterministic, has_numbers)
    m = SIGN_RE.match(q)
    if m:
        kind = {"att": "ett"}.get(m.group("e").lower(), m.group("e").lower())
        return Asked(kind, m.group("s").lower(), m.group("x"), m.group("y"), formal=FormalQuery(
            "estimand", kind, m.group("x"), m.group("y"), (), m.group("s").lower()))
    f = read_formal(q)
    if isinstance(f, FormalQuery):
        return Asked("formal", formal=f)
    m = _NAMED_ONLY.match(q)
    if m:  # "What is the natural direct effect NDE = E[Y(1, M(0))] - E[Y(0)]?": the notation's X on Y, by convention
        name = m.group("e").lower()
        kind = next(k for k, words_ in _NAMED_KINDS.items() if any(w in name for w in words_))
        return Asked("formal", formal=FormalQuery("estimand", kind, "X", "Y", ()))
    if deterministic:
        for rx in DET_RE:
            m = rx.match(q)
            if m:
                return Asked("det", "holds", m.group("x"), m.group("y"))
    m = EXPAWAY_RE.match(q)
    if m:
        return Asked("exp_away", "positive" if m.group("d").lower() == "more" else "negative", m.group("x"),
                     m.group("y"), condition=m.group("c"))
    for rx in ETT_RE:
        m = rx.match(q)
        if m:
            cf = m.group("cf") or re.sub(r"^(\w+)\s+", r"\1 had ", m.group("cfh"))  # "had they not" -> "they had not"
            return Asked("ett", "positive" if m.group("d").lower() == "more" else "negative", m.group("g"),
                         m.group("y"), counterfactual=cf)
    for rx in MARG_RE:
        m = rx.match(q)
        if m:
            d = (m.groupdict().get("d") or "").lower()
            return Asked("marginal", {"more": "more_likely", "most": "more_likely", "less": "less_likely"}.get(d, "none"),
                         y=m.group("y"))
    for rx in CORR_RE:
        m = rx.match(q)
        if m:
            return Asked("correlation", "positive" if m.group("d").lower() == "more" else "negative",
                         m.group("x"), m.group("y"))
    m = VALUE_RE.match(q)
    if m:
        adj = m.group("adj").lower()
        kind = "nie" if ("indirect" in adj or m.group("m")) else "nde" if "direct" in adj else "ate"
        return Asked(kind, "none", m.group("x"), m.group("y"), _meds(m.group("m")))
    m = HOWMUCH_RE.match(q)
    if m:
        return Asked("ate", "none", m.group("x"), m.group("y"))
    m = EFFECT_RE.match(q)
    if m:
        y, claim = _outcome(m.group("y"))
        verb = m.group("v").lower()
        if claim is None:
            if verb.startswith("make"):
                return None
            claim = _claim(verb)
        kind = "nie" if m.group("m") else "nde" if m.group("direct") else "ate"
        return Asked(kind, claim, m.group("x"), y, _meds(m.group("m")))
    m = COLLIDER_RE.match(q)
    if m:
        return Asked("collider_bias", "affects", m.group("x"), m.group("y"), condition=m.group("c") or m.group("c2"))
    m = MORE_RE.match(q)
    if m:
        return Asked("ate", COMPARATIVE[m.group("d").lower()], m.group("x"), m.group("y"))
    m = PATH_RE.match(q)
    if m and m.group("y").split()[0].lower() in COMPARATIVE:  # a direction no shape above read: never "affects"
        return None
    if m:
        # with numbers, "Does X cause Y?" asks whether X makes Y more likely ("Does not smoking cause cancer?" is no
        # when not smoking lowers it); "affect"/"influence" ask whether it changes Y at all
        claim = "positive" if has_numbers and m.group("v").lower() == "cause" else "affects"
        return Asked("path" if not has_numbers else "ate", claim, m.group("x"), m.group("y"))
    return None
