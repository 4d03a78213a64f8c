"""The self-check of counterfactual pictures, the object counter, the stratified benchmark cases."""

import numpy as np
import pytest

from evals.visual_eval import SIZES, size_of, stratified_cases
from fmcgm.vision.check import check_counterfactual
from fmcgm.worlds import get_world


@pytest.mark.parametrize("name", ["pendulum", "waterflow"])
def test_right_pictures_pass_and_count_one_of_each_object(name):
    w = get_world(name, noise=0.5)
    rng = np.random.default_rng(3)
    for _ in range(40):
        f = w.sample(rng)
        c = w.concepts[int(rng.integers(len(w.concepts)))]
        cf = w.counterfactual(f, {c.name: float(rng.choice([c.low, c.high]))})
        changed = [k for k in w.names if abs(cf[k] - f[k]) > 1e-9]
        chk = check_counterfactual(w, w.render(cf, 32), cf, changed)
        assert chk.ok, chk.problems
        assert set(chk.objects.values()) == {1}


def test_a_ghost_and_a_wrong_value_fail_with_numbers():
    w = get_world("pendulum")
    f = {"pendulum_angle": 0.0, "light_position": 70.0}
    f = w.scm.solve({**f, "shadow_position": 0.0, "shadow_length": 0.0})
    cf = w.counterfactual(f, {"light_position": w.parse_value("light", "far left")})
    changed = ["light_position", "shadow_position", "shadow_length"]
    old, new = w.render(f, 32), w.render(cf, 32)
    ghost = np.minimum(old, new)  # both suns drawn
    chk = check_counterfactual(w, ghost, cf, changed)
    assert not chk.ok and chk.objects["sun"] == 2 and any("ghost" in p for p in chk.problems)
    stale = check_counterfactual(w, old, cf, changed)  # the light left where it was
    assert not stale.ok
    light = next(c for c in stale.concepts if c.concept == "light_position")
    assert light.error_pct > 30 and light.measured == pytest.approx(f["light_position"], abs=3)
    assert any("light_position measures" in p and "132" in p for p in stale.problems)


@pytest.mark.parametrize("name", ["pendulum", "waterflow"])
def test_stratified_cases_cover_every_word_and_stratum(name):
    w = get_world(name)
    cases = stratified_cases(w, 200, 0, get_world(name, noise=0.5))
    assert len(cases) >= 200
    words = {(c.concept, c.word) for c in cases if c.word}
    assert words == {(c.name, k) for c in w.concepts for k in c.value_words}
    for c in w.concepts:
        for s in SIZES:
            assert sum(1 for x in cases if x.concept == c.name and x.size == s) >= 5, (c.name, s)
    for x in cases:
        c = w.concept(x.concept)
        assert c.low - 1e-9 <= x.value <= c.high + 1e-9
        assert size_of(abs(x.value - x.factual[x.concept]) / c.span) == x.size


def test_a_second_ball_counts_but_a_tinted_water_surface_does_not():
    from fmcgm.worlds.waterflow import BALL

    w = get_world("waterflow")
    f = w.scm.solve({"ball_size": 0.35, "hole_height": 3.8, "water_level": 3.1, "flow": 0.0})
    img = w.render(f, 32).copy()
    assert w.objects(img)["ball"] == 1
    rows = np.nonzero((np.abs(img.astype(int) - (120, 170, 230)).max(-1) < 30).any(1))[0]
    tinted = img.copy()
    # the model's rendering of a surface: one row across the column, a quarter of the way to the ball's colour
    tinted[rows.min(), 5:12] = (0.75 * np.array((120, 170, 230)) + 0.25 * np.array(BALL)).astype(np.uint8)
    assert w.objects(tinted)["ball"] == 1
    ghost = tinted.copy()
    ghost[rows.min() + 2:rows.min() + 4, 6:8] = BALL  # a round purple blob floating in the water
    assert w.objects(ghost)["ball"] == 2


def test_an_object_reaching_past_the_frame_is_compared_with_what_is_in_view():
    w = get_world("pendulum")
    f = w.scm.solve({"pendulum_angle": 0.0, "light_position": 80.0, "shadow_position": 0.0, "shadow_length": 0.0})
    cf = w.counterfactual(f, {"light_position": w.parse_value("light", "far left"),
                              "pendulum_angle": w.parse_value("angle", "far right"), "shadow_length": 12.0})
    changed = ["pendulum_angle", "light_position", "shadow_position", "shadow_length"]
    right = check_counterfactual(w, w.render(cf, 32), cf, changed)
    assert right.ok, right.problems
    length = next(c for c in right.concepts if c.concept == "shadow_length")
    assert length.expected == 12.0 and length.visible is not None and length.visible < 9
    assert any("reaches past the frame" in n for n in right.notes)
    short = w.render({**cf, "shadow_length": 3.0}, 32)  # a short shadow: wrong whatever the frame hides
    assert not check_counterfactual(w, short, cf, changed).ok
