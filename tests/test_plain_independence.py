"""Stated independences in plain words (fmcgm/discovery/plain_independence.py): several phrasings per family,
negation traps, declines that name the sentence, the agent and the paraphrase eval end to end."""

from __future__ import annotations

import json

import pytest

from fmcgm.discovery.independence_statements import StatementError, read_problem
from fmcgm.discovery.plain_independence import (
    _Reader,
    claims,
    read_plain_hypothesis,
    read_plain_premises,
    read_plain_problem,
)
from fmcgm.errors import FMCGMError, InconsistentInputError


def one(sentence: str) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """(kind, pair, conditioning set) of a one-statement sentence, None when it is not read."""
    got = _Reader().sentence(sentence)
    if got is None:
        return None
    (r,) = got
    return r.kind, frozenset((r.x, r.y)), r.given


EW = frozenset(("exercise", "weight"))
NONE: frozenset[str] = frozenset()
DIET = frozenset({"diet"})
DIET_SLEEP = frozenset({"diet", "sleep"})


@pytest.mark.parametrize("sentence", [
    "Exercise and weight are independent.",
    "Exercise is independent of weight.",
    "Exercise and weight are statistically independent of each other.",
    "Exercise and weight are uncorrelated.",
    "Exercise and weight are unrelated.",
    "Exercise has no link to weight.",
    "There is no association between exercise and weight.",
    "Exercise tells you nothing about weight.",
    "Knowing exercise tells you nothing about weight.",
    "Exercise and weight have nothing to do with each other.",
    "Exercise does not correlate with weight.",
    "Exercise and weight are not linked.",
])
def test_marginal_independence(sentence):
    assert one(sentence) == ("ind", EW, NONE)


@pytest.mark.parametrize("sentence, given", [
    ("Exercise and weight are independent given diet.", DIET),
    ("Exercise and weight are independent given diet and sleep.", DIET_SLEEP),
    ("Exercise is independent of weight given diet, sleep.", DIET_SLEEP),
    ("Once diet is known, exercise and weight are independent.", DIET),
    ("Exercise tells you nothing about weight once you know diet.", DIET),
    ("Once you know diet and sleep, exercise tells you nothing about weight.", DIET_SLEEP),
    ("Knowing diet makes exercise and weight unrelated.", DIET),
    ("Knowing both diet and sleep makes exercise and weight independent.", DIET_SLEEP),
    ("After controlling for diet, exercise and weight are uncorrelated.", DIET),
    ("Holding diet fixed, exercise and weight are unrelated.", DIET),
    ("Exercise and weight are unrelated when diet is held constant.", DIET),
    ("Conditional on diet, exercise and weight are independent.", DIET),
    ("Among people with the same diet, exercise and weight are unrelated.", DIET),
    ("Diet screens off exercise from weight.", DIET),
    ("Once we control for diet, exercise and weight are no longer correlated.", DIET),
])
def test_conditional_independence(sentence, given):
    assert one(sentence) == ("ind", EW, given)


@pytest.mark.parametrize("sentence", [
    "Exercise and weight are correlated.",
    "Exercise correlates with weight.",
    "Exercise is associated with weight.",
    "Exercise and weight are related.",
    "Exercise and weight are linked.",
    "There is a link between exercise and weight.",
    "Exercise and weight are negatively correlated.",  # a sign is still a dependence
    "Exercise tells you something about weight.",
])
def test_dependence(sentence):
    assert one(sentence) == ("dep", EW, NONE)


@pytest.mark.parametrize("sentence, kind", [
    ("Exercise and weight are not correlated.", "ind"),       # negated correlation: an independence
    ("Exercise and weight aren't correlated.", "ind"),
    ("Exercise is not associated with weight.", "ind"),
    ("There is no correlation between exercise and weight.", "ind"),
    ("Exercise and weight are not independent.", "dep"),      # negated independence: a dependence
    ("Exercise is not independent of weight.", "dep"),
    ("Exercise and weight are not uncorrelated.", "dep"),
])
def test_negation_traps(sentence, kind):
    p = read_plain_premises(sentence)
    assert (len(p.independences), len(p.dependences)) == ((1, 0) if kind == "ind" else (0, 1))


