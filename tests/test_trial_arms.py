"""Trials told by their arms (issue 16): "treated"/"untreated" plots, "the placebo group", "the control group" are the
question's treatment; a random group given something is random assignment even with a sampling verb ("tried the
fertilizer on randomly chosen plots", "texted a random half of our customers", "randomly picked half of the classes to
ban phones"), while random sampling and denied assignment still are not.  My own phrasings; truths by hand."""

from __future__ import annotations

import pytest

from fmcgm.language.prose import assigned_at_random
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("sentence, assigned", [
    ("We tried the new feed on randomly chosen cows.", True),
    ("The clinic mailed a random half of its patients a reminder.", True),
    ("The district randomly picked a third of its schools to start later.", True),
    ("We randomly selected 300 residents to be interviewed.", False),
    ("We picked 500 households at random for the survey.", False),
    ("We did not give the feed to a random half of the cows.", False),
])
def test_a_random_group_given_something_is_assignment(sentence, assigned):
    assert assigned_at_random(sentence) is assigned


@pytest.mark.parametrize("story, expect, size", [
    # 0.40 - 0.25 = -0.15 for the drug on relapse
    ("Patients were randomized. 40% of the placebo group relapsed, against 25% of the treatment group. Does the drug "
     "reduce relapse?", "yes", 0.15),
    ("We tried the new feed on randomly chosen cows. Two in ten untreated cows got sick, and one in ten treated cows "
     "did. Does the new feed lower the chance of getting sick?", "yes", 0.10),
    ("Classes were assigned at random. In the control group, 30% of students failed; in the treated classes, 30% failed. "
     "Does the tutoring lower failing?", "no", 0.0),
])
def test_trial_arms_are_the_treatment(story, expect, size):
    a = ask(story)
    never_wrong(a, expect, size)
    assert confident(a), a["text"]


def test_arms_without_random_assignment_are_still_two_variables_alone():
    a = ask("40% of the placebo group relapsed, against 25% of the treatment group. Does the drug reduce relapse?")
    assert not confident(a), a["text"]
