"""Classes of confident wrong answers the fifth hostile probe found (issue 16, build 451bc66), each with phrasings of
my own: random assignment denied or confused with random sampling, verbs that negate the treatment ("neglect to",
"forget to", "go without"), and a hedged common cause ("Maybe genetics drives ..."). Right or declined passes."""

from __future__ import annotations

import pytest

from fmcgm.language.prose import assigned_at_random
from tests.test_reader_adversarial import ask, confident, never_wrong

TWO = "35% of people drink coffee. Among coffee drinkers, 60% sleep badly; among the others, 30%."


@pytest.mark.parametrize("sentence", [
    "Coffee drinking was not assigned at random.",
    "We interviewed 500 people chosen at random.",
    "The participants were randomly sampled from the city.",
    "This is an observational study, not a randomized trial.",
    "Nobody was randomized to drink coffee.",
    "A randomized trial would have been impossible here.",
    "Unlike in a randomized experiment, people chose whether to drink coffee.",
])
def test_random_assignment_denied_or_sampling_never_makes_two_variables_causal(sentence):
    assert not assigned_at_random(sentence)
    a = ask(f"{sentence} {TWO} Does coffee make people sleep badly?")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("sentence", [
    "Coffee was assigned at random.",
    "A coin flip decided who drank coffee.",
    "People were randomized to coffee or water.",
])
def test_random_assignment_said_plainly_still_counts(sentence):
    assert assigned_at_random(sentence)
    never_wrong(ask(f"{sentence} {TWO} Does coffee make people sleep badly?"), "yes", 0.3)


DRUG = "The drug affects recovery. 50% of patients take the drug. Among them, 70% recover; among the others, 40% recover."


@pytest.mark.parametrize("verb", ["neglecting to take", "forgetting to take", "going without"])
def test_more_verbs_that_negate_the_treatment_keep_the_sign(verb):
    never_wrong(ask(f"{DRUG} Does {verb} the drug hurt recovery?"), "yes", 0.3)
    never_wrong(ask(f"{DRUG} Does {verb} the drug help recovery?"), "no", 0.3)


@pytest.mark.parametrize("rule_q, expect", [
    ("The plant grows exactly when it is watered. It was watered and it grew. Had I neglected to water it, would it "
     "have grown?", "no"),
    ("The plant grows exactly when it is watered. It was watered and it grew. Had I forgotten to water it, would it "
     "have grown?", "no"),
])
def test_negating_verbs_in_a_counterfactual_antecedent(rule_q, expect):
    never_wrong(ask(rule_q), expect)


@pytest.mark.parametrize("hedge", ["Maybe", "Perhaps", "Possibly", "It seems that"])
def test_a_hedged_common_cause_is_still_a_common_cause(hedge):
    a = ask(f"Smoking causes cancer. 40% of people smoke. Among smokers, 30% get cancer; among non-smokers, 10%. "
            f"{hedge} stress drives cancer, and stress also makes people smoke. Does smoking increase the chance of "
            "cancer?")
    assert not confident(a), a["text"]
