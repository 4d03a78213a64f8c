"""The diffusion model, the counterfactual pipeline, the shipped weights, training smoke test, SD plumbing."""

from pathlib import Path

import numpy as np
import pytest
import torch

from fmcgm.vision.model import ConceptDiffusion, config_for
from fmcgm.vision.pipeline import CounterfactualOptions, CounterfactualPipeline
from fmcgm.worlds import get_world

WEIGHTS = Path(__file__).resolve().parents[1] / "fmcgm" / "weights"


def tiny_model(world):
    cfg = config_for(world)
    cfg.channels = (8, 16, 16)
    cfg.token_dim = 16
    torch.manual_seed(0)
    return ConceptDiffusion(cfg)


def test_save_load_round_trip(tmp_path):
    w = get_world("pendulum")
    m = tiny_model(w)
    m.save(tmp_path / "m.pt", extra={"steps": 1})
    m2 = ConceptDiffusion.load(tmp_path / "m.pt")
    x, t = torch.randn(1, 3, 32, 32), torch.tensor([10])
    v = torch.tensor([[0.0, 90.0, 10.0, 5.0]])
    assert torch.allclose(m(x, t, m.condition(v)), m2(x, t, m2.condition(v)), atol=5e-2)
    assert m2.extra["steps"] == 1


def test_pipeline_plumbing_on_an_untrained_model():
    w = get_world("pendulum")
    pipe = CounterfactualPipeline(tiny_model(w), w)
    f = w.sample(np.random.default_rng(0))
    out = pipe.counterfactual(w.render(f, 32), f, {"light_position": 120.0}, CounterfactualOptions(steps=6))
    assert out.image.shape == (32, 32, 3) and out.image.dtype == np.uint8
    assert out.changed == ["light_position", "shadow_position", "shadow_length"]
    assert out.mask is not None and out.mask.shape == (32, 32)
    assert 0 <= out.mask.min() <= out.mask.max() <= 1
    nog = pipe.counterfactual(w.render(f, 32), f, {"light_position": 120.0}, CounterfactualOptions(steps=6, csg=False))
    assert nog.mask is None


def test_guidance_keeps_pixels_outside_the_mask_and_edits_inside():
    """Outside the mask every step is tied to the factual trajectory, so the output there is the factual
    image; inside (the changed objects' old and new places) the model redraws."""
    w = get_world("pendulum")
    pipe = CounterfactualPipeline(tiny_model(w), w)
    f = w.sample(np.random.default_rng(1))
    img = w.render(f, 32)
    # the region alone: on an untrained model the prediction contrast is everywhere
    out = pipe.counterfactual(img, f, {"pendulum_angle": 20.0}, CounterfactualOptions(steps=6, mask_mode="region"))
    outside, inside = out.mask < 1e-3, out.mask > 0.5
    assert outside.sum() > 200 and inside.sum() > 10
    d = np.abs(out.image.astype(int) - img).max(-1)
    assert d[outside].max() <= 1  # only rounding
    assert d[inside].mean() > 10  # an untrained model redraws the masked region with something else


def test_region_covers_the_old_and_the_new_place():
    w = get_world("pendulum")
    pipe = CounterfactualPipeline(tiny_model(w), w)
    f = w.scm.solve({"pendulum_angle": 0.0, "light_position": 70.0, "shadow_position": 0.0, "shadow_length": 0.0})
    cf = w.counterfactual(f, {"light_position": w.concept("light").high})
    region = pipe.region(f, cf)[0, 0].numpy() > 0.5
    from fmcgm.worlds.base import color_weight
    from fmcgm.worlds.pendulum import ORANGE

    old, new = color_weight(w.render(f, 32), ORANGE) > 0.3, color_weight(w.render(cf, 32), ORANGE) > 0.3
    assert old.any() and new.any() and region[old].all() and region[new].all()
    assert region.mean() < 0.5  # the ball and rod, which do not move, are mostly outside


def test_inversion_depth_grows_with_the_move():
    from fmcgm.vision.pipeline import strength_for

    assert strength_for(0.05) < strength_for(0.3) < strength_for(0.9) <= 1.0
    assert strength_for(0.0) == pytest.approx(0.6)


@pytest.mark.skipif(not (WEIGHTS / "pendulum.pt").is_file(), reason="no shipped pendulum weights")
def test_inversion_reconstruction_on_the_shipped_model():
    from fmcgm.vision.render import pipeline_for

    pipe = pipeline_for("pendulum")
    w = pipe.world
    rng = np.random.default_rng(5)
    errs = []
    for _ in range(3):
        f = w.sample(rng)
        img = w.render(f, 32)
        opts = CounterfactualOptions(steps=30)
        traj = pipe.invert(img, f, opts)
        x, _ = pipe.generate(traj[pipe._timesteps(opts)[0]], f, opts, traj, [])
        from fmcgm.vision.model import to_image

        errs.append(np.abs(to_image(x).astype(float) - img).mean())
    assert np.mean(errs) < 6.0, errs  # L1 on 0-255


