"""A chance asked about what is known (issue 16): "If someone has cancer, what is the chance that they smoke?" is
P(smoking | cancer), read by the slot reader as a conditional probability; a supposition ("what would the chance be
if everyone smoked?") is an intervention and is never read as one. Phrasings of my own; each expected value is computed
here by Bayes' rule from the story's numbers."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident

STORY = "Smoking causes cancer. 40% of people smoke. Among smokers 30% get cancer; among non-smokers 10%."
P_S, P_C_S, P_C_NS = 0.4, 0.3, 0.1
P_C = P_S * P_C_S + (1 - P_S) * P_C_NS


@pytest.mark.parametrize("question, want", [
    ("If someone has cancer, what is the chance that they smoke?", P_S * P_C_S / P_C),
    ("Given that someone has cancer, what is the probability that they smoke?", P_S * P_C_S / P_C),
    ("What share of cancer patients smoke?", P_S * P_C_S / P_C),
    ("If someone smokes, what is the chance that they get cancer?", P_C_S),
    ("If someone does not smoke, what is the chance that they get cancer?", P_C_NS),
    ("Given that someone has no cancer, what is the probability that they smoke?",
     P_S * (1 - P_C_S) / (1 - P_C)),
])
def test_a_chance_given_what_is_known_is_a_conditional_probability(question, want):
    a = ask(f"{STORY} {question}")
    assert confident(a) and abs(a["value"] - want) < 1e-9, a["text"]


@pytest.mark.parametrize("question", [
    "What would the chance of cancer be if everyone smoked?",  # a supposition: an intervention
    "If someone smokes, is the chance that they get cancer higher?",  # a comparison, not a number asked
    "For men, what is the chance that smokers get cancer?",  # a group the story does not have
])
def test_suppositions_comparisons_and_unknown_groups_are_not_read_as_a_conditional(question):
    a = ask(f"{STORY} {question}")
    assert not confident(a) or "conditional probability" not in a["text"], a["text"]


# Simpson's story: the drug helps in each age group (+0.10) while takers recover less often overall (0.60 vs 0.625)
SIMPSON = ("40% of patients are old. Among old patients, 60% take the drug; among the young, 20% do. Recovery rates: "
           "old with the drug 50%, old without 40%, young with the drug 80%, young without 70%.")


@pytest.mark.parametrize("question", [
    "How much more likely are drug takers to recover than non-takers?",
    "How much more often do drug takers recover than non-takers?",
    "How much more common is recovery among drug takers than among non-takers?",
])
def test_how_much_more_likely_a_group_is_asks_the_observed_gap_never_the_effect(question):
    # found by hostile probe 10 (build 6b61c27): read as the effect (+0.10) where the observed gap is -0.025
    a = ask(f"{SIMPSON} {question}")
    assert not confident(a) or abs(a["value"] + 0.025) < 1e-9, a["text"]
    assert not (confident(a) and abs(abs(a["value"]) - 0.1) < 1e-9), a["text"]
