"""Names of use said by what is used (issue 16): "statin use" by "take statins" / "on statins", "helmet use" by "wear
helmets" / "skip helmets"; a pole before a hyphen ("low-income families"); a lead-in before a colon ("Some background
from our clinic: ..."). And a negation never crosses such a name: "workers who skip helmets get injured in 60 cases
out of 100" is injury for those without helmets, not no injury (a generated tune story answered wrongly while the
use-name reading was being added).  My own phrasings; truths by hand."""

from __future__ import annotations

import pytest

from fmcgm.language.names import mentions, stray_values
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("phrase, expect", [
    ("patients who take statins", [("statin use", 1)]),
    ("high cholesterol not on statins", [("cholesterol level", 1), ("statin use", 0)]),
    ("workers who skip helmets get injured", [("helmet use", 0), ("injury", 1)]),
    ("workers who wear helmets and get injured", [("helmet use", 1), ("injury", 1)]),
])
def test_a_name_of_use_is_said_by_what_is_used(phrase, expect):
    nodes = ["statin use", "cholesterol level", "helmet use", "injury"]
    assert [(m.node, m.value) for m in mentions(phrase, nodes)] == expect


@pytest.mark.parametrize("phrase, value", [("kids from low-income families", 0), ("high-income households", 1)])
def test_a_pole_before_a_hyphen_is_the_value(phrase, value):
    assert [(m.node, m.value) for m in mentions(phrase, ["family income", "breakfast"])] == [("family income", value)]
    assert stray_values(phrase, ["family income", "breakfast"]) == []


# P(high) = 0.4; statin: 0.7 | high, 0.2 | normal; attack: high & statin 0.08, high & none 0.15, normal & statin 0.03,
# normal & none 0.04.  ATE = 0.4 * (-0.07) + 0.6 * (-0.01) = -0.034
STATINS = ("Some background from our clinic: 40% of our patients have high cholesterol. 70% of them take statins, "
           "against 20% of the others. Heart attack rates: high cholesterol on statins 8%, high cholesterol not on "
           "statins 15%, normal cholesterol on statins 3%, normal cholesterol not on statins 4%. Cholesterol level "
           "affects both statin use and heart attacks, and statin use affects heart attacks.")


def test_a_story_told_by_what_is_used_is_answered():
    a = ask(STATINS + " Does statin use lower the chance of a heart attack?")
    never_wrong(a, "yes", 0.034)
    assert confident(a), a["text"]


@pytest.mark.parametrize("sentence", [
    "Trained workers who skip helmets get injured in 60 cases out of 100.",
    "Among trained workers who skip helmets, 60% get injured.",
    "Trained workers who go without helmets get injured 60% of the time.",
])
def test_a_negation_before_a_name_said_in_part_is_that_names(sentence):
    # front door over training -> helmet use -> injury with an unmeasured factor of training and injury:
    # ATE = -0.0467 (see the module docstring's story; numbers as in the generated story)
    a = ask("The share of trained workers who wear helmets is 65%. The share of trained workers who wear helmets who "
            "get injured is 20%. The share of untrained workers who wear helmets who get injured is 30%, versus 3% "
            f"for untrained workers who skip helmets. {sentence} 79% of workers get safety training. The share of "
            "untrained workers who wear helmets is 47%. Some unmeasured factor affects both safety training and "
            "injury. Safety training changes helmet use, and helmet use changes injury. Is safety training effective "
            "at reducing the risk of getting injured?")
    never_wrong(a, "yes", 0.0467)
