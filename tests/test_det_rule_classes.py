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


# A rule said one way ("Y if X", "Y whenever X") is X suffices, with other causes possible: Y = X or U. A
# counterfactual that makes X true is determined; one that makes X false depends on U and is never answered.
@pytest.mark.parametrize("story, expect", [
    ("The lamp comes on whenever the doorbell rings or the motion sensor fires, and last night the doorbell rang "
     "and the motion sensor fired. Had the doorbell not rung, would the lamp have come on?", "yes"),  # sensor fired
    ("The alarm sounds if there is smoke. There was no smoke and the alarm was silent. Had there been smoke, would "
     "the alarm have sounded?", "yes"),
    ("The alarm sounds if there is smoke. There was no smoke and the alarm was silent. Had there been smoke, would "
     "the alarm have been silent?", "no"),
    ("The gate opens whenever the guard presses the button. The guard did not press the button and the gate stayed "
     "shut. Had the guard pressed the button, would the gate have opened?", "yes"),
])
def test_a_rule_said_one_way_answers_what_it_determines(story, expect):
    a = ask(story)
    never_wrong(a, expect)
    assert confident(a), a["text"]


@pytest.mark.parametrize("story", [
    "The alarm sounds if there is smoke. There was smoke and the alarm sounded. Had there been no smoke, would the "
    "alarm have sounded?",
    "The lamp comes on whenever the switch is flipped. The switch was flipped and the lamp came on. Had the switch "
    "not been flipped, would the lamp have come on?",
    "The motor runs only when the key is in. The key was out and the motor did not run. Had the key been in, would "
    "the motor have run?",
])
def test_what_a_one_way_rule_leaves_open_is_not_guessed(story):
    a = ask(story)
    assert not confident(a), a["text"]


def test_a_one_way_rule_in_a_story_with_numbers_is_asked_about():
    a = ask("Smoking causes cancer. The alarm sounds if there is smoke. 30% of people smoke. Among smokers, 20% get "
            "cancer; among non-smokers, 5%. Does smoking increase the chance of cancer?")
    assert a["outcome"] == "declined" and not confident(a), a["text"]


@pytest.mark.parametrize("observed, expect", [
    ("There was smoke and the alarm was not silent.", "yes"),
    ("There was no smoke and the alarm was silent.", "yes"),
])
def test_an_observation_said_by_its_antonym_has_the_other_value(observed, expect):
    # Alarm = smoke (iff). do(smoke = 0) -> alarm off -> silent: yes either way, but the observation must be consistent
    a = ask(f"The alarm sounds exactly when there is smoke. {observed} Had there been no smoke, would the alarm have "
            "been silent?")
    never_wrong(a, expect)
    assert confident(a), a["text"]
