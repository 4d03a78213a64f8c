"""Stories told as numbers only (issue 16's commonest blind failure): the graph their conditioning implies, said as
an assumption, and the cases where no graph is implied (declined, never guessed). Truths by enumeration here."""

from __future__ import annotations

import pytest

from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.terms import Statement
from fmcgm.language.implied import Implied, NotImplied, check_direction, covers, families, implied_graph, share_property
from tests.test_reader_adversarial import ask, confident, never_wrong


def backdoor(pz: float, px: dict[int, float], py: dict[tuple[int, int], float]) -> float:
    """ATE of X on Y with Z -> X, Z -> Y, X -> Y: sum_z P(z) (P(y | x=1, z) - P(y | x=0, z)); px unused on purpose
    (the adjustment needs no treatment model), kept to show the story's numbers."""
    del px
    return sum((pz if z else 1 - pz) * (py[(1, z)] - py[(0, z)]) for z in (0, 1))


def observed(pz: float, px: dict[int, float], py: dict[tuple[int, int], float]) -> float:
    """P(y | x=1) - P(y | x=0) in the same model, by enumeration."""
    def p_y_given_x(x: int) -> float:
        num = den = 0.0
        for z in (0, 1):
            w = (pz if z else 1 - pz) * (px[z] if x else 1 - px[z])
            num += w * py[(x, z)]
            den += w
        return num / den
    return p_y_given_x(1) - p_y_given_x(0)


PZ, PX, PY = 0.4, {1: 0.6, 0: 0.2}, {(1, 1): 0.5, (0, 1): 0.4, (1, 0): 0.8, (0, 0): 0.7}
ATE = backdoor(PZ, PX, PY)  # 0.10
CORR = observed(PZ, PX, PY)

# the same model, told four ways with no causal verb (Z: old, X: the drug, Y: recovery)
STORIES = [
    "40% of patients are old. Among old patients, 60% take the drug; among the young, 20% do. Old patients recover "
    "50% of the time with the drug and 40% without. Young patients recover 80% of the time with the drug and 70% "
    "without.",
    "Among old patients, 60% take the drug; among the young, 20% do. 40% of patients are old. Young patients recover "
    "80% of the time with the drug and 70% without. Old patients recover 50% of the time with the drug and 40% "
    "without.",
    "40% of patients are old. Old patients take the drug 60% of the time and young ones 20% of the time. Recovery "
    "rates: old with the drug 50%, old without 40%, young with the drug 80%, young without 70%.",
    "Age matters here: 40% of patients are old. Among old patients, 60% take the drug; among the young, 20% do. "
    "Recovery rates: old with the drug 50%, old without 40%, young with the drug 80%, young without 70%.",
]


@pytest.mark.parametrize("story", STORIES)
@pytest.mark.parametrize("question, expect", [
    ("Does the drug increase recovery?", "yes"),
    ("Does the drug reduce recovery?", "no"),
])
def test_a_numbers_only_story_is_answered_on_the_graph_its_conditioning_implies(story, question, expect):
    a = ask(f"{story} {question}")
    never_wrong(a, expect, ATE)
    if confident(a):
        assert any("no causal graph was stated" in s for s in a["assumptions"]), a["assumptions"]
        assert sorted(map(tuple, a["graph"]["edges"])) == sorted([("old", "drug"), ("old", "recovery"),
                                                                  ("drug", "recovery")]), a["graph"]


def test_the_clean_telling_is_answered_not_declined():
    a = ask(f"{STORIES[0]} Does the drug increase recovery?")
    assert confident(a) and a["answer"] == "yes" and abs(a["value"] - ATE) < 1e-6, a["text"]


def test_an_observed_difference_needs_no_causal_reading():
    a = ask(f"{STORIES[0]} Are patients who take the drug more likely to recover than those who do not?")
    never_wrong(a, "yes" if CORR > 0 else "no", abs(CORR))


@pytest.mark.parametrize("story", [
    "80% of coffee drinkers are alert, compared with 40% of others.",
    "Among coffee drinkers, 80% are alert; among the others, 40%.",
    "Coffee drinkers are alert 80% of the time and other people 40% of the time.",
])
def test_two_variables_alone_show_association_not_causation(story):
    a = ask(f"{story} Does coffee make people more alert?")
    assert not confident(a), a["text"]
    b = ask(f"{story} Are coffee drinkers more likely to be alert?")
    never_wrong(b, "yes", 0.4)


