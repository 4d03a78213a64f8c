"""The class of confident wrong answers the ninth hostile probe found (issue 16, build 328d13a: 30 of 259): a question
restricted to a group the story has no numbers for, or qualified by words it never says ("Does the drug help female
patients recover?", "... help the other patients recover?", "... fully recover?", "What share of women recovered?"),
answered for everyone. Phrasings of my own; right or declined passes, and the story's own groups still answer."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident

FARM = ("30% of farms are irrigated. Among irrigated farms, 60% use the new seed; among the others, 20% do. Good "
        "harvest: irrigated with the seed 70%, without 60%; not irrigated with the seed 40%, without 50%.")


@pytest.mark.parametrize("question", [
    "Does the seed help organic farms get a good harvest?",
    "Does the seed help small farms get a good harvest?",
    "Does the seed help farms in the north get a good harvest?",
    "Does the seed help the other farms get a good harvest?",
    "Does the seed help farms get a reliably good harvest?",
    "Does the seed make family farms more likely to get a good harvest?",
])
def test_a_question_restricted_to_a_group_the_story_never_names_is_asked_about(question):
    a = ask(f"{FARM} {question}")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question", [
    "What share of women got a good harvest?",
    "What share of irrigated farms are owned by women?",
    "What share of children got a good harvest?",
])
def test_a_chance_of_a_group_the_story_never_names_is_asked_about(question):
    a = ask(f"{FARM} {question}")
    assert not confident(a), a["text"]


def test_the_stories_own_words_still_answer():
    # ATE = 0.3 * (0.7 - 0.6) + 0.7 * (0.4 - 0.5) = -0.04
    a = ask(f"{FARM} Does the seed increase the chance of a good harvest?")
    assert confident(a) and a["answer"] == "no" and abs(a["value"] + 0.04) < 1e-9, a["text"]
