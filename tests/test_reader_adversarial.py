"""Classes of confident wrong answers an adversarial probe found (issue 16), each with several phrasings.

Every case states its truth, computed by hand beside it. A case passes when the agent answers it
right or declines; a confident answer that differs from the truth fails. Where a class must be
*answered* (not merely declined), the test says so.
"""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import MemorySaver

from agent.graph import build_graph, run_question

APP = None


def ask(q: str) -> dict:
    global APP
    APP = APP or build_graph()
    return run_question(q, app=APP)["answer"]


def confident(a: dict) -> bool:
    return a["computed"] and (a["answer"] is not None or a["value"] is not None)


def never_wrong(a: dict, expect: str | None, magnitude: float | None = None) -> None:
    """Right or declined; never a confident answer that differs from the truth."""
    if not confident(a):
        assert a["outcome"] in ("declined", "not_identifiable"), a
        return
    assert a["answer"] == expect, (a["answer"], a["value"], a["text"])
    if magnitude is not None and a["value"] is not None:
        assert abs(abs(a["value"]) - magnitude) < 0.006, (a["value"], magnitude)


# P(smoking) = 0.4; P(cancer | smoking) = 0.3, P(cancer | not) = 0.1: the effect of smoking is +0.2.
BASE = "Smoking causes cancer. The probability of smoking is 40%."
JOINTS = [
    ("The probability of smoking and cancer is 12%.", "The probability of not smoking and cancer is 6%."),
    ("12% of people smoke and get cancer.", "6% of people do not smoke but get cancer."),
    ("12% of people are smokers with cancer.", "6% of people are non-smokers with cancer."),
    ("The chance that a person smokes and has cancer is 0.12.",
     "The chance that a person does not smoke and has cancer is 0.06."),
]


@pytest.mark.parametrize("first_smoker", [True, False])
@pytest.mark.parametrize("pair", JOINTS, ids=[f"joint{i}" for i in range(len(JOINTS))])
def test_joint_probabilities_do_not_depend_on_sentence_order(pair, first_smoker):
    s, ns = pair if first_smoker else pair[::-1]
    a = ask(f"{BASE} {s} {ns} Does smoking increase the chance of cancer?")
    never_wrong(a, "yes", 0.2)


STORY = "Smoking causes cancer. Among smokers, 30% get cancer. Among non-smokers, 10% get cancer."


@pytest.mark.parametrize("question,expect", [
    ("Would quitting smoking reduce cancer?", "yes"),
    ("Does stopping smoking lower the risk of cancer?", "yes"),
    ("Would avoiding smoking prevent cancer?", "yes"),
    ("Would banning smoking increase cancer?", "no"),
    ("Does giving up smoking reduce the chance of cancer?", "yes"),
    ("Would refraining from smoking make cancer less likely?", "yes"),
    ("Would quitting smoking make cancer more likely?", "no"),
    ("Does abstaining from smoking decrease cancer?", "yes"),
    ("Would people who stop smoking get cancer more often?", "no"),
    ("Would abolishing smoking reduce cancer?", "yes"),
    ("Would repealing smoking make cancer less likely?", "yes"),
    ("Would withdrawing smoking raise cancer?", "no"),
])
def test_verbs_that_negate_the_treatment(question, expect):
    never_wrong(ask(f"{STORY} {question}"), expect, 0.2)


def test_quitting_is_answered_not_only_declined():
    a = ask(f"{STORY} Would quitting smoking reduce the risk of cancer?")
    assert a["answer"] == "yes" and abs(abs(a["value"]) - 0.2) < 1e-6, a


@pytest.mark.parametrize("story,question,expect", [
    ("Not smoking prevents cancer. Among people who do not smoke, 10% get cancer; among smokers, 30% get cancer.",
     "Does not smoking reduce cancer?", "yes"),
    ("Not smoking prevents cancer. Among people who do not smoke, 10% get cancer; among smokers, 30% get cancer.",
     "Does not smoking increase cancer?", "no"),
    ("Staying home affects infection. Among people who stay home, 5% get infected; among people who do not, 25%.",
     "Does staying home lower infection?", "yes"),
    ("Non-smoking affects cancer. Among non-smokers, 10% get cancer. Among smokers, 30% get cancer.",
     "Does non-smoking raise the chance of cancer?", "no"),
])
def test_a_variable_named_by_its_negation(story, question, expect):
    never_wrong(ask(f"{story} {question}"), expect, 0.2)