@pytest.mark.parametrize("story", [
    "Half the patients were randomized to get the drug. 70% of those who got the drug recover, compared with 50% of "
    "the others.",
    "The drug was assigned at random to half the patients. Among patients who got the drug, 70% recover; among the "
    "others, 50%.",
])
def test_random_assignment_makes_two_variables_causal(story):
    never_wrong(ask(f"{story} Does the drug increase recovery?"), "yes", 0.2)


@pytest.mark.parametrize("story", [
    # numbers of the cause for groups of the outcome: the causal order is not the question's
    "30% of people have cancer. Among people with cancer, 80% smoke; among the others, 40% smoke. 10% of people are "
    "old. Among old people 50% smoke.",
    "20% of patients recover. Among patients who recover, 70% took the drug; among those who do not, 30%.",
])
def test_numbers_conditioned_the_other_way_are_not_read_as_an_effect(story):
    q = "Does smoking increase cancer?" if "smoke" in story else "Does the drug increase recovery?"
    a = ask(f"{story} {q}")
    assert not confident(a), a["text"]


def test_a_stated_arrow_the_numbers_do_not_condition_on_is_declined():
    # "the drug affects recovery" is said, but recovery's numbers are given for old/young only
    a = ask("The drug affects recovery. 40% of patients are old. Among old patients, 60% take the drug; among the "
            "young, 20% do. Old patients recover 50% of the time and young patients 80% of the time. "
            "Does the drug increase recovery?")
    assert not confident(a), a["text"]


# -- the pure steps ---------------------------------------------------------------------------

def test_families_read_parents_from_the_conditioning():
    st = [Statement.of({"z": 1}, {}, 0.4), Statement.of({"x": 1}, {"z": 1}, 0.6), Statement.of({"x": 1}, {"z": 0}, 0.2),
          Statement.of({"y": 1}, {"x": 1, "z": 0}, 0.8)]
    assert families(st) == {"z": frozenset(), "x": frozenset({"z"}), "y": frozenset({"x", "z"})}
    g = implied_graph(["x", "y", "z"], st)
    assert set(g.edges) == {("z", "x"), ("x", "y"), ("z", "y")}


def test_families_refuse_a_variable_given_for_different_groups_and_joints():
    with pytest.raises(NotImplied, match="different groups"):
        families([Statement.of({"y": 1}, {"x": 1}, 0.6), Statement.of({"y": 1}, {"z": 0}, 0.2)])
    with pytest.raises(NotImplied, match="joint"):
        families([Statement.of({"y": 1, "x": 1}, {}, 0.6)])


def test_a_variable_no_number_mentions_is_named():
    with pytest.raises(NotImplied, match="no sentence gives its chance"):
        implied_graph(["x", "y", "w"], [Statement.of({"y": 1}, {"x": 1}, 0.6), Statement.of({"x": 1}, {}, 0.5)])


def test_direction_and_randomisation_checks():
    g = CausalGraph.build([("x", "y")], nodes=["x", "y"])
    with pytest.raises(NotImplied, match="common cause"):
        check_direction(g, "x", "y", causal=True, randomized=False)
    check_direction(g, "x", "y", causal=True, randomized=True)
    check_direction(g, "x", "y", causal=False, randomized=False)
    with pytest.raises(NotImplied, match="other way round"):
        check_direction(CausalGraph.build([("y", "x"), ("z", "x")], nodes=["x", "y", "z"]), "x", "y", causal=True,
                        randomized=False)
    with pytest.raises(NotImplied, match="no number"):
        covers(Implied(("x", "y"), (("x", "y"),)), [("y", "x")])


@pytest.mark.parametrize("clause, name", [
    ("40% of patients are old", "old"),
    ("Half of the machines on our floor are old", "old"),
    ("20% of families have a pool at home", "pool"),
    ("a quarter of people are heavy drinkers", "heavy drinkers"),
    ("30% of students are weak in math", "weak"),
])
def test_a_population_share_names_its_property(clause, name):
    assert share_property(clause) == name


NOTATION = ("P(Z=1) = 0.4. P(X=1|Z=1) = 0.6, P(X=1|Z=0) = 0.2. P(Y=1|X=1,Z=1) = 0.5, P(Y=1|X=0,Z=1) = 0.4, "
            "P(Y=1|X=1,Z=0) = 0.8, P(Y=1|X=0,Z=0) = 0.7.")


