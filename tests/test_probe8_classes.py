"""Classes of confident wrong answers the eighth hostile probe found (issue 16, build 571dede: 32 of 255), each with
phrasings of my own: a chance asked with a value the story never names ("what share of commuters were on time?" on a
story of lateness, "what share of well people test negative?") read as the share of the group alone; words that
restrict the causes ("Only fitness affects winning", "depends on fitness alone") lost, so the numbers' conditioning was
read instead; "still" after a copula ("would the fan have been still") dropped; a question restricted to a group
("does the course help motivated students pass?") answered for everyone; the effect on the treated asked with
"instead of" reported with the other sign. Right or declined passes; truths are computed here."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident, never_wrong

TRAIN = "Taking the train makes staff late. 40% of staff come by train. 30% of train riders are late, vs 10% of those who don't."


@pytest.mark.parametrize("question", [
    "What share of train riders were on time?",
    "What share of train riders arrived punctually?",
    "What share of punctual staff came by train?",
    "What share of staff who did not take the train were on time?",
])
def test_a_chance_of_a_value_the_story_never_names_is_asked_about(question):
    a = ask(f"{TRAIN} {question}")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question, want", [
    ("What share of train riders are late?", 0.3),
    ("What share of late staff came by train?", 0.4 * 0.3 / (0.4 * 0.3 + 0.6 * 0.1)),
])
def test_a_chance_of_what_the_story_names_is_still_answered(question, want):
    a = ask(f"{TRAIN} {question}")
    assert confident(a) and abs(a["value"] - want) < 1e-9, a["text"]


FIT = ("50% of players are fit. Among fit players, 60% use the gym; among the others, 20% do. Win rates: fit with gym "
       "70%, fit without 50%, others with gym 40%, others without 30%.")


@pytest.mark.parametrize("opening", [
    "Only fitness affects winning.",
    "Winning depends on fitness alone.",
    "Fitness is the sole cause of winning.",
    "Fitness affects winning and nothing else does.",
])
def test_words_that_restrict_the_causes_are_never_overridden_by_the_numbers(opening):
    a = ask(f"{opening} {FIT} Does the gym increase the chance of winning?")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question", [
    "Does the gym help fit players win?",
    "Does the gym help unfit players win?",
])
def test_a_question_restricted_to_a_group_is_never_answered_for_everyone(question):
    a = ask(f"Fitness affects both the gym and winning. {FIT} {question}")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question", [
    "Would the fan have been still had the power been off?",
    "Would the fan have stayed still if the power had been off?",
])
def test_still_after_a_copula_is_a_value_never_dropped(question):
    a = ask(f"The fan runs only when the power is on. The power was on and the fan ran. {question}")
    assert not confident(a), a["text"]


def test_the_effect_on_the_treated_said_with_instead_of_has_the_asked_sign():
    # P(fit | gym) = 0.3 / 0.4 = 0.75: E[Y1 - Y0 | gym] = 0.75 * 0.2 + 0.25 * 0.1 = 0.175
    a = ask(f"Fitness affects both the gym and winning, and the gym affects winning. {FIT} For players who use the "
            "gym, would they be more likely to win if they used it instead of not using it?")
    never_wrong(a, "yes", 0.175)
    if confident(a):
        assert a["value"] > 0, a["text"]
