"""Both counterfactual paths (the concept models and Stable Diffusion) run one DDIM loop on diffusers'
schedulers (fmcgm/vision/edit.py), and give what the two hand-written loops gave before on fixed seeds.

tests/data/vision_before_ddim.npz holds the outputs of the hand-written loops (main at 8808d90) for the
cases below: the tiny untrained models of tests/test_vision.py, pendulum, 6 steps (SD: 4).
"""

from pathlib import Path

import numpy as np
import pytest
import torch
from test_vision import tiny_model

from fmcgm.vision import edit
from fmcgm.vision.pipeline import CounterfactualOptions, CounterfactualPipeline
from fmcgm.worlds import get_world

BEFORE = np.load(Path(__file__).parent / "data" / "vision_before_ddim.npz")


@pytest.fixture(scope="module")
def scene():
    w = get_world("pendulum")
    f = w.sample(np.random.default_rng(0))
    return w, f, w.render(f, 32)


def _concept_pipe(w, prediction="v_prediction"):
    m = tiny_model(w)
    m.cfg.prediction = prediction
    return CounterfactualPipeline(m, w)


def _sd(w):
    from fmcgm.vision.sd_pipeline import SDCounterfactual, tiny_pipeline

    return SDCounterfactual(tiny_pipeline(), w)


def _same_mask(a, b):
    """Soft masks equal to float rounding (the sharp sigmoid of a summed contrast magnifies it)."""
    assert a is not None and np.abs(a - b).max() < 2e-3, np.abs(a - b).max()


def _same_image(a, b):
    """uint8 images from latents equal to float rounding: a pixel may land on the other side of a rounding
    or keep-below threshold, nothing more."""
    d = np.abs(a.astype(int) - b.astype(int))
    assert (d > 1).mean() < 2e-3 and d.max() <= 8, (d.max(), (d > 1).sum())


@pytest.mark.parametrize("name, prediction, opts", [
    ("tiny_v_prediction_default", "v_prediction", CounterfactualOptions(steps=6)),
    ("tiny_v_prediction_region", "v_prediction", CounterfactualOptions(steps=6, mask_mode="region")),
    ("tiny_v_prediction_nocsg", "v_prediction", CounterfactualOptions(steps=6, csg=False)),
    ("tiny_epsilon_both", "epsilon", CounterfactualOptions(steps=6, mask_mode="both", strength=0.8)),
])
def test_the_concept_path_gives_what_it_gave_before(scene, name, prediction, opts):
    w, f, img = scene
    out = _concept_pipe(w, prediction).counterfactual(img, f, {"light_position": 120.0}, opts)
    _same_image(out.image, BEFORE[f"{name}_image"])
    if f"{name}_mask" in BEFORE:
        _same_mask(out.mask, BEFORE[f"{name}_mask"])


def test_inversion_and_reconstruction_as_before(scene):
    w, f, img = scene
    pipe = _concept_pipe(w)
    opts = CounterfactualOptions(steps=6)
    traj = pipe.invert(img, f, opts)
    assert np.allclose(traj[498].numpy(), BEFORE["tiny_v_prediction_traj_498"], atol=1e-3)
    x, _ = pipe.generate(traj[pipe._timesteps(opts)[0]], f, opts, traj, [])
    assert np.allclose(x.detach().numpy(), BEFORE["tiny_v_prediction_reconstruct"], atol=1e-3)


@pytest.mark.parametrize("csg", [True, False])
def test_the_stable_diffusion_path_gives_what_it_gave_before(scene, monkeypatch, csg):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    w, f, img = scene
    out = _sd(w).counterfactual(img, f, {"light_position": 120.0}, steps=4, csg=csg)
    _same_image(out["image"], BEFORE[f"sd_{csg}_image"])
    if csg:
        _same_mask(out["mask"], BEFORE["sd_True_mask"])


def test_both_paths_run_the_one_loop(scene, monkeypatch):
    """Each counterfactual inverts once and denoises once through DDIMEdit, whose steps are diffusers'."""
    from diffusers import DDIMInverseScheduler, DDIMScheduler

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    w, f, img = scene
    calls: list[str] = []
    steps: list[str] = []
    for method in ("invert", "denoise"):
        original = getattr(edit.DDIMEdit, method)

        def spy(self, *a, _name=method, _original=original, **k):
            calls.append(_name)
            return _original(self, *a, **k)

        monkeypatch.setattr(edit.DDIMEdit, method, spy)
    for cls in (DDIMScheduler, DDIMInverseScheduler):
        original_step = cls.step

        def step_spy(self, *a, _cls=cls.__name__, _original=original_step, **k):
            steps.append(_cls)
            return _original(self, *a, **k)

        monkeypatch.setattr(cls, "step", step_spy)
    _concept_pipe(w).counterfactual(img, f, {"light_position": 120.0}, CounterfactualOptions(steps=6, strength=0.5))
    assert calls == ["invert", "denoise"]
    assert steps.count("DDIMInverseScheduler") == 3 and steps.count("DDIMScheduler") >= 3
    calls.clear()
    steps.clear()
    _sd(w).counterfactual(img, f, {"light_position": 120.0}, steps=4, strength=0.5)
    assert calls == ["invert", "denoise"]
    assert steps == ["DDIMInverseScheduler"] * 2 + ["DDIMScheduler"] * 2


def test_the_loop_reads_every_value_of_a_pipelines_scheduler_config(monkeypatch):
    """A pipeline that corrected steps_offset leaves it in "_use_default_values"; the loop still uses it."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from fmcgm.vision.sd_pipeline import tiny_pipeline

    pipe = tiny_pipeline()
    pipe.scheduler.set_timesteps(4)
    assert edit.DDIMEdit(pipe.scheduler.config).timesteps(4, 1.0) == [int(t) for t in pipe.scheduler.timesteps]


class _TinyDescendantMove:
    """The pendulum world, except that an intervention moves the shadow's length by a hair (1e-5 of its
    range): a change both paths must read the same way (not a changed concept)."""

    def __init__(self, world):
        self._world = world

    def __getattr__(self, name):
        return getattr(self._world, name)

    def counterfactual(self, factual, intervention):
        cf = dict(self._world.counterfactual(factual, intervention))
        cf["shadow_length"] = factual["shadow_length"] + 1e-5 * self._world.concept("shadow_length").span
        return cf


def test_both_paths_agree_on_what_changed(scene, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    w, f, img = scene
    world = _TinyDescendantMove(w)
    torch.manual_seed(0)
    concept = CounterfactualPipeline(tiny_model(w), world).counterfactual(
        img, f, {"light_position": 120.0}, CounterfactualOptions(steps=2))
    sd = _sd(world).counterfactual(img, f, {"light_position": 120.0}, steps=2)
    assert concept.changed == sd["changed"] == ["light_position", "shadow_position"]
