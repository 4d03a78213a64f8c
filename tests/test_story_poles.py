"""Stories that say a two-valued variable by its own words (issue 16, blind set 7 seen): the two values a table
crosses ("apartment"/"house", "premium"/"standard"), a label before a share ("Cat survey: 60% of owners live in
apartments"), a setting before the question ("In our survey, ..."), shares said as "Half our shops are downtown" or
"one in five trees is diseased", and a group said as the negation of the one before ("30% of smokers ..., vs 10% of
those who don't"). Phrasings of my own; the values each test expects are computed here from the story's numbers."""

from __future__ import annotations

import pytest

from fmcgm.language.implied import share_property
from fmcgm.language.poles import factors, story_pairs
from fmcgm.language.prose import read_story
from tests.test_reader_adversarial import ask, confident, never_wrong


def _contrast(pz: float, px: tuple[float, float], py: dict[tuple[int, int], float]) -> float:
    """P(Y | X=1) - P(Y | X=0) when Z -> X, Z -> Y, X -> Y (px: P(X=1 | Z=1), P(X=1 | Z=0); py[(z, x)])."""
    def cond(x: int) -> float:
        w = {z: (pz if z else 1 - pz) * (px[1 - z] if x else 1 - px[1 - z]) for z in (1, 0)}
        return sum(w[z] * py[(z, x)] for z in (1, 0)) / sum(w.values())
    return cond(1) - cond(0)


def _labels(table: str) -> list[tuple[str, ...]]:
    from fmcgm.language.poles import cell_labels
    (labels,) = cell_labels(read_story(table + " Q?", ()).probs)
    return labels


@pytest.mark.parametrize("table, pairs", [
    ("Overweight: apartment indoor 35%, apartment outdoor 25%, house indoor 20%, house outdoor 10%.",
     {("apart", "hous"), ("indoor", "outdoor")}),
    # the cells in another order, the second value said shorter the second time
    ("Late rates: long & premium 22%, short & premium 10%, long & standard 20%, short & standard 4%.",
     {("long", "short"), ("premium", "standard")}),
    ("Bills: old pump 30%, old no pump 60%, new pump 15%, new no pump 25%.", {("old", "new")}),
])
def test_a_table_that_crosses_two_words_with_two_words_makes_each_pair_one_variable(table, pairs):
    got = {tuple(sorted(p)) for p in story_pairs(read_story(table + " Q?", ()).probs)}
    assert got == {tuple(sorted(p)) for p in pairs}


@pytest.mark.parametrize("table", [
    # two value words the lexicon knows but does not pair: two variables, not one
    "Default rates: young holders 8%, young non-holders 6%, female holders 3%, female non-holders 2%.",
    # three cells: no crossing
    "Default rates: young holders 8%, young non-holders 6%, older holders 3%.",
    # the rows do not share their second words
    "Default rates: young holders 8%, young renters 6%, older savers 3%, older lenders 2%.",
])
def test_no_pair_without_a_complete_crossing(table):
    assert story_pairs(read_story(table + " Q?", ()).probs) == frozenset()


def test_factors_name_both_crossed_pairs():
    assert factors(_labels("Damage: fragile & padded 10%, fragile & bare 30%, sturdy & padded 2%, sturdy & bare 4%.")) \
        == [(("fragile",), ("sturdy",)), (("padded",), ("bare",))]


@pytest.mark.parametrize("clause, prop", [
    ("Half our shops are downtown", "downtown"),
    ("Half the dogs at our practice are large", "large"),
    ("A quarter of our orders ship in peak season", "peak season"),
    ("In my orchard one in five trees is diseased", "diseased"),
    ("30% of the orchards are in wet valleys", "wet valleys"),
    ("60% of owners live in apartments", "apartments"),
])
def test_shares_said_without_of_or_with_a_place(clause, prop):
    assert share_property(clause) == prop


def test_a_story_told_by_a_crossed_table_with_a_label_and_a_setting():
    a = ask("Winter survey: 25% of households live in old houses. Old-house households own a heat pump 10% of the time, "
            "new-house households 40%. High bills: old pump 30%, old no pump 60%, new pump 15%, new no pump 25%. In our "
            "survey, are households with a heat pump less likely to have high bills than households without?")
    want = _contrast(0.25, (0.1, 0.4), {(1, 1): 0.3, (1, 0): 0.6, (0, 1): 0.15, (0, 0): 0.25})
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - want) < 1e-6, a["text"]