@pytest.mark.parametrize("story,question,expect,size", [
    ("Smoking causes cancer. Among smokers, 70% stay cancer-free; among non-smokers, 90% stay cancer-free.",
     "Does smoking increase the risk of cancer?", "yes", 0.2),
    ("Smoking causes cancer. Among smokers, 70% remain free of cancer. Among non-smokers, 90% remain free of cancer.",
     "Does smoking make cancer more likely?", "yes", 0.2),
    ("The treatment affects recovery. Among treated patients, 20% fail to recover; "
     "among untreated patients, 50% fail to recover.",
     "Does the treatment help recovery?", "yes", 0.3),
    ("The treatment affects recovery. Among treated patients, 20% do not recover; "
     "among untreated patients, 50% do not recover.",
     "Does the treatment reduce recovery?", "no", 0.3),
    ("Exercise affects illness. Among people who exercise, 85% stay healthy; among people who do not exercise, 60% stay healthy.",
     "Does exercise increase illness?", "no", None),
])
def test_negated_outcomes_in_the_numbers(story, question, expect, size):
    never_wrong(ask(f"{story} {question}"), expect, size)


@pytest.mark.parametrize("number", ["-10%", "minus 10%", "\u221210%", "-0.1", "\u2212 10 percent", "negative 10%"])
def test_a_negative_probability_is_never_answered(number):
    a = ask(f"Smoking causes cancer. Among smokers, 30% get cancer. Among non-smokers, {number} get cancer. "
            "Does smoking increase the chance of cancer?")
    assert not confident(a), a
    assert a["outcome"] == "declined", a


@pytest.mark.parametrize("number", ["20-40%", "20 to 40%", "between 20% and 40%", "20\u201340%", "120%", "1 in 0",
                                    "five in zero", "3 out of 0"])
def test_ranges_impossible_and_undefined_numbers_are_declined(number):
    a = ask(f"Smoking causes cancer. Among smokers, 30% get cancer. Among non-smokers, {number} get cancer. "
            "Does smoking increase the chance of cancer?")
    assert not confident(a), a
    assert a["outcome"] == "declined", a  # not an internal error blamed on a server
    assert a["error_kind"] != "internal", a


@pytest.mark.parametrize("story,question,expect", [
    ("The alarm rings exactly when the button is pressed. Nobody pressed the button, and the alarm did not ring.",
     "Had someone pressed the button, would the alarm have rung?", "yes"),
    ("The alarm rings exactly when the button is pressed. No one pressed the button.",
     "Would the alarm have rung if the button had been pressed?", "yes"),
    ("The alarm rings exactly when the button is pressed. Nobody pressed the button.",
     "Did the alarm ring?", "no"),
    ("The light is on exactly when the switch is flipped. The switch was never flipped.",
     "Had the switch been flipped, would the light be on?", "yes"),
    ("The alarm rings exactly when the button is pressed. The button was pressed by nobody.",
     "If the button had not been pressed, would the alarm have rung?", "no"),
])
def test_nobody_did_it_is_a_negative_observation(story, question, expect):
    never_wrong(ask(f"{story} {question}"), expect)


def test_a_restated_edge_is_not_an_error():
    a = ask("Smoking causes cancer. Smoking increases the risk of cancer. Among smokers, 30% get cancer. "
            "Among non-smokers, 10% get cancer. Does smoking increase the chance of cancer?")
    assert a["answer"] == "yes" and abs(a["value"] - 0.2) < 1e-6, a


@pytest.mark.parametrize("junk", ["\u200b", "\u200d", "\ufeff", "\u00ad"])
def test_invisible_characters_never_enter_a_name(junk):
    a = ask(f"Smo{junk}king causes cancer. Among smo{junk}kers, 30% get cancer. Among non-smokers, 10% get cancer. "
            "Does smoking increase the chance of cancer?")
    assert a["answer"] == "yes", a
    assert all(junk not in n for n in a["graph"]["nodes"]), a["graph"]


