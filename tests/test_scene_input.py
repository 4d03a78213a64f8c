"""A picture given as the factual scene must show the world: anything else is refused before abduction
(exit 2, one line; JSON with --json), never read as invented values. fmcgm's own panels are cropped to
their scene; its side-by-side strip is refused, naming the single-scene files."""

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from fmcgm.cli import app
from fmcgm.worlds import get_world

runner = CliRunner()
PENDULUM, FLOW = get_world("pendulum"), get_world("waterflow")
SCENE = PENDULUM.scm.solve({"pendulum_angle": 11.6, "light_position": 75.1, "shadow_position": 0.0, "shadow_length": 0.0})
FLOW_SCENE = FLOW.scm.solve({"ball_size": 0.6, "hole_height": 3.5, "water_level": 2.0, "flow": 0.0})


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


def render(*args, world="pendulum", do="light=far left"):
    return runner.invoke(app, ["render", "--world", world, "--do", do, "--oracle", *args])


def save(tmp_path, name, array, **kw):
    p = tmp_path / name
    Image.fromarray(array).save(p, **kw)
    return p


def refused(r, *needles):
    assert r.exit_code == 2, r.output
    assert len(r.output.strip().splitlines()) == 1, r.output
    assert r.output.startswith("error: ")
    for n in needles:
        assert n in r.output, r.output
    return r.output


# -- pictures with no scene in them ------------------------------------------------------------------


def test_a_blank_white_picture_is_refused(tmp_path):
    refused(render("--image", str(save(tmp_path, "white.png", np.full((256, 256, 3), 255, np.uint8)))), "white.png is blank")


def test_a_2048_by_1_line_is_refused(tmp_path):
    refused(render("--image", str(save(tmp_path, "line.png", np.full((1, 2048, 3), 255, np.uint8)))), "2048×1 pixels")


def test_8_by_8_noise_is_refused(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    refused(render("--image", str(save(tmp_path, "noise.png", noise))), "8×8 pixels", "at least 32×32")


def test_large_noise_is_refused(tmp_path):
    noise = np.random.default_rng(1).integers(0, 256, (256, 256, 3), dtype=np.uint8)
    refused(render("--image", str(save(tmp_path, "noise.png", noise))), "does not show a pendulum scene")


def test_a_picture_of_the_other_world_is_refused(tmp_path):
    out = refused(render("--image", str(save(tmp_path, "flow.png", FLOW.render(FLOW_SCENE, 256)))), "no suns")
    assert "does not show a pendulum scene" in out
    refused(render("--image", str(save(tmp_path, "pend.png", PENDULUM.render(SCENE, 256))), world="waterflow",
                   do="ball=large"), "does not show a waterflow scene", "no balls")


def test_a_refusal_in_json(tmp_path):
    r = render("--image", str(save(tmp_path, "white.png", np.full((64, 64, 3), 255, np.uint8))), "--json")
    assert r.exit_code == 2
    d = json.loads(r.stdout)  # the JSON object on stdout; the message also goes to stderr as one line
    assert d["ok"] is False and d["exit_code"] == 2 and d["error"]["code"] == "not_a_scene"
    assert "blank" in d["error"]["message"] and d["error"]["hint"]


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_greyscale_scene_is_refused_not_guessed(tmp_path, mode):
    grey = Image.fromarray(PENDULUM.render(SCENE, 256)).convert("L")
    p = tmp_path / "grey.png"
    (grey if mode == "L" else grey.convert("RGB")).save(p)
    refused(render("--image", str(p)), "no colour")


def test_a_scene_that_is_not_square_is_refused(tmp_path):
    wide = np.pad(PENDULUM.render(SCENE, 256), ((0, 0), (40, 40), (0, 0)), constant_values=255)
    refused(render("--image", str(save(tmp_path, "wide.png", wide))), "336×256 pixels, not square")


def test_two_scenes_in_one_picture_are_refused(tmp_path):
    other = dict(SCENE, light_position=125.0)
    two = np.minimum(PENDULUM.render(SCENE, 256), PENDULUM.render(PENDULUM.scm.solve({**other}), 256))
    refused(render("--image", str(save(tmp_path, "two.png", two))), "2 suns")


def test_writing_over_a_scene_is_refused(tmp_path):
    im = Image.fromarray(PENDULUM.render(SCENE, 256))
    ImageDraw.Draw(im).text((4, 2), "factual", fill=(0, 0, 0), font=ImageFont.load_default(size=15))
    p = tmp_path / "titled.png"
    im.save(p)
    refused(render("--image", str(p)), "at the top left", "no part of a pendulum scene")


def test_an_extractor_that_disagrees_with_the_measurer_is_refused_naming_the_concept(tmp_path, monkeypatch):
    from fmcgm.vision.extractor import CNNExtractor

    real = CNNExtractor.extract

    def off(self, image):  # the extractor reads the light 40 % of its range away from the picture
        v = real(self, image)
        return {**v, "light_position": v["light_position"] + 0.4 * PENDULUM.concept("light").span}

    monkeypatch.setattr(CNNExtractor, "extract", off)
    out = refused(render("--image", str(save(tmp_path, "scene.png", PENDULUM.render(SCENE, 256)))),
                  "light_position", "CNN concept extractor reads", "geometric measurer")
    assert "tolerance 20%" in out


def test_given_factual_values_that_contradict_the_picture_are_refused(tmp_path):
    from tools import call_tool

    p = save(tmp_path, "scene.png", PENDULUM.render(SCENE, 256))
    wrong = {**SCENE, "pendulum_angle": -30.0}
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "image": str(p),
                                   "factual": wrong, "method": "oracle"})
    assert not r["ok"] and r["error"]["code"] == "not_a_scene"
    assert "pendulum_angle" in r["error"]["message"]


