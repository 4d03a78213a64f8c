"""Formal notation as people write it (issue 16): labels ("Model:", "Graph:"), statements joined by "and",
"plus", "with" and semicolons, unobserved parents said inline, stated absences, closures, E[...] for binary
expectations, negation by "~", imperative queries without a question mark, and an estimand named beside its
formula.  Every truth is computed here by enumeration of the stated model, never written down."""

from __future__ import annotations

import itertools

import pytest

from tests.test_reader_adversarial import ask, confident

# A -> B -> C
CHAIN = {"A": ((), {(): 0.4}), "B": (("A",), {(1,): 0.9, (0,): 0.2}), "C": (("B",), {(1,): 0.7, (0,): 0.1})}
CHAIN_P = "P(A=1)=0.4, P(B=1|A=1)=0.9, P(B=1|A=0)=0.2, P(C=1|B=1)=0.7, P(C=1|B=0)=0.1"
# T -> M -> O and T -> O
MED = {"T": ((), {(): 0.5}), "M": (("T",), {(1,): 0.8, (0,): 0.3}),
       "O": (("T", "M"), {(1, 1): 0.6, (1, 0): 0.5, (0, 1): 0.4, (0, 0): 0.1})}
MED_P = ("P(T=1)=0.5; P(M=1|T=1)=0.8; P(M=1|T=0)=0.3; P(O=1|T=1,M=1)=0.6; P(O=1|T=1,M=0)=0.5; "
         "P(O=1|T=0,M=1)=0.4; P(O=1|T=0,M=0)=0.1")


def prob(model: dict, event: dict, do: dict | None = None, given: dict | None = None) -> float:
    """P(event | given) in the model after do(...), by enumerating every assignment."""
    names, do, given = list(model), do or {}, given or {}
    num = den = 0.0
    for vals in itertools.product((0, 1), repeat=len(names)):
        a = dict(zip(names, vals, strict=True))
        p = 1.0
        for n, (pa, cpt) in model.items():
            if n in do:
                p *= float(a[n] == do[n])
                continue
            p1 = cpt[tuple(a[q] for q in pa)]
            p *= p1 if a[n] else 1 - p1
        if all(a[k] == v for k, v in given.items()):
            den += p
            if all(a[k] == v for k, v in event.items()):
                num += p
    return num / den


def ate(model, x, y):
    return prob(model, {y: 1}, {x: 1}) - prob(model, {y: 1}, {x: 0})


def nde(model, x, m, y):
    """Σ_m P(m | x=0) [P(y | x=1, m) - P(y | x=0, m)] (no confounding)."""
    return sum(prob(model, {m: v}, given={x: 0}) * (prob(model, {y: 1}, given={x: 1, m: v})
                                                    - prob(model, {y: 1}, given={x: 0, m: v})) for v in (0, 1))


def nie(model, x, m, y):
    """Σ_m [P(m | x=1) - P(m | x=0)] P(y | x=0, m) (no confounding)."""
    return sum((prob(model, {m: v}, given={x: 1}) - prob(model, {m: v}, given={x: 0}))
               * prob(model, {y: 1}, given={x: 0, m: v}) for v in (0, 1))


def answered(a: dict, value: float) -> None:
    assert confident(a), a
    assert abs(a["value"] - value) < 1e-6, (a["value"], value, a["text"])


@pytest.mark.parametrize("graph,query", [
    ("Model: A -> B -> C.", "What is P(C=1|do(A=1)) - P(C=1|do(A=0))?"),
    ("Graph: A -> B -> C.", "Compute E[C|do(A=1)] - E[C|do(A=0)]."),
    ("DAG: A -> B; B -> C.", "Find E[C | do(A=1)] - E[C | do(A=0)]."),
    ("Causal model A -> B -> C and nothing else.", "Calculate P(C=1 | do(A=1)) - P(C=1 | do(A=0))."),
    ("The graph is A -> B and B -> C.", "E[C|do(A=1)] - E[C|do(A=0)] = ?"),
    ("Only A -> B -> C.", "What is the ATE of A on C?"),
])
def test_labelled_graphs_and_imperative_queries(graph, query):
    answered(ask(f"{graph} {CHAIN_P}. {query}"), ate(CHAIN, "A", "C"))


def test_lowercase_p_tilde_negation_and_bare_decimals():
    q = "graph: a -> b. p(a)=.4, p(b|a)=.9, p(b|~a)=.2. E[b|do(a)] - E[b|do(~a)] = ?"
    answered(ask(q), 0.9 - 0.2)


@pytest.mark.parametrize("graph", [
    "T -> M -> O and T -> O.",
    "T -> M -> O plus T -> O, no confounding.",
    "Mediation model: T -> M -> O, T -> O.",
    "T -> M -> O, with T -> O as well.",
])
@pytest.mark.parametrize("query,which", [
    ("What is the natural direct effect of T on O?", "nde"),
    ("Natural indirect effect of T on O through M?", "nie"),
    ("What is the NIE of T on O?", "nie"),
])
def test_mediation_graphs_joined_in_every_way(graph, query, which):
    truth = nde(MED, "T", "M", "O") if which == "nde" else nie(MED, "T", "M", "O")
    answered(ask(f"{graph} {MED_P}. {query}"), truth)