def test_an_exercise_group_is_not_read_as_its_own_event():
    a = ask("Exercise affects weight. Among people who exercise, 20% are overweight. Among people who do not exercise, "
            "35% are overweight. Does exercise reduce the chance of being overweight?")
    never_wrong(a, "yes", 0.15)
    assert "both as the event and" not in (a["text"] or ""), a["text"]


def test_a_tiny_effect_says_the_convention_that_decided_it():
    a = ask("Smoking causes cancer. Among smokers, 10.4% get cancer. Among non-smokers, 10% get cancer. "
            "Does smoking increase the chance of cancer?")
    if confident(a):
        assert a["answer"] == "no"
        assert "0.005" in a["text"], a["text"]


def test_a_thousand_graph_statements_read_quickly():
    import time

    chain = " ".join(f"Node{i} causes node{i + 1}." for i in range(1000))
    t0 = time.perf_counter()
    a = ask(chain + " Does node0 increase node1000?")
    assert time.perf_counter() - t0 < 30.0  # a hang guard (8,000 statements once never finished); ~1 s idle
    assert not confident(a)  # no numbers were given


def test_a_reply_without_a_final_period_is_not_glued_to_the_next():
    app = build_graph(checkpointer=MemorySaver())
    first = run_question("Smoking causes cancer. Among smokers, 30% get cancer. Does smoking increase cancer?", app=app)
    tid = first["thread_id"]
    assert not confident(first["answer"])
    second = run_question("Among non-smokers, 10% get cancer", app=app, thread_id=tid)["answer"]
    assert second["answer"] == "yes" and abs(second["value"] - 0.2) < 1e-6, second


def test_a_thread_keeps_its_story_but_never_its_answer():
    app = build_graph(checkpointer=MemorySaver())
    first = run_question(f"{STORY} Does smoking increase the chance of cancer?", app=app)
    assert first["answer"]["answer"] == "yes"
    tid = first["thread_id"]
    second = run_question("Would quitting smoking reduce cancer?", app=app, thread_id=tid)["answer"]
    assert second["answer"] == "yes" and abs(abs(second["value"]) - 0.2) < 1e-6, second
    third = run_question("Among non-smokers, 25% get cancer. Does smoking increase the chance of cancer?",
                         app=app, thread_id=tid)["answer"]
    assert third["answer"] == "yes" and abs(third["value"] - 0.05) < 1e-6, third
    assert "25%" in third["text"] or "0.25" in third["text"], third["text"]  # says what changed


def test_a_thread_question_about_an_unknown_variable_asks_back():
    app = build_graph(checkpointer=MemorySaver())
    first = run_question(f"{STORY} Does smoking increase the chance of cancer?", app=app)
    second = run_question("Does exercise reduce cancer?", app=app, thread_id=first["thread_id"])["answer"]
    assert not confident(second) and second["outcome"] == "declined", second


@pytest.mark.parametrize("question,expect", [
    ("Are smokers more likely than non-smokers to get cancer?", "yes"),
    ("Are non-smokers more likely than smokers to get cancer?", "no"),
    ("Is cancer more common among smokers than among non-smokers?", "yes"),
])
def test_a_prefix_negation_binds_to_its_own_word(question, expect):
    # P(cancer | smoker) = 0.3 > P(cancer | non-smoker) = 0.1; "non-" negates "smokers", never "cancer" after it
    never_wrong(ask(f"{STORY} {question}"), expect, 0.2)


def test_a_self_loop_read_from_a_rule_is_declined_not_an_internal_error():
    a = ask("The lamp is on exactly when the lamp is on or the switch is on. The switch was off. "
            "Had the switch been on, would the lamp be on?")
    assert a["outcome"] == "declined" and a["error_kind"] is None, a


@pytest.mark.parametrize("text,value", [
    ("suffer from insomnia in 90 cases out of 100", 0.9),
    ("patients with pneumonia in 30 out of 100 cases", 0.3),
    ("Nokia in 3 out of 5 stores", 0.6),
])
def test_a_word_ending_in_a_is_never_the_number_one(text, value):
    from fmcgm.language.prose import NUMBER_RE, number_value

    assert [round(number_value(m), 6) for m in NUMBER_RE.finditer(text)] == [value]


