"""An arrow the story leaves unsaid is unknown, not absent (blind set 3, b3_041, after the elliptic-number fix made
the story readable): "a hidden factor makes people smoke and get cancer ... how much does smoking raise the risk?"
must not be answered "0" from the missing smoking -> cancer arrow. A story that says its arrows are complete
("nothing else", "regardless of", "has no effect on") still gets its "no effect". Several phrasings each, my own."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident, never_wrong

NUMBERS = "25% of people smoke. Smokers get lung cancer 15% of the time and non-smokers 3% of the time."


@pytest.mark.parametrize("confounder", [
    "A hidden genetic factor makes people both more likely to smoke and more likely to get lung cancer.",
    "Some people think a hidden gene affects both smoking and lung cancer, and there's no way to measure it.",
    "An unobserved gene affects smoking and lung cancer.",
    "Stress, which nobody measured, affects smoking and lung cancer.",
])
@pytest.mark.parametrize("question", [
    "How much does smoking raise the risk of lung cancer?",
    "Does smoking increase the chance of lung cancer?",
])
def test_an_unsaid_arrow_is_never_read_as_no_effect(confounder, question):
    a = ask(f"{confounder} {NUMBERS} {question}")
    assert not (confident(a) and abs(a["value"] or 0.0) < 1e-9), a["text"]  # never "no effect" from silence
    assert not confident(a), a["text"]  # nothing identifies the effect here: declined or not identifiable


@pytest.mark.parametrize("closing", [
    "Stress affects both coffee drinking and insomnia, and nothing else is involved.",
    "Stress affects both coffee drinking and insomnia. Coffee has no effect on insomnia.",
    "Stress affects both coffee drinking and insomnia; insomnia depends on stress regardless of coffee.",
])
def test_a_story_that_closes_its_arrows_keeps_its_no_effect(closing):
    story = (f"{closing} 30% of people are stressed. 80% of stressed people drink coffee and 40% of the others do. "
             "Insomnia affects 50% of stressed people and 10% of the others.")
    never_wrong(ask(f"{story} Does coffee drinking increase insomnia?"), "no", 0.0)


def test_the_hidden_factor_sentence_marks_it_unobserved():
    a = ask(f"A hidden genetic factor makes people both more likely to smoke and more likely to get lung cancer. "
            f"Smoking causes lung cancer. {NUMBERS} How much does smoking raise the risk of lung cancer?")
    assert a["outcome"] in ("not_identifiable", "declined"), a["text"]
    assert not confident(a)