@pytest.mark.skipif(not (WEIGHTS / "pendulum.pt").is_file(), reason="no shipped pendulum weights")
def test_shipped_model_moves_the_sun_far_left_without_a_ghost():
    """The README's example: the light to the far left from a scene lit from the right (a large move)."""
    from fmcgm.vision.check import check_counterfactual
    from fmcgm.vision.render import pipeline_for

    pipe = pipeline_for("pendulum")
    w = pipe.world
    f = w.scm.solve({"pendulum_angle": -20.0, "light_position": 75.0, "shadow_position": 0.0, "shadow_length": 0.0})
    img = w.render(f, 32)
    res = pipe.counterfactual(img, f, {"light_position": w.parse_value("light", "far left")}, CounterfactualOptions(steps=20))
    chk = check_counterfactual(w, res.image, res.counterfactual_values, res.changed)
    assert chk.ok, chk.problems
    same = np.all(w.render(res.counterfactual_values, 32) == img, axis=-1)
    assert np.abs(res.image.astype(float) - img)[same].mean() <= 3.0  # invariance outside the change


def test_training_smoke_checkpoints_and_resumes(tmp_path):
    from fmcgm.vision.train import train

    out, state = tmp_path / "w.pt", tmp_path / "state.pt"
    train("waterflow", steps=2, out=out, batch=4, n_images=16, checkpoint_every=1, state_path=state, log=lambda m: None)
    assert out.is_file() and torch.load(state, weights_only=False)["step"] == 2
    train("waterflow", steps=3, out=out, batch=4, n_images=16, checkpoint_every=1, state_path=state, log=lambda m: None)
    assert torch.load(state, weights_only=False)["step"] == 3
    assert ConceptDiffusion.load(out).extra["steps"] == 3
    tuned = tmp_path / "tuned.pt"  # fine-tuning starts from the given weights, not from scratch
    train("waterflow", steps=1, out=tuned, batch=4, n_images=16, checkpoint_every=1, state_path=tmp_path / "s2.pt",
          init=out, lr=0.0, log=lambda m: None)
    a, b = ConceptDiffusion.load(out).state_dict(), ConceptDiffusion.load(tuned).state_dict()
    assert all(torch.allclose(a[k], b[k], atol=1e-2) for k in a)
    assert ConceptDiffusion.load(tuned).extra["init"] == str(out)


def test_decoupled_training_scenes_put_every_non_root_concept_anywhere():
    from fmcgm.vision.train import render_dataset
    from fmcgm.worlds.pendulum import shadow

    world, images, table = render_dataset("pendulum", 400, seed=0, decouple=0.3)
    pos = table[:, world.names.index("shadow_position")]
    natural = np.array([shadow(a, b)[0] for a, b in table[:, :2]])
    off = np.abs(pos - natural) > 3 * 0.5  # beyond the mechanism's noise
    assert 0.15 < off.mean() < 0.45
    c = world.concept("shadow_position")
    assert pos.min() >= c.low and pos.max() <= c.high
    assert np.array_equal(images[0], world.render(dict(zip(world.names, table[0].astype(float), strict=True)), 32))
    _, _, plain = render_dataset("pendulum", 400, seed=0)
    assert np.array_equal(plain[:, :2], table[:, :2])  # the roots are drawn as before


def test_stable_diffusion_plumbing_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from fmcgm.vision.sd_pipeline import SDCounterfactual, build_prompt, tiny_pipeline

    w = get_world("pendulum")
    pipe = tiny_pipeline()
    f = w.sample(np.random.default_rng(0))
    spans = build_prompt(pipe.tokenizer, w, f).spans
    assert set(spans) == set(w.names) and all(spans[c] for c in w.names)
    sd = SDCounterfactual(pipe, w)
    out = sd.counterfactual(w.render(f, 32), f, {"light_position": 120.0}, steps=4)
    assert out["image"].ndim == 3 and out["mask"].shape == (8, 8)
    assert out["changed"] == ["light_position", "shadow_position", "shadow_length"]
    assert "light position left" in out["prompt_counterfactual"]
    assert sd.recorder.count > 0  # the cross-attention maps of the changed concepts were recorded


def test_invisible_drift_is_set_back_to_the_factual_pixels():
    from fmcgm.vision.pipeline import keep_unmoved

    rng = np.random.default_rng(0)
    factual = rng.integers(0, 256, (8, 8, 3)).astype(np.uint8)
    drift = np.clip(factual.astype(int) + rng.integers(-6, 7, factual.shape), 0, 255).astype(np.uint8)
    edited = drift.copy()
    edited[2:4, 2:4] = 0  # a real edit
    edited[5, 5, 1] = np.uint8((int(factual[5, 5, 1]) + 40) % 256)  # one channel moved far: the pixel is edited
    out = keep_unmoved(edited, factual, 6)
    moved = np.zeros((8, 8), bool)
    moved[2:4, 2:4] = np.abs(factual[2:4, 2:4].astype(int)).max(-1) > 6
    moved[5, 5] = True
    assert np.array_equal(out[~moved], factual[~moved])
    assert np.array_equal(out[moved], edited[moved])
    assert np.array_equal(keep_unmoved(edited, factual[:4], 6), edited)  # another size: left as it is