def test_frequencies_in_cases_out_of_a_hundred():
    a = ask("Coffee affects insomnia. Coffee drinkers suffer from insomnia in 90 cases out of 100. People who avoid coffee "
            "suffer from insomnia in 10 cases out of 100. Does coffee cause insomnia?")
    never_wrong(a, "yes", 0.8)


@pytest.mark.parametrize("story,question,expect,size", [
    # P(report | injured) = 0.6, P(report | injury-free) = 0.2 among untrained; the "-free" binds to injury only
    ("Injury affects reporting. Workers who get injured file a report in 60 cases out of 100. Workers who stay "
     "injury-free file a report in 20 cases out of 100.", "Does injury increase reporting?", "yes", 0.4),
    ("Smoking affects hospitalization. Non-smokers who stay smoke-free are hospitalized in 22 cases out of 100. "
     "Smokers are hospitalized in 52 cases out of 100.", "Does smoking increase hospitalization?", "yes", 0.3),
    # "stay weak" is the verb's complement, not a value of walking again
    ("Physiotherapy affects walking again. 90 out of every 100 patients without physiotherapy who stay weak walk "
     "again. 60% of patients with physiotherapy walk again.", "Does physiotherapy help walking again?", "no", 0.3),
])
def test_a_negation_or_value_word_binds_to_its_own_word(story, question, expect, size):
    never_wrong(ask(f"{story} {question}"), expect, size)


def test_a_negation_of_a_name_said_twice_does_not_reach_the_next_name():
    # P(flower | watered) = 0.8 > P(flower | not watered) = 0.5: "not" belongs to the second "watered"
    a = ask("Watering affects flowering. Among plants watered daily, 80% flower. Among plants not watered daily, 50% flower. "
            "Are plants watered daily more likely than plants not watered daily to flower?")
    never_wrong(a, "yes", 0.3)


def test_a_population_narrowed_by_a_word_no_variable_has_is_not_everyone():
    # "overweight people" is not a value of any variable: reading the 30% as P(heart disease) would be wrong
    a = ask("Exercise causes a healthy weight. A healthy weight leads to heart disease. The share of overweight people "
            "who develop heart disease is 30%. 9% of people with a healthy weight develop heart disease. 82% of people "
            "exercise. Among people who exercise, 80% keep a healthy weight; among people who do not, 35%. "
            "Does exercise reduce the risk of heart disease?")
    never_wrong(a, "yes", 0.0945)


@pytest.mark.parametrize("question,expect", [
    ("Would ending smoking reduce cancer?", "yes"),
    ("Would ending smoking increase cancer?", "no"),
])
def test_ending_negates_but_ending_up_does_not(question, expect):
    never_wrong(ask(f"{STORY} {question}"), expect, 0.2)


@pytest.mark.parametrize("story,question,expect", [
    ("If the key is not turned or the battery is flat, the engine does not start. Otherwise the engine starts. "
     "The key was turned and the battery was flat.", "Would the engine have started if the battery had not been flat?",
     "yes"),
    ("The grass is dry only when it does not rain and the sprinkler is off; in every other case, the grass is wet. "
     "It did not rain and the sprinkler was off.", "Would the grass have been wet if it had rained?", "yes"),
    ("The grass is dry only when it does not rain and the sprinkler is off; in every other case, the grass is wet. "
     "It did not rain and the sprinkler was off.", "Would the grass have been wet if the sprinkler had stayed off?", "no"),
])
def test_if_rules_with_otherwise(story, question, expect):
    never_wrong(ask(f"{story} {question}"), expect)


def test_an_if_rule_without_otherwise_is_half_a_mechanism():
    a = ask("If it rains, the grass is wet. It rained. Would the grass have been wet if it had not rained?")
    assert not confident(a), a  # without 'otherwise' the grass could be wet for other reasons


