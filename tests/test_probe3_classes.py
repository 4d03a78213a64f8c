"""Classes of confident wrong answers the third hostile probe found (issue 16), in CLadder-shaped stories, each
with several phrasings of my own (never the probe's sentences). A case passes when the agent answers right or
declines; a confident answer that differs from the truth fails. Truths are computed by enumeration here."""

from __future__ import annotations

import pytest

from tests.test_notation_forms import nde, prob
from tests.test_reader_adversarial import ask, confident, never_wrong

# X -> M -> Y and X -> Y, CLadder wording; the variable names come from each case.
MED = {"X": ((), {(): 0.6}), "M": (("X",), {(1,): 0.2, (0,): 0.7}),
       "Y": (("X", "M"), {(1, 1): 0.3, (1, 0): 0.8, (0, 1): 0.35, (0, 0): 0.25})}


def med_story(x: str, xs: str, nxs: str, m: str, y: str) -> str:
    """A mediation story: x (its group words xs / nxs) -> m -> y and x -> y, with MED's numbers."""
    p = MED
    return (f"{x.capitalize()} has a direct effect on {m} and {y}. {m.capitalize()} has a direct effect on {y}. "
            f"The overall probability of {x} is {p['X'][1][()]:.0%}. "
            f"For {nxs}, the probability of high {m} is {p['M'][1][(0,)]:.0%}. "
            f"For {xs}, the probability of high {m} is {p['M'][1][(1,)]:.0%}. "
            f"For {nxs} and with low {m}, the probability of {y} is {p['Y'][1][(0, 0)]:.0%}. "
            f"For {nxs} and with high {m}, the probability of {y} is {p['Y'][1][(0, 1)]:.0%}. "
            f"For {xs} and with low {m}, the probability of {y} is {p['Y'][1][(1, 0)]:.0%}. "
            f"For {xs} and with high {m}, the probability of {y} is {p['Y'][1][(1, 1)]:.0%}.")


@pytest.mark.parametrize("verb", ["stopping", "quitting", "giving up", "avoiding", "refusing"])
@pytest.mark.parametrize("form", ["nde", "nie"])
def test_a_negating_verb_in_a_mediation_question_is_never_ignored(verb, form):
    story = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
    if form == "nde":
        q = f"If we disregard the mediation effect through blood pressure, would {verb} jogging positively affect insomnia?"
    else:
        q = f"Does {verb} jogging positively affect insomnia through blood pressure?"
    a = ask(f"{story} {q}")
    # the contrast of stopping runs from the jogging world, where the mediator sits at its jogging level: its sign
    # need not be minus the forward effect's, so a reader that cannot say which contrast is meant must decline
    assert not confident(a), a


@pytest.mark.parametrize("outcome_words,flip", [
    ("staying insomnia-free", True), ("not having insomnia", True),
    ("remaining free of insomnia", True), ("having insomnia", False)])
def test_a_negated_outcome_in_the_question_flips_or_declines(outcome_words, flip):
    story = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
    truth = prob(MED, {"Y": 1}, {"X": 1}) - prob(MED, {"Y": 1}, {"X": 0})  # -0.08: jogging lowers insomnia
    effect = -truth if flip else truth
    a = ask(f"{story} Will jogging increase the chance of {outcome_words}?")
    never_wrong(a, "yes" if effect > 0 else "no", abs(truth))


@pytest.mark.parametrize("q,direction", [
    ("Does jogging cause more insomnia?", +1), ("Does jogging lead to more insomnia?", +1),
    ("Does jogging result in less insomnia?", -1), ("Does jogging cause less insomnia?", -1),
    ("Does jogging bring about more insomnia?", +1)])
def test_cause_more_or_less_states_a_direction(q, direction):
    story = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
    truth = prob(MED, {"Y": 1}, {"X": 1}) - prob(MED, {"Y": 1}, {"X": 0})
    a = ask(f"{story} {q}")
    never_wrong(a, "yes" if truth * direction > 0 else "no", abs(truth))


