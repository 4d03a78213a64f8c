"""Classes of confident wrong answers the seventh hostile probe found (issue 16, build 1d7a5f5: 22 of 271), each with
phrasings of my own: a table crossing a group word with a word the story (or the lexicon) does not pair with it
("rich"/"poor" said, then a table over "rich"/"city") read as its other value; a prefixed negation ("untreated") taken
as a pair of its own, which turned "without treatment" questions on the treated around; "if they took it instead of
not taking it" read as the usual "if they had not"; a value word in a deterministic outcome ("would the lamp be dark")
dropped. Right or declined passes; the truths are computed here."""

from __future__ import annotations

import pytest

from tests.test_reader_adversarial import ask, confident, never_wrong

# P(old) = 0.4; treated: 0.6 | old, 0.2 | young; recovery: old 0.5 / 0.4, young 0.8 / 0.7 (treated / untreated)
OLD = ("40% of patients are old. Among old patients, 60% are treated; among young patients, 20%. Recovery: old "
       "treated 50%, old untreated 40%, young treated 80%, young untreated 70%.")
P_OLD_T = 0.4 * 0.6 / (0.4 * 0.6 + 0.6 * 0.2)  # share of the old among the treated
ETT = P_OLD_T * (0.5 - 0.4) + (1 - P_OLD_T) * (0.8 - 0.7)


@pytest.mark.parametrize("first, other, table_other", [
    ("rich", "poor", "city"),
    ("rich", "poor", "northern"),
    ("old", "young", "city"),
    ("northern", "southern", "coastal"),  # no lexicon pair: the story's own contrast decides
])
def test_a_table_word_the_story_does_not_pair_with_the_group_is_never_its_other_value(first, other, table_other):
    a = ask(f"50% of students are {first}. Among {first} students, 90% are tutored; among {other} students, 10%. "
            f"Pass rates: {first} tutored 30%, {first} untutored 20%, {table_other} tutored 80%, {table_other} "
            "untutored 70%. Does tutoring increase the chance of passing?")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("question, expect", [
    ("For treated patients, would recovery have been less likely without treatment?", "yes"),
    ("For treated patients, would recovery have been more likely without treatment?", "no"),
    ("For the treated patients, does treatment increase the chance of recovery?", "yes"),
])
def test_questions_on_the_treated_over_a_table_of_treated_and_untreated(question, expect):
    never_wrong(ask(f"{OLD} {question}"), expect, ETT)


@pytest.mark.parametrize("question, expect", [
    ("For patients who are treated, would they be more likely to recover if they were treated instead of not being "
     "treated?", "yes"),
    ("For patients who are treated, would they be less likely to recover if they were treated instead of not being "
     "treated?", "no"),
    ("For patients who are treated, would they be more likely to recover if they were not treated instead of being "
     "treated?", "no"),
])
def test_a_counterfactual_said_with_instead_of_keeps_its_direction(question, expect):
    never_wrong(ask(f"{OLD} {question}"), expect, ETT)


DRUG = ("40% of patients are old. Among old patients, 60% use the cream; among young patients, 20% do. Healing: old "
        "with the cream 50%, old without 40%, young with the cream 80%, young without 70%.")


@pytest.mark.parametrize("question, expect", [
    ("For patients who use the cream, would they be more likely to heal if they used it instead of not using it?",
     "yes"),
    ("For patients who use the cream, would they be less likely to heal if they used it instead of not using it?",
     "no"),
])
def test_instead_of_with_a_pronoun_for_the_treatment(question, expect):
    never_wrong(ask(f"{DRUG} {question}"), expect, ETT)


@pytest.mark.parametrize("question", [
    "Would the lamp be dark if the switch had been up?",
    "Would the lamp be bright if the switch had been up?",
])
def test_a_value_word_in_a_deterministic_outcome_is_never_dropped(question):
    a = ask(f"The lamp is on exactly when the switch is up and the fuse is intact. The switch is down and the fuse is "
            f"intact. {question}")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("phrase, value", [
    ("in the phone-ban classes", 0), ("in the phone ban classes", 0), ("the smoking-banned bars", 0),
    ("classes that ban phones", 0), ("banning phones", 0), ("classes with phones", 1),
])
def test_a_ban_said_after_the_thing_banned_negates_it(phrase, value):
    from fmcgm.language.names import mentions
    (m,) = [m for m in mentions(phrase, ["phones", "smoking"])]
    assert m.value == value


def test_a_ban_noun_never_negates_the_name_after_it():
    from fmcgm.language.names import mentions
    assert [(m.node, m.value) for m in mentions("the smoking ban raised heart attacks", ["smoking", "heart attacks"])] \
        == [("smoking", 0), ("heart attacks", 1)]


@pytest.mark.parametrize("ban, other, expect", [(25, 18, "no"), (12, 18, "yes")])
def test_classes_named_by_their_ban(ban, other, expect):
    # found by my own test (not the probe): "phone-ban classes" had been read as the classes WITH phones
    never_wrong(ask(f"Our school randomly picked half of the classes to ban phones during lessons. In the phone-ban "
                    f"classes {ban}% of students failed the final; in the other classes {other}% failed. Will banning "
                    "phones lower the failure rate?"), expect, abs(ban - other) / 100)