@pytest.mark.parametrize("story,question,expect", [
    ("The lamp is lit exactly when the wall switch is on or the desk switch is on. We observed that the wall switch was "
     "on and the desk switch was on.", "In a world where the wall switch had not been on, would the lamp have been lit?",
     "yes"),
    ("The team wins exactly when Ben scores or Cara scores. We know that the team won and Ben scored.",
     "Would the team still have won if Cara had not scored?", "yes"),
    ("The alarm sounds exactly when the front sensor fires and the back sensor fires. The front sensor fired and the "
     "back sensor fired.", "Would the alarm have sounded if the back sensor had not fired?", "no"),
])
def test_two_causes_sharing_a_word_stay_two_variables(story, question, expect):
    never_wrong(ask(f"{story} {question}"), expect)


def test_a_relative_clause_the_story_has_no_variable_for_is_asked_after_a_fraction():
    a = ask("Exercise affects heart disease. A fraction 0.8 of people who exercise who are overweight develop heart "
            "disease. 10% of people who do not exercise develop heart disease. Does exercise raise heart disease?")
    assert not confident(a), a  # 'overweight' narrows the group: the 0.8 is not P(heart disease | exercise)


@pytest.mark.parametrize("question,expect", [
    ("Would cancelling smoking reduce cancer?", "yes"),
    ("Would dropping smoking raise cancer?", "no"),
    ("Would lowering smoking reduce cancer?", None),  # a decrease of a yes/no cause: asked, never guessed
    ("Would discontinuing smoking lower the chance of cancer?", "yes"),
])
def test_verbs_before_the_cause_negate_it_or_are_asked(question, expect):
    a = ask(f"{STORY} {question}")
    if expect is None:
        assert not confident(a), a
    else:
        never_wrong(a, expect, 0.2)


# Classes a hostile probe found (issue 16, second probe); the phrasings here are our own variants.
@pytest.mark.parametrize("story", [
    "Smoking affects cancer. Among smokers, 30% get cancer, whereas among non-smokers, the figure is 10%.",
    "Smoking affects cancer. Among non-smokers, 10% get cancer, while among smokers, it is 30%.",
    "Smoking affects cancer. For smokers, the chance of cancer is 30%, and for non-smokers, it is 10%.",
    "Smoking affects cancer. Among smokers, 30% get cancer, among non-smokers, 10%.",
    "Smoking affects cancer. In smokers, 30% develop cancer, but in non-smokers, only 10% do.",
])
def test_two_groups_in_one_sentence_keep_their_own_numbers(story):
    never_wrong(ask(f"{story} Does smoking raise the chance of cancer?"), "yes", 0.2)


DRUG = ("Wealth has a direct effect on the drug and recovery. The drug has a direct effect on recovery. 40% of people are "
        "wealthy. For people who are not wealthy, the probability of the drug is 20%. For wealthy people, the probability "
        "of the drug is 70%. For people who are not wealthy and do not take the drug, the probability of recovery is 10%. "
        "For people who are not wealthy and take the drug, the probability of recovery is 30%. For wealthy people who do "
        "not take the drug, the probability of recovery is 60%. For wealthy people who take the drug, the probability of "
        "recovery is 40%.")
# ATE = 0.6*0.2 + 0.4*(-0.2) = +0.04; P(w | drug) = 0.28/0.40 = 0.7, so ETT = 0.3*0.2 + 0.7*(-0.2) = -0.08;
# P(recovery | drug) = 0.3*0.3 + 0.7*0.4 = 0.37, P(recovery | no drug) = (0.48*0.1 + 0.12*0.6)/0.6 = 0.2: association +0.17


@pytest.mark.parametrize("question,expect,size", [
    ("Is recovery more likely among people who take the drug?", "yes", 0.17),
    ("Is there a positive correlation between the drug and recovery?", "yes", 0.17),
    ("Is the chance of recovery larger when observing the drug?", "yes", 0.17),
    ("For people who take the drug, does the drug help them recover?", "no", 0.08),
    ("For those who took the drug, does the drug hurt recovery?", "yes", 0.08),
    ("Does the drug increase recovery?", "yes", 0.04),
])
def test_association_treated_and_average_effects_are_not_confused(question, expect, size):
    never_wrong(ask(f"{DRUG} {question}"), expect, size)


