"""Classes of confident wrong answers the sixth hostile probe found (issue 16, build 7333ff8: 19 of 340), each with
phrasings of my own: a value word of one variable flipping the next name in a compact table ("weak tutored 45%" read
as not tutored); numbers that contradict the graph (a chain without X -> Y, but Y's numbers depend on X given M);
"would Y differ?" read as "would Y be 1?". Right or declined passes."""

from __future__ import annotations

import pytest

from fmcgm.language.names import mentions
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("phrase, nodes, expect", [
    ("weak tutored", ["ability", "tutoring"], [("ability", 0), ("tutoring", 1)]),
    ("poor vaccinated", ["income", "vaccination"], [("income", 0), ("vaccination", 1)]),
    ("young treated", ["age", "treatment"], [("age", 0), ("treatment", 1)]),
])
def test_a_value_word_is_its_own_variables_never_the_next_names(phrase, nodes, expect):
    assert [(m.node, m.value) for m in mentions(phrase, nodes)] == expect


# P(rich) = 0.4; vaccinated: 0.7 | rich, 0.3 | poor; flu: rich & vacc 0.10, rich & not 0.20, poor & vacc 0.15,
# poor & not 0.35.  ATE = 0.4 * (-0.10) + 0.6 * (-0.20) = -0.16
@pytest.mark.parametrize("table", [
    "Flu rates: rich vaccinated 10%, rich unvaccinated 20%, poor vaccinated 15%, poor unvaccinated 35%.",
    "Flu rates: poor vaccinated 15%, poor unvaccinated 35%, rich vaccinated 10%, rich unvaccinated 20%.",
])
def test_a_compact_table_over_a_negative_value_word(table):
    a = ask("Income affects both vaccination and flu, and vaccination affects flu. 40% of people are rich. 70% of rich "
            f"people are vaccinated, compared with 30% of poor people. {table} Does vaccination lower the flu?")
    never_wrong(a, "yes", 0.16)


@pytest.mark.parametrize("story", [
    "A -> B -> C. P(B=1|A=0)=0.3, P(B=1|A=1)=0.8, P(C=1|A=0,B=0)=0.2, P(C=1|A=0,B=1)=0.5, P(C=1|A=1,B=0)=0.1, "
    "P(C=1|A=1,B=1)=0.3. What is the ATE of A on C?",
    "Rain (X) -> wet road (M) -> accident (Y), with no direct X -> Y arrow. P(M=1|X=0)=0.2, P(M=1|X=1)=0.9, "
    "P(Y=1|X=0,M=0)=0.1, P(Y=1|X=0,M=1)=0.3, P(Y=1|X=1,M=0)=0.05, P(Y=1|X=1,M=1)=0.2. What is the NIE?",
    "Training affects skill, and skill affects promotion; nothing else is involved. Training was assigned at random. "
    "Among trained people, 80% gain skill; among untrained, 30%. Promotion: trained & skilled 60%, trained & "
    "unskilled 20%, untrained & skilled 40%, untrained & unskilled 10%. Does training raise promotion?",
])
def test_numbers_that_depend_on_what_the_graph_says_they_do_not_are_refused(story):
    a = ask(story)
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question", [
    "Y = A AND (B OR C). Observed A=1, B=0, C=1. Under do(C=0), would Y differ from what was observed?",
    "The lamp is on exactly when the switch is up and the power is on. The switch was up and the power was on. Had "
    "the power been off, would the lamp be different?",
    "Z = A OR B. Observed A=1, B=0. Had A been 0, would Z change?",
])
def test_would_it_differ_is_never_read_as_would_it_be_one(question):
    assert not confident(ask(question))
