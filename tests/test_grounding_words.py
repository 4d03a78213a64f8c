"""Words that ground a phrase to a variable: a name said by its head before its qualifier, a preposition "on" that
is no value. Both found declining readable blind questions; each case here is my own wording."""

from __future__ import annotations

import pytest

from fmcgm.language.names import mentions, name_head, unsure
from tests.test_reader_adversarial import ask, confident, never_wrong


def test_a_name_is_said_by_its_head_before_its_qualifier():
    assert name_head("tar deposits in the lungs") == ("tar", "deposit")
    assert name_head("work from home") == ()  # one word is too little a head
    ms = mentions("smokers who have tar deposits", ["smoking", "tar deposits in the lungs", "cancer"])
    assert [(m.node, m.value) for m in ms] == [("smoking", 1), ("tar deposits in the lungs", 1)]
    # two variables with the same head: neither is said by the head alone
    assert all(m.node != "tar deposits in the lungs" for m in
               mentions("tar deposits", ["tar deposits in the lungs", "tar deposits in the liver"]))


@pytest.mark.parametrize("phrase", ["patients on placebo", "on stormy days flights", "cows on the new feed"])
def test_on_before_a_word_is_a_preposition_not_a_value(phrase):
    assert unsure(phrase, ["placebo", "stormy days", "new feed", "flights"]) is None


def test_a_story_with_a_qualified_name_is_answered():
    story = ("Smoking causes tar deposits in the lungs, and tar deposits in the lungs cause cancer. 30% of people "
             "smoke. 80% of smokers have tar deposits, against 10% of non-smokers. People with tar deposits get "
             "cancer 40% of the time, and people without them 5% of the time.")
    # ATE = (0.8 - 0.1) * (0.40 - 0.05) = 0.245
    a = ask(f"{story} Does smoking increase the chance of cancer?")
    never_wrong(a, "yes", 0.245)
    assert confident(a), a["text"]