@pytest.mark.parametrize("q,sign", [
    ("Is insomnia less common among people who do not jog?", "x0_lower"),
    ("Is insomnia more common among people who do not jog?", "x0_higher"),
    ("Is insomnia less common among people who jog?", "x1_lower"),
    ("Are people who do not jog less likely to have insomnia?", "x0_lower"),
    ("Are people who jog more likely to have insomnia?", "x1_higher")])
def test_more_or_less_common_among_a_group(q, sign):
    story = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
    corr = prob(MED, {"Y": 1}, given={"X": 1}) - prob(MED, {"Y": 1}, given={"X": 0})  # X=1 minus X=0
    group_minus_rest = corr if sign.startswith("x1") else -corr
    holds = group_minus_rest < 0 if sign.endswith("lower") else group_minus_rest > 0
    never_wrong(ask(f"{story} {q}"), "yes" if holds else "no", abs(corr))


@pytest.mark.xfail(strict=True, reason="known gap: the CLadder-shaped reader grounds an event that shares no word with "
                   "any variable by elimination, which CLadder itself needs ('being hard-working' for 'effort', "
                   "'kindness' for 'personality'); telling the two apart needs word meanings the offline reader lacks")
@pytest.mark.parametrize("graph,outcome", [
    ("Smoking has a direct effect on tar.", "lung cancer"),
    ("Rain has a direct effect on traffic.", "accidents"),
    ("Fertilizer has a direct effect on weeds.", "crop yield")])
def test_an_outcome_the_graph_does_not_name_is_never_grounded_to_another_variable(graph, outcome):
    cause = graph.split()[0].lower()
    story = (f"{graph} For those with {cause}, the probability of {outcome} is 30%. "
             f"For those without {cause}, the probability of {outcome} is 10%.")
    a = ask(f"{story} Will {cause} increase the chance of {outcome}?")
    assert not confident(a), a


@pytest.mark.parametrize("bad_group,good_group,question,truth_sign", [
    ("sleep-deprived drivers", "rested drivers", "Will getting enough sleep increase the chance of accidents?", -1),
    ("sleep-deprived drivers", "well-rested drivers", "Will sleeping well increase the chance of accidents?", -1),
])
def test_a_group_named_by_a_word_no_variable_shares_is_never_guessed(bad_group, good_group, question, truth_sign):
    story = (f"Sleep deprivation has a direct effect on accidents. For {bad_group}, the probability of accidents "
             f"is 30%. For {good_group}, the probability of accidents is 10%.")
    never_wrong(ask(f"{story} {question}"), "yes" if truth_sign > 0 else "no", 0.2)


def test_the_forward_direct_effect_is_still_answered():
    story = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
    truth = nde(MED, "X", "M", "Y")
    a = ask(f"{story} If we disregard the mediation effect through blood pressure, would jogging positively affect "
            f"insomnia?")
    never_wrong(a, "yes" if truth > 0 else "no", abs(truth))
    assert confident(a), a


JOG = med_story("jogging", "people who jog", "people who do not jog", "blood pressure", "insomnia")
ATE_JOG = prob(MED, {"Y": 1}, {"X": 1}) - prob(MED, {"Y": 1}, {"X": 0})
CORR_JOG = prob(MED, {"Y": 1}, given={"X": 1}) - prob(MED, {"Y": 1}, given={"X": 0})


@pytest.mark.parametrize("q,effect", [
    ("Will giving up jogging increase the chance of insomnia?", -ATE_JOG),
    ("Will stopping jogging increase the chance of insomnia?", -ATE_JOG),
    ("Will quitting jogging decrease the chance of insomnia?", -ATE_JOG),  # "decrease": yes iff the change is < 0
    ("Will jogging increase the chance of remaining free of insomnia?", -ATE_JOG),
    ("Will jogging increase the chance of not having insomnia?", -ATE_JOG),
    ("Will giving up jogging increase the chance of staying insomnia-free?", ATE_JOG)])
def test_negations_in_the_total_effect_of_a_mediation_story(q, effect):
    """The same verbs and negated outcomes the confounder stories read, in a story with a mediator."""
    expect = "yes" if (effect < 0 if " decrease " in q else effect > 0) else "no"
    never_wrong(ask(f"{JOG} {q}"), expect, abs(ATE_JOG))


