"""The counterfactual edit's diffusion loop, one for both paths: abduction by DDIM inversion, prediction by
DDIM denoising with classifier-free guidance and Causal Semantic Guidance.

Both the concept models (:mod:`fmcgm.vision.pipeline`) and Stable Diffusion (:mod:`fmcgm.vision.sd_pipeline`)
run this loop; each supplies only its model call (``predict``) and its mask (``mask_for``). The steps are
diffusers' own: :meth:`diffusers.DDIMScheduler.step` (deterministic, ``eta = 0``) down the schedule and
:meth:`diffusers.DDIMInverseScheduler.step` up it, so every prediction type the scheduler knows (epsilon, v) is
handled there, and the clean-image prediction a step returns is what the contrast mask compares.

* :meth:`DDIMEdit.timesteps`: the last ``strength`` of the schedule (descending), where the edit starts.
* :meth:`DDIMEdit.invert`: the factual trajectory, the image's latent at each of those timesteps, each step
  predicted at the point it leaves (standard DDIM inversion).
* :meth:`DDIMEdit.denoise`: back down to the clean image (``t = -1``); with a factual trajectory and a mask,
  each latent follows the counterfactual inside the mask and the factual trajectory outside it
  (:func:`fmcgm.vision.guidance.blend`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from fmcgm.vision.guidance import blend

# a concept counts as changed by an intervention when it moved by more than this share of its range
CHANGED_SHARE = 1e-3


def changed_concepts(world, factual: Mapping[str, float], cf: Mapping[str, float], intervened: list[str],
                     names: list[str]) -> list[str]:
    """The intervened concepts plus their descendants whose value moved (more than :data:`CHANGED_SHARE`
    of the concept's range), in the order of ``names``."""
    desc = world.descendants(intervened)
    span = {c.name: c.span for c in world.concepts}
    return [c for c in names
            if c in intervened or (c in desc and abs(cf[c] - factual[c]) > CHANGED_SHARE * span[c])]


def guide(uncond: torch.Tensor, cond: torch.Tensor, scale: float) -> torch.Tensor:
    """Classifier-free guidance: the unconditional prediction pushed ``scale`` times towards the conditional."""
    return uncond + scale * (cond - uncond)


@dataclass(frozen=True)
class Prediction:
    """The model's output at one prediction step: under the counterfactual tokens (guided), and under the
    factual tokens when the contrast mask needs it (in the scheduler's prediction type, epsilon or v)."""
    output: torch.Tensor
    factual: torch.Tensor | None = None


@dataclass(frozen=True)
class Step:
    """What a prediction step hands the mask: its timestep and the clean-image predictions under the
    counterfactual and (when asked for) the factual tokens."""
    t: int
    x0: torch.Tensor
    x0_factual: torch.Tensor | None


class DDIMEdit:
    """Diffusers' DDIM schedulers for one model's training schedule (``config``: a scheduler config).

    The prediction ends at the clean image (``alpha = 1``). ``image_at_t0`` says where inversion starts: at the
    first training timestep's noise level (the concept models, as they were trained and measured) or at
    ``alpha = 1``, the clean image itself (Stable Diffusion)."""

    def __init__(self, config: Mapping[str, Any], *, image_at_t0: bool = False) -> None:
        from fmcgm.vision.libraries import diffusers_classes

        DDIMInverseScheduler, DDIMScheduler = diffusers_classes("DDIMInverseScheduler", "DDIMScheduler")

        # every value as given: from_config would reset the keys a config lists in "_use_default_values" (a
        # pipeline that corrected steps_offset leaves it listed there)
        given = {k: v for k, v in config.items() if not k.startswith("_")}
        self.forward = DDIMScheduler.from_config(given, clip_sample=False, set_alpha_to_one=True)
        self.inverse = DDIMInverseScheduler.from_config(given, clip_sample=False, set_alpha_to_one=not image_at_t0)

    @property
    def alphas_cumprod(self) -> torch.Tensor:
        return self.forward.alphas_cumprod

    def timesteps(self, steps: int, strength: float) -> list[int]:
        """The last ``strength`` of a ``steps``-step schedule, descending (at least one step)."""
        self.forward.set_timesteps(steps)
        self.inverse.set_timesteps(steps)
        ts = [int(t) for t in self.forward.timesteps]
        return ts[-max(1, int(round(strength * len(ts)))):]

    def add_noise(self, x0: torch.Tensor, noise: torch.Tensor, t: int) -> torch.Tensor:
        """The forward process: x0 noised to timestep ``t``."""
        return self.forward.add_noise(x0, noise, torch.tensor([t]))

    def invert(self, x: torch.Tensor, timesteps: list[int],
               predict: Callable[[torch.Tensor, int], torch.Tensor]) -> dict[int, torch.Tensor]:
        """The factual trajectory {-1: x, t: latent at t} over ``timesteps`` (descending, as from
        :meth:`timesteps`). The prediction at the previous point stands in for the one at t."""
        traj = {-1: x}
        prev = 0
        for t in reversed(timesteps):
            x = self.inverse.step(predict(x, prev), t, x).prev_sample
            traj[t] = x
            prev = t
        return traj

    def denoise(self, x: torch.Tensor, timesteps: list[int], predict: Callable[[torch.Tensor, int], Prediction],
                traj: Mapping[int, torch.Tensor] | None = None,
                mask_for: Callable[[Step], torch.Tensor | None] | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Down ``timesteps`` (descending) to the clean image. With ``traj`` and ``mask_for``, each new latent
        is blended with the factual trajectory's outside the step's mask. Returns (latent, last mask)."""
        mask = None
        for i, t in enumerate(timesteps):
            t_next = timesteps[i + 1] if i + 1 < len(timesteps) else -1
            pred = predict(x, t)
            step = self.forward.step(pred.output, t, x)
            if traj is not None and mask_for is not None:
                x0_factual = None if pred.factual is None else \
                    self.forward.step(pred.factual, t, x).pred_original_sample
                mask = mask_for(Step(t, step.pred_original_sample, x0_factual))
                x = blend(step.prev_sample, traj[t_next], mask)
            else:
                x = step.prev_sample
        return x, mask
