"""Counterfactual image benchmark: effectiveness, invariance, fidelity, composition, reversibility, speed.

On N random (factual, intervention) pairs of a world, each method's
counterfactual image is measured with the world's geometric measurer (not the
project's extractor) against the SCM's counterfactual values, and compared
with the oracle (the renderer applied to those values).  Methods: ``full``
(abduction by inversion + Causal Semantic Guidance, prediction-contrast mask),
``attention_mask`` (the same with the cross-attention-map mask), ``no_guidance``,
``no_abduction`` (fresh noise) and ``oracle``.  Composition (null intervention
repeated 1 and 10 times) and reversibility (do, then undo) follow Monteiro et
al. (ICLR 2023).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

METHODS = ("full", "attention_mask", "no_guidance", "no_abduction", "oracle")


def _l1(a: np.ndarray, b: np.ndarray, where: np.ndarray | None = None) -> float:
    d = np.abs(a.astype(float) - b.astype(float))
    if where is not None:
        if not where.any():
            return float("nan")
        return float(d[where].mean())
    return float(d.mean())


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a.astype(float) - b.astype(float)) ** 2).mean())
    return 99.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def sample_pairs(world, n: int, seed: int, noise_world) -> list[tuple[dict, dict]]:
    """Random factual scenes and interventions on the concepts that have causal descendants
    (the interventions whose effects must propagate), uniform over each concept's range."""
    rng = np.random.default_rng(seed)
    causes = [c for c in world.concepts if len(world.descendants([c.name])) > 1]
    pairs = []
    for _ in range(n):
        factual = noise_world.sample(rng)
        c = causes[int(rng.integers(len(causes)))]
        pairs.append((factual, {c.name: float(rng.uniform(c.low, c.high))}))
    return pairs


