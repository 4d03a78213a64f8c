"""Classes of confident wrong answers the fourth hostile probe found (issue 16, build 198582b), each with several
phrasings of my own (never the probe's sentences). Right or declined passes; a confident answer that differs from
the truth fails. Truths computed here."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident, never_wrong

# W1: a sentence about a common cause, in the words people use, must neither lose the treatment nor make a junk node
# of its tail; with no arrow from the treatment to the outcome said, the effect is unknown, not zero.
TABLE = "35% of people smoke. Among smokers, 25% get cancer; among non-smokers, 6%."


@pytest.mark.parametrize("common", [
    "A gene makes people both more likely to smoke and more likely to get cancer.",
    "Poverty makes people more likely to both smoke and get cancer.",
    "Stress affects both smoking and cancer, but nobody measured stress.",
    "Air pollution affects smoking and cancer, and there is no way to measure it.",
    "Doctors think a hidden trait drives both smoking and cancer.",
])
def test_a_common_cause_sentence_never_yields_a_confident_effect(common):
    for q in ("Does smoking increase the chance of cancer?", "How much does smoking raise the risk of cancer?"):
        a = ask(f"{common} {TABLE} {q}")
        assert not confident(a), a["text"]


def test_an_unmeasured_confounder_named_at_the_end_is_latent():
    a = ask("Exercise affects health. Wealth affects both exercise and health, but nobody measured wealth. 30% of "
            "people exercise. Among people who exercise, 80% are healthy; among the others, 50%. Does exercise "
            "improve health?")
    assert a["outcome"] in ("not_identifiable", "declined"), a["text"]
    assert all("nobody" not in n for e in (a.get("graph") or {}).get("edges", []) for n in e), a["graph"]


# W2: a verb that negates the treatment, whichever the lexicon calls it; an unknown one is asked about.
STORY = ("30% of patients are frail. Among frail patients, 70% take the pill; among the others, 40% do. Frail "
         "patients recover 35% of the time with the pill and 30% without; the others recover 75% of the time with the "
         "pill and 60% without.")
ATE = 0.3 * (0.35 - 0.30) + 0.7 * (0.75 - 0.60)  # 0.12: the pill helps, so going without it hurts


@pytest.mark.parametrize("verb", ["declining", "rejecting", "refusing", "avoiding", "shunning", "turning down",
                                  "opting out of", "forswearing"])
def test_a_verb_that_negates_the_treatment_never_flips_the_sign(verb):
    never_wrong(ask(f"{STORY} Does {verb} the pill hurt recovery?"), "yes", ATE)
    never_wrong(ask(f"{STORY} Does {verb} the pill help recovery?"), "no", ATE)


# W3: being in a place against staying out of it, in a rule and in its counterfactual.
@pytest.mark.parametrize("rule, observed, question, expect", [
    ("The dog stays out of the garden exactly when the gate is shut.", "The gate was shut.",
     "Had the gate been open, would the dog have been in the garden?", "yes"),
    ("The dog stays out of the garden exactly when the gate is shut.", "The gate was open.",
     "Had the gate been shut, would the dog have been in the garden?", "no"),
    ("The kids keep away from the lake exactly when the warning flag is up.", "The flag was up.",
     "Had the flag been down, would the kids have kept away from the lake?", "no"),
])
def test_in_a_place_is_not_staying_out_of_it(rule, observed, question, expect):
    never_wrong(ask(f"{rule} {observed} {question}"), expect)


# W4: a counterfactual the observation leaves open gets no number made up from equally weighted worlds.
@pytest.mark.parametrize("story", [
    "The bell rings exactly when the button is pressed or the timer fires. The button was pressed and the bell rang. "
    "Had the button not been pressed, would the bell have rung?",
    "The pump runs if and only if the switch is on and the fuse is intact. The pump did not run. Had the switch "
    "been on, would the pump have run?",
])
def test_an_undetermined_counterfactual_has_no_made_up_probability(story):
    a = ask(story)
    assert not confident(a), a["text"]
    assert a["value"] is None


# the questionable case: a named variable the numbers never link to the outcome is not read as "no effect"
def test_a_named_variable_the_numbers_never_link_is_asked_about():
    a = ask("30% of patients are frail. Among frail patients, 70% take the pill; among the others, 40% do. Among "
            "patients who take the pill, 66% recover; among those who do not, 58%. Does the pill help recovery?")
    assert not confident(a), a["text"]
