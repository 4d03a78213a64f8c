"""The unit after a number is read, never thrown away: the concept's own unit, "%"/"percent" of the range,
or a value word; anything else is refused, naming the accepted units."""

import json

import pytest
from typer.testing import CliRunner

from fmcgm.cli import app
from fmcgm.errors import QueryError
from fmcgm.language.visual import parse_visual
from fmcgm.worlds import get_world

runner = CliRunner()
PENDULUM = get_world("pendulum")
FLOW = get_world("waterflow")
ANGLE = PENDULUM.concept("pendulum_angle")


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


@pytest.mark.parametrize("text", ["10%", "10 %", "10 percent", "10 per cent", "10 Percent", "10 percent of the range",
                                  "10% of its range"])
def test_percent_is_a_share_of_the_range(text):
    assert PENDULUM.parse_value("angle", text) == pytest.approx(ANGLE.low + 0.1 * ANGLE.span)
    assert PENDULUM.parse_value("angle", text) == pytest.approx(-28.5, abs=0.05)


@pytest.mark.parametrize("text", ["10", "10 degrees", "10 degree", "10 deg", "10°", "10 °", "+10 degrees"])
def test_the_concepts_own_unit_is_the_number_itself(text):
    assert PENDULUM.parse_value("angle", text) == 10.0


@pytest.mark.parametrize("text", ["-10 degrees", "−10°", "-10"])
def test_negative_numbers_keep_their_sign(text):
    assert PENDULUM.parse_value("angle", text) == -10.0


@pytest.mark.parametrize("concept,text,value", [
    ("shadow_position", "5 scene units", 5.0), ("shadow_position", "5 units", 5.0), ("shadow_position", "5 u", 5.0),
    ("shadow_length", "4.5 unit", 4.5),
])
def test_scene_units(concept, text, value):
    assert PENDULUM.parse_value(concept, text) == value


@pytest.mark.parametrize("world,concept,text,unit", [
    (PENDULUM, "angle", "10 km", "km"), (PENDULUM, "angle", "10 radians", "radians"),
    (PENDULUM, "light", "100 kg", "kg"), (PENDULUM, "angle", "10 furlongs", "furlongs"),
    (PENDULUM, "shadow_length", "5 metres", "metres"), (FLOW, "ball", "0.5 cm", "cm"),
    (FLOW, "hole", "3 degrees", "degrees"), (PENDULUM, "angle", "10 percents of nothing", "percents of nothing"),
])
def test_a_foreign_unit_is_refused_naming_the_accepted_ones(world, concept, text, unit):
    c = world.concept(concept)
    with pytest.raises(QueryError) as e:
        world.parse_value(concept, text)
    msg = e.value.message + " " + (e.value.hint or "")
    assert repr(unit) in msg or unit in msg
    assert c.unit in msg and "%" in msg and "percent" in msg


def render(*args):
    return runner.invoke(app, ["render", "--world", "pendulum", "--oracle", *args])


@pytest.mark.parametrize("do", ["angle=10 km", "angle=10 radians", "light=90 kilometres"])
def test_cli_refuses_a_foreign_unit_with_one_line(do):
    r = render("--do", do)
    assert r.exit_code == 2, r.output
    assert len(r.output.strip().splitlines()) == 1 and "degrees" in r.output and "%" in r.output


def test_cli_refusal_in_json():
    r = render("--do", "angle=10 km", "--json")
    assert r.exit_code == 2
    d = json.loads(r.stdout)
    assert d["ok"] is False and "km" in d["error"]["message"]


@pytest.mark.parametrize("do,value", [("angle=10 percent", -28.53), ("angle=10%", -28.53), ("angle=10 degrees", 10.0)])
def test_cli_reads_the_unit(do, value):
    r = render("--do", do, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["intervention"]["pendulum_angle"] == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize("q,value", [
    ("What would the scene look like if the pendulum swung 10 percent?", -28.53),
    ("What would the scene look like if the pendulum swung 10%?", -28.53),
    ("Show the scene if the pendulum angle were 30 degrees.", 30.0),
    ("Show the scene if the pendulum angle were 30 and the light stayed.", 30.0),
])
def test_visual_questions_keep_the_unit(q, value):
    v = parse_visual(q)
    assert v is not None
    (name, raw), = v.intervention.items()
    assert PENDULUM.parse_value(name, raw) == pytest.approx(value, abs=0.01)


def test_a_visual_question_with_a_foreign_unit_is_not_rendered_at_the_bare_number():
    v = parse_visual("What would the scene look like if the pendulum swung 10 km?")
    assert v is not None
    (name, raw), = v.intervention.items()
    with pytest.raises(QueryError):
        PENDULUM.parse_value(name, raw)


def test_ask_refuses_a_foreign_unit_naming_the_accepted_ones():
    from agent.graph import run_question

    state = run_question("What would the scene look like if the pendulum swung 10 km?")
    assert not any(s.get("tool") == "render_image" for s in state["trace"])
    ans = state["answer"]
    assert ans["computed"] is False and ans["value"] is None
    assert "km" in ans["text"] and "degrees" in ans["text"] and "%" in ans["text"]


def test_ask_reads_percent_of_the_range(monkeypatch):
    import fmcgm.vision.render as render_module
    from agent.graph import run_question

    # the exact renderer stands in for the model: this test is about the value read, not the picture
    exact = render_module.render_counterfactual
    monkeypatch.setattr(render_module, "render_counterfactual", lambda *a, **k: exact(*a, **{**k, "method": "oracle"}))

    state = run_question("What would the scene look like if the pendulum swung 10 percent?")
    call = next(s for s in state["trace"] if s.get("tool") == "apply_do")
    assert call["args"]["intervention"]["pendulum_angle"] == pytest.approx(-28.53, abs=0.01)
    assert state["answer"]["counterfactual_values"]["pendulum_angle"] == pytest.approx(-28.53, abs=0.01)
