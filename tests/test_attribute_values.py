"""A variable named by its attribute is said by its values (issue 16): "ability" by "strong"/"weak" students, "age"
by "young"/"older" workers, "soil quality" by "good"/"poor" soil, "risk level" by "high-risk"/"low-risk" patients.
The words are data (lexicon ``attribute_values``); a value word that fits no variable of the story is still asked
about, never dropped.  Each case is my own wording."""

from __future__ import annotations

import pytest

from fmcgm.language.names import mentions, stray_values
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("phrase, nodes, expect", [
    ("strong students", ["ability", "prep course"], [("ability", 1)]),
    ("the weak ones", ["ability", "prep course"], [("ability", 0)]),
    ("talented applicants", ["talent", "admission"], [("talent", 1)]),
    ("older workers who bike", ["age", "biking"], [("age", 1), ("biking", 1)]),
    ("young drivers", ["driver age", "crashes"], [("driver age", 0)]),
    ("severe cases", ["severity", "treatment"], [("severity", 1)]),
    ("mild patients", ["disease severity", "treatment"], [("disease severity", 0)]),
    ("good soil with new seed", ["soil quality", "new seed"], [("soil quality", 1), ("new seed", 1)]),
    ("poor-soil farmers", ["soil quality", "new seed"], [("soil quality", 0)]),
    ("high-risk patients", ["risk level", "drug"], [("risk level", 1)]),
    ("low risk patients on the drug", ["risk level", "drug"], [("risk level", 0), ("drug", 1)]),
    ("hot days", ["temperature", "ice cream sales"], [("temperature", 1)]),
    ("wealthy families", ["family income", "private school"], [("family income", 1)]),
    ("large classes", ["class size", "grades"], [("class size", 1)]),
])
def test_a_value_word_names_its_attribute(phrase, nodes, expect):
    got = [(m.node, m.value) for m in mentions(phrase, nodes)]
    assert got == expect, got
    assert stray_values(phrase, nodes) == []


@pytest.mark.parametrize("phrase, nodes", [
    ("strong students", ["income", "prep course"]),  # strength is no income
    ("good soil", ["rainfall", "new seed"]),
    ("hot days", ["age", "ice cream"]),
])
def test_a_value_word_of_no_variable_is_still_asked_about(phrase, nodes):
    assert mentions(phrase, nodes) == [] or stray_values(phrase, nodes), mentions(phrase, nodes)


# P(strong) = 0.4; course: 0.7 | strong, 0.2 | weak; pass: strong & course 0.95, strong no course 0.85,
# weak & course 0.60, weak no course 0.40.  ATE = 0.4 * 0.10 + 0.6 * 0.20 = 0.16.
ABILITY = [
    "40% of our students are strong. 70% of the strong students took the prep course, and 20% of the weak ones. "
    "Pass rates: strong with the course 95%, strong without 85%, weak with the course 60%, weak without 40%. "
    "Ability affects both who takes the prep course and passing, and the prep course affects passing.",
    "Ability drives taking the prep course and passing; the prep course also affects passing. Two in five students "
    "are strong. Among strong students 70% take the prep course, among weak students 20%. Strong students pass 95% "
    "of the time with the course and 85% without. Weak students pass 60% of the time with the course and 40% without.",
]


@pytest.mark.parametrize("story", ABILITY)
def test_a_story_told_by_values_of_its_confounder_is_answered(story):
    a = ask(story + " Does the prep course raise the chance of passing?")
    never_wrong(a, "yes", 0.16)
    assert confident(a), a["text"]


def test_values_of_a_variable_the_story_never_names_are_not_guessed():
    a = ask("Income affects both who takes the prep course and passing, and the prep course affects passing. 40% of "
            "our students are strong. 70% of the strong students took the prep course, and 20% of the weak ones. Pass "
            "rates: strong with the course 95%, strong without 85%, weak with the course 60%, weak without 40%. Does "
            "the prep course raise the chance of passing?")
    assert not confident(a), a["text"]


# "G are more likely to A and to B": an association read as no arrow; its phrases must name variables with numbers.
# P(old) = 0.3; helmet: 0.8 | old, 0.4 | young; injury: old & helmet 0.2, old & none 0.5, young & helmet 0.1,
# young & none 0.2.  ATE of the helmet on injury = 0.3 * (-0.3) + 0.7 * (-0.1) = -0.16.
HELMET = ("Older riders are more likely to wear a helmet and also more likely to get injured. {extra}30% of riders are "
          "old. 80% of old riders wear a helmet, and 40% of young riders. Injury rates: old with a helmet 20%, old "
          "without 50%, young with a helmet 10%, young without 20%.")


@pytest.mark.parametrize("extra", ["", "Wearing a helmet affects injury. "])
def test_a_group_said_more_likely_to_do_two_things_is_read_as_their_association(extra):
    a = ask(HELMET.format(extra=extra) + " Does wearing a helmet lower the chance of injury?")
    never_wrong(a, "yes", 0.16)
    assert confident(a), a["text"]


@pytest.mark.parametrize("sentence", [
    "Reckless riders are more likely to skip the helmet and to get injured.",
    "Careful riders are more likely to wear a helmet and less likely to get injured.",
])
def test_a_factor_said_only_in_an_association_is_asked_about(sentence):
    a = ask(f"{sentence} 80% of riders wear a helmet. Injury rates: with a helmet 10%, without 30%. Does wearing a "
            "helmet lower the chance of injury?")
    assert not confident(a), a["text"]