def evaluate_visual(world_name: str, n: int = 200, seed: int = 0, steps: int = 50, composition_n: int = 20,
                    noise: float = 0.5, grid_path: str | Path | None = None, console: Console | None = None) -> dict[str, Any]:
    from fmcgm.vision.pipeline import CounterfactualOptions
    from fmcgm.vision.render import pipeline_for
    from fmcgm.worlds import get_world

    console = console or Console(stderr=True)
    world = get_world(world_name)
    pipe = pipeline_for(world.name)
    size = pipe.model.cfg.size
    pairs = sample_pairs(world, n, seed, get_world(world_name, noise=noise))
    acc: dict[str, dict[str, list[float]]] = {m: {} for m in METHODS}

    def add(method, key, value):
        acc[method].setdefault(key, []).append(value)

    grid_rows = []
    with Progress(TextColumn(f"[bold]visual {world_name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task("eval", total=len(pairs))
        for i, (factual, do) in enumerate(pairs):
            img = world.render(factual, size)
            cf = world.counterfactual(factual, do)
            oracle = world.render(cf, size)
            same = np.all(oracle == img, axis=-1)  # where factual and counterfactual agree
            changed = pipe.changed_concepts(factual, cf, list(do))
            x = list(do)[0]
            outs: dict[str, np.ndarray] = {"oracle": oracle}
            for method, opts in (("full", CounterfactualOptions(steps=steps, seed=seed + i)),
                                 ("attention_mask", CounterfactualOptions(steps=steps, mask_mode="attention",
                                                                          mask_threshold=0.35, seed=seed + i)),
                                 ("no_guidance", CounterfactualOptions(steps=steps, csg=False, seed=seed + i)),
                                 ("no_abduction", CounterfactualOptions(steps=steps, csg=False, abduction=False, seed=seed + i))):
                t0 = time.perf_counter()
                res = pipe.counterfactual(img, factual, do, opts)
                add(method, "seconds_per_image", time.perf_counter() - t0)
                outs[method] = res.image
                if method == "full":
                    mask = res.mask
            for method, out in outs.items():
                meas = world.measure(out)
                add(method, "effectiveness_intervened_pct", abs(meas.get(x, np.nan) - cf[x]) / world.concept(x).span * 100)
                for d in changed:
                    if d != x:
                        add(method, "effectiveness_descendants_pct", abs(meas.get(d, np.nan) - cf[d]) / world.concept(d).span * 100)
                add(method, "invariance", _l1(out, img, same))
                add(method, "psnr", _psnr(out, oracle))
                add(method, "mae", _l1(out, oracle))
            # reversibility: do, then undo from the counterfactual image
            back = pipe.counterfactual(outs["full"], cf, {x: factual[x]}, CounterfactualOptions(steps=steps, seed=seed + i))
            add("full", "reversibility", _l1(back.image, img))
            if i < composition_n:
                cur = img
                for k in range(10):
                    cur = _null(pipe, cur, factual, steps, seed + i)
                    if k == 0:
                        add("full", "composition_1", _l1(cur, img))
                add("full", "composition_10", _l1(cur, img))
            if len(grid_rows) < 8:
                m = np.zeros_like(img) if mask is None else np.repeat((np.clip(mask, 0, 1) * 255).astype(np.uint8)[..., None], 3, -1)
                grid_rows.append(np.concatenate([img, outs["full"], oracle, m, outs["no_guidance"]], 1))
            bar.advance(task)
    for k in ("composition_1", "composition_10", "reversibility"):
        acc["oracle"][k] = [0.0]
        for m in ("attention_mask", "no_guidance", "no_abduction"):
            acc[m].setdefault(k, [float("nan")])
    acc["oracle"]["seconds_per_image"] = [0.0]
    report = {"world": world.name, "n": n, "steps": steps, "composition_n": min(composition_n, n),
              "methods": {m: {k: float(np.nanmean(v)) if len(v) else float("nan") for k, v in acc[m].items()}
                          for m in METHODS}}
    for m in METHODS:
        report["methods"][m].setdefault("effectiveness_descendants_pct", float("nan"))
    if grid_path:
        _save_grid(grid_rows, grid_path)
        report["grid"] = str(grid_path)
    return report


def _null(pipe, image, values, steps, seed):
    from fmcgm.vision.pipeline import CounterfactualOptions

    opts = CounterfactualOptions(steps=steps, seed=seed)
    traj = pipe.invert(image, values, opts)
    x, _ = pipe.generate(traj[pipe._timesteps(opts)[0]], values, opts, traj, [])
    from fmcgm.vision.model import to_image

    return to_image(x)


def _save_grid(rows: list[np.ndarray], path: str | Path, scale: int = 6) -> None:
    from PIL import Image

    grid = np.concatenate(rows, 0)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).resize((grid.shape[1] * scale, grid.shape[0] * scale), Image.Resampling.NEAREST).save(path)


KEYS = ("effectiveness_intervened_pct", "effectiveness_descendants_pct", "invariance", "psnr", "mae",
        "composition_1", "composition_10", "reversibility", "seconds_per_image")


def print_visual(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"counterfactual images: {report['world']} (n={report['n']}, {report['steps']} DDIM steps)")
    t.add_column("method")
    for k in KEYS:
        t.add_column(k.replace("effectiveness_", "eff_").replace("_pct", " %"), justify="right")
    for m, vals in report["methods"].items():
        t.add_row(m, *[f"{vals.get(k, float('nan')):.2f}" for k in KEYS])
    console.print(t)
    if report.get("grid"):
        console.print(f"grid (factual | counterfactual | oracle | mask | no guidance): {report['grid']}")


def main(argv: list[str] | None = None) -> int:
    import sys

    argv = argv if argv is not None else sys.argv[1:]
    world = argv[0] if argv else "pendulum"
    n = int(argv[1]) if len(argv) > 1 else 200
    rep = evaluate_visual(world, n=n, grid_path=f"runs/{world}_grid.png")
    print_visual(rep)
    Path(f"runs/{world}_visual.json").write_text(json.dumps(rep, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
