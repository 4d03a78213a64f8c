"""Counterfactual images: abduction (DDIM inversion), action (the world's SCM), prediction (guided denoising).

1. Abduction: invert the factual image deterministically with DDIM under its
   factual concept tokens, up to ``strength`` of the schedule, keeping every
   intermediate latent (the factual trajectory).
2. Action: the world's SCM gives the counterfactual concept values; concepts
   outside the changed set keep their factual tokens.
3. Prediction: denoise from the inverted latent under the counterfactual
   tokens, with classifier-free guidance; with Causal Semantic Guidance the
   cross-attention maps of the changed concepts give a mask, and outside it
   each step is tied back to the factual trajectory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import torch

from fmcgm.vision.guidance import AttentionRecorder, blend, install
from fmcgm.vision.model import ConceptDiffusion, to_image, to_tensor
from fmcgm.vision.train import scheduler_config


@dataclass
class CounterfactualOptions:
    steps: int = 50  # DDIM steps over the whole schedule
    strength: float = 0.6  # invert to this fraction of the schedule (Diff-SCM style)
    guidance_scale: float = 3.0  # classifier-free guidance
    csg: bool = True  # Causal Semantic Guidance
    abduction: bool = True  # False: start from fresh noise (ablation)
    mask_threshold: float = 0.15
    mask_sharpness: float = 12.0
    mask_dilate: int = 1
    # "attention": the changed concepts' cross-attention maps; "contrast": where the clean-image
    # predictions under counterfactual and factual tokens differ (both are the changed concepts'
    # footprint; we measured contrast far sharper on our small models, see evals/visual_eval.py);
    # "both": their union
    mask_mode: str = "contrast"
    seed: int = 0


@dataclass
class CounterfactualOutput:
    image: np.ndarray
    mask: np.ndarray | None
    factual_values: dict[str, float]
    counterfactual_values: dict[str, float]
    changed: list[str]
    seconds: float
    reconstruction: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


class CounterfactualPipeline:
    def __init__(self, model: ConceptDiffusion, world, device: str = "cpu"):
        from diffusers import DDIMScheduler

        self.model = model.to(device).eval()
        self.world = world
        self.device = device
        self.scheduler = DDIMScheduler(**scheduler_config(model.cfg.prediction))
        self.recorder = AttentionRecorder(size=model.cfg.size)
        install(self.model.unet, self.recorder)
        self.alphas = self.scheduler.alphas_cumprod.to(device)

    # -- tokens -----------------------------------------------------------------------
    def tokens(self, values: Mapping[str, float], null: bool = False):
        """The model's conditioning (concept tokens, and the global vector) for concept values."""
        v = torch.tensor([[float(values[c]) for c in self.model.cfg.concepts]], device=self.device)
        keep = torch.zeros_like(v, dtype=torch.bool) if null else torch.ones_like(v, dtype=torch.bool)
        return self.model.condition(v, keep)

    def _eps(self, x, t, cond, uncond=None, scale=1.0):
        """The noise prediction (converted from v when the model predicts v), with classifier-free guidance."""
        tt = torch.full((x.shape[0],), int(t), device=self.device, dtype=torch.long)
        if uncond is None or scale == 1.0:
            self.recorder.batch_slice = slice(None)
            return self._as_eps(self.model(x, tt, cond), x, t)
        self.recorder.batch_slice = slice(1, 2)  # record the conditional half
        both = tuple(None if u is None else torch.cat([u, c]) for u, c in zip(uncond, cond))
        e = self.model(torch.cat([x, x]), torch.cat([tt, tt]), both)
        eu, ec = e.chunk(2)
        return self._as_eps(eu + scale * (ec - eu), x, t)

    def _as_eps(self, out, x, t):
        if self.model.cfg.prediction != "v_prediction":
            return out
        a = self.alphas[int(t)]
        return a.sqrt() * out + (1 - a).sqrt() * x

    def _timesteps(self, opts: CounterfactualOptions) -> list[int]:
        self.scheduler.set_timesteps(opts.steps)
        ts = [int(t) for t in self.scheduler.timesteps]  # descending
        k = max(1, int(round(opts.strength * len(ts))))
        return ts[-k:]

    def _step(self, x, eps, t_from, t_to):
        """Deterministic DDIM move from t_from to t_to (either direction; t_to = -1 is the clean image)."""
        a_from = self.alphas[t_from]
        a_to = self.alphas[t_to] if t_to >= 0 else torch.tensor(1.0, device=self.device)
        x0 = (x - (1 - a_from).sqrt() * eps) / a_from.sqrt()
        return a_to.sqrt() * x0 + (1 - a_to).sqrt() * eps

    # -- abduction ----------------------------------------------------------------------
    @torch.no_grad()
    def invert(self, image: np.ndarray, values: Mapping[str, float], opts: CounterfactualOptions):
        """The factual trajectory: latents at 0 (the image) and at each inversion timestep."""
        ts = list(reversed(self._timesteps(opts)))  # ascending
        cond = self.tokens(values)
        x = to_tensor(image).to(self.device)
        traj = {-1: x}
        prev = -1
        self.recorder.active = False
        for t in ts:
            # the noise prediction at the previous point approximates the one at t (standard DDIM inversion)
            eps = self._eps(x, max(prev, 0), cond)
            x = self._step(x, eps, max(prev, 0), t) if prev >= 0 else self._step(x, eps, 0, t)
            traj[t] = x
            prev = t
        return traj

    # -- prediction -----------------------------------------------------------------------
    @torch.no_grad()
    def _mask(self, opts: CounterfactualOptions, contrast: torch.Tensor | None) -> torch.Tensor | None:
        parts = []
        if opts.mask_mode in ("attention", "both"):
            parts.append(self.recorder.mask(opts.mask_threshold, opts.mask_sharpness, opts.mask_dilate))
        if opts.mask_mode in ("contrast", "both") and contrast is not None:
            c = contrast / (contrast.amax(dim=(2, 3), keepdim=True) + 1e-8)
            c = torch.sigmoid((c - opts.mask_threshold) * opts.mask_sharpness)
            if opts.mask_dilate:
                c = torch.nn.functional.max_pool2d(c, 2 * opts.mask_dilate + 1, 1, opts.mask_dilate)
            parts.append(c)
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else torch.maximum(*parts)  # two parts only in "both": their union

    def generate(self, start: torch.Tensor, values: Mapping[str, float], opts: CounterfactualOptions,
                 traj: dict | None = None, changed_tokens: list[int] | None = None,
                 factual: Mapping[str, float] | None = None):
        ts = self._timesteps(opts)  # descending
        cond, uncond = self.tokens(values), self.tokens(values, null=True)
        factual_cond = self.tokens(factual) if factual is not None else cond
        self.recorder.reset()
        self.recorder.tokens = changed_tokens or []
        self.recorder.active = bool(opts.csg and changed_tokens)
        x = start
        mask = None
        contrast = None
        guided = opts.csg and traj is not None and bool(changed_tokens)
        for i, t in enumerate(ts):
            t_next = ts[i + 1] if i + 1 < len(ts) else -1
            eps = self._eps(x, t, cond, uncond, opts.guidance_scale)
            if guided and opts.mask_mode in ("contrast", "both"):
                self.recorder.active = False  # the factual-token pass must not enter the attention maps
                eps_f = self._eps(x, t, factual_cond)
                self.recorder.active = True
                a = self.alphas[int(t)]
                d = ((1 - a).sqrt() / a.sqrt() * (eps - eps_f)).abs().mean(1, keepdim=True)
                contrast = d if contrast is None else contrast + d
            x = self._step(x, eps, t, t_next)
            if guided:
                mask = self._mask(opts, contrast)
                x = blend(x, traj[t_next], mask)
        self.recorder.active = False
        return x, mask

    def changed_concepts(self, factual: Mapping[str, float], cf: Mapping[str, float], intervened: list[str]) -> list[str]:
        """The intervened concepts plus their descendants whose value changed."""
        desc = self.world.descendants(intervened)
        span = {c.name: c.span for c in self.world.concepts}
        return [c for c in self.model.cfg.concepts
                if c in intervened or (c in desc and abs(cf[c] - factual[c]) > 1e-3 * span[c])]

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
        if opts.abduction:
            traj = self.invert(image, factual, opts)
            start = traj[self._timesteps(opts)[0]]
        else:
            traj = None
            start = torch.randn((1, 3, self.model.cfg.size, self.model.cfg.size),
                                generator=torch.Generator().manual_seed(opts.seed)).to(self.device)
        x, mask = self.generate(start, token_values, opts, traj, idx, factual)
        return CounterfactualOutput(
            image=to_image(x), mask=None if mask is None else mask[0, 0].cpu().numpy(),
            factual_values=dict(factual), counterfactual_values=cf, changed=changed,
            seconds=time.perf_counter() - t0)
