"""Sentence families for the question generator, as data.

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
from collections import defaultdict
from dataclasses import dataclass


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


def _fams(part: str, rows: list[tuple]) -> list[Family]:
    return [Family(fid, part, text, **opts) for fid, text, opts in rows]


INTRO = _fams("intro", [
    ("i_study", "A study looked at {unit}.", {}),
    ("i_consider", "Consider a population of {unit}.", {}),
    ("i_imagine", "Imagine a large group of {unit}.", {}),
    ("i_survey", "A survey collected data on {unit}.", {}),
])

GRAPH = _fams("graph", [
    ("g_causes", "{a} causes {b}.", {"slot": "single"}),
    ("g_affects", "{a} affects {b}.", {"slot": "single"}),
    ("g_influences", "{a} influences {b}.", {"slot": "single"}),
    ("g_leads_to", "{a} leads to {b}.", {"slot": "single"}),
    ("g_direct", "{a} has a direct effect on {b}.", {"slot": "single"}),
    ("g_caused_by", "{b} is caused by {a}.", {"slot": "single"}),
    ("g_depends", "{b} depends on {a}.", {"slot": "single"}),
    ("g_influenced_by", "{b} is influenced by {a}.", {"slot": "single"}),
    ("g_edge", "There is a causal edge {A} -> {B}.", {"slot": "single"}),
    ("g_one_cause", "{a} is one of the causes of {b}.", {"slot": "single"}),
    ("g_out_affects", "{a} affects {b1} and {b2}.", {"slot": "fanout"}),
    ("g_out_both", "{a} has an effect on both {b1} and {b2}.", {"slot": "fanout"}),
    ("g_out_influences", "{a} influences {b1} as well as {b2}.", {"slot": "fanout"}),
    ("g_in_both", "Both {a1} and {a2} affect {b}.", {"slot": "fanin"}),
    ("g_in_depends", "{b} depends on {a1} and on {a2}.", {"slot": "fanin"}),
    ("g_in_caused", "{b} is caused by {a1} and {a2}.", {"slot": "fanin"}),
    ("g_which_in_turn", "{a} affects {b}, which in turn affects {c}.", {"slot": "path"}),
    ("g_and_then", "{a} changes {b}, and {b} changes {c}.", {"slot": "path"}),
    ("g_only_through", "{a} affects {c} only through {b}.", {"slot": "only"}),
    ("g_solely", "{a} influences {c} solely by changing {b}.", {"slot": "only"}),
])

HIDDEN = _fams("hidden", [
    ("h_unobserved", "An unobserved factor, {u}, affects both {a} and {b}.", {}),
    ("h_unmeasured", "{u} is not measured, but it influences {a} and {b}.", {}),
    ("h_common", "{a} and {b} share a hidden common cause: {u}.", {}),
    ("h_cannot", "{u}, which we cannot observe, affects {a} and also {b}.", {}),
    ("h_no_data", "There are no data on {u}, which influences both {a} and {b}.", {}),
    ("h_some", "Some unmeasured factor affects both {a} and {b}.", {}),
    ("h_confounded", "The relation between {a} and {b} is confounded by {u}, which nobody recorded.", {}),
])

PROB = _fams("prob", [
    ("p_among", "Among {grp_all}, {p}% {event}.", {}),
    ("p_of", "{p}% of {grp} {event}.", {}),
    ("p_percent", "{p} percent of {grp} {event}.", {}),
    ("p_prob_of", "The probability of {noun} among {grp_all} is {d}.", {}),
    ("p_with_prob", "{grp} {event} with probability {d}.", {}),
    ("p_rate", "The rate of {noun} among {grp_all} is {p}%.", {}),
    ("p_out_of", "{p} out of every 100 {grp} {event}.", {}),
    ("p_notation", "{note} = {d}.", {}),
    ("p_likely", "{grp} are {p}% likely to {inf}.", {}),
    ("p_share", "The share of {grp} {who} {event} is {p}%.", {}),
    ("p_fraction_dec", "A fraction {d} of {grp} {event}.", {}),
    ("p_time", "{grp} {event} {p}% of the time.", {"slot": "cond", "needs": ("cond",)}),
    ("p_cases", "{grp} {event} in {p} cases out of 100.", {"slot": "cond", "needs": ("cond",)}),
    ("p_frac", "{frac} {grp} {event}.", {"slot": "round", "needs": ("round",)}),
    ("p_frac_among", "Among {grp_all}, {frac_bare} {event}.", {"slot": "round", "needs": ("round",)}),
])

PAIR = _fams("pair", [
    ("pr_otherwise", "{base} {event} {p1}% of the time if they {last_event}, and {p0}% of the time otherwise.", {}),
    ("pr_if_not", "{base} {event} {p1}% of the time if they {last_event} and {p0}% of the time if they {last_neg_event}.",
     {}),
    ("pr_compared", "{p1}% of {g1} {event}, compared with {p0}% of {g0}.", {}),
    ("pr_versus", "The share of {g1} {who} {event} is {p1}%, versus {p0}% for {g0}.", {}),
    ("pr_respectively", "Among {g1} and {g0}, respectively, {p1}% and {p0}% {event}.", {}),
    ("pr_notation", "{note1} = {d1} and {note0} = {d0}.", {}),
])

JOINT = _fams("joint", [
    ("j_and", "{p}% of {unit} {a} and {b}.", {}),
    ("j_share", "The share of {unit} {who} {a} and {b} is {p}%.", {}),
    ("j_among_all", "Among all {unit}, {p}% {a} and {b}.", {}),
    ("j_notation", "{note} = {d}.", {}),
    ("j_both", "{p}% of {unit} both {a} and {b}.", {"slot": "x1", "needs": ("x1",)}),
    ("j_both_among", "Among all {unit}, {p}% both {a} and {b}.", {"slot": "x1", "needs": ("x1",)}),
])


def _q(fid: str, kind: str, text: str, sign: int = 1, treat: int = 1, outcome: int = 1, answer: str = "yesno") -> tuple:
    return (fid, text, {"slot": kind, "kind": kind, "sign": sign, "treat": treat, "outcome": outcome, "answer": answer})


QUESTION = _fams("question", [
    # the causal effect of X on Y, as a yes/no question
    _q("q_does_increase", "ate", "Does {x} increase the chance of {y}?"),
    _q("q_will_raise", "ate", "Will {x} raise the probability that {unit} {y_event}?"),
    _q("q_would_lower", "ate", "Would {x} lower the chance of {y}?", sign=-1),
    _q("q_is_reduce", "ate", "Is {x} effective at reducing the risk of {y}?", sign=-1),
    _q("q_can_prevent", "ate", "Can {x} prevent {y}?", sign=-1),
    _q("q_help", "ate", "Does {x} help {unit} {y_inf}?"),
    _q("q_more_likely", "ate", "Does {x} make {y} more likely?"),
    _q("q_less_likely", "ate", "Does {x} make {unit} less likely to {y_inf}?", sign=-1),
    _q("q_off_reduce", "ate", "Would {off} reduce the chance of {y}?", sign=-1, treat=-1),
    _q("q_off_more", "ate", "Would {off} make {unit} more likely to {y_inf}?", treat=-1),
    _q("q_neg_outcome", "ate", "Does {x} help {unit} {y_neg_inf}?", outcome=-1),
    _q("q_off_neg_outcome", "ate", "Would {off} help {unit} {y_neg_inf}?", treat=-1, outcome=-1),
    _q("q_everyone", "ate", "If {x} were imposed on all {unit}, would {y} become more common than if it were banned?"),
    _q("q_affect", "ate", "Does {x} affect whether {unit} {y_event}?", sign=0),
    _q("q_do_gt", "ate", "Is P({Y}=1 | do({X}=1)) > P({Y}=1 | do({X}=0))?"),
    _q("q_do_lt", "ate", "Is P({Y}=1 | do({X}=1)) < P({Y}=1 | do({X}=0))?", sign=-1),
    _q("q_ate_positive", "ate", "Is the ATE of {x} on {y} positive?"),
    _q("q_ate_negative", "ate", "Is the average treatment effect of {x} on {y} negative?", sign=-1),
    # the causal effect as a number
    _q("q_ate_value", "ate_value", "What is the ATE of {x} on {y}?", answer="value"),
    _q("q_ate_diff", "ate_value", "What is P({Y}=1 | do({X}=1)) - P({Y}=1 | do({X}=0))?", answer="value"),
    _q("q_ate_words", "ate_value", "By how much does {x} change the probability of {y}, as a difference of probabilities?",
       answer="value"),
    _q("q_ate_avg", "ate_value", "What is the average causal effect of {x} on the chance that {unit} {y_event}?",
       answer="value"),
    # association
    _q("q_corr_more", "corr", "Are {x_pos} more likely than {x_neg} to {y_inf}?"),
    _q("q_corr_less", "corr", "Is {y} less common among {x_pos} than among {x_neg}?", sign=-1),
    _q("q_corr_note", "corr", "Is P({Y}=1 | {X}=1) > P({Y}=1 | {X}=0)?"),
    _q("q_corr_assoc", "corr", "In the data, is {x} associated with a higher rate of {y}?"),
    _q("q_corr_value", "corr_value", "What is P({Y}=1 | {X}=1) - P({Y}=1 | {X}=0)?", answer="value"),
    _q("q_corr_gap", "corr_value", "How much larger is the share of {x_pos} {who} {y_event} than the share of {x_neg} "
       "{who} {y_event}, as a difference of probabilities?", answer="value"),
    # marginal
    _q("q_marg_share", "marg", "Overall, what share of {unit} {y_event}?", answer="value"),
    _q("q_marg_note", "marg", "What is P({Y}=1)?", answer="value"),
    _q("q_marg_prob", "marg", "What is the overall probability of {y}?", answer="value"),
    # effect of the treatment on the treated
    _q("q_ett_less", "ett", "For those {who} {x_event}, would {y} have been less likely had they not {x_pp}?", sign=-1, treat=-1),
    _q("q_ett_more", "ett", "Would {x_pos} have been more likely to {y_inf} if they had not {x_pp}?", treat=-1),
    _q("q_ett_those", "ett", "For those {who} {x_event}, does {x} raise the chance of {y}?"),
    _q("q_ett_treated", "ett", "Is the effect of {x} on {y} among {x_pos} (the ETT) positive?"),
    # natural direct effect
    _q("q_nde_aside", "nde", "Leaving aside {m}, does {x} increase the chance of {y}?"),
    _q("q_nde_not_through", "nde", "Not counting any effect through {m}, does {x} lower the chance of {y}?", sign=-1),
    _q("q_nde_direct", "nde", "Does {x} have a positive direct effect on {y} that does not go through {m}?"),
    _q("q_nde_value", "nde_value", "What is the natural direct effect of {x} on {y}?", answer="value"),
    _q("q_nde_value_aside", "nde_value", "Leaving {m} aside, what is the natural direct effect (NDE) of {x} on {y}?",
       answer="value"),
    # natural indirect effect
    _q("q_nie_through", "nie", "Does {x} increase the chance of {y} through {m}?"),
    _q("q_nie_via", "nie", "Does {x} lower the chance of {y} via its effect on {m}?", sign=-1),
    _q("q_nie_mediated", "nie", "Is the part of the effect of {x} on {y} that is mediated by {m} positive?"),
    _q("q_nie_value", "nie_value", "What is the natural indirect effect of {x} on {y} through {m}?", answer="value"),
    _q("q_nie_value_via", "nie_value", "How large is the effect of {x} on {y} that goes via {m} (the NIE)?",
       answer="value"),
    # association within a selected group (collider)
    _q("q_among_only", "cond_corr", "Among {c_pos} only, are {x_pos} more likely than {x_neg} to {y_inf}?"),
    _q("q_among_note", "cond_corr", "Is P({Y}=1 | {X}=1, {C}=1) > P({Y}=1 | {X}=0, {C}=1)?"),
    _q("q_among_less", "cond_corr", "Looking only at {c_pos}, is {y} less common among {x_pos} than among {x_neg}?", sign=-1),
])

RULE = _fams("rule", [
    ("r_exactly_when", "{Y} exactly when {A} {op} {B}.", {"slot": "andor", "ops": ("and", "or")}),
    ("r_iff", "{Y} if and only if {A} {op} {B}.", {"slot": "andor", "ops": ("and", "or")}),
    ("r_whenever", "Whenever {A} {op} {B}, {Y}; otherwise {Y_neg}.", {"slot": "andor", "ops": ("and", "or")}),
    ("r_if_then", "If {A} {op} {B}, then {Y}; in every other case, {Y_neg}.", {"slot": "andor", "ops": ("and", "or")}),
    ("r_at_least_one", "{Y} as soon as at least one of these holds: {A}; {B}. If neither holds, {Y_neg}.",
     {"slot": "or", "ops": ("or",)}),
    ("r_only_neither", "{Y_neg} only when {A_neg} and {B_neg}; in every other case, {Y}.", {"slot": "or", "ops": ("or",)}),
    ("r_needs_both", "{Y} only when {A} and {B} at the same time; otherwise {Y_neg}.", {"slot": "and", "ops": ("and",)}),
    ("r_any_missing", "If {A_neg} or {B_neg}, {Y_neg}; otherwise {Y}.", {"slot": "and", "ops": ("and",)}),
    ("r_unless", "{Y} when {A}, unless {B}; otherwise {Y_neg}.", {"slot": "unless", "ops": ("unless",)}),
    ("r_unless_first", "Unless {B}, {Y} exactly when {A}; if {B}, {Y_neg}.", {"slot": "unless", "ops": ("unless",)}),
    ("r_and_not", "{Y} exactly when {A} and {B_neg}.", {"slot": "unless", "ops": ("unless",)}),
    ("r_except", "If {A}, {Y}, except when {B}; in all other cases, {Y_neg}.", {"slot": "unless", "ops": ("unless",)}),
])

OBSERVATION = _fams("observation", [
    ("o_plain", "{facts}.", {}),
    ("o_yesterday", "Yesterday, {facts}.", {}),
    ("o_observed", "We observed that {facts}.", {}),
    ("o_one_day", "On one particular day, {facts}.", {}),
    ("o_turned_out", "It turned out that {facts}.", {}),
    ("o_known", "We know that {facts}.", {}),
])

CF_QUESTION = _fams("cf_question", [
    ("cf_had", "Had {a_subj}{a_not} {a_pp}, would {y_subj} have {y_pp}?", {}),
    ("cf_if_had", "If {a_subj} had{a_not} {a_pp}, would {y_subj} have {y_pp}?", {}),
    ("cf_suppose", "Suppose {a_subj} had{a_not} {a_pp}. Would {y_subj} have {y_pp}?", {}),
    ("cf_world", "In a world where {a_subj} had{a_not} {a_pp}, would {y_subj} have {y_pp}?", {}),
    ("cf_would_if", "Would {y_subj} have {y_pp} if {a_subj} had{a_not} {a_pp}?", {}),
    ("cf_counter", "Counterfactually, if {a_subj} had{a_not} {a_pp}, would {y_subj} have {y_pp}?", {}),
    ("cf_had_neg", "Had {a_subj}{a_not} {a_pp}, would {y_subj} have {y_pp_neg}?",
     {"outcome": -1, "needs": ("pp_neg",), "slot": "neg"}),
    ("cf_if_neg", "If {a_subj} had{a_not} {a_pp}, would {y_subj} have {y_pp_neg}?",
     {"outcome": -1, "needs": ("pp_neg",), "slot": "neg"}),
    ("cf_still", "Would {y_subj} still have {y_pp} if {a_subj} had{a_not} {a_pp}?", {"needs": ("y_was_1",), "slot": "still"}),
    ("cf_still_neg", "Would {y_subj} still have {y_pp_neg} if {a_subj} had{a_not} {a_pp}?",
     {"outcome": -1, "needs": ("y_was_0", "pp_neg"), "slot": "still"}),
])

FAMILIES: tuple[Family, ...] = tuple(INTRO + GRAPH + HIDDEN + PROB + PAIR + JOINT + QUESTION + RULE + OBSERVATION + CF_QUESTION)
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


EXAMPLES: dict[str, str] = {
    "i_study": "A study looked at people.",
    "i_consider": "Consider a population of people.",
    "i_imagine": "Imagine a large group of people.",
    "i_survey": "A survey collected data on people.",
    "g_causes": "Smoking causes lung cancer.",
    "g_affects": "Smoking affects lung cancer.",
    "g_influences": "Smoking influences lung cancer.",
    "g_leads_to": "Smoking leads to lung cancer.",
    "g_direct": "Smoking has a direct effect on lung cancer.",
    "g_caused_by": "Lung cancer is caused by smoking.",
    "g_depends": "Lung cancer depends on smoking.",
    "g_influenced_by": "Lung cancer is influenced by smoking.",
    "g_edge": "There is a causal edge smoking -> lung_cancer.",
    "g_one_cause": "Smoking is one of the causes of lung cancer.",
    "g_out_affects": "Smoking affects tar buildup and lung cancer.",
    "g_out_both": "Smoking has an effect on both tar buildup and lung cancer.",
    "g_out_influences": "Smoking influences tar buildup as well as lung cancer.",
    "g_in_both": "Both smoking and the risk gene affect lung cancer.",
    "g_in_depends": "Lung cancer depends on smoking and on the risk gene.",
    "g_in_caused": "Lung cancer is caused by smoking and the risk gene.",
    "g_which_in_turn": "Smoking affects tar buildup, which in turn affects lung cancer.",
    "g_and_then": "Smoking changes tar buildup, and tar buildup changes lung cancer.",
    "g_only_through": "Smoking affects lung cancer only through tar buildup.",
    "g_solely": "Smoking influences lung cancer solely by changing tar buildup.",
    "h_unobserved": "An unobserved factor, a hidden genetic trait, affects both smoking and lung cancer.",
    "h_unmeasured": "A hidden genetic trait is not measured, but it influences smoking and lung cancer.",
    "h_common": "Smoking and lung cancer share a hidden common cause: a hidden genetic trait.",
    "h_cannot": "A hidden genetic trait, which we cannot observe, affects smoking and also lung cancer.",
    "h_no_data": "There are no data on a hidden genetic trait, which influences both smoking and lung cancer.",
    "h_some": "Some unmeasured factor affects both smoking and lung cancer.",
    "h_confounded": (
        "The relation between smoking and lung cancer is confounded by a hidden genetic trait, which nobody "
        "recorded."
    ),
    "p_among": "Among smokers who do not carry the risk gene, 25% get lung cancer.",
    "p_of": "25% of smokers who do not carry the risk gene get lung cancer.",
    "p_percent": "25 percent of smokers who do not carry the risk gene get lung cancer.",
    "p_prob_of": "The probability of lung cancer among smokers who do not carry the risk gene is 0.25.",
    "p_with_prob": "Smokers who do not carry the risk gene get lung cancer with probability 0.25.",
    "p_rate": "The rate of lung cancer among smokers who do not carry the risk gene is 25%.",
    "p_out_of": "25 out of every 100 smokers who do not carry the risk gene get lung cancer.",
    "p_notation": "P(lung_cancer=1 | smoking=1, gene=0) = 0.25.",
    "p_likely": "Smokers who do not carry the risk gene are 25% likely to get lung cancer.",
    "p_share": "The share of smokers who do not carry the risk gene who get lung cancer is 25%.",
    "p_fraction_dec": "A fraction 0.25 of smokers who do not carry the risk gene get lung cancer.",
    "p_time": "Smokers who do not carry the risk gene get lung cancer 25% of the time.",
    "p_cases": "Smokers who do not carry the risk gene get lung cancer in 25 cases out of 100.",
    "p_frac": "One in four smokers who do not carry the risk gene get lung cancer.",
    "p_frac_among": "Among smokers who do not carry the risk gene, one in four get lung cancer.",
    "pr_otherwise": "Smokers get lung cancer 40% of the time if they carry the risk gene, and 20% of the time otherwise.",
    "pr_if_not": (
        "Smokers get lung cancer 40% of the time if they carry the risk gene and 20% of the time if they do "
        "not carry the risk gene."
    ),
    "pr_compared": (
        "40% of smokers who carry the risk gene get lung cancer, compared with 20% of smokers who do not "
        "carry the risk gene."
    ),
    "pr_versus": (
        "The share of smokers who carry the risk gene who get lung cancer is 40%, versus 20% for smokers who "
        "do not carry the risk gene."
    ),
    "pr_respectively": (
        "Among smokers who carry the risk gene and smokers who do not carry the risk gene, respectively, 40% "
        "and 20% get lung cancer."
    ),
    "pr_notation": "P(lung_cancer=1 | smoking=1, gene=1) = 0.4 and P(lung_cancer=1 | smoking=1, gene=0) = 0.2.",
    "j_and": "12% of people smoke and get lung cancer.",
    "j_share": "The share of people who smoke and get lung cancer is 12%.",
    "j_among_all": "Among all people, 12% smoke and get lung cancer.",
    "j_notation": "P(smoking=1, lung_cancer=1) = 0.12.",
    "j_both": "12% of people both smoke and get lung cancer.",
    "j_both_among": "Among all people, 12% both smoke and get lung cancer.",
    "q_does_increase": "Does smoking increase the chance of lung cancer?",
    "q_will_raise": "Will smoking raise the probability that people get lung cancer?",
    "q_would_lower": "Would smoking lower the chance of lung cancer?",
    "q_is_reduce": "Is smoking effective at reducing the risk of lung cancer?",
    "q_can_prevent": "Can smoking prevent lung cancer?",
    "q_help": "Does smoking help people get lung cancer?",
    "q_more_likely": "Does smoking make lung cancer more likely?",
    "q_less_likely": "Does smoking make people less likely to get lung cancer?",
    "q_off_reduce": "Would quitting smoking reduce the chance of lung cancer?",
    "q_off_more": "Would quitting smoking make people more likely to get lung cancer?",
    "q_neg_outcome": "Does smoking help people stay cancer-free?",
    "q_off_neg_outcome": "Would quitting smoking help people stay cancer-free?",
    "q_everyone": "If smoking were imposed on all people, would lung cancer become more common than if it were banned?",
    "q_affect": "Does smoking affect whether people get lung cancer?",
    "q_do_gt": "Is P(lung_cancer=1 | do(smoking=1)) > P(lung_cancer=1 | do(smoking=0))?",
    "q_do_lt": "Is P(lung_cancer=1 | do(smoking=1)) < P(lung_cancer=1 | do(smoking=0))?",
    "q_ate_positive": "Is the ATE of smoking on lung cancer positive?",
    "q_ate_negative": "Is the average treatment effect of smoking on lung cancer negative?",
    "q_ate_value": "What is the ATE of smoking on lung cancer?",
    "q_ate_diff": "What is P(lung_cancer=1 | do(smoking=1)) - P(lung_cancer=1 | do(smoking=0))?",
    "q_ate_words": "By how much does smoking change the probability of lung cancer, as a difference of probabilities?",
    "q_ate_avg": "What is the average causal effect of smoking on the chance that people get lung cancer?",
    "q_corr_more": "Are smokers more likely than non-smokers to get lung cancer?",
    "q_corr_less": "Is lung cancer less common among smokers than among non-smokers?",
    "q_corr_note": "Is P(lung_cancer=1 | smoking=1) > P(lung_cancer=1 | smoking=0)?",
    "q_corr_assoc": "In the data, is smoking associated with a higher rate of lung cancer?",
    "q_corr_value": "What is P(lung_cancer=1 | smoking=1) - P(lung_cancer=1 | smoking=0)?",
    "q_corr_gap": (
        "How much larger is the share of smokers who get lung cancer than the share of non-smokers who get "
        "lung cancer, as a difference of probabilities?"
    ),
    "q_marg_share": "Overall, what share of people get lung cancer?",
    "q_marg_note": "What is P(lung_cancer=1)?",
    "q_marg_prob": "What is the overall probability of lung cancer?",
    "q_ett_less": "For those who smoke, would lung cancer have been less likely had they not smoked?",
    "q_ett_more": "Would smokers have been more likely to get lung cancer if they had not smoked?",
    "q_ett_those": "For those who smoke, does smoking raise the chance of lung cancer?",
    "q_ett_treated": "Is the effect of smoking on lung cancer among smokers (the ETT) positive?",
    "q_nde_aside": "Leaving aside tar buildup, does smoking increase the chance of lung cancer?",
    "q_nde_not_through": "Not counting any effect through tar buildup, does smoking lower the chance of lung cancer?",
    "q_nde_direct": "Does smoking have a positive direct effect on lung cancer that does not go through tar buildup?",
    "q_nde_value": "What is the natural direct effect of smoking on lung cancer?",
    "q_nde_value_aside": "Leaving tar buildup aside, what is the natural direct effect (NDE) of smoking on lung cancer?",
    "q_nie_through": "Does smoking increase the chance of lung cancer through tar buildup?",
    "q_nie_via": "Does smoking lower the chance of lung cancer via its effect on tar buildup?",
    "q_nie_mediated": "Is the part of the effect of smoking on lung cancer that is mediated by tar buildup positive?",
    "q_nie_value": "What is the natural indirect effect of smoking on lung cancer through tar buildup?",
    "q_nie_value_via": "How large is the effect of smoking on lung cancer that goes via tar buildup (the NIE)?",
    "q_among_only": "Among hospitalized people only, are smokers more likely than non-smokers to get lung cancer?",
    "q_among_note": "Is P(lung_cancer=1 | smoking=1, hospitalization=1) > P(lung_cancer=1 | smoking=0, hospitalization=1)?",
    "q_among_less": "Looking only at hospitalized people, is lung cancer less common among smokers than among non-smokers?",
    "r_exactly_when": "The lamp is lit exactly when the wall switch is on and the desk switch is on.",
    "r_iff": "The lamp is lit if and only if the wall switch is on and the desk switch is on.",
    "r_whenever": "Whenever the wall switch is on and the desk switch is on, the lamp is lit; otherwise the lamp is dark.",
    "r_if_then": (
        "If the wall switch is on and the desk switch is on, then the lamp is lit; in every other case, the "
        "lamp is dark."
    ),
    "r_at_least_one": (
        "The grass is wet as soon as at least one of these holds: it rains; the sprinkler is on. If neither "
        "holds, the grass is dry."
    ),
    "r_only_neither": (
        "The grass is dry only when it does not rain and the sprinkler is off; in every other case, the grass"
        " is wet."
    ),
    "r_needs_both": (
        "The lamp is lit only when the wall switch is on and the desk switch is on at the same time; "
        "otherwise the lamp is dark."
    ),
    "r_any_missing": "If the wall switch is off or the desk switch is off, the lamp is dark; otherwise the lamp is lit.",
    "r_unless": "The light is on when the switch is on, unless the fuse is blown; otherwise the light is off.",
    "r_unless_first": (
        "Unless the fuse is blown, the light is on exactly when the switch is on; if the fuse is blown, the "
        "light is off."
    ),
    "r_and_not": "The light is on exactly when the switch is on and the fuse is intact.",
    "r_except": "If the switch is on, the light is on, except when the fuse is blown; in all other cases, the light is off.",
    "o_plain": "It rained, the sprinkler was off and the grass was wet.",
    "o_yesterday": "Yesterday, it rained, the sprinkler was off and the grass was wet.",
    "o_observed": "We observed that it rained, the sprinkler was off and the grass was wet.",
    "o_one_day": "On one particular day, it rained, the sprinkler was off and the grass was wet.",
    "o_turned_out": "It turned out that it rained, the sprinkler was off and the grass was wet.",
    "o_known": "We know that it rained, the sprinkler was off and the grass was wet.",
    "cf_had": "Had it not rained, would the grass have been wet?",
    "cf_if_had": "If it had not rained, would the grass have been wet?",
    "cf_suppose": "Suppose it had not rained. Would the grass have been wet?",
    "cf_world": "In a world where it had not rained, would the grass have been wet?",
    "cf_would_if": "Would the grass have been wet if it had not rained?",
    "cf_counter": "Counterfactually, if it had not rained, would the grass have been wet?",
    "cf_had_neg": "Had it not rained, would the grass have stayed dry?",
    "cf_if_neg": "If it had not rained, would the grass have stayed dry?",
    "cf_still": "Would the grass still have been wet if it had not rained?",
    "cf_still_neg": "Would the grass still have stayed dry if it had not rained?",
}
