"""Deterministic rules misread into confident wrong answers (blind set 4, first contact): a rule whose condition counts
things ("one of its two switches ... the other") is no and/or of named conditions, and "out of" / "away from" a
place in a counterfactual is not being there. Several phrasings each, my own; truths by evaluating the rule here."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("story", [
    "The hallway light is on exactly when one of its two switches is up and the other is down. Both switches are down "
    "and the light is off. Had the top switch been up, would the light be on?",
    "The buzzer sounds exactly when exactly one of the two buttons is pressed. Neither button was pressed and the "
    "buzzer was silent. Had the red button been pressed, would the buzzer have sounded?",
    "The gate opens if and only if only one of the three keys is turned. No key was turned and the gate stayed shut. "
    "Had the first key been turned, would the gate have opened?",
    "The valve opens exactly when at least two sensors fire. No sensor fired and the valve stayed closed. Had the "
    "left sensor fired, would the valve have opened?",
])
def test_a_rule_that_counts_is_asked_about_never_read_as_and_or(story):
    a = ask(story)
    assert not confident(a), a["text"]
    assert a["outcome"] == "declined", a


# Healthy = NOT (overwatered AND shade); observed overwatered = 1, shade = 1, so healthy = 0.
FERN = ("My fern stays healthy unless it is both overwatered and kept in the shade. This month it was overwatered, "
        "it sat in the shade, and it did not stay healthy.")


@pytest.mark.parametrize("antecedent", [
    "Had I moved it out of the shade",
    "If I had taken it out of the shade",
    "Had it been kept away from the shade",
    "Had it not been kept in the shade",
])
def test_out_of_and_away_from_a_place_in_a_counterfactual_is_not_being_there(antecedent):
    # do(shade = 0): healthy = NOT (1 AND 0) = 1
    never_wrong(ask(f"{FERN} {antecedent}, would it have stayed healthy?"), "yes")


@pytest.mark.parametrize("question, expect", [
    ("Had it not been overwatered, would it have stayed healthy?", "yes"),  # NOT (0 AND 1) = 1
    ("Had it been overwatered and out of the shade, would it have stayed healthy?", None),  # two changes: ask or right
])
def test_unless_both_is_not_of_a_conjunction(question, expect):
    a = ask(f"{FERN} {question}")
    if expect is None:
        never_wrong(a, "yes")
    else:
        never_wrong(a, expect)


def test_the_fern_is_answered_not_declined():
    a = ask(f"{FERN} Had I moved it out of the shade, would it have stayed healthy?")
    assert confident(a) and a["answer"] == "yes", a["text"]
