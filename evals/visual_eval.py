"""Counterfactual image benchmark: success rate by stratum, effectiveness, invariance, fidelity, speed.

Cases are stratified: every concept of the world, three move sizes (small
< 20 % of the range, medium, large > 50 %), and every value word each concept
accepts (on several scenes).  Each method's counterfactual image is measured
with the world's geometric measurer (not the project's extractor) against the
SCM's counterfactual values and compared with the oracle (the renderer applied
to those values).  A case *succeeds* when every changed concept measures within
10 % of its range and the scene shows exactly one of each object (a ghost fails).

Methods: ``full`` (one pass: abduction by inversion with depth chosen by the
move, Causal Semantic Guidance with the contrast ∪ region mask, re-noising
inside the region), ``checked`` (``full`` plus the self-check and its bounded
retries, what ``render_image`` returns), ``no_guidance``, and optionally
``attention_mask`` and ``no_abduction``; ``oracle`` is the renderer.
Composition (a null intervention repeated 1 and 10 times) and reversibility (do,
then undo) follow Monteiro et al. (ICLR 2023).  The image grid shows the worst
cases, not the first ones.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

SIZES = ("small", "medium", "large")
OPTIONAL = ("attention_mask", "no_abduction")


@dataclass
class Case:
    factual: dict[str, float]
    concept: str
    value: float
    word: str | None  # the value word, when the case is one
    move: float  # |value − factual| as a fraction of the range

    @property
    def size(self) -> str:
        return size_of(self.move)

    def label(self) -> str:
        v = f'"{self.word}"' if self.word else f"{self.value:.3g}"
        return f"{self.concept}={v} (move {self.move * 100:.0f}%)"


def size_of(move: float) -> str:
    return "small" if move < 0.2 else "large" if move > 0.5 else "medium"


def stratified_cases(world, n: int, seed: int, noise_world, word_scenes: int = 3) -> list[Case]:
    """Every value word of every concept on ``word_scenes`` scenes, then numeric moves filling each
    (concept, size) stratum evenly up to ``n`` cases in all."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = []
    for c in world.concepts:
        for word, v in c.value_words.items():
            for _ in range(word_scenes):
                f = noise_world.sample(rng)
                cases.append(Case(f, c.name, float(v), word, abs(v - f[c.name]) / c.span))
    strata = [(c, s) for c in world.concepts for s in SIZES]
    bounds = {"small": (0.02, 0.2), "medium": (0.2, 0.5), "large": (0.5, 1.0)}
    k = 0
    while len(cases) < n:
        c, s = strata[k % len(strata)]
        lo, hi = bounds[s]
        for _ in range(200):  # a factual scene that leaves room for a move of this size
            f = noise_world.sample(rng)
            z = (f[c.name] - c.low) / c.span
            options = [d for d in (-1, 1) if 0 <= z + d * lo <= 1]
            if not options:
                continue
            d = options[int(rng.integers(len(options)))]
            room = min(hi, (1 - z) if d > 0 else z)
            if room < lo:
                continue
            move = float(rng.uniform(lo, room))
            cases.append(Case(f, c.name, float(c.low + (z + d * move) * c.span), None, move))
            break
        k += 1
    return cases


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


