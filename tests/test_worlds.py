import math

import numpy as np
import pytest

from fmcgm.errors import QueryError, UnknownVariableError
from fmcgm.worlds import get_world
from fmcgm.worlds.pendulum import shadow

TOL = {"pendulum": {32: 4.0, 64: 2.5}, "waterflow": {32: 8.0, 64: 12.0}}  # % of range: mean < TOL/2, 90th pct < TOL


@pytest.mark.parametrize("name", ["pendulum", "waterflow"])
@pytest.mark.parametrize("size", [32, 64])
def test_measure_render_round_trip(name, size):
    w = get_world(name)
    rng = np.random.default_rng(1)
    errs = {c: [] for c in w.names}
    for _ in range(60):
        v = w.sample(rng)
        m = w.measure(w.render(v, size))
        for c in w.names:
            errs[c].append(abs(m[c] - v[c]) / w.concept(c).span * 100)
    for c, e in errs.items():
        assert np.mean(e) < TOL[name][size] / 2, (c, np.mean(e))
        assert np.percentile(e, 90) < TOL[name][size], (c, np.percentile(e, 90))


def test_render_is_deterministic_and_fast_enough_shape():
    w = get_world("pendulum")
    v = w.sample(np.random.default_rng(0))
    a, b = w.render(v, 32), w.render(v, 32)
    assert a.shape == (32, 32, 3) and a.dtype == np.uint8 and (a == b).all()


def test_pendulum_geometry_matches_the_notes():
    pos, length = shadow(0.0, 90.0)  # light straight above, pendulum straight down
    assert pos == pytest.approx(10.0) and length == pytest.approx(3.0)  # clipped at the minimum length
    pos, length = shadow(30.0, 60.0)
    p0 = 10 + (-0.5 - 10.5) / math.tan(math.radians(60))
    far = (10 + 9.5 * math.sin(math.radians(30)), 10.5 - 9.5 * math.cos(math.radians(30)))
    p1 = far[0] + (-0.5 - far[1]) / math.tan(math.radians(60))
    assert pos == pytest.approx((p0 + p1) / 2) and length == pytest.approx(max(3, abs(p0 - p1)))


def test_counterfactual_keeps_the_abducted_noise():
    w = get_world("pendulum", noise=0.5)
    f = w.sample(np.random.default_rng(3))
    u = f["shadow_length"] - shadow(f["pendulum_angle"], f["light_position"])[1]
    cf = w.counterfactual(f, {"light_position": 120.0})
    assert cf["pendulum_angle"] == f["pendulum_angle"]
    assert cf["shadow_length"] == pytest.approx(shadow(f["pendulum_angle"], 120.0)[1] + u)
    assert w.descendants(["light_position"]) == {"light_position", "shadow_position", "shadow_length"}


def test_waterflow_mechanisms():
    w = get_world("waterflow")
    f = w.sample(np.random.default_rng(0))
    cf = w.counterfactual(f, {"ball_size": 1.0})
    base = f["water_level"] - f["ball_size"] ** 3
    assert cf["water_level"] == pytest.approx(1.0 + base)
    assert cf["flow"] == pytest.approx(math.sqrt(2 * 0.98 * cf["water_level"] * (f["hole_height"] - 0.5)))
    assert cf["hole_height"] == f["hole_height"]


def test_values_words_and_errors():
    w = get_world("pendulum")
    assert w.parse_value("light", "far left") == w.concept("light_position").high
    assert w.parse_value("angle", "10") == 10.0
    angle = w.concept("pendulum_angle")
    assert w.parse_value("angle", "50%") == pytest.approx(angle.low + 0.5 * angle.span)
    with pytest.raises(QueryError):
        w.parse_value("light", "purple")
    with pytest.raises(UnknownVariableError):
        w.concept("colour")
    with pytest.raises(QueryError) as e:
        w.counterfactual(w.sample(np.random.default_rng(0)), {"light_position": 500})
    assert "outside its range" in e.value.message
    with pytest.raises(QueryError) as e:
        get_world("mars")
    assert e.value.message == "unknown world 'mars'; worlds: pendulum, waterflow"
