"""Train the concept-conditioned diffusion model of a world (CPU or CUDA), checkpointed and resumable.

Images are rendered once from the world's SCM (with additive noise on the
non-root mechanisms, so every concept varies on its own and its token learns
its own effect), then the UNet learns v-prediction (the model config's
``prediction``; ε-prediction is still supported) with a foreground-weighted
loss, per-token dropout (classifier-free guidance) and an exponential moving
average of its weights.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fmcgm.vision.model import WEIGHTS_DIR, ConceptDiffusion, config_for, to_tensor
from fmcgm.worlds import get_world

BETA_SCHEDULE = "squaredcos_cap_v2"


def scheduler_config(prediction: str = "v_prediction") -> dict:
    return {"num_train_timesteps": 1000, "beta_schedule": BETA_SCHEDULE, "prediction_type": prediction,
            "clip_sample": False}


def foreground_weight(x0: torch.Tensor, weight: float = 10.0) -> torch.Tensor:
    """Per-pixel loss weight: the scenes are mostly white, and the concepts live in the few drawn pixels."""
    fg = (x0 < 0.9).any(dim=1, keepdim=True).float()
    fg = torch.nn.functional.max_pool2d(fg, 3, stride=1, padding=1)
    return 1.0 + (weight - 1.0) * fg


def decoupled(world, values: dict[str, float], share: float, rng: np.random.Generator) -> dict[str, float]:
    """``values`` with each non-root concept, with probability ``share``, redrawn uniformly over its range."""
    out = dict(values)
    for name in world.scm.order:
        if world.scm.parents[name] and rng.random() < share:
            c = world.concept(name)
            out[name] = float(rng.uniform(c.low, c.high))
    return out


def render_dataset(world_name: str, n: int, seed: int, size: int = 32, noise: float | None = None,
                   decouple: float = 0.0):
    noise = get_world(world_name).train_noise if noise is None else noise
    world = get_world(world_name, noise=noise)
    rng = np.random.default_rng(seed)
    values = [world.sample(rng) for _ in range(n)]
    if decouple > 0:
        values = [decoupled(world, v, decouple, rng) for v in values]
    images = np.stack([world.render(v, size) for v in values])
    table = np.array([[v[c] for c in world.names] for v in values], dtype=np.float32)
    return world, images, table


def train(world_name: str, steps: int, out: str | Path | None = None, batch: int = 64, lr: float = 1e-3,
          seed: int = 0, n_images: int = 20000, checkpoint_every: int = 100, state_path: str | Path | None = None,
          device: str | None = None, init: str | Path | None = None, decouple: float | None = None,
          log=print) -> Path:
    from diffusers.schedulers.scheduling_ddpm import DDPMScheduler

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(seed)
    out = Path(out or WEIGHTS_DIR / f"{world_name}.pt")
    state_path = Path(state_path or Path("runs") / f"{world_name}_train_state.pt")
    share = get_world(world_name).decouple if decouple is None else decouple
    world, images, table = render_dataset(world_name, n_images, seed, decouple=share)
    # ``init``: fine-tune from trained weights (e.g. the shipped ones) instead of starting from scratch
    model = (ConceptDiffusion.load(init) if init else ConceptDiffusion(config_for(world))).to(device)
    ema = copy.deepcopy(model).eval()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    start = 0
    if state_path.is_file():  # resume
        st = torch.load(state_path, map_location=device, weights_only=False)
        model.load_state_dict(st["model"])
        ema.load_state_dict(st["ema"])
        opt.load_state_dict(st["opt"])
        start = st["step"]
        log(f"resumed {world_name} at step {start}")
    sched = DDPMScheduler(**scheduler_config(model.cfg.prediction))
    x_all = to_tensor(images)
    v_all = torch.from_numpy(table)
    g = torch.Generator().manual_seed(seed + start)
    losses: list[float] = []
    t0 = time.perf_counter()
    with Progress(TextColumn(f"[bold]train {world_name}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("loss {task.fields[loss]:.4f}"), TimeRemainingColumn()) as bar:
        task = bar.add_task("train", total=steps, completed=start, loss=float("nan"))
        for step in range(start, steps):
            idx = torch.randint(0, len(x_all), (batch,), generator=g)
            x0, vals = x_all[idx].to(device), v_all[idx].to(device)
            noise = torch.randn(x0.shape, generator=g).to(device)
            t = torch.randint(0, sched.config.num_train_timesteps, (batch,), generator=g).to(device)
            xt = sched.add_noise(x0, noise, t)
            keep = torch.rand(vals.shape, generator=g).to(device) > 0.05
            keep &= (torch.rand(batch, 1, generator=g).to(device) > 0.1)  # all tokens null: unconditional
            cur_lr = lr * min(1.0, (step + 1) / 200) * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * step / steps)))
            for pg in opt.param_groups:
                pg["lr"] = cur_lr
            target = sched.get_velocity(x0, noise, t) if model.cfg.prediction == "v_prediction" else noise
            err = (model(xt, t, model.condition(vals, keep)) - target) ** 2
            loss = (err * foreground_weight(x0)).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            with torch.no_grad():
                decay = min(0.999, (1 + step) / (10 + step))
                for pe, pm in zip(ema.parameters(), model.parameters(), strict=True):
                    pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
            losses.append(float(loss.detach()))
            bar.update(task, advance=1, loss=float(np.mean(losses[-50:])))
            if (step + 1) % checkpoint_every == 0 or step + 1 == steps:
                state_path.parent.mkdir(parents=True, exist_ok=True)
                torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
                            "step": step + 1}, state_path)
                ema.cpu().save(out, extra={"steps": step + 1, "loss": float(np.mean(losses[-100:])),
                                           "seconds": time.perf_counter() - t0, "seed": seed,
                                           "decouple": share, "init": str(init) if init else None,
                                           "scheduler": scheduler_config(model.cfg.prediction)})
                ema.to(device)
                log(f"step {step + 1}: loss {np.mean(losses[-100:]):.4f}, saved {out}")
    return out
