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


def test_guidance_keeps_unmasked_pixels_factual():
    """With CSG every step outside the mask is tied to the factual trajectory, so with a mask of
    zeros the output is the factual image itself."""
    w = get_world("pendulum")
    pipe = CounterfactualPipeline(tiny_model(w), w)
    f = w.sample(np.random.default_rng(1))
    img = w.render(f, 32)
    opts = CounterfactualOptions(steps=6, mask_threshold=2.0, mask_dilate=0)  # threshold above every map: mask ≈ 0
    out = pipe.counterfactual(img, f, {"pendulum_angle": 20.0}, opts)
    assert np.abs(out.image.astype(int) - img).max() <= 2


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


def test_training_smoke_checkpoints_and_resumes(tmp_path):
    from fmcgm.vision.train import train

    out, state = tmp_path / "w.pt", tmp_path / "state.pt"
    train("waterflow", steps=2, out=out, batch=4, n_images=16, checkpoint_every=1, state_path=state, log=lambda m: None)
    assert out.is_file() and torch.load(state, weights_only=False)["step"] == 2
    train("waterflow", steps=3, out=out, batch=4, n_images=16, checkpoint_every=1, state_path=state, log=lambda m: None)
    assert torch.load(state, weights_only=False)["step"] == 3
    assert ConceptDiffusion.load(out).extra["steps"] == 3


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
