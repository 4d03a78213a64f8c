"""A mechanism stated in words over a world's concepts (fmcgm/language/mechanism_words.py): read into the same
SCM menu `fmcgm render --scm` checks, refused with the reason, and rendered through the agent under that SCM."""

import pytest

from fmcgm.language.mechanism_words import read_mechanism, rules
from fmcgm.language.visual import parse_visual
from fmcgm.worlds import get_world
from tools import call_tool

PEND, WATER = get_world("pendulum"), get_world("waterflow")


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.name)
def test_every_rule_reads_its_own_example(rule):
    r = read_mechanism(rule.example + ".", get_world(rule.world))
    if rule.mechanism == "inverse":  # the one rule that exists to refuse, with the reason
        assert r.mechanism is None and "inverse proportion" in r.refusal.message
        return
    assert r.refusal is None, r.refusal
    assert r.mechanism.rules == [rule.name] and r.rest == ""


def spec(text, world=PEND):
    r = read_mechanism(text, world)
    assert r.refusal is None, r.refusal
    return r.mechanism.spec["concepts"], r.mechanism


def test_the_issue_wording_a_vague_clause_made_precise_by_the_next():
    concepts, m = spec("Suppose the light follows the pendulum: it is always 60° to the right of the angle.")
    assert concepts == {"light_position": {"mechanism": "copy", "parent": "pendulum_angle", "offset": 60.0}}
    assert m.rules == ["follows", "offset_after"]
    assert any("read as light_position = pendulum_angle + 60" in a for a in m.assumptions)
    assert not any("monotone" in a for a in m.assumptions)  # the vague reading was replaced, and not said


@pytest.mark.parametrize("text,child,want", [
    ("The light is the angle plus 30 degrees.", "light_position",
     {"mechanism": "copy", "parent": "pendulum_angle", "offset": 30.0}),
    ("the sun is 40% more than the pendulum angle", "light_position",  # a share of the light's range
     {"mechanism": "copy", "parent": "pendulum_angle", "offset": pytest.approx(31.32)}),
    ("Assume the shadow length equals the shadow position minus 4 units.", "shadow_length",
     {"mechanism": "copy", "parent": "shadow_position", "offset": -4.0}),
    ("the lamp tracks the angle of the pendulum, give or take 2 degrees", "light_position",
     {"mechanism": "linear", "weights": {"pendulum_angle": pytest.approx(78.3 / 74.7, rel=1e-3)},
      "intercept": pytest.approx(54 + 36 * 78.3 / 74.7, rel=1e-3), "noise": 2.0}),
])
def test_pendulum_phrasings(text, child, want):
    concepts, _ = spec(text)
    assert concepts == {child: want}


def test_a_qualifier_after_a_name_is_not_part_of_it():
    assert spec("the shadow length is set by the light only")[0]["shadow_length"]["weights"].keys() == {"light_position"}


def test_set_by_without_a_formula_is_a_monotone_copy_said_as_an_assumption():
    concepts, m = spec("In my tank the hole height sets the ball size.", WATER)
    lin = concepts["ball_size"]
    h, b = WATER.concept("hole_height"), WATER.concept("ball_size")
    assert lin["intercept"] + lin["weights"]["hole_height"] * h.low == pytest.approx(b.low)
    assert lin["intercept"] + lin["weights"]["hole_height"] * h.high == pytest.approx(b.high)
    assert any("gives no formula" in a and "monotone rising" in a for a in m.assumptions)
    assert "no noise was stated: the stated mechanisms are exact" in m.assumptions
    # the same mechanism in other words, and falling the other way round
    assert spec("the ball size is determined by the hole", WATER)[0] == concepts
    falling, _ = spec("the higher the hole, the smaller the ball", WATER)
    assert falling["ball_size"]["weights"]["hole_height"] == pytest.approx(-lin["weights"]["hole_height"])


@pytest.mark.parametrize("text,want", [
    ("the stream doubles with the water level",
     {"flow": {"mechanism": "linear", "weights": {"water_level": pytest.approx(6.7 / WATER.concept("water_level").high)},
               "intercept": 0.0}}),
    ("the flow is twice the ball size", {"flow": {"mechanism": "linear", "weights": {"ball_size": 2.0}, "intercept": 0.0}}),
    ("the stream is long when the water level is above 3, short otherwise",
     {"flow": {"mechanism": "threshold", "parent": "water_level", "at": 3.0, "below": 2.0, "above": 6.5}}),
    ("the flow is 2 units if the level is below 40%, and 6 units otherwise",
     {"flow": {"mechanism": "threshold", "parent": "water_level", "at": pytest.approx(0.505 + 0.4 * 4.855, abs=0.01),
               "below": 2.0, "above": 6.0}}),
])
def test_waterflow_phrasings(text, want):
    assert spec(text, WATER)[0] == want