def test_two_statements_in_one_sentence_and_the_pronoun():
    got = _Reader().sentence("Exercise and weight are correlated, but they are independent once diet is known.")
    assert got is not None and [(r.kind, r.given) for r in got] == [("dep", NONE), ("ind", DIET)]
    got = _Reader().sentence("Exercise correlates with weight, but not once diet is known.")
    assert got is not None and [(r.kind, r.given) for r in got] == [("dep", NONE), ("ind", DIET)]
    got = _Reader().sentence("Exercise and weight are linked, but the link goes away after controlling for diet.")
    assert got is not None and [(r.kind, r.given) for r in got] == [("dep", NONE), ("ind", DIET)]
    got = _Reader().sentence("Diet is correlated with both exercise and weight.")
    assert got is not None and {frozenset((r.x, r.y)) for r in got} == {frozenset(("diet", "exercise")),
                                                                         frozenset(("diet", "weight"))}


@pytest.mark.parametrize("text, statements", [
    # the original Corr2Cause frame, names instead of letters: the closing clause before a colon is read too
    ("Imagine a closed system made up of three variables: exercise, diet, and weight. All the statistical relations "
     "among these 3 variables are as follows: exercise correlates with diet. Diet correlates with weight. However, "
     "exercise is independent of weight given diet.", {("dep", "diet", "exercise", ()), ("dep", "diet", "weight", ()),
                                                       ("ind", "exercise", "weight", ("diet",))}),
    ("Exercise and weight are d-separated by diet. Exercise and diet show a correlation.",
     {("ind", "exercise", "weight", ("diet",)), ("dep", "diet", "exercise", ())}),
    ("Exercise and weight are independent given diet, and also given diet and sleep.",
     {("ind", "exercise", "weight", ("diet",)), ("ind", "exercise", "weight", ("diet", "sleep"))}),
    ("Exercise and weight are independent overall. Exercise, diet and weight... ", None),
    ("Variables: exercise, diet, weight. Exercise and weight are conditionally independent given diet.",
     {("ind", "exercise", "weight", ("diet",))}),
])
def test_more_frames(text, statements):
    if statements is None:
        with pytest.raises(StatementError):
            read_plain_premises(text)
        return
    p = read_plain_premises(text)
    got = {("ind", *sorted((s.x.lower(), s.y.lower())), tuple(sorted(s.given))) for s in p.independences}
    got |= {("dep", *sorted((s.x.lower(), s.y.lower())), tuple(sorted(s.given))) for s in p.dependences}
    assert got == statements


@pytest.mark.parametrize("sentence", [
    "Exercise and weight are hardly correlated.",            # a hedge the reader does not weigh
    "It is not true that exercise and weight are independent.",
    "Exercise causes weight.",                               # a causal claim, not a statement of (in)dependence
    "Exercise and weight are independent-ish.",
    "Exercise and weight are rarely correlated.",
])
def test_a_sentence_not_understood_is_declined_by_name(sentence):
    text = f"{sentence} Diet and sleep are correlated. Does diet directly cause sleep?"
    with pytest.raises(StatementError) as e:
        read_plain_problem(text)
    assert e.value.sentence == sentence


