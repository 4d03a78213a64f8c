"""The self-check sees ghosts: second copies anywhere in the frame (partial ones at the edges too), marks
that are no part of the scene (remnants of text), and unchanged concepts that moved."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from fmcgm.vision.check import check_counterfactual
from fmcgm.worlds import get_world

DATA = Path(__file__).parent / "data" / "ghosts"
PENDULUM, FLOW = get_world("pendulum"), get_world("waterflow")
F = PENDULUM.scm.solve({"pendulum_angle": 11.6, "light_position": 75.1, "shadow_position": 0.0, "shadow_length": 0.0})
CF = PENDULUM.counterfactual(F, {"light_position": 132.3})
CHANGED = ["light_position", "shadow_position", "shadow_length"]


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))


def small(big: Image.Image) -> np.ndarray:
    return np.asarray(big.resize((32, 32), Image.Resampling.BOX), dtype=np.uint8)


def with_disc(img32: np.ndarray, centre: tuple[float, float], radius: float, rgb, fade: float = 1.0) -> np.ndarray:
    """A disc drawn at 8× in pixel coordinates of the 32-px frame (parts outside the frame are cut off)."""
    layer = Image.new("RGB", (256, 256), (255, 255, 255))
    x, y = centre
    ImageDraw.Draw(layer).ellipse([(x - radius) * 8, (y - radius) * 8, (x + radius) * 8, (y + radius) * 8], fill=rgb)
    disc = small(layer).astype(float)
    mixed = 255 - (255 - disc) * fade
    return np.minimum(img32, mixed.astype(np.uint8))


def test_right_pictures_with_their_factual_picture_pass():
    for name in ("pendulum", "waterflow"):
        w = get_world(name, noise=0.5)
        rng = np.random.default_rng(5)
        for _ in range(25):
            f = w.sample(rng)
            c = w.concepts[int(rng.integers(len(w.concepts)))]
            cf = w.counterfactual(f, {c.name: float(rng.uniform(c.low, c.high))})
            changed = [k for k in w.names if abs(cf[k] - f[k]) > 1e-9]
            chk = check_counterfactual(w, w.render(cf, 32), cf, changed, factual_image=w.render(f, 32))
            assert chk.ok, (name, chk.problems)
            assert chk.stray_pixels == 0 and all(u.ok for u in chk.unchanged)


@pytest.mark.parametrize("centre,radius", [((33.0, 3.0), 3.0), ((-1.5, 12.0), 2.6), ((31.5, 0.0), 2.5)])
def test_a_partial_second_sun_at_the_edge_is_a_ghost(centre, radius):
    from fmcgm.worlds.pendulum import ORANGE

    img = with_disc(PENDULUM.render(CF, 32), centre, radius, ORANGE)
    chk = check_counterfactual(PENDULUM, img, CF, CHANGED)
    assert chk.objects["sun"] == 2, chk.objects
    assert not chk.ok and any("2 suns" in p and "ghost" in p for p in chk.problems)


@pytest.mark.parametrize("centre,fade", [((0.5, 16.0), 1.0), ((31.2, 20.0), 1.0), ((20.0, 14.0), 0.8)])
def test_a_second_ball_anywhere_is_a_ghost(centre, fade):
    from fmcgm.worlds.pendulum import RED

    img = with_disc(PENDULUM.render(CF, 32), centre, 1.9, RED, fade)
    chk = check_counterfactual(PENDULUM, img, CF, CHANGED)
    assert chk.objects["ball"] == 2 and not chk.ok


@pytest.mark.parametrize("xy,text", [((4, 236), "shadow length: 4.38 u"), ((4, 120), "pendulum angle: 11.6 °"),
                                     ((120, 60), "factual")])
def test_remnants_of_text_fail_the_check(xy, text):
    big = Image.fromarray(PENDULUM.render(CF, 256))
    ImageDraw.Draw(big).text(xy, text, fill=(40, 40, 40), font=ImageFont.load_default(size=13))
    chk = check_counterfactual(PENDULUM, small(big), CF, CHANGED)
    assert not chk.ok and chk.stray_pixels >= 3
    assert any("no part of the scene" in p for p in chk.problems), chk.problems


def test_the_probe_pictures_read_from_a_panel_fail_naming_their_ghosts():
    """Real model outputs from reading fmcgm's own panel whole: a second sun's arc, a second ball, text remnants."""
    meta = json.loads((DATA / "panel_read_back.json").read_text())
    factual = np.asarray(Image.open(DATA / "panel_read_back_factual.png").convert("RGB"))
    for i in range(3):
        img = np.asarray(Image.open(DATA / f"panel_read_back_cf_{i}.png").convert("RGB"))
        chk = check_counterfactual(PENDULUM, img, meta["cf"], meta["changed"], factual_image=factual)
        assert not chk.ok
        assert chk.objects["sun"] == 2 and chk.objects["ball"] == 2, chk.objects
        assert chk.stray_pixels >= 3


def test_a_pendulum_that_moved_when_only_the_light_changed_fails():
    moved = PENDULUM.render({**CF, "pendulum_angle": -20.0}, 32)  # the shadow is drawn where it should be
    chk = check_counterfactual(PENDULUM, moved, CF, CHANGED, factual_image=PENDULUM.render(F, 32))
    assert not chk.ok
    row = next(u for u in chk.unchanged if u.concept == "pendulum_angle")
    assert not row.ok and row.error_pct > 30
    assert any(p.startswith("pendulum_angle moved") and "only light_position" in p for p in chk.problems), chk.problems
    # without the factual picture, against the counterfactual's own (unchanged) value
    alone = check_counterfactual(PENDULUM, moved, CF, CHANGED)
    assert not alone.ok and any(p.startswith("pendulum_angle moved") for p in alone.problems)


def test_a_light_that_moved_when_only_the_pendulum_changed_fails():
    cf = PENDULUM.counterfactual(F, {"pendulum_angle": -20.0})
    changed = ["pendulum_angle", "shadow_position", "shadow_length"]
    wrong = PENDULUM.render({**cf, "light_position": 110.0}, 32)
    chk = check_counterfactual(PENDULUM, wrong, cf, changed, factual_image=PENDULUM.render(F, 32))
    assert not chk.ok and any(p.startswith("light_position moved") for p in chk.problems)


def test_a_hole_that_moved_when_only_the_ball_changed_fails():
    f = FLOW.scm.solve({"ball_size": 0.5, "hole_height": 2.5, "water_level": 2.0, "flow": 0.0})
    cf = FLOW.counterfactual(f, {"ball_size": 1.0})
    changed = ["ball_size", "water_level", "flow"]
    wrong = FLOW.render({**cf, "hole_height": 4.5}, 32)
    chk = check_counterfactual(FLOW, wrong, cf, changed, factual_image=FLOW.render(f, 32))
    assert not chk.ok and any(p.startswith("hole_height moved") for p in chk.problems), chk.problems


def test_the_render_result_says_what_stayed():
    from tools import call_tool

    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "far left"}, "method": "oracle"})
    d = r["data"]
    assert d["ok"] and [u["concept"] for u in d["check"]["unchanged"]] == ["pendulum_angle"]
    assert "unchanged pendulum_angle" in d["steps"][0] and "→ ok" in d["steps"][0]