@pytest.mark.parametrize("text,world,needle", [
    ("The light follows the moon.", PEND, "'the moon' is not a concept of the pendulum world"),
    ("the light is the angle plus 30 km", PEND, "'km' is not a unit of light_position"),
    ("the pendulum angle is set by the shadow length", PEND,
     "the graph has a cycle: pendulum_angle → shadow_length → pendulum_angle"),
    ("the light is the angle plus 300 degrees", PEND, "never inside light_position's range"),
    ("the shadow position is always the angle plus 3", PEND, "a copy needs one unit"),
    ("the ball halves as the hole doubles", WATER, "inverse proportion"),
    ("the light follows the angle. The light is the shadow length plus 3.", PEND, "two mechanisms for light_position"),
    ("the light always wobbles around the pendulum", PEND, "cannot read the mechanism"),
    ("the flow is 3 km when the level is above 2, short otherwise", WATER, "'km' is not a unit of flow"),
])
def test_refusals_say_why(text, world, needle):
    r = read_mechanism(text, world)
    assert r.mechanism is None and r.refusal is not None and needle in r.refusal.message, r.refusal


def test_unknown_concept_names_the_accepted_ones():
    r = read_mechanism("the light follows the moon", PEND)
    assert all(c in r.refusal.hint for c in PEND.names) and "lamp" in r.refusal.hint


def test_the_question_keeps_its_intervention_and_plain_questions_are_unchanged():
    v = parse_visual("Suppose the light follows the pendulum: it is always 60° to the right of the angle. "
                     "What would the scene look like if the pendulum were at 20°?")
    assert v.world == "pendulum" and v.intervention == {"pendulum_angle": 20.0}
    assert v.mechanism.spec["concepts"]["light_position"]["offset"] == 60.0
    one = parse_visual("If the light followed the pendulum, what would the scene look like if the angle were -10?")
    assert one.intervention == {"pendulum_angle": -10.0} and one.mechanism.rules == ["follows"]
    plain = parse_visual("What would the shadow look like if the light were on the far left?")
    assert plain.mechanism is None and plain.refusal is None and plain.intervention == {"light_position": "far left"}
    bad = parse_visual("The lamp follows the moon. Show the scene if the angle were 10.")
    assert bad.refusal is not None and "moon" in bad.refusal.message


def test_the_render_tool_takes_the_stated_scm_and_says_it():
    m = read_mechanism("the light is the angle plus 60", PEND).mechanism
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"angle": 20}, "method": "oracle",
                                   "scm": m.spec, "assumptions": m.assumptions})
    assert r["ok"], r
    d = r["data"]
    assert d["counterfactual_values"]["light_position"] == pytest.approx(80.0)
    assert d["check"]["ok"] and "under your SCM (light_position = clip(pendulum_angle + 60))" in r["summary"]
    assert d["assumptions"][0].startswith("the SCM used: light_position = clip(pendulum_angle + 60)")


def test_the_agent_refuses_a_mechanism_it_cannot_draw_without_rendering():
    from agent.graph import run_question

    state = run_question("Suppose the light is the angle plus 300 degrees. What would the scene look like if the "
                         "pendulum were at 20°?")
    tools = [s["tool"] for s in state["trace"] if s["node"] == "tools"]
    assert "render_image" not in tools
    assert "never inside light_position's range" in state["answer"]["text"]


def test_the_agent_renders_a_checked_picture_under_the_stated_mechanism(out_root):
    from agent.graph import run_question

    state = run_question("Suppose the light follows the pendulum: it is always 60° to the right of the angle. "
                         "What would the scene look like if the pendulum were at 20°?")
    steps = [(s["node"], s["tool"]) for s in state["trace"]]
    assert [t for n, t in steps if n == "tools"] == ["propose_edges", "check_acyclicity", "apply_do", "render_image"]
    call = next(s for s in state["trace"] if s.get("tool") == "render_image")
    assert call["args"]["scm"]["concepts"] == {"light_position": {"mechanism": "copy", "parent": "pendulum_angle",
                                                                  "offset": 60.0}}
    assert ["pendulum_angle", "light_position"] in call["args"]["graph"]["edges"]  # committed: the user's graph
    ans = state["answer"]
    assert ans["error"] is None, ans
    assert call["result"]["data"]["check"]["ok"]  # the self-check passed on the picture
    assert ans["images"]["side_by_side"].startswith(str(out_root))
    assert ans["counterfactual_values"]["light_position"] == pytest.approx(80.0)  # 20° + 60°, no noise stated
    assert "under your SCM (light_position = clip(pendulum_angle + 60))" in ans["text"]
    assert any("60° to the right of the angle" in a for a in ans["assumptions"])
