"""An age said by a threshold (issue 16): "over 65", "the over-65s", "under-30s", "65+" are the values old and young
of age, and their number is no probability. Two different thresholds leave a middle group and are not rewritten;
a count ("over 20 cars") or a share ("over 50%") is never an age.  My own phrasings; truths by hand."""

from __future__ import annotations

import pytest

from fmcgm.language.prose import age_thresholds
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("text, expect", [
    ("A third of members are over 60. Age matters.", "A third of members are old. Age matters."),
    ("Among the under-30s, 40% vote. Age matters.", "Among the young ones, 40% vote. Age matters."),
    ("Half are 65+ and older people are sicker.", "Half are old and older people are sicker."),
    ("20% are under 30 and 30% are over 60. Age matters.", "20% are under 30 and 30% are over 60. Age matters."),
    ("Over 50% of older people smoke.", "Over 50% of older people smoke."),
    ("We sold over 20 cars to older people.", "We sold over 20 cars to older people."),
])
def test_one_threshold_is_old_or_young(text, expect):
    assert age_thresholds(text) == expect


# P(old) = 0.25; shot: 0.7 | old, 0.3 | young; hospital: old & shot 0.04, old & none 0.10, young & shot 0.01,
# young & none 0.02.  ATE = 0.25 * (-0.06) + 0.75 * (-0.01) = -0.0225
@pytest.mark.parametrize("story", [
    "In our district a quarter of adults are over 65. 70% of the over-65s get the flu shot, against 30% of younger "
    "adults. Admission rates: over-65 with the shot 4%, over-65 without 10%, younger with the shot 1%, younger without "
    "2%. Age affects both the flu shot and admission, and the flu shot affects admission.",
])
def test_a_story_told_by_age_thresholds_is_answered(story):
    a = ask(story + " How much does the flu shot change the chance of admission?")
    never_wrong(a, None, 0.0225)
    assert confident(a), a["text"]
