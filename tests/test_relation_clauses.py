"""A causal claim's subject and object are names, never what surrounds them (issue 16): a negated claim ("Grey hair
does not cause back pain") says an arrow is absent and never becomes one; a hedged claim ("The course may raise
salary") is read as the claim (the graph with the arrow assumes less); emphasis words ("itself", "also", "only",
"directly") and auxiliaries are no part of a variable's name.  Phrasings of my own, several per class."""

from __future__ import annotations

import pytest

from fmcgm.language.prose import read_story
from tests.test_reader_adversarial import ask, confident, never_wrong


@pytest.mark.parametrize("sentence, a, b", [
    ("Grey hair does not cause back pain.", "grey hair", "back pain"),
    ("Buying organic does not itself make anyone exercise.", "buying organic", "exercise"),
    ("Umbrellas don't cause traffic jams.", "umbrellas", "traffic jams"),
    ("The advert never affected sales.", "advert", "sales"),
    ("Coffee did not influence sleep at all.", "coffee", "sleep"),
    ("The new policy doesn't really change overtime.", "new policy", "overtime"),
    ("Ice cream cannot cause drownings.", "ice cream", "drownings"),
])
def test_a_negated_claim_is_an_absent_arrow_never_an_arrow(sentence, a, b):
    st = read_story(sentence)
    assert st.edges == [], st.edges
    assert not any("not" in n or "n't" in n or "never" in n for n in st.nodes), st.nodes
    assert [(x, y) for x, y, _ in st.absent] == [(a, b)], st.absent


@pytest.mark.parametrize("sentence, edge", [
    ("The course may raise salary directly.", ("course", "salary")),
    ("The program might also improve pass rates.", ("program", "pass")),  # a rate word closes no name
    ("Tutoring itself helps passing.", ("tutoring", "passing")),
    ("Lane assist itself reduces crashing.", ("lane assist", "crashing")),
    ("Exercise could really lower blood pressure.", ("exercise", "blood pressure")),
    ("Fertilizer also directly raises yield.", ("fertilizer", "yield")),
    ("The drug does affect recovery.", ("drug", "recovery")),
    ("Rain will increase accidents a lot.", ("rain", "accidents")),
])
def test_hedges_emphasis_and_auxiliaries_are_no_part_of_a_name(sentence, edge):
    st = read_story(sentence)
    assert st.edges == [edge], st.edges


STORY = ("Age affects both grey hair and back pain. {claim} 30% of people are old. Among old people, 80% have grey "
         "hair and 60% have back pain; among young people, 10% have grey hair and 20% have back pain.")


@pytest.mark.parametrize("claim", [
    "Grey hair does not cause back pain.",
    "Grey hair doesn't affect back pain.",
    "Grey hair never influences back pain.",
])
def test_a_negated_claim_in_a_story_never_answers_yes(claim):
    a = ask(STORY.format(claim=claim) + " Does grey hair cause back pain?")
    never_wrong(a, "no", 0.0)


def test_a_negated_claim_contradicting_a_stated_arrow_is_said():
    a = ask("Grey hair causes back pain. Grey hair does not cause back pain. 30% have grey hair. Among them 60% have "
            "back pain; among the others 20%. Does grey hair cause back pain?")
    assert not confident(a), a["text"]