@pytest.mark.parametrize("q,change", [
    ("For people who jog, would stopping jogging make insomnia more likely?", -ATE_JOG),  # no confounder: ETT = ATE
    ("Among joggers, would giving up jogging make insomnia less likely?", ATE_JOG),
    ("For people who jog, would quitting make insomnia more likely?", -ATE_JOG)])
def test_the_effect_on_the_treated_of_a_negating_verb(q, change):
    more = " more likely" in q
    expect = "yes" if (change > 0) == more else "no"
    never_wrong(ask(f"{JOG} {q}"), expect, abs(ATE_JOG))


@pytest.mark.parametrize("q,diff", [
    ("Is the chance of not having insomnia larger when observing jogging?", -CORR_JOG),
    ("Is the chance of staying insomnia-free smaller when observing jogging?", -CORR_JOG),
    ("Is the chance of insomnia larger when observing jogging?", CORR_JOG)])
def test_an_association_with_a_negated_outcome_in_a_mediation_story(q, diff):
    larger = " larger " in q
    never_wrong(ask(f"{JOG} {q}"), "yes" if (diff > 0) == larger else "no", abs(CORR_JOG))


# Z -> X, Z -> Y, X -> Y: the effect on the treated differs from the average effect
CONF = {"Z": ((), {(): 0.3}), "X": (("Z",), {(1,): 0.8, (0,): 0.3}),
        "Y": (("Z", "X"), {(1, 1): 0.2, (1, 0): 0.7, (0, 1): 0.6, (0, 0): 0.5})}
CONF_STORY = ("Diet has a direct effect on exercise and injury. Exercise has a direct effect on injury. The overall "
              "probability of a good diet is 30%. For people with a poor diet, the probability of exercising is 30%. For "
              "people with a good diet, the probability of exercising is 80%. For people who do not exercise and people "
              "with a poor diet, the probability of injury is 50%. For people who exercise and people with a poor diet, "
              "the probability of injury is 60%. For people who do not exercise and people with a good diet, the "
              "probability of injury is 70%. For people who exercise and people with a good diet, the probability of "
              "injury is 20%.")


def ett_conf() -> float:
    """E[Y_1 - Y_0 | X = 1] = Σ_z P(z | X=1) [P(Y | X=1, z) - P(Y | X=0, z)]."""
    return sum(prob(CONF, {"Z": z}, given={"X": 1}) * (prob(CONF, {"Y": 1}, given={"X": 1, "Z": z})
                                                        - prob(CONF, {"Y": 1}, given={"X": 0, "Z": z}))
               for z in (0, 1))


@pytest.mark.parametrize("q", [
    "For people who exercise, would stopping exercise make injury more likely?",
    "For people who exercise, would giving up exercise make injury less likely?",
    "For people who exercise, would quitting exercise make injury more likely?"])
def test_a_negating_verb_for_the_treated_is_never_the_average_effect(q):
    change = -ett_conf()  # for cyclists, stopping changes injury by minus the effect on the treated
    more = " more likely" in q
    never_wrong(ask(f"{CONF_STORY} {q}"), "yes" if (change > 0) == more else "no", abs(ett_conf()))


@pytest.mark.parametrize("story,q,expect", [
    ("Non-drinking has a direct effect on liver disease. For non-drinkers, the probability of liver disease is 10%. "
     "For drinkers, the probability of liver disease is 40%.", "Will non-drinking increase the chance of liver disease?",
     "no"),
    ("Not drinking has a direct effect on liver disease. For people not drinking, the probability of liver disease "
     "is 10%. For people drinking, the probability of liver disease is 40%.",
     "Will not drinking reduce the chance of liver disease?", "yes"),
    ("Not drinking has a direct effect on liver disease. For drinkers, the probability of liver disease is 40%. "
     "For non-drinkers, the probability of liver disease is 10%.", "Does not drinking cause liver disease?", "no"),
    ("Drinking has a direct effect on liver disease. For drinkers, the probability of liver disease is 40%. "
     "For non-drinkers, the probability of liver disease is 10%.", "Does drinking cause liver disease?", "yes"),
])
def test_a_variable_named_by_its_negation_is_answered_not_refused(story, q, expect):
    a = ask(f"{story} {q}")
    assert a["outcome"] != "error" and "does not contain" not in a["text"], a["text"]
    never_wrong(a, expect, 0.3)