def test_cats_by_the_words_of_their_homes():
    a = ask("Cat survey: 60% of owners live in apartments. Apartment cats are kept indoors 90% of the time, house cats "
            "40%. Overweight: apartment indoor cats 35%, apartment outdoor 25%, house indoor 20%, house outdoor 10%. In "
            "our survey, are indoor cats more likely to be overweight than outdoor cats?")
    want = _contrast(0.6, (0.9, 0.4), {(1, 1): 0.35, (1, 0): 0.25, (0, 1): 0.2, (0, 0): 0.1})
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - want) < 1e-6, a["text"]


@pytest.mark.parametrize("second", [
    "30% of smokers get cancer, vs 10% of those who don't.",
    "30% of smokers get cancer, against 10% of the ones who do not.",
    "Among smokers, 30% get cancer. Among those who do not, 10% get cancer.",
    "30% of smokers get cancer, compared with 10% of people who never do.",
])
def test_a_group_said_as_the_negation_of_the_one_before(second):
    a = ask(f"Smoking causes cancer. 40% of people smoke. {second} Does smoking increase the chance of cancer?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - 0.2) < 1e-6, a["text"]


@pytest.mark.parametrize("second", [
    "30% of smokers get cancer, vs 10% of those who don't exercise.",  # another verb: not the smokers' negation
    "30% of smokers get cancer, vs 10% of those who don't drink.",
])
def test_a_negated_group_with_a_verb_of_its_own_is_not_the_group_before(second):
    never_wrong(ask(f"Smoking causes cancer. 40% of people smoke. {second} Does smoking increase the chance of "
                    "cancer?"), None)
    a = ask(f"Smoking causes cancer. 40% of people smoke. {second} Does smoking increase the chance of cancer?")
    assert not confident(a), a["text"]


@pytest.mark.parametrize("rows", [
    "Cancer: 30% of smokers, 10% of the rest.",
    "Cancer: 30% of smokers, 10% of others.",
    "Cancer: 30% of smokers, 10% of everyone else.",
    "Cancer: 30% of smokers, 10% of those who don't.",
])
def test_a_heading_row_for_the_rest_is_the_other_value_of_the_row_before(rows):
    a = ask(f"Smoking causes cancer. 40% of people smoke. {rows} Does smoking increase the chance of cancer?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - 0.2) < 1e-6, a["text"]


def test_a_heading_row_for_the_rest_after_a_row_of_two_groups_is_asked_about():
    a = ask("Smoking causes cancer and drinking causes cancer. 40% of people smoke; 30% drink, whether they smoke or "
            "not. Cancer: 40% of smokers who drink, 10% of the rest. Does smoking increase the chance of cancer?")
    assert not confident(a), a["text"]


def test_acts_on_is_a_causal_verb():
    from fmcgm.language.prose import read_story
    assert ("fertilizer", "yield") in read_story("The fertilizer also acts on yield directly. Q?", ()).edges


@pytest.mark.parametrize("change, want", [
    ("Tutoring raises the chance of passing from 50% to 65%.", 0.15),
    ("Tutoring increases the share who pass from 0.5 to 0.65.", 0.15),
    ("Tutoring lowers the chance of failing from 50% to 35%.", -0.15),
])
def test_a_change_said_by_its_two_ends_is_two_numbers(change, want):
    a = ask(f"Tutoring was assigned at random to half of the pupils. {change} What is the effect of tutoring on "
            f"{'failing' if 'fail' in change else 'passing'}?")
    assert confident(a) and abs(a["value"] - want) < 1e-6, a["text"]


@pytest.mark.parametrize("story", [
    # the verb and the numbers disagree
    "Tutoring was assigned at random to half of the pupils. Tutoring raises the chance of passing from 65% to 50%. "
    "Does tutoring increase passing?",
    # a range is still no number
    "Tutoring was assigned at random to half of the pupils. Among tutored pupils, from 50% to 65% pass; among the "
    "others, 40%. Does tutoring increase passing?",
    "Tutoring was assigned at random to half of the pupils. Among tutored pupils, 50% to 65% pass; among the "
    "others, 40%. Does tutoring increase passing?",
])
def test_a_change_whose_ends_disagree_with_its_verb_or_a_range_is_never_answered(story):
    assert not confident(ask(story))


# P(motivated) = 0.5; course: 0.7 | motivated, 0.3 | not; pass: (m, c) 0.85, (m, -c) 0.75, (-m, c) 0.60, (-m, -c) 0.40
# ATE = 0.5 * 0.10 + 0.5 * 0.20 = 0.15
@pytest.mark.parametrize("table", [
    "Pass rates: motivated with course 85%, motivated without 75%, others with course 60%, others without 40%.",
    "Pass rates: motivated & course 85%, motivated & no course 75%, the others & course 60%, the others & no course "
    "40%.",
    "Pass rates: motivated with course 85%, others with course 60%, motivated without course 75%, others without "
    "course 40%.",
])
def test_a_table_row_of_others_is_the_other_value_of_the_first_rows_group(table):
    a = ask("Motivation affects both taking the course and passing, and the course affects passing. Half our students "
            f"are motivated; 70% of motivated students took the course, 30% of the others. {table} Does taking the "
            "course raise passing?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - 0.15) < 1e-6, a["text"]


def test_others_in_a_table_whose_first_row_names_two_groups_besides_the_rows_own_is_asked_about():
    a = ask("Motivation and wealth affect both taking the course and passing, and the course affects passing. Half "
            "our students are motivated and half are wealthy, independently. 70% of motivated students took the "
            "course, 30% of the others. Pass rates: motivated wealthy 85%, motivated poor 75%, others 60%, others "
            "poor 40%. Does taking the course raise passing?")
    assert not confident(a), a["text"]


_MOTIVATED = ("Half our students are motivated; 70% of motivated students took the course, 30% of the others. Pass "
              "rates: motivated with course 85%, motivated without 75%, others with course 60%, others without 40%.")


@pytest.mark.parametrize("question", [
    "For the students who took the course, would they have been less likely to pass had they not taken it?",
    "For the students who took the course, would they have been less likely to pass if they had not taken it?",
    "Among students who took the course, would they have been less likely to pass had they not taken the course?",
])
def test_the_effect_on_the_treated_with_an_inverted_counterfactual(question):
    # ETT = P(m | c) (0.85 - 0.75) + P(-m | c) (0.60 - 0.40), P(m | c) = 0.35 / 0.5 = 0.7: 0.13
    a = ask(f"Motivation affects both taking the course and passing, and the course affects passing. {_MOTIVATED} "
            f"{question}")
    assert confident(a) and a["answer"] == "yes" and abs(abs(a["value"]) - 0.13) < 1e-6, a["text"]


def test_numbers_that_condition_on_an_arrow_the_story_left_unsaid_are_read_by_their_conditioning():
    a = ask(f"Motivation affects both taking the course and passing. {_MOTIVATED} Does taking the course raise "
            "passing?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - 0.15) < 1e-6, a["text"]
    assert any("read from how the numbers are conditioned" in s for s in a["assumptions"]), a["assumptions"]


@pytest.mark.parametrize("closing", [
    "Nothing else is involved.",  # the arrows said are all there are
    "The course has no effect on passing.",
])
def test_a_story_that_closes_its_arrows_is_never_read_by_its_numbers_instead(closing):
    a = ask(f"Motivation affects both taking the course and passing. {closing} {_MOTIVATED} Does taking the course "
            "raise passing?")
    assert not (confident(a) and a["answer"] == "yes"), a["text"]


@pytest.mark.parametrize("sentence, edge", [
    ("Stress makes insomnia more likely.", ("stress", "insomnia")),
    ("Heat makes accidents less likely.", ("heat", "accidents")),
    ("Rain makes flooding more common.", ("rain", "flooding")),
])
def test_makes_y_more_likely_is_an_arrow_to_y(sentence, edge):
    assert read_story(sentence + " Q?", ()).edges == [edge]


def test_a_clause_of_its_own_before_a_causal_verb_is_no_cause():
    st = read_story("Weaker students are more likely to be sent to tutoring, and being a weak student also makes "
                    "failing more likely. Q?", ())
    assert not any("likely" in n for n in st.nodes), st.nodes


# P(rich) = 0.3; tutoring: 0.7 | rich, 0.2 | not; pass: rich 0.9 / 0.8, rest 0.6 / 0.45 (tutored / not): ATE 0.135
@pytest.mark.parametrize("story", [
    "High-income families sign up for tutoring 70% of the time, the others 20%. Among high-income kids, 90% pass with "
    "tutoring and 80% without; among the rest, 60% pass with tutoring and 45% without.",
    "High-income families sign up for tutoring 70% of the time, the others 20%. Among high-income kids, 90% pass with "
    "tutoring and 80% without. Among the rest, 60% pass with tutoring and 45% without.",
    "High-income families apply for tutoring 70% of the time, the others 20%. Among high-income kids, 90% pass with "
    "tutoring and 80% without; among everyone else, 60% pass with tutoring and 45% without.",
])
def test_the_rest_after_a_with_without_clause_is_the_group_the_clause_opened_with(story):
    a = ask(f"Income affects tutoring and passing, and tutoring affects passing. 30% of families are high income. "
            f"{story} How much does tutoring change the probability of passing?")
    assert confident(a) and abs(a["value"] - 0.135) < 1e-9, a["text"]


@pytest.mark.parametrize("sentence", [
    "It may also harm the bees directly.",
    "They also raise the risk of stroke.",
    "This affects recovery too.",
])
def test_a_pronoun_is_never_a_variable_of_a_relation(sentence):
    st = read_story(f"The pesticide reduces wildflowers. {sentence} Q?", ())
    assert not {"it", "they", "this"} & set(st.nodes), st.nodes


def test_a_leading_but_is_no_part_of_a_cause():
    assert read_story("But the drug only affects recovery through sleep. Q?", ()).edges[0][0] == "drug"


@pytest.mark.parametrize("use", ["Half of the fields use it.", "Half of the fields adopted it.",
                                 "Half of the fields got one."])
def test_the_thing_used_said_by_a_pronoun_is_the_cause_the_sentence_before_names(use):
    a = ask(f"The schedule affects crop failure and nothing else is involved. {use} Among fields on the schedule, 10% "
            "fail; among the others, 30%. Does the schedule reduce crop failure?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] + 0.2) < 1e-9, a["text"]


def test_a_pronoun_whose_sentence_before_names_another_variable_is_not_the_cause():
    a = ask("The schedule affects crop failure and fertilizer affects crop failure; nothing else is involved. "
            "Fertilizer is cheap. Half of the fields use it. Among fields on the schedule, 10% fail; among the others, "
            "30%. Does the schedule reduce crop failure?")
    assert not confident(a), a["text"]


_OLD_TREATED = ("Being old affects both treatment and recovery, and treatment affects recovery. 40% of patients are old. "
                "Among old patients, 60% are treated; among young patients, 20%.")


@pytest.mark.parametrize("table", [
    "Recovery rates: old patients with treatment 50%, without 40%; young patients with treatment 80%, without 70%.",
    "Recovery: old with treatment 50%, old without 40%; young with treatment 80%, young without 70%.",
])
def test_a_table_heading_carries_over_a_semicolon_and_a_bare_without_flips_the_row_before(table):
    a = ask(f"{_OLD_TREATED} {table} Does treatment raise recovery?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - 0.1) < 1e-9, a["text"]


def test_a_semicolon_row_with_a_heading_of_its_own_is_read_under_its_own():
    a = ask(f"{_OLD_TREATED} Recovery rates: old patients with treatment 50%, without 40%; Relapse: young patients "
            "with treatment 80%, without 70%. Does treatment raise recovery?")
    assert not confident(a), a["text"]


def test_catching_a_disease_is_said_by_the_disease():
    from fmcgm.language.names import mentions
    assert [m.node for m in mentions("Flu", ["being a health worker", "getting the shot", "catching flu"])] == \
        ["catching flu"]


@pytest.mark.parametrize("name, clean", [("the failure rate", "failure"), ("default rates", "default"),
                                         ("the chance of rain", "rain"), ("rate discount", "rate discount")])
def test_a_rate_word_closing_a_name_is_no_part_of_the_variable(name, clean):
    from fmcgm.language.prose import clean_name
    assert clean_name(name) == clean


def test_classes_are_units_counted_not_a_variable():
    a = ask("Our school randomly picked half of the classes to ban phones during lessons. In the phone-ban classes 25% "
            "of students failed the final; in the other classes 18% failed. Will banning phones lower the failure "
            "rate?")
    assert confident(a) and a["answer"] == "no" and abs(abs(a["value"]) - 0.07) < 1e-9, a["text"]
