"""Rules whose condition nests (issue 16): "A and either B or C", "must A and also either B or C", notation
"Y = A AND (B OR C)" and "Rules: Y = A AND B, Z = Y OR C" with "Observed A=1" and "Under do(C=0)".  A flat mix
"A and B or C" has two groupings and is asked about.  Each story is my own wording; truths worked by hand."""

from __future__ import annotations

import pytest

from fmcgm.language.conditions import All, Ambiguous, AnyOf, Lit, parse_condition, parse_rules_notation
from tests.test_reader_adversarial import ask, confident, never_wrong


def test_either_and_both_group_and_a_flat_mix_is_ambiguous():
    assert parse_condition("the card is valid and either the guard approves or it is daytime") == \
        All((Lit("the card is valid"), AnyOf((Lit("the guard approves"), Lit("it is daytime")))))
    assert parse_condition("both A and B, or C") == AnyOf((All((Lit("A"), Lit("B"))), Lit("C")))
    assert parse_condition("A, B and C") == All((Lit("A"), Lit("B"), Lit("C")))
    with pytest.raises(Ambiguous):
        parse_condition("A and B or C")
    assert parse_rules_notation("Y = A AND (B OR C)") == [("Y", All((Lit("A"), AnyOf((Lit("B"), Lit("C"))))))]
    assert parse_rules_notation("P(Y=1) = 0.3") is None


@pytest.mark.parametrize("question, expect", [
    # door = valid and (guard or day); valid, no guard, night, closed
    ("The door opens exactly when the card is valid and either the guard approves or it is daytime. Last night my "
     "card was valid, the guard did not approve, and the door did not open. Had it been daytime, would the door have "
     "opened?", "yes"),
    ("The door opens exactly when the card is valid and either the guard approves or it is daytime. Last night my "
     "card was valid, the guard did not approve, and the door did not open. Had the card been invalid, would the door "
     "have opened?", "no"),
    # loan needs job and (house or guarantor): with no guarantor and no house, no loan
    ("To get the loan you must have a job and either own a house or have a guarantor. Sam has a job, owns no house, "
     "has a guarantor and got the loan. Had Sam had no guarantor, would he have got the loan?", "no"),
    ("Rules: Y = A AND B, Z = Y OR C. Observed A=1, B=1, C=0. Had B been 0, would Z be 1?", "no"),
    ("Rules: Y = A AND B, Z = Y OR C. Observed A=1, B=1, C=1. Had B been 0, would Z be 1?", "yes"),
    ("Y = A AND (B OR C). Observed A=1, B=1, C=1, so Y=1. Under do(C=0), is Y still 1?", "yes"),
    ("Y = A AND (B OR C). Observed A=1, B=0, C=1, so Y=1. Under do(C=0), is Y still 1?", "no"),
])
def test_a_nested_rule_answers_its_counterfactual(question, expect):
    a = ask(question)
    never_wrong(a, expect)
    assert confident(a), a["text"]


def test_a_rule_that_mixes_and_with_or_is_asked_about():
    a = ask("The lamp is on exactly when the switch is up and the bulb works or the battery is charged. The switch "
            "was up, the bulb worked and the battery was flat. Had the switch been down, would the lamp be on?")
    assert not confident(a), a["text"]
    assert "group" in a["text"], a["text"]


@pytest.mark.parametrize("question, expect", [
    # bonus = deals or (hires and review); Ana: no deals, hires, review -> bonus; without the review, no bonus
    ("You get a bonus exactly when you close ten deals, or when you train two new hires and pass the review. Ana "
     "did not close ten deals, trained two new hires, passed the review and got the bonus. Had Ana failed the "
     "review, would she have got the bonus?", "no"),
    ("You get a bonus exactly when you close ten deals, or when you train two new hires and pass the review. Last "
     "month Ana closed ten deals, trained no new hires and failed the review. Had Ana passed the review, would she "
     "have got the bonus?", "yes"),
])
def test_a_repeated_when_opens_a_group_of_its_own(question, expect):
    a = ask(question)
    never_wrong(a, expect)
    assert confident(a), a["text"]


@pytest.mark.parametrize("observation", [
    "the warehouse was on time",
    "the warehouse ran smoothly",
    "the warehouse was fine",
])
def test_an_observation_said_by_its_subject_with_another_predicate_is_not_the_variable(observation):
    # late = warehouse delayed or carrier delayed (exactly): with the warehouse's state unread, nothing is known
    a = ask("An order is late exactly when the warehouse is delayed or the carrier is delayed. Yesterday "
            f"{observation}, the carrier was delayed, and the order was late. Had the carrier not been delayed, would "
            "the order have been late?")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question", [
    "A student graduates exactly when she passes the exam. Lea passed the exam and graduated. Had Lea failed the "
    "exam, would she have graduated?",
    "A paper is published exactly when the editor accepts the paper. The editor accepted the paper and it was "
    "published. Had the editor rejected the paper, would the paper have been published?",
    "The room is cool exactly when the fan runs. The fan ran and the room was cool. Had the fan stopped, would the "
    "room have been cool?",
])
def test_an_antonym_that_is_also_a_negating_verb_flips_once(question):
    # found by this session's own test: "failed" for "passes" was counted as antonym and as negating verb (a 'yes')
    never_wrong(ask(question), "no")


@pytest.mark.parametrize("question", [
    # found in a generated tune story: the "unless" clause became part of the effect's name, and the question's
    # "barked" was grounded to it
    "We know that the dog stayed quiet and the dog was asleep. Unless the dog is asleep, the dog barks exactly when a "
    "stranger comes to the door; if the dog is asleep, the dog stays quiet. Would the dog have barked if a stranger "
    "had come to the door?",
    "The fan was off and the room was cold. If the power is on, the fan runs exactly when the room is hot. Would the "
    "fan have run if the room had been hot?",
    "When the shop is open, the bell rings whenever a customer enters. The shop was closed and no customer entered. "
    "Would the bell have rung if a customer had entered?",
])
def test_a_rule_inside_a_condition_is_asked_about(question):
    a = ask(question)
    assert not confident(a), a["text"]
