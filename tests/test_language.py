import pytest

from fmcgm.causal.evaluate import answer_query
from fmcgm.errors import ParseError
from fmcgm.language.grounding import split_block
from fmcgm.language.question import parse_question
from fmcgm.language.story import parse_story, split_causes
from fmcgm.language.text import polarity, similarity
from fmcgm.language.understand import understand


@pytest.mark.parametrize("a,b,expected", [
    ("the patient is not male", "male gender", -1),
    ("people who went to tanning salons", "people not using tanning salon treatments", -1),
    ("the person lives far from a college", "close to a college", -1),
    ("the employee is fired", "employee being fired", 1),
    ("nonsmokers", "smokers", -1),
    ("the room is bright", "dark room", -1),
    ("the person has pale skin", "tanned skin", -1),
    ("the person does not go to the beach", "going to the beach", -1),
    ("the person avoids cholera", "cholera contraction", -1),
    ("the person is served by a local water company", "global water company", -1),
])
def test_polarity(a, b, expected):
    assert polarity(a, b) == expected


def test_similarity_prefers_the_right_variable():
    assert similarity("vaccinated individuals", "vaccination status") > similarity("vaccinated individuals", "smallpox survival")
    assert similarity("zorb", "blip") == 0


def test_split_block_handles_and_inside_phrases():
    conds = ["people who eat and drink and rich", "people who eat and drink and poor",
             "people who fast and rich", "people who fast and poor"]
    assert split_block(conds, 2) == [["people who eat and drink", "rich"], ["people who eat and drink", "poor"],
                                     ["people who fast", "rich"], ["people who fast", "poor"]]


def test_split_causes_keeps_known_phrases_whole():
    assert split_causes("rain and degree or higher", {"degree or higher"}) == (["rain", "degree or higher"], "and")
    assert split_causes("rain or snow", set()) == (["rain", "snow"], "or")


@pytest.mark.parametrize("q,kind,claim", [
    ("Will blorp increase the chance of zed?", "ate", "positive"),
    ("Is the chance of zed smaller when observing blorp?", "correlation", "negative"),
    ("Is zed more likely than not zed overall?", "marginal", "more_likely"),
    ("Does blorp negatively affect zed through mip?", "nie", "negative"),
    ("If we disregard the mediation effect through mip, would blorp positively affect zed?", "nde", "positive"),
    ("What is the effect of blorp on zed?", "ate", "none"),
])
def test_question_forms(q, kind, claim):
    spec = parse_question(q)
    assert (spec.kind, spec.claim) == (kind, claim)


def test_unreadable_question_explains_how_to_switch_backend():
    with pytest.raises(ParseError) as e:
        parse_question("Why is the sky blue?")
    assert "LLM backend" in e.value.hint


def test_no_graph_is_reported():
    with pytest.raises(ParseError) as e:
        understand("Will rain increase the chance of floods?")
    assert "no causal graph" in e.value.message


STORY = ("Fertilizer has a direct effect on soil nitrogen and harvest. Soil nitrogen has a direct effect on harvest. "
         "For fields without fertilizer, the probability of rich soil nitrogen is 20%. "
         "For fields with fertilizer, the probability of rich soil nitrogen is 70%. "
         "For fields without fertilizer and with poor soil nitrogen, the probability of a big harvest is 10%. "
         "For fields without fertilizer and with rich soil nitrogen, the probability of a big harvest is 50%. "
         "For fields with fertilizer and with poor soil nitrogen, the probability of a big harvest is 15%. "
         "For fields with fertilizer and with rich soil nitrogen, the probability of a big harvest is 55%. ")


def test_understands_an_unseen_story_with_a_mediator():
    p = understand(STORY + "Does fertilizer positively affect harvest through soil nitrogen?")
    assert p.query.kind == "nie" and p.query.treatment == "fertilizer" and p.query.mediators == ("soil nitrogen",)
    res = answer_query(p.graph, p.query, p.statements, p.claim)
    # NIE = Σ_m P(y | x0, m) [P(m | x1) - P(m | x0)] = (0.5 - 0.1) * (0.7 - 0.2)
    assert res.value == pytest.approx(0.2)
    assert res.answer == "yes"


def test_understands_value_phrases_in_an_ate_question():
    p = understand(STORY + "Will fertilizer decrease the chance of a big harvest?")
    res = answer_query(p.graph, p.query, p.statements, p.claim)
    # ATE = Σ_m P(y | x, m) P(m | x): 0.15*0.3+0.55*0.7 - (0.1*0.8+0.5*0.2) = 0.43 - 0.18
    assert res.value == pytest.approx(0.25)
    assert res.answer == "no"


def test_story_sentences_are_classified():
    s = parse_story("A has a direct effect on B. B is unobserved. We know that A causes B. We observed A. "
                    "Would B if A instead of not A?")
    assert s.background.edges == [("A", "B")] and s.background.latent == ["B"]
    assert len(s.mechanisms) == 1 and s.observations == ["A"]