FD = {"A": ((), {(): 0.6}), "B": (("A",), {(1,): 0.75, (0,): 0.25}),
      "C": (("A", "B"), {(1, 1): 0.5, (1, 0): 0.3, (0, 1): 0.4, (0, 0): 0.1})}
FD_P = ("P(A=1)=0.6; P(B=1|A=1)=0.75, P(B=1|A=0)=0.25; P(C=1|A=1,B=1)=0.5, P(C=1|A=1,B=0)=0.3, "
        "P(C=1|A=0,B=1)=0.4, P(C=1|A=0,B=0)=0.1")


def front_door(model):
    """Σ_b P(b | do a) Σ_a' P(C | a', b) P(a'), for a = 1 minus a = 0."""
    def p_do(a):
        return sum(prob(model, {"B": b}, given={"A": a}) * sum(
            prob(model, {"C": 1}, given={"A": a2, "B": b}) * prob(model, {"A": a2}) for a2 in (0, 1))
            for b in (0, 1))
    return p_do(1) - p_do(0)


@pytest.mark.parametrize("graph", [
    "A -> B -> C, with an unobserved U -> A and U -> C, and no direct arrow from A to C.",
    "A -> B -> C; U -> A, U -> C; U unobserved; no arrow from A to C.",
    "Graph: A -> B -> C and a hidden U -> A, U -> C.",
])
def test_front_door_with_unobserved_parent_said_inline(graph):
    answered(ask(f"{graph} {FD_P}. Compute E[C|do(A=1)] - E[C|do(A=0)]."), front_door(FD))


@pytest.mark.parametrize("text", [
    "A -> C, with an unobserved U -> A and U -> C. P(A=1)=0.5, P(C=1|A=1)=0.6, P(C=1|A=0)=0.3. "
    "Compute E[C|do(A=1)] - E[C|do(A=0)].",
    "Graph: A -> C, U -> A, U -> C, U unobserved. P(A=1)=0.5, P(C=1|A=1)=0.6, P(C=1|A=0)=0.3. "
    "What is E[C|do(A=1)] - E[C|do(A=0)]?",
])
def test_an_unobserved_confounder_in_notation_is_not_identifiable(text):
    a = ask(text)
    assert not confident(a), a
    assert a["outcome"] == "not_identifiable", a


@pytest.mark.parametrize("graph", ["A -> C, and no arrow between A and C.", "A -> B -> C, no direct arrow from B to C.",
                                   "A -> C. There is no edge from A to C."])
def test_a_stated_absence_that_contradicts_an_arrow_is_declined(graph):
    a = ask(f"{graph} P(A=1)=0.5, P(C=1|A=1)=0.6, P(C=1|A=0)=0.3. What is P(C=1|do(A=1)) - P(C=1|do(A=0))?")
    assert not confident(a), a


@pytest.mark.parametrize("query", [
    "What is the effect of treatment on the treated, E[C_1 - C_0 | A=1]?",
    "Compute E[C_{1} - C_{0} | A = 1].",
    "What is the ETT of A on C?",
])
def test_effect_on_the_treated_written_with_potential_outcomes(query):
    a = ask(f"Only A -> C, nothing else. P(A=1)=0.3, P(C=1|A=1)=0.45, P(C=1|A=0)=0.25. {query}")
    answered(a, 0.45 - 0.25)


def test_a_named_estimand_that_disagrees_with_its_formula_is_declined():
    a = ask("Only A -> C. P(A=1)=0.3, P(C=1|A=1)=0.45, P(C=1|A=0)=0.25. "
            "What is the effect of treatment on the treated, P(C=1|do(A=1)) - P(C=1|do(A=0))?")
    assert not confident(a), a


def test_a_marginal_asked_in_notation():
    answered(ask(f"A -> B -> C. {CHAIN_P}. What is P(C=1)?"), prob(CHAIN, {"C": 1}))


def test_no_arrow_is_never_read_as_an_arrow():
    # with "no arrow from B to C" read as B -> C the effect of A on C would be 0.7 * 0.7; without it, A -> C alone
    a = ask("A -> B, A -> C, no arrow from B to C. P(A=1)=0.5, P(B=1|A=1)=0.8, P(B=1|A=0)=0.1, "
            "P(C=1|A=1)=0.6, P(C=1|A=0)=0.2. What is P(C=1|do(B=1)) - P(C=1|do(B=0))?")
    if confident(a):
        assert abs(a["value"]) < 1e-9, a


@pytest.mark.parametrize("clause", ["No arrow from A to C, but the moon glows purple.",
                                    "No arrow between B and C, and the moon glows purple."])
def test_a_clause_that_fails_leaves_nothing_of_itself_behind(clause):
    """A compound clause is read part by part; when a part fails, everything the others added goes (the absences
    and half-rules too, not only the arrows and numbers)."""
    from fmcgm.language.prose import read_story

    st = read_story(f"A -> C. {clause} Does A affect C?")
    assert not st.absent and not st.pending and st.edges == [("A", "C")], (st.absent, st.pending, st.edges)