MED = ("Training has a direct effect on skill and promotion. Skill has a direct effect on promotion. For people without "
       "training, the probability of skill is 20%. For people with training, the probability of skill is 60%. For people "
       "without training and without skill, the probability of promotion is 10%. For people without training and with "
       "skill, the probability of promotion is 50%. For people with training and without skill, the probability of "
       "promotion is 5%. For people with training and with skill, the probability of promotion is 30%.")
# NDE = 0.8*(0.05-0.10) + 0.2*(0.30-0.50) = -0.08; NIE = (0.6-0.2)*(0.50-0.10) = +0.16


@pytest.mark.parametrize("question,expect,size", [
    ("If we disregard the mediation through skill, does training hurt promotion?", "yes", 0.08),
    ("Ignoring the path through skill, does training raise promotion?", "no", 0.08),
    ("Does training raise promotion through skill?", "yes", 0.16),
])
def test_direct_and_indirect_effects_by_their_cue_words(question, expect, size):
    never_wrong(ask(f"{MED} {question}"), expect, size)


FAME = ("Talent has a direct effect on fame. Looks have a direct effect on fame. The overall probability of talent is 50%. "
        "The overall probability of looks is 50%. For people without talent and without looks, the probability of fame "
        "is 10%. For people without talent and with looks, the probability of fame is 50%. For people with talent and "
        "without looks, the probability of fame is 50%. For people with talent and with looks, the probability of fame "
        "is 90%.")
# given fame: P(looks | talent) = 0.45/0.70 = 0.643, P(looks | no talent) = 0.25/0.30 = 0.833: -0.19


@pytest.mark.parametrize("question", [
    "Among famous people, are talented people less likely to have looks?",
    "Given that someone is famous, are talented people less likely to have looks?",
    "For famous people, is talent associated with less looks?",
])
def test_a_selected_group_is_never_dropped(question):
    never_wrong(ask(f"{FAME} {question}"), "yes", 0.19)


@pytest.mark.parametrize("sentence", [
    "Among people who do not exercise, 85% are thin.",
    "Among people who do not exercise, 85% stay slim.",
    "Among people who do not exercise, 85% feel fine.",
])
def test_a_number_about_another_word_is_not_the_event_before(sentence):
    a = ask(f"Exercise affects obesity. Among people who exercise, 20% are obese. {sentence} Does exercise reduce obesity?")
    assert not confident(a), a


@pytest.mark.parametrize("number", ["1e-1", "2.5e-1", "20 percent more", "50% fewer", "more than 10%", "at most 40%",
                                    "less than 10%", "at least 40%", "5 points higher"])
def test_numbers_that_are_not_one_probability_are_declined(number):
    a = ask(f"Smoking causes cancer. Among smokers, 30% get cancer. Among non-smokers, {number} get cancer. "
            "Does smoking increase the chance of cancer?")
    assert not confident(a) and a["outcome"] == "declined", a


@pytest.mark.parametrize("question", [
    "For men, does smoking increase cancer?",
    "Does smoking increase cancer in women?",
    "Among people over 60, does smoking increase cancer?",
    "Does smoking increase cancer for teenagers?",
])
def test_a_group_the_story_never_names_is_asked_about(question):
    assert not confident(ask(f"{STORY} {question}"))


def test_an_unreadable_reply_does_not_block_the_thread():
    app = build_graph(checkpointer=MemorySaver())
    first = run_question("Smoking causes cancer. Among smokers, 30% get cancer. Does smoking increase cancer?", app=app)
    tid = first["thread_id"]
    run_question("blorp", app=app, thread_id=tid)
    third = run_question("Among non-smokers, 10% get cancer.", app=app, thread_id=tid)["answer"]
    assert third["answer"] == "yes" and abs(third["value"] - 0.2) < 1e-6, third


def test_a_share_within_a_group_is_never_answered_with_an_effect():
    a = ask("Of the people who showed up late, what share came by bus? Taking the bus makes you more likely to be late. "
            "40% of our staff come by bus; bus riders are late 30% of the time and everyone else 10% of the time.")
    never_wrong(a, None)
    if confident(a):
        assert abs(a["value"] - 0.12 / 0.18) < 0.006, a  # P(bus | late)