# -- pictures that are read --------------------------------------------------------------------------


@pytest.mark.parametrize("name,kw,size", [("s.png", {}, 256), ("s.jpg", {"quality": 75}, 256), ("s64.png", {}, 64),
                                           ("s500.png", {}, 500), ("s.jpg", {"quality": 60}, 128)])
def test_scenes_in_png_and_jpeg_at_any_square_size_are_read(tmp_path, name, kw, size):
    r = render("--image", str(save(tmp_path, name, PENDULUM.render(SCENE, size), **kw)), "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)["factual_values"]
    for c in PENDULUM.concepts:
        assert abs(got[c.name] - SCENE[c.name]) / c.span < 0.08, (c.name, got[c.name], SCENE[c.name])


def test_a_transparent_background_is_read_as_white(tmp_path):
    rgb = PENDULUM.render(SCENE, 256)
    alpha = np.where(rgb.min(-1) > 250, 0, 255).astype(np.uint8)
    rgb = np.where(alpha[..., None] == 0, 0, rgb).astype(np.uint8)  # black under the transparent parts
    r = render("--image", str(save(tmp_path, "rgba.png", np.dstack([rgb, alpha]))), "--json")
    assert r.exit_code == 0, r.output


def test_a_water_flow_scene_is_read(tmp_path):
    r = render("--image", str(save(tmp_path, "f.jpg", FLOW.render(FLOW_SCENE, 256), quality=80)), "--json",
               world="waterflow", do="ball=large")
    assert r.exit_code == 0, r.output


# -- fmcgm's own pictures ----------------------------------------------------------------------------


@pytest.fixture
def own(tmp_path, out_root):
    """The files fmcgm writes for the README example's scene, and the values drawn in it."""
    from fmcgm.vision.render import render_counterfactual

    res = render_counterfactual("pendulum", {"light": "far left"}, factual=SCENE, method="oracle", out_dir="own")
    return res


def test_its_own_factual_panel_is_cropped_to_the_scene(own):
    with Image.open(own.paths["factual"]) as im:
        assert im.size == (256, 370)  # the title above, the values below
    r = render("--image", own.paths["factual"], "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert any("fmcgm panel" in n and "cut off" in n for n in d["notes"])
    for c in PENDULUM.concepts:
        assert abs(d["factual_values"][c.name] - SCENE[c.name]) / c.span < 0.05, c.name
    assert d["check"]["objects"] == {"sun": 1, "ball": 1, "shadow": 1}


def test_its_own_counterfactual_panel_is_read_as_the_counterfactual_scene(own):
    r = render("--image", own.paths["counterfactual"], "--json", do="angle=0")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)["factual_values"]
    assert abs(got["light_position"] - 132.3) / PENDULUM.concept("light").span < 0.05


def test_a_panel_whose_failed_check_wrapped_onto_more_lines_is_still_its_own_panel(tmp_path):
    """A counterfactual panel that failed its check carries the problems under it, wrapped onto extra lines:
    still recognised and cropped to its scene (not refused as 'not square')."""
    from fmcgm.vision import figures

    cf = PENDULUM.counterfactual(SCENE, {"light_position": 132.3})
    changed = ["light_position", "shadow_position", "shadow_length"]
    check = {"ok": False, "objects": {}, "problems": ["shadow_length measures 9.1, expected 6.2 (14% of range)",
                                                      "2 balls in the frame (a ghost)", "5 stray pixels at the top"]}
    fig = figures.counterfactual_figure(PENDULUM, PENDULUM.render(SCENE, 32), PENDULUM.render(cf, 32), None, SCENE,
                                        cf, changed, {}, check, {"light_position": 132.3})
    assert fig.panels["counterfactual"].shape[0] > fig.panels["factual"].shape[0]  # it did wrap
    p = tmp_path / "off_counterfactual.png"
    figures.save(fig.panels["counterfactual"], p)
    r = render("--image", str(p), "--json", do="angle=0")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert any("fmcgm panel" in n for n in d["notes"])
    assert abs(d["factual_values"]["light_position"] - 132.3) / PENDULUM.concept("light").span < 0.05


@pytest.mark.parametrize("scale,fmt", [(0.5, "PNG"), (1.5, "PNG"), (1.0, "JPEG")])
def test_a_resized_or_recompressed_panel_is_still_recognised(own, tmp_path, scale, fmt):
    with Image.open(own.paths["factual"]) as im:
        im = im.convert("RGB").resize((round(256 * scale), round(370 * scale)), Image.Resampling.LANCZOS)
        p = tmp_path / ("panel.jpg" if fmt == "JPEG" else "panel.png")
        im.save(p, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    r = render("--image", str(p), "--json")
    assert r.exit_code == 0, r.output
    assert any("fmcgm panel" in n for n in json.loads(r.stdout)["notes"])


def test_its_side_by_side_strip_is_refused_naming_the_single_scene_files(own):
    stem = own.paths["side_by_side"].rsplit("/", 1)[1].removesuffix("_side_by_side.png")
    refused(render("--image", own.paths["side_by_side"]), "side-by-side", f"{stem}_factual.png",
            f"{stem}_counterfactual.png")


def test_its_mask_panel_is_refused(own):
    refused(render("--image", own.paths["mask"]), "edit-mask panel")


def test_the_model_reading_its_own_panel_draws_one_of_each_object(own):
    """The probe: the factual panel read back gave a second ball, a second sun's arc and caption remnants."""
    r = runner.invoke(app, ["render", "--world", "pendulum", "--do", "light=far left", "--image",
                            own.paths["factual"], "--steps", "6", "--json"])
    assert r.exit_code in (0, 1), r.output
    d = json.loads(r.stdout)
    assert all(a["check"]["objects"] == {"sun": 1, "ball": 1, "shadow": 1} for a in d["attempts"][:1]), d["attempts"]
    assert not any("stray" in p or "no part" in p for p in d["check"]["problems"])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_its_own_panel_in_greyscale_is_refused_as_greyscale_not_as_the_mask(own, tmp_path, fmt):
    """Probe 3 F17: a greyscale JPEG of the factual panel was called "the edit-mask panel", with advice to use a
    file "written beside it" that a user's own copy does not have."""
    p = tmp_path / ("grey.jpg" if fmt == "JPEG" else "grey.png")
    with Image.open(own.paths["factual"]) as im:
        im.convert("L").save(p, format=fmt)
    r = render("--image", str(p))
    assert r.exit_code == 2, r.output
    assert "greyscale" in r.output and "edit-mask" not in r.output and "beside it" not in r.output, r.output