def evaluate_visual(world_name: str, n: int = 200, seed: int = 0, steps: int = 50, composition_n: int = 10,
                    noise: float = 0.5, grid_path: str | Path | None = None, ablations: bool = False,
                    console: Console | None = None) -> dict[str, Any]:
    from fmcgm.vision.check import check_counterfactual
    from fmcgm.vision.pipeline import CounterfactualOptions
    from fmcgm.vision.render import RETRIES, pipeline_for
    from fmcgm.worlds import get_world

    console = console or Console(stderr=True)
    world = get_world(world_name)
    pipe = pipeline_for(world.name)
    size = pipe.model.cfg.size
    cases = stratified_cases(world, n, seed, get_world(world_name, noise=noise))
    methods = ["full", "checked", "no_guidance", *(OPTIONAL if ablations else ()), "oracle"]
    acc: dict[str, dict[str, list[float]]] = {m: {} for m in methods}
    success: dict[str, list[tuple[Case, bool]]] = {m: [] for m in methods}
    per_case = []

    def add(method, key, value):
        acc[method].setdefault(key, []).append(value)

    with Progress(TextColumn(f"[bold]visual {world_name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task("eval", total=len(cases))
        for i, case in enumerate(cases):
            f, do = case.factual, {case.concept: case.value}
            img = world.render(f, size)
            cf = world.counterfactual(f, do)
            oracle = world.render(cf, size)
            same = np.all(oracle == img, axis=-1)  # where factual and counterfactual agree
            changed = pipe.changed_concepts(f, cf, list(do))
            runs = {"full": CounterfactualOptions(steps=steps, seed=seed + i),
                    "no_guidance": CounterfactualOptions(steps=steps, csg=False, seed=seed + i)}
            if ablations:
                runs["attention_mask"] = CounterfactualOptions(steps=steps, mask_mode="attention", mask_threshold=0.35,
                                                               region=False, seed=seed + i)
                runs["no_abduction"] = CounterfactualOptions(steps=steps, csg=False, abduction=False, seed=seed + i)
            outs: dict[str, np.ndarray] = {"oracle": oracle}
            for method, opts in runs.items():
                cpu0, t0 = time.process_time(), time.perf_counter()
                res = pipe.counterfactual(img, f, do, opts)
                add(method, "seconds_per_image", time.perf_counter() - t0)
                add(method, "cpu_seconds_per_image", time.process_time() - cpu0)
                outs[method] = res.image
                if method == "full":
                    mask, first = res.mask, res
            # checked: the self-check and the same bounded retries as render_image
            checked, attempts = outs["full"], 1
            chk = check_counterfactual(world, checked, cf, changed)
            best = (len(chk.problems), checked, chk)
            for k, retry in enumerate(RETRIES, 1):
                if chk.ok:
                    break
                s = retry["strength"]
                s = min(1.0, first.strength + 0.2) if s == "+0.2" else s
                r = pipe.counterfactual(img, f, do, CounterfactualOptions(steps=steps, seed=seed + i + k, strength=s,
                                                                          guidance_scale=retry["guidance_scale"]))
                attempts += 1
                chk = check_counterfactual(world, r.image, cf, changed)
                if len(chk.problems) < best[0] or chk.ok:
                    best = (len(chk.problems), r.image, chk)
            outs["checked"] = best[1]
            add("checked", "attempts", attempts)
            for method, out in outs.items():
                c = check_counterfactual(world, out, cf, changed)
                success[method].append((case, c.ok))
                hit = next(x for x in c.concepts if x.concept == case.concept)
                add(method, "effectiveness_intervened_pct", 100.0 if hit.error_pct is None else hit.error_pct)
                desc = [x.error_pct if x.error_pct is not None else 100.0 for x in c.concepts if x.concept != case.concept]
                if desc:
                    add(method, "effectiveness_descendants_pct", float(np.mean(desc)))
                add(method, "ghosts", float(any(v > 1 for v in c.objects.values())))
                add(method, "invariance", _l1(out, img, same))
                add(method, "psnr", _psnr(out, oracle))
                add(method, "mae", _l1(out, oracle))
                if method == "full":
                    per_case.append({"case": case.label(), "ok": c.ok, "worst_error_pct": max(
                        (x.error_pct if x.error_pct is not None else 100.0 for x in c.concepts), default=0.0),
                        "errors": {x.concept: x.error_pct for x in c.concepts}, "objects": c.objects,
                        "problems": c.problems, "images": (img, out, oracle, mask), "values": (f, cf, changed)})
            if i < composition_n:
                back = pipe.counterfactual(outs["full"], cf, {case.concept: f[case.concept]},
                                           CounterfactualOptions(steps=steps, seed=seed + i))
                add("full", "reversibility", _l1(back.image, img))
                cur = img
                for k in range(10):
                    cur = _null(pipe, cur, f, steps, seed + i)
                    if k == 0:
                        add("full", "composition_1", _l1(cur, img))
                add("full", "composition_10", _l1(cur, img))
            bar.advance(task)
    acc["oracle"]["seconds_per_image"] = [0.0]
    report: dict[str, Any] = {
        "world": world.name, "n": len(cases), "steps": steps, "composition_n": min(composition_n, len(cases)),
        "methods": {m: {k: float(np.nanmean(v)) if len(v) else float("nan") for k, v in acc[m].items()} for m in methods}}
    for m in methods:
        rows = success[m]
        report["methods"][m]["success_rate"] = _rate([ok for _, ok in rows])
        report["methods"][m]["success_large"] = _rate([ok for c, ok in rows if c.size == "large"])
    report["success_rate"] = report["methods"]["full"]["success_rate"]
    report["success_rate_checked"] = report["methods"]["checked"]["success_rate"]
    report["success_by_stratum"] = _strata(world, success["full"])
    report["success_by_stratum_checked"] = _strata(world, success["checked"])
    report["value_words"] = {f"{c.concept}={c.word}": ok for c, ok in success["full"] if c.word}
    report["invariance_ratio"] = report["methods"]["no_guidance"]["invariance"] / max(report["methods"]["full"]["invariance"], 1e-6)
    worst = sorted(per_case, key=lambda r: (r["ok"], -r["worst_error_pct"]))[:8]
    out_dir = Path(grid_path).parent if grid_path else Path("runs")
    report["worst"] = [_save_worst(world, r, out_dir, j) for j, r in enumerate(worst)]
    if grid_path:
        _save_grid(world, worst, grid_path)
        report["grid"] = str(grid_path)
    return report


def _rate(oks: list[bool]) -> float | None:
    return float(np.mean(oks)) if oks else None


def _strata(world, rows) -> dict[str, dict[str, dict[str, float | int | None]]]:
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for c in world.concepts:
        out[c.name] = {}
        for s in SIZES:
            oks = [ok for case, ok in rows if case.concept == c.name and case.size == s]
            out[c.name][s] = {"n": len(oks), "success_rate": _rate(oks)}
    return out


def _panels(world, r: dict) -> np.ndarray:
    from fmcgm.vision.figures import panel, row, value_lines

    img, out, oracle, mask = r["images"]
    f, cf, changed = r["values"]
    n = len(world.concepts) + 1
    m = np.zeros_like(img) if mask is None else np.repeat((np.clip(mask, 0, 1) * 255).astype(np.uint8)[..., None], 3, -1)
    verdict = "ok" if r["ok"] else "FAIL: " + "; ".join(r["problems"])
    return row([panel(img, "factual", value_lines(f, world), side=160, n_lines=n),
                panel(out, "counterfactual", value_lines(cf, world, changed) + [verdict[:34]], side=160, n_lines=n),
                panel(oracle, "oracle", [], side=160, n_lines=n),
                panel(m, "mask", [r["case"][:30]], side=160, n_lines=n)])


def _save_worst(world, r: dict, out_dir: Path, j: int) -> dict:
    from fmcgm.vision.figures import save

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{world.name}_worst_{j}.png"
    save(_panels(world, r), path)
    return {"case": r["case"], "ok": r["ok"], "errors": r["errors"], "objects": r["objects"], "problems": r["problems"],
            "paths": {"side_by_side": str(path)}}


def _null(pipe, image, values, steps, seed):
    from fmcgm.vision.model import to_image
    from fmcgm.vision.pipeline import CounterfactualOptions

    opts = CounterfactualOptions(steps=steps, seed=seed, strength=0.6)
    traj = pipe.invert(image, values, opts)
    x, _ = pipe.generate(traj[pipe._timesteps(opts)[0]], values, opts, traj, [])
    return to_image(x)


def _save_grid(world, rows: list[dict], path: str | Path) -> None:
    from fmcgm.vision.figures import column, save

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save(column([_panels(world, r) for r in rows]), path)


KEYS = ("success_rate", "success_large", "effectiveness_intervened_pct", "effectiveness_descendants_pct", "ghosts",
        "invariance", "psnr", "mae", "composition_1", "composition_10", "reversibility", "seconds_per_image",
        "cpu_seconds_per_image")


def print_visual(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"counterfactual images: {report['world']} (n={report['n']}, {report['steps']} DDIM steps)")
    t.add_column("method")
    for k in KEYS:
        t.add_column(k.replace("effectiveness_", "eff_").replace("_pct", " %").replace("_per_image", "/img"), justify="right")
    for m, vals in report["methods"].items():
        t.add_row(m, *[_fmt(vals.get(k)) for k in KEYS])
    console.print(t)
    s = Table(title="success rate of `full` (`checked`) by concept and move size")
    s.add_column("concept")
    for size in SIZES:
        s.add_column(size, justify="right")
    for c, row in report["success_by_stratum"].items():
        chk = report["success_by_stratum_checked"][c]
        s.add_row(c, *[f"{_fmt(row[z]['success_rate'])} ({_fmt(chk[z]['success_rate'])}) n={row[z]['n']}" for z in SIZES])
    console.print(s)
    bad = [k for k, ok in report["value_words"].items() if not ok]
    console.print(f"value words: {len(report['value_words']) - len(bad)}/{len(report['value_words'])} cases right"
                  + (f"; failed: {', '.join(bad)}" if bad else ""))
    console.print(f"invariance: {report['methods']['full']['invariance']:.2f}/255 with guidance, "
                  f"{report['invariance_ratio']:.1f}× better than without")
    for w in report["worst"][:5]:
        console.print(f"worst: {w['case']}: {'ok' if w['ok'] else '; '.join(w['problems'])} ({w['paths']['side_by_side']})")
    if report.get("grid"):
        console.print(f"grid of the worst cases (factual | counterfactual | oracle | mask): {report['grid']}")


def _fmt(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("world", nargs="?", default="pendulum")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ablations", action="store_true")
    ap.add_argument("--out", default="runs")
    a = ap.parse_args(argv)
    rep = evaluate_visual(a.world, n=a.n, steps=a.steps, seed=a.seed, ablations=a.ablations,
                          grid_path=f"{a.out}/{a.world}_grid.png")
    print_visual(rep)
    Path(f"{a.out}/{a.world}_visual.json").write_text(json.dumps(rep, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