@pytest.mark.parametrize("question", [
    "What is P(Y=1|do(X=1)) - P(Y=1|do(X=0))?",
    "Compute E[Y | do(X=1)] - E[Y | do(X=0)].",
])
def test_numbers_in_notation_imply_their_graph_too(question):
    a = ask(f"{NOTATION} {question}")
    assert confident(a) and abs(a["value"] - ATE) < 1e-6, a["text"]
    assert any("no causal graph was stated" in s for s in a["assumptions"])


def test_two_variables_in_notation_answer_the_observed_difference_but_not_the_effect():
    story = "P(A=1) = 0.5. P(B=1 | A=1) = 0.8. P(B=1 | A=0) = 0.3."
    assert not confident(ask(f"{story} Is P(B=1 | do(A=1)) larger than P(B=1 | do(A=0))?"))
    b = ask(f"{story} What is P(B=1 | A=1) - P(B=1 | A=0)?")
    assert confident(b) and abs(b["value"] - 0.5) < 1e-9, b["text"]


@pytest.mark.parametrize("story", [
    "Plots were randomized. 70% of the fertilized plots gave a good harvest, 55% of the unfertilized ones did.",
    "I split my plots at random - half got the fertilizer, half didn't. 70% of the fertilized plots gave a good "
    "harvest, 55% of the unfertilized ones did.",
    "In the trial, plots were fertilized by coin flip. Among fertilized plots 70% gave a good harvest; among the "
    "others, 55%.",
])
def test_a_clause_that_says_only_random_assignment_is_read(story):
    never_wrong(ask(f"{story} How much does the fertilizer raise the chance of a good harvest?"), None)
    a = ask(f"{story} Does the fertilizer raise the chance of a good harvest?")
    never_wrong(a, "yes", 0.15)


@pytest.mark.parametrize("rows", [
    "Home workers sleep well 70% of the time, office workers 40%.",
    "Home workers sleep well 70% of the time, office workers 40% of the time.",
])
def test_a_later_number_that_ends_its_segment_names_a_group(rows):
    story = (f"40% of our staff work from home. {rows} Burnout rates: home workers who sleep well 30%, home workers "
             "who sleep badly 45%, office workers who sleep well 15%, office workers who sleep badly 30%.")
    # ATE = (0.7*0.30 + 0.3*0.45) - (0.4*0.15 + 0.6*0.30) = 0.105
    never_wrong(ask(f"Does working from home make burnout more likely? {story}"), "yes", 0.105)


def test_a_heading_over_rows_of_p_percent_of_a_group_is_the_event():
    a = ask("People say wearing hats influences hair loss. 40% of the men we asked wear hats. Hair loss: 25% of hat "
            "wearers, and also one in four of the men who don't wear hats. Is hair loss more common among hat wearers?")
    never_wrong(a, "no", 0.0)
    assert confident(a), a["text"]


def test_a_randomized_treatment_needs_no_link_to_the_other_causes():
    # drug by coin; recovery by drug and age: ATE = 0.4 * (0.5 - 0.6) + 0.6 * (0.8 - 0.7) = 0.02
    story = ("In a randomized trial, a coin decided who got the drug: 50% got it. 40% of patients are old. Old patients "
             "recover 50% of the time with the drug and 60% without; young patients recover 80% of the time with the drug and "
             "70% without.")
    a = ask(f"{story} What is the average effect of the drug on recovery?")
    never_wrong(a, None)
    assert confident(a) and abs(a["value"] - 0.02) < 1e-6, a["text"]
    # without the randomisation, whether age affects who takes the drug is not said: asked about
    b = ask(story.replace("In a randomized trial, a coin decided who got the drug: 50% got it.",
                          "50% of patients got the drug.") + " What is the average effect of the drug on recovery?")
    assert not confident(b), b["text"]


def test_numbers_in_notation_are_a_factorisation_by_convention():
    # X -> M -> Y read from P(M|X), P(Y|M): ATE = (0.9 - 0.5) * (0.6 - 0.25) = 0.14
    a = ask("P(X=1) = 0.5. P(M=1 | X=1) = 0.9, P(M=1 | X=0) = 0.5. P(Y=1 | M=1) = 0.6, P(Y=1 | M=0) = 0.25. "
            "What is P(Y=1 | do(X=1)) - P(Y=1 | do(X=0))?")
    assert confident(a) and abs(a["value"] - 0.14) < 1e-6, a["text"]


def test_check_links_exempts_only_what_it_is_told():
    from fmcgm.language.implied import check_links

    g = CausalGraph.build([("z", "y"), ("x", "y")], nodes=["z", "x", "y"])
    with pytest.raises(NotImplied, match="affect each other"):
        check_links(g)
    check_links(g, frozenset({"x"}))