@pytest.mark.parametrize("q", [
    "For people who do exercise, would giving up exercise make injury more likely?",
    "For people who exercise, would stopping it make injury more likely?"])
def test_the_treated_group_said_by_part_of_the_name(q):
    change = -ett_conf()
    never_wrong(ask(f"{CONF_STORY} {q}"), "yes" if change > 0 else "no", abs(ett_conf()))


@pytest.mark.parametrize("w1,w2", [("not getting injured", "staying uninjured"),
                                   ("failing to recover", "not recovering")])
def test_one_event_worded_two_ways_in_one_block_of_numbers(w1, w2):
    """'the probability of not recovering' and '... of failing to recover' in the four cells of one table are the
    same event: never 'given twice with different values'."""
    story = (f"Diet has a direct effect on exercise and {'injury' if 'injur' in w1 else 'recovery'}. Exercise has a "
             f"direct effect on {'injury' if 'injur' in w1 else 'recovery'}. The overall probability of a good diet is "
             f"30%. For people with a poor diet, the probability of exercising is 30%. For people with a good diet, the "
             f"probability of exercising is 80%. For people who do not exercise and people with a poor diet, the "
             f"probability of {w1} is 50%. For people who exercise and people with a poor diet, the probability of {w1} "
             f"is 40%. For people who do not exercise and people with a good diet, the probability of {w1} is 30%. For "
             f"people who exercise and people with a good diet, the probability of {w2} is 80%.")
    y = "injury" if "injur" in w1 else "recovery"
    # the numbers are of the outcome's absence: P(Y=1 | x, z) = 1 - p
    cpt = {(0, 0): 0.5, (1, 0): 0.6, (0, 1): 0.7, (1, 1): 0.2}  # (exercise, good diet) -> P(Y=1)
    model = {"Z": ((), {(): 0.3}), "X": (("Z",), {(1,): 0.8, (0,): 0.3}),
             "Y": (("X", "Z"), {k: v for k, v in cpt.items()})}
    effect = prob(model, {"Y": 1}, {"X": 1}) - prob(model, {"Y": 1}, {"X": 0})
    a = ask(f"{story} Will exercising increase the chance of {y}?")
    assert "given twice" not in a["text"], a["text"]
    never_wrong(a, "yes" if effect > 0 else "no", abs(effect))
    # the back-door question only the story-shaped reader takes: diet confounds, so adjusting for it is right
    a = ask(f"{story} To understand how exercise affects {y}, is it more correct to use the Method 1 than Method 2? "
            f"Method 1: We look at how exercise correlates with {y} case by case according to diet. Method 2: We look "
            f"directly at how exercise correlates with {y} in general.")
    assert "given twice" not in a["text"], a["text"]
    never_wrong(a, "yes")


@pytest.mark.parametrize("hedge", ["about 30%", "roughly 30%", "approximately 30 percent", "around 0.3"])
def test_an_approximate_number_is_said_to_be_read_as_exact(hedge):
    """Probe 3: "about 30%" was answered as if exact, without a word. The answer may use it, and says so."""
    a = ask(f"Smoking causes cancer. Among smokers, {hedge} get cancer; among non-smokers, 10%. "
            f"Does smoking increase the chance of cancer?")
    if confident(a):
        assert any(hedge in x and "exact" in x for x in a["assumptions"]), a["assumptions"]
        assert hedge in a["text"], a["text"]


def test_approximate_numbers_are_found_with_their_words():
    from fmcgm.language.numbers import approximations

    found = approximations("About 40% smoke. Among smokers, roughly 30% get cancer; some 10% of others do. "
                           "It takes about 3 hours.")
    assert found == ["About 40%", "roughly 30%", "some 10%"], found