@pytest.mark.parametrize("sentence, kind, x, y", [
    ("Hypothesis: diet directly causes weight.", "parent", "diet", "weight"),
    ("Does diet directly cause weight?", "parent", "diet", "weight"),
    ("Is diet a direct cause of weight?", "parent", "diet", "weight"),
    ("Is weight directly affected by diet?", "parent", "diet", "weight"),
    ("Is it implied that diet has a direct effect on weight?", "parent", "diet", "weight"),
    ("Does diet influence weight through some mediator but not directly?", "ancestor", "diet", "weight"),
    ("Can we conclude that diet causes something else which causes weight?", "ancestor", "diet", "weight"),
    ("Is diet an indirect cause of weight?", "ancestor", "diet", "weight"),
    ("Hypothesis: diet and weight together cause something.", "collider", "diet", "weight"),
    ("Do diet and weight have a common effect?", "collider", "diet", "weight"),
    ("Is there a collider of weight and diet?", "collider", "diet", "weight"),
    ("Do diet and weight share a common cause?", "confounder", "diet", "weight"),
    ("Hypothesis: something causes both weight and diet.", "confounder", "diet", "weight"),
    ("Is there a confounder of diet and weight?", "confounder", "diet", "weight"),
])
def test_hypotheses(sentence, kind, x, y):
    h = read_plain_hypothesis(sentence)
    assert (h.kind, h.x, h.y) == (kind, x, y)


@pytest.mark.parametrize("sentence", [
    "Does diet cause weight?",                 # directly or through mediators: not said
    "Diet does not directly cause weight.",    # a negated hypothesis is not read
    "Is diet important for weight?",
])
def test_unread_hypotheses_decline(sentence):
    with pytest.raises(StatementError):
        read_plain_hypothesis(sentence)


def test_header_names_the_variables_and_checks_them():
    p = read_plain_premises("We measured three things: exercise, diet, and weight. Exercise and weight are "
                            "independent given diet.")
    assert p.declared and p.variables == ("exercise", "diet", "weight")
    with pytest.raises(StatementError, match="announces four variables"):
        read_plain_premises("We measured four things: exercise, diet and weight. Exercise and weight are independent.")
    with pytest.raises(StatementError, match="not one of the variables"):
        read_plain_premises("The variables are exercise, diet and weight. Exercise and sleep are independent.")


def test_contradiction_is_named():
    with pytest.raises(InconsistentInputError):
        read_plain_premises("Exercise and weight are correlated. Exercise and weight are not correlated.")


# A → B ← C in plain words: the collider is compelled, so "A and C have a common effect" is implied and "B
# directly causes A" is not (the edge is A → B in the only member).
COLLIDER = ("Consider a closed system of three variables: rainfall, crop yield, and sunlight. Rainfall and sunlight "
            "are independent. Rainfall and crop yield are correlated. Sunlight is correlated with crop yield. ")


def test_verdicts_match_the_formal_problem():
    from fmcgm.discovery.equivalence_class import equivalence_class, evaluate

    for question, implied in (("Do rainfall and sunlight have a common effect?", True),
                              ("Does crop yield directly cause rainfall?", False),
                              ("Does rainfall directly cause crop yield?", True),
                              ("Do rainfall and sunlight share a common cause?", False)):
        p = read_plain_problem(COLLIDER + question).problem
        assert evaluate(p.hypothesis, equivalence_class(p.premises)).implied is implied, question
    formal = read_problem("A is independent of C. A correlates with B. C correlates with B. "
                          "Hypothesis: A and C have a common effect.")
    assert evaluate(formal.hypothesis, equivalence_class(formal.premises)).implied


def test_tool_and_agent_answer_in_plain_words_and_decline_by_name():
    from agent.graph import run_question
    from tools import call_tool

    res = call_tool("infer_from_independences", {"premises": COLLIDER, "hypothesis": "Does rainfall directly cause crop yield?"})
    assert res["ok"] and res["data"]["answer"] == "yes"
    ans = run_question(COLLIDER + "Do rainfall and sunlight have a common effect?")["answer"]
    assert ans["computed"] and ans["answer"] == "yes"
    bad = run_question(COLLIDER + "Rainfall and sunlight are sort of linked. Do rainfall and sunlight have a common effect?")
    assert not bad["answer"]["computed"] and "\u201cRainfall and sunlight are sort of linked.\u201d" in bad["answer"]["error"]


