"""A user's own SCM over a world's concepts: checked with errors that name the key, and served by the
counterfactual pipeline (abduction–action–prediction on that SCM; the generator unchanged)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmcgm.cli import app
from fmcgm.errors import QueryError
from fmcgm.worlds import get_world
from fmcgm.worlds.user_scm import parse_scm, read_scm_file, sample_in_range, with_scm

runner = CliRunner()
PEND = get_world("pendulum")
WATER = get_world("waterflow")

LIGHT_FOLLOWS = {"world": "pendulum", "concepts": {
    "light_position": {"mechanism": "copy", "parent": "pendulum_angle", "offset": 90, "noise": 1.0}}}


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


def test_copy_mechanism_abduction_action_prediction():
    w = with_scm(PEND, parse_scm(LIGHT_FOLLOWS, PEND))
    f = {"pendulum_angle": 10.0, "light_position": 101.5, "shadow_position": 12.0, "shadow_length": 5.0}
    cf = w.counterfactual(f, {"pendulum_angle": -20.0})
    assert cf["light_position"] == pytest.approx(-20 + 90 + 1.5)  # the scene's noise (1.5) is kept
    from fmcgm.worlds.pendulum import shadow

    pos, length = shadow(-20.0, cf["light_position"])  # the world's own mechanism, downstream of the new light
    u = {"shadow_position": 12.0 - shadow(10.0, 101.5)[0], "shadow_length": 5.0 - shadow(10.0, 101.5)[1]}
    assert cf["shadow_position"] == pytest.approx(pos + u["shadow_position"])
    assert cf["shadow_length"] == pytest.approx(length + u["shadow_length"])
    assert ("pendulum_angle", "light_position") in w.graph().edges
    assert w.descendants(["pendulum_angle"]) >= {"light_position", "shadow_position"}


def test_linear_threshold_and_root_mechanisms_with_clip():
    spec = {"concepts": {
        "hole_height": {"mechanism": "linear", "weights": {"ball_size": 4.0}, "intercept": 1.0},
        "flow": {"mechanism": "threshold", "parent": "hole_height", "at": 3.0, "below": 2.0, "above": 6.0},
        "ball_size": {"mechanism": "root", "range": [0.3, 1.0]}}}
    w = with_scm(WATER, parse_scm(spec, WATER))
    f = sample_in_range(w, np.random.default_rng(0))
    assert 0.3 <= f["ball_size"] <= 1.0
    cf = w.counterfactual(f, {"ball_size": 0.2})
    assert cf["hole_height"] == pytest.approx(2.0)  # 1 + 0.8 = 1.8, clipped to the range's low end 2
    assert cf["flow"] == 2.0
    cf = w.counterfactual(f, {"ball_size": 1.0})
    assert cf["hole_height"] == pytest.approx(14 / 3)  # clipped at the top
    assert cf["flow"] == 6.0
    # the world's own mechanism is kept where the file says nothing: the level still follows the ball
    assert cf["water_level"] == pytest.approx(f["water_level"] - f["ball_size"] ** 3 + 1.0)


def test_toml_and_json_files_read_the_same(tmp_path):
    t = tmp_path / "m.toml"
    t.write_text('world = "pendulum"\n[concepts.light]\nmechanism = "copy"\nparent = "angle"\noffset = 90\nnoise = 1.0\n')
    j = tmp_path / "m.json"
    j.write_text(json.dumps(LIGHT_FOLLOWS))
    assert read_scm_file(t, PEND).mechanisms == read_scm_file(j, PEND).mechanisms
    assert parse_scm(read_scm_file(t, PEND).to_spec(), PEND).mechanisms == read_scm_file(t, PEND).mechanisms


@pytest.mark.parametrize(("concepts", "key", "words"), [
    ({"pendulum_angle": {"mechanism": "linear", "weights": {"shadow_position": 2.0}, "intercept": -20}},
     "concepts.pendulum_angle", "cycle: pendulum_angle → shadow_position → pendulum_angle"),
    ({"light_position": {"mechanism": "copy", "parent": "pendulum_angle", "offset": 500}},
     "concepts.light_position.offset", "never inside light_position's range"),
    ({"light_position": {"mechanism": "threshold", "parent": "angle", "at": 0, "below": 60, "above": 200}},
     "concepts.light_position.above", "outside light_position's range"),
    ({"light_position": {"mechanism": "threshold", "parent": "angle", "at": 90, "below": 60, "above": 100}},
     "concepts.light_position.at", "outside pendulum_angle's range"),
    ({"light_position": {"mechanism": "copy", "parent": "pendulum_angle", "ofset": 5}},
     "concepts.light_position.ofset", "not a key of a copy mechanism"),
    ({"moon": {"mechanism": "root"}}, "concepts.moon", "not a concept of the pendulum world"),
    ({"light_position": {"mechanism": "spline"}}, "concepts.light_position.mechanism", "not a mechanism of the menu"),
    ({"light_position": {"mechanism": "copy", "parent": "shadow_length"}}, "concepts.light_position.parent",
     "a copy needs one unit"),
    ({"light_position": {"mechanism": "copy", "parent": "angle", "offset": 90, "noise": 50}},
     "concepts.light_position.noise", "outside [0,"),
    ({"light_position": {"mechanism": "copy", "parent": "angle", "offset": 90, "parents": ["shadow_length"]}},
     "concepts.light_position.parents", "not the parents"),
    ({"light_position": {"mechanism": "linear", "weights": {"angle": "x"}}}, "concepts.light_position.weights.angle",
     "not a finite number"),
    ({"light_position": {"mechanism": "root", "range": [50, 90]}}, "concepts.light_position.range", "not inside"),
    ({"light_position": {"mechanism": "copy", "parent": "light_position"}}, "concepts.light_position.parent",
     "its own parent"),
])
def test_bad_specs_name_the_key(concepts, key, words):
    with pytest.raises(QueryError) as e:
        parse_scm({"concepts": concepts}, PEND, source="--scm m.json")
    assert f"--scm m.json: {key}:" in e.value.message and words in e.value.message


def test_wrong_world_and_top_level_keys():
    with pytest.raises(QueryError, match="world: the file is for the 'waterflow' world"):
        parse_scm({"world": "waterflow", "concepts": {"flow": {"mechanism": "root"}}}, PEND)
    with pytest.raises(QueryError, match="graph: unknown key"):
        parse_scm({"graph": {}, "concepts": {}}, PEND)
    with pytest.raises(QueryError, match="concepts: missing or empty"):
        parse_scm({"world": "pendulum"}, PEND)


def test_cli_scm_errors_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[concepts.light]\nmechanism = "copy"\nparent = "angle"\noffset = 500\n')
    r = runner.invoke(app, ["render", "--do", "angle=10", "--oracle", "--scm", str(bad)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "concepts.light.offset" in r.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    r = runner.invoke(app, ["render", "--do", "angle=10", "--oracle", "--scm", str(broken)])
    assert r.exit_code == 2 and "not valid JSON" in r.output
    r = runner.invoke(app, ["render", "--do", "angle=10", "--oracle", "--scm", str(tmp_path / "none.json")])
    assert r.exit_code == 2 and "no such file" in r.output


def test_cli_oracle_under_the_users_scm(tmp_path):
    f = tmp_path / "m.json"
    f.write_text(json.dumps(LIGHT_FOLLOWS))
    r = runner.invoke(app, ["render", "--do", "angle=-20", "--oracle", "--scm", str(f), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    cf, fa = res["counterfactual_values"], res["factual_values"]
    assert cf["light_position"] == pytest.approx(fa["light_position"] - fa["pendulum_angle"] - 20)
    assert "light_position" in res["changed"] and res["ok"]
    assert any("clip(pendulum_angle + 90)" in n for n in res["notes"])


def test_the_generator_serves_the_users_scm():
    """The shipped weights, unchanged, draw a counterfactual the world's own SCM would not have (the light moves
    with the pendulum); the self-check passes."""
    from fmcgm.vision.render import render_counterfactual
    from fmcgm.worlds.pendulum import shadow

    pos, length = shadow(10.0, 104.0)
    res = render_counterfactual("pendulum", {"pendulum_angle": "-20"}, steps=10, scm=LIGHT_FOLLOWS,
                                factual={"pendulum_angle": 10.0, "light_position": 104.0, "shadow_position": pos,
                                         "shadow_length": length})
    assert set(res.changed) >= {"pendulum_angle", "light_position"}
    assert res.counterfactual_values["light_position"] == pytest.approx(74.0)  # -20 + 90 + this scene's noise 4
    assert res.ok, res.check["problems"]
    assert any("abduction keeps that as this scene's noise" in n for n in res.notes)
