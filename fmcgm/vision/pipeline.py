"""Counterfactual images: abduction (DDIM inversion), action (the world's SCM), prediction (guided denoising).

1. Abduction: invert the factual image deterministically with DDIM under its
   factual concept tokens, up to ``strength`` of the schedule, keeping every
   intermediate latent (the factual trajectory).
2. Action: the world's SCM gives the counterfactual concept values; concepts
   outside the changed set keep their factual tokens.
3. Prediction: denoise from the inverted latent under the counterfactual
   tokens, with classifier-free guidance.  With Causal Semantic Guidance a
   mask of where the changed concepts act decides where the trajectory may
   follow the counterfactual tokens; outside it each step is tied back to the
   factual trajectory.  The default mask is the union of the prediction
   contrast (where the clean-image predictions under counterfactual and
   factual tokens differ) and the changed objects' region — where the world's
   renderer draws them in the factual *or* the counterfactual scene, so the old
   place is released as well as the new one.
4. Keep what did not move: with guidance, pixels the edit changed by no more than
   ``keep_below`` (invisible drift) are copied from the factual image.

Large moves of small objects (the sun from one side to the other) failed with a
fixed inversion depth of 0.6: we measured the inverted latent keeping the old
object, which then survived as a ghost (and the contrast mask, where the model
barely distinguishes the tokens at a range's edge, did not release it).  So the
region inside the mask is re-noised from a background fill (the old object is
erased before prediction) and the inversion depth grows with the size of the
move (see :func:`strength_for`).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import torch

from fmcgm.vision.edit import DDIMEdit, Prediction, Step, changed_concepts, guide
from fmcgm.vision.guidance import AttentionRecorder, install
from fmcgm.vision.model import ConceptDiffusion, to_image, to_tensor
from fmcgm.vision.train import scheduler_config


@dataclass
class CounterfactualOptions:
    steps: int = 50  # DDIM steps over the whole schedule
    # invert to this fraction of the schedule (Diff-SCM style); None: chosen by the size of the move
    strength: float | None = None
    guidance_scale: float = 3.0  # classifier-free guidance
    csg: bool = True  # Causal Semantic Guidance
    abduction: bool = True  # False: start from fresh noise (ablation)
    mask_threshold: float = 0.15
    mask_sharpness: float = 12.0
    mask_dilate: int = 1
    # "attention": the changed concepts' cross-attention maps; "contrast": where the clean-image
    # predictions under counterfactual and factual tokens differ (both are the changed concepts'
    # footprint; we measured contrast far sharper on our small models, see evals/visual_eval.py);
    # "both": their union; "region": the region alone (below)
    mask_mode: str = "contrast"
    # also release the changed objects' old and new places, from the world's renderer geometry
    region: bool = True
    renoise: bool = True  # erase the old objects inside the region and re-noise it before prediction
    # with guidance: pixels the edit moved by at most this much (0–255, every channel) keep their factual
    # value — the invisible drift of inversion and re-generation, which would otherwise pile up when
    # counterfactuals are composed (measured on 16 water-flow cases: invariance 0.30 → 0.17 /255, no
    # success lost); 0 turns it off
    keep_below: float = 6.0
    seed: int = 0


def strength_for(move: float) -> float:
    """Inversion depth for a move of ``move`` (largest change of a changed concept, as a fraction of its
    range): 0.6 for small moves (keeps the most of the factual image), up to 0.8 for large ones."""
    return 0.6 + 0.2 * min(1.0, max(0.0, move) / 0.5)


@dataclass
class CounterfactualOutput:
    image: np.ndarray
    mask: np.ndarray | None
    factual_values: dict[str, float]
    counterfactual_values: dict[str, float]
    changed: list[str]
    seconds: float
    strength: float = 0.6


def keep_unmoved(out: np.ndarray, factual: np.ndarray, tolerance: float) -> np.ndarray:
    """``out`` with every pixel that differs from ``factual`` by at most ``tolerance`` in each channel
    set back to its factual value (images of the same shape, uint8)."""
    if out.shape != factual.shape:
        return out
    same = np.abs(out.astype(np.int16) - factual.astype(np.int16)).max(-1) <= tolerance
    kept = out.copy()
    kept[same] = factual[same]
    return kept


class CounterfactualPipeline:
    def __init__(self, model: ConceptDiffusion, world, device: str = "cpu"):
        self.model = model.to(device).eval()
        self.world = world
        self.device = device
        # inversion starts from the first training timestep's noise level, as the models were measured
        self.ddim = DDIMEdit(scheduler_config(model.cfg.prediction), image_at_t0=True)
        self.recorder = AttentionRecorder(size=model.cfg.size)
        install(self.model.unet, self.recorder)

    def for_world(self, world) -> CounterfactualPipeline:
        """The same generator (model, scheduler, attention recorder shared) serving ``world`` — e.g. the world
        under a user's own SCM: abduction, action and prediction use its mechanisms, the weights stay."""
        other = copy.copy(self)
        other.world = world
        return other

    # -- tokens -----------------------------------------------------------------------
    def tokens(self, values: Mapping[str, float], null: bool = False):
        """The model's conditioning (concept tokens, and the global vector) for concept values."""
        v = torch.tensor([[float(values[c]) for c in self.model.cfg.concepts]], device=self.device)
        keep = torch.zeros_like(v, dtype=torch.bool) if null else torch.ones_like(v, dtype=torch.bool)
        return self.model.condition(v, keep)

    def _predict(self, x: torch.Tensor, t: int, conditions: list) -> torch.Tensor:
        """The model's output (in its prediction type) at (x, t) under each conditioning, in one batch;
        the attention recorder records the second row (the conditional one under guidance), or the only one."""
        self.recorder.batch_slice = slice(None) if len(conditions) == 1 else slice(1, 2)
        n = len(conditions)
        tt = torch.full((x.shape[0] * n,), int(t), device=self.device, dtype=torch.long)
        batch = tuple(None if p[0] is None else torch.cat(p) for p in zip(*conditions, strict=True))
        return self.model(torch.cat([x] * n), tt, batch)

    def _timesteps(self, opts: CounterfactualOptions) -> list[int]:
        return self.ddim.timesteps(opts.steps, 0.6 if opts.strength is None else opts.strength)

    # -- abduction ----------------------------------------------------------------------
    @torch.no_grad()
    def invert(self, image: np.ndarray, values: Mapping[str, float], opts: CounterfactualOptions):
        """The factual trajectory: latents at -1 (the image) and at each inversion timestep."""
        cond = self.tokens(values)
        self.recorder.active = False
        return self.ddim.invert(to_tensor(image).to(self.device), self._timesteps(opts),
                                lambda x, t: self._predict(x, t, [cond]))

    # -- prediction -----------------------------------------------------------------------
    @torch.no_grad()
    def _mask(self, opts: CounterfactualOptions, contrast: torch.Tensor | None,
              region: torch.Tensor | None = None) -> torch.Tensor | None:
        parts = [region]
        if opts.mask_mode in ("attention", "both"):
            parts.append(self.recorder.mask(opts.mask_threshold, opts.mask_sharpness, opts.mask_dilate))
        if opts.mask_mode in ("contrast", "both") and contrast is not None:
            c = contrast / (contrast.amax(dim=(2, 3), keepdim=True) + 1e-8)
            c = torch.sigmoid((c - opts.mask_threshold) * opts.mask_sharpness)
            if opts.mask_dilate:
                c = torch.nn.functional.max_pool2d(c, 2 * opts.mask_dilate + 1, 1, opts.mask_dilate)
            parts.append(c)
        present = [p for p in parts if p is not None]
        if not present:
            return None
        out = present[0]
        for p in present[1:]:
            out = torch.maximum(out, p)  # the union of the parts
        return out

    def generate(self, start: torch.Tensor, values: Mapping[str, float], opts: CounterfactualOptions,
                 traj: dict | None = None, changed_tokens: list[int] | None = None,
                 factual: Mapping[str, float] | None = None, region: torch.Tensor | None = None):
        cond, uncond = self.tokens(values), self.tokens(values, null=True)
        factual_cond = self.tokens(factual) if factual is not None else cond
        self.recorder.reset()
        self.recorder.tokens = changed_tokens or []
        # the maps are recorded only for a mask made of them (the default, contrast, does not read them)
        self.recorder.active = bool(opts.csg and changed_tokens and opts.mask_mode in ("attention", "both"))
        guided = opts.csg and traj is not None and bool(changed_tokens)
        # the factual-token row rides in the same batch (the recorder records only the conditional row)
        contrast_wanted = guided and opts.mask_mode in ("contrast", "both")
        contrast: torch.Tensor | None = None

        def predict(x: torch.Tensor, t: int) -> Prediction:
            if opts.guidance_scale == 1.0 and not contrast_wanted:
                return Prediction(self._predict(x, t, [cond]))
            out = self._predict(x, t, [uncond, cond] + ([factual_cond] if contrast_wanted else []))
            return Prediction(guide(out[:1], out[1:2], opts.guidance_scale), out[2:3] if contrast_wanted else None)

        def mask_for(step: Step) -> torch.Tensor | None:
            nonlocal contrast
            if step.x0_factual is not None:  # where the clean-image predictions under the two token sets differ
                d = (step.x0 - step.x0_factual).abs().mean(1, keepdim=True)
                contrast = d if contrast is None else contrast + d
            return self._mask(opts, contrast, region)

        x, mask = self.ddim.denoise(start, self._timesteps(opts), predict, traj if guided else None, mask_for)
        self.recorder.active = False
        return x, mask

    def changed_concepts(self, factual: Mapping[str, float], cf: Mapping[str, float], intervened: list[str]) -> list[str]:
        """The intervened concepts plus their descendants whose value changed."""
        return changed_concepts(self.world, factual, cf, intervened, list(self.model.cfg.concepts))

    @torch.no_grad()
    def counterfactual(self, image: np.ndarray, factual: Mapping[str, float], intervention: Mapping[str, float],
                       opts: CounterfactualOptions | None = None) -> CounterfactualOutput:
        opts = opts or CounterfactualOptions()
        t0 = time.perf_counter()
        torch.manual_seed(opts.seed)
        cf = self.world.counterfactual(factual, intervention)
        changed = self.changed_concepts(factual, cf, [self.world.concept(k).name for k in intervention])
        # concepts outside the changed set keep their factual tokens
        token_values = {c: (cf[c] if c in changed else factual[c]) for c in self.model.cfg.concepts}
        idx = [self.model.cfg.concepts.index(c) for c in changed]
        if opts.strength is None:
            move = max((abs(cf[c] - factual[c]) / self.world.concept(c).span for c in changed), default=0.0)
            opts = replace(opts, strength=strength_for(move))
        assert opts.strength is not None
        noise = torch.Generator().manual_seed(opts.seed)
        region = self.region(factual, token_values, opts.mask_dilate) if opts.csg and opts.region and changed else None
        if opts.abduction:
            traj = self.invert(image, factual, opts)
            t_start = self._timesteps(opts)[0]
            start = traj[t_start]
            if opts.renoise and region is not None:
                start = self._renoise(start, traj[-1], region, t_start, noise)
        else:
            traj = None
            start = torch.randn((1, 3, self.model.cfg.size, self.model.cfg.size), generator=noise).to(self.device)
        x, mask = self.generate(start, token_values, opts, traj, idx, factual, region)
        out = to_image(x)
        if opts.csg and opts.keep_below > 0:
            out = keep_unmoved(out, image, opts.keep_below)
        return CounterfactualOutput(
            image=out, mask=None if mask is None else mask[0, 0].cpu().numpy(),
            factual_values=dict(factual), counterfactual_values=cf, changed=changed,
            seconds=time.perf_counter() - t0, strength=float(opts.strength))

    def region(self, factual: Mapping[str, float], target: Mapping[str, float], dilate: int = 1) -> torch.Tensor | None:
        """Where the world's renderer draws differently for the factual and the target values: the changed
        objects' old and new places (dilated), (1, 1, size, size) in {0, 1}; None when nothing differs."""
        size = self.model.cfg.size
        a = self.world.render(factual, size).astype(np.int16)
        b = self.world.render({**factual, **target}, size).astype(np.int16)
        diff = torch.from_numpy((np.abs(a - b).max(-1) > 8).astype(np.float32))[None, None].to(self.device)
        if not diff.any():
            return None
        k = 2 * max(dilate, 1) + 1
        return torch.nn.functional.max_pool2d(diff, k, 1, k // 2)

    def _renoise(self, x_t: torch.Tensor, x0: torch.Tensor, region: torch.Tensor, t: int,
                 generator: torch.Generator) -> torch.Tensor:
        """Inside ``region``: the latent at ``t`` of a background fill (the mean colour of the ring just
        outside the region) with fresh noise, so no trace of the old object survives inversion."""
        ring = torch.nn.functional.max_pool2d(region, 5, 1, 2) - region
        if ring.sum() > 0:
            fill = (x0 * ring).sum(dim=(2, 3), keepdim=True) / ring.sum()
        else:
            fill = torch.ones_like(x0[:, :, :1, :1])  # white: every world's background
        fresh = self.ddim.add_noise(fill, torch.randn(x_t.shape, generator=generator).to(self.device), t)
        return region * fresh + (1 - region) * x_t