def test_unread_hypothesis_after_plain_premises_is_declined_by_name():
    from agent.graph import run_question

    ans = run_question(COLLIDER + "Does rainfall cause crop yield?")["answer"]
    assert not ans["computed"] and "\u201cDoes rainfall cause crop yield?\u201d" in ans["error"]


def test_only_plain_independence_questions_are_claimed():
    assert claims(COLLIDER + "Does rainfall directly cause crop yield?")
    assert claims(COLLIDER + "Does rainfall cause crop yield?")  # three statements: declined by the tool, by name
    assert not claims("Smoking has a direct effect on cancer. Does smoking cause cancer?")
    assert not claims("Smoking and cancer are correlated. 30% of people smoke. Does smoking directly cause cancer?")


def test_phrasing_families_are_split_and_render_the_same_problem():
    from evals.corr2cause_paraphrase import FAMILIES, SPLIT, paraphrase

    slots = {f.slot for f in FAMILIES}
    for slot in slots:  # every slot has tune and held-out families
        assert {SPLIT[f.id] for f in FAMILIES if f.slot == slot} == {"tune", "heldout"}, slot
    p = read_problem("Suppose there is a closed system of 3 variables, A, B, and C, whose causal structure forms a "
                     "directed acyclic graph and satisfies faithfulness. All the conditional independence relations "
                     "are: A indep C | B. Hypothesis: A directly affects B.")
    for split in ("tune", "heldout"):
        para = paraphrase(p.premises, p.hypothesis, split, seed=1)
        assert para == paraphrase(p.premises, p.hypothesis, split, seed=1)  # seeded
        assert all(SPLIT[f] == split for f in para.families)
        assert not any(letter in para.text.split() for letter in ("A", "B", "C"))


def test_eval_paraphrase_cli(tmp_path):
    from typer.testing import CliRunner

    from fmcgm.cli import app

    chain = ("Suppose there is a closed system of 3 variables, A, B, and C, whose causal structure forms a directed "
             "acyclic graph and satisfies faithfulness. All the conditional independence relations are: A indep C | B.")
    rows = [{"label": 0, "relation_type": "parent", "query": f"Premise:\n{chain}\n\nHypothesis: A directly affects B."},
            {"label": 1, "relation_type": "collider",
             "query": "Premise:\nSuppose there is a closed system of 3 variables, A, B, and C. All the conditional "
                      "independence relations are: A indep C.\n\nHypothesis: There exists at least one collider "
                      "(i.e., a common child) of A and C."}]
    data = tmp_path / "t.json"
    data.write_text(json.dumps(rows))
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", "corr2cause", "--data", str(data), "--paraphrase", "--split", "tune",
                                 "--json", str(out)])
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text())
    assert (rep["right"], rep["declined"], rep["wrong"]) == (2, 0, 0) and rep["paraphrase"]["split"] == "tune"
    assert "plain words" in r.output
    # plain-word records are read as they are
    plain = tmp_path / "p.json"
    plain.write_text(json.dumps([{"label": 1, "premise": COLLIDER, "hypothesis": "Do rainfall and sunlight have a "
                                                                               "common effect?"}]))
    r = CliRunner().invoke(app, ["eval", "corr2cause", "--data", str(plain), "--json", str(out)])
    assert r.exit_code == 0 and json.loads(out.read_text())["right"] == 1


def test_random_word_salad_is_read_or_declined():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = ["exercise", "weight", "diet", "and", "are", "is", "not", "correlated", "independent", "given", "once",
             "known", "they", "but", ",", "of", "with", "no", "link", "to", "."]

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(words), min_size=1, max_size=14))
    def check(ws):
        text = " ".join(ws) + ". Does diet directly cause weight?"
        try:
            read_plain_problem(text)
        except StatementError as e:
            assert e.sentence
        except FMCGMError:
            pass

    check()
