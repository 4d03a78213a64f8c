"""Counterfactual image benchmark: success rate by stratum, effectiveness, invariance, fidelity, speed.

Cases are stratified: every concept of the world, three move sizes (small
< 20 % of the range, medium, large > 50 %), and every value word each concept
accepts (on several scenes).  Each method's counterfactual image is measured
with the world's geometric measurer (not the project's extractor) against the
SCM's counterfactual values and compared with the oracle (the renderer applied
to those values).  A case *succeeds* when every changed concept measures within
10 % of its range, every unchanged one where it was in the factual picture, and
the scene shows exactly one of each object and nothing else (a ghost, a mark fails).

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
REPORT_KEYS = ("world", "n", "methods")  # what a report of this benchmark has (an existing file is replaced only then)
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


def sample_move(value: float, concept, lo: float, hi: float, rng: np.random.Generator) -> tuple[float, float] | None:
    """A new value for ``concept`` moved by a share of its range in [lo, hi) up or down from ``value``, and that
    share; None when the scene leaves no room for such a move."""
    z = (value - concept.low) / concept.span
    options = [d for d in (-1, 1) if 0 <= z + d * lo <= 1]
    if not options:
        return None
    d = options[int(rng.integers(len(options)))]
    room = min(hi, (1 - z) if d > 0 else z)
    if room < lo:
        return None
    move = float(rng.uniform(lo, room))
    return float(concept.low + (z + d * move) * concept.span), move


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
            moved = sample_move(f[c.name], c, lo, hi, rng)
            if moved is None:
                continue
            cases.append(Case(f, c.name, moved[0], None, moved[1]))
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
                    baseline_every: int = 1, shard: tuple[int, int] = (0, 1),
                    console: Console | None = None) -> dict[str, Any]:
    """Run the cases (``shard`` = (i, k): every k-th case from the i-th) and summarise; ``baseline_every``
    runs the no-guidance baseline on every such case only (it serves the invariance ratio)."""
    records = run_cases(world_name, n, seed, steps, composition_n, noise, ablations, baseline_every, shard,
                        Path(grid_path).parent if grid_path else Path("runs"), console)
    return summarize(world_name, records, steps, grid_path)


def run_cases(world_name: str, n: int, seed: int, steps: int, composition_n: int, noise: float, ablations: bool,
              baseline_every: int, shard: tuple[int, int], out_dir: Path, console: Console | None) -> list[dict]:
    from fmcgm.vision.check import check_counterfactual
    from fmcgm.vision.pipeline import CounterfactualOptions
    from fmcgm.vision.render import RETRIES, pipeline_for, retry_strength
    from fmcgm.worlds import get_world

    console = console or Console(stderr=True)
    world = get_world(world_name)
    pipe = pipeline_for(world.name)
    size = pipe.model.cfg.size
    cases = stratified_cases(world, n, seed, get_world(world_name, noise=noise))
    # a fixed random order, so that a run stopped early is still a stratified sample
    order = [int(j) for j in np.random.default_rng(seed).permutation(min(n, len(cases)))]
    mine = order[shard[0]::shard[1]]
    records = []
    out_dir.mkdir(parents=True, exist_ok=True)
    log = out_dir / f"{world.name}_records_shard{shard[0]}of{shard[1]}.jsonl"  # one line per finished case
    log.write_text("")
    with Progress(TextColumn(f"[bold]visual {world_name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task("eval", total=len(mine))
        for i in mine:
            case = cases[i]
            f, do = case.factual, {case.concept: case.value}
            img = world.render(f, size)
            cf = world.counterfactual(f, do)
            oracle = world.render(cf, size)
            same = np.all(oracle == img, axis=-1)  # where factual and counterfactual agree
            changed = pipe.changed_concepts(f, cf, list(do))
            runs = {"full": CounterfactualOptions(steps=steps, seed=seed + i)}
            if i % baseline_every == 0:
                runs["no_guidance"] = CounterfactualOptions(steps=steps, csg=False, seed=seed + i)
            if ablations:
                runs["attention_mask"] = CounterfactualOptions(steps=steps, mask_mode="attention", mask_threshold=0.35,
                                                               region=False, seed=seed + i)
                runs["no_abduction"] = CounterfactualOptions(steps=steps, csg=False, abduction=False, seed=seed + i)
            outs: dict[str, np.ndarray] = {"oracle": oracle}
            timing: dict[str, tuple[float, float]] = {"oracle": (0.0, 0.0)}
            for method, opts in runs.items():
                cpu0, t0 = time.process_time(), time.perf_counter()
                res = pipe.counterfactual(img, f, do, opts)
                timing[method] = (time.perf_counter() - t0, time.process_time() - cpu0)
                outs[method] = res.image
                if method == "full":
                    mask, first = res.mask, res
            # checked: the self-check and the same bounded retries as render_image
            chk = check_counterfactual(world, outs["full"], cf, changed, factual_image=img)
            best, attempts = (len(chk.problems), outs["full"]), 1
            for k, retry in enumerate(RETRIES, 1):
                if chk.ok:
                    break
                st = retry_strength(retry, first.strength)
                r = pipe.counterfactual(img, f, do, CounterfactualOptions(steps=steps, seed=seed + i + k, strength=st,
                                                                          guidance_scale=retry["guidance_scale"]))
                attempts += 1
                chk = check_counterfactual(world, r.image, cf, changed, factual_image=img)
                if chk.ok or len(chk.problems) < best[0]:
                    best = (len(chk.problems), r.image)
            outs["checked"] = best[1]
            rec: dict[str, Any] = {"index": i, "case": case.label(), "concept": case.concept, "size": case.size,
                                   "word": case.word, "attempts": attempts, "methods": {}}
            for method, out in outs.items():
                c = check_counterfactual(world, out, cf, changed, factual_image=img)
                hit = next(x for x in c.concepts if x.concept == case.concept)
                desc = [x.error_pct if x.error_pct is not None else 100.0 for x in c.concepts if x.concept != case.concept]
                rec["methods"][method] = {
                    "ok": c.ok, "intervened_pct": 100.0 if hit.error_pct is None else hit.error_pct,
                    "descendants_pct": float(np.mean(desc)) if desc else None,
                    "ghost": any(v > 1 for v in c.objects.values()), "invariance": _l1(out, img, same),
                    "psnr": _psnr(out, oracle), "mae": _l1(out, oracle),
                    "seconds": timing.get(method, (None, None))[0], "cpu_seconds": timing.get(method, (None, None))[1]}
                if method == "full":
                    rec.update(ok=c.ok, errors={x.concept: x.error_pct for x in c.concepts}, objects=c.objects,
                               problems=c.problems, worst_error_pct=max(
                                   (x.error_pct if x.error_pct is not None else 100.0 for x in c.concepts), default=0.0))
                    path = out_dir / f"{world.name}_case_{i}.png"
                    from fmcgm.vision.figures import save

                    save(_panels(world, {**rec, "images": (img, out, oracle, mask), "values": (f, cf, changed)}), path)
                    rec["panel"] = str(path)
            if i < composition_n:
                back = pipe.counterfactual(outs["full"], cf, {case.concept: f[case.concept]},
                                           CounterfactualOptions(steps=steps, seed=seed + i))
                rec["reversibility"] = _l1(back.image, img)
                for key, concept in (("composition", case.concept), ("drift", None)):
                    cur = img
                    for k in range(10):
                        cur = _null(pipe, cur, f, steps, seed + i, concept)
                        if k == 0:
                            rec[f"{key}_1"] = _l1(cur, img)
                    rec[f"{key}_10"] = _l1(cur, img)
            records.append(rec)
            with log.open("a") as fh:
                fh.write(json.dumps(rec) + "\n")
            bar.advance(task)
    return records


def summarize(world_name: str, records: list[dict], steps: int, grid_path: str | Path | None = None) -> dict[str, Any]:
    """The report from per-case records (of one run or of merged shards)."""
    from fmcgm.worlds import get_world

    world = get_world(world_name)
    methods = [m for m in ("full", "checked", "no_guidance", *OPTIONAL, "oracle") if any(m in r["methods"] for r in records)]

    def mean(vals):
        vals = [v for v in vals if v is not None and not (isinstance(v, float) and math.isnan(v))]
        return float(np.mean(vals)) if vals else None

    report: dict[str, Any] = {"world": world.name, "n": len(records), "steps": steps, "methods": {}}
    for m in methods:
        rows = [(r, r["methods"][m]) for r in records if m in r["methods"]]
        report["methods"][m] = {
            "n": len(rows), "success_rate": mean([float(x["ok"]) for _, x in rows]),
            "success_large": mean([float(x["ok"]) for r, x in rows if r["size"] == "large"]),
            "effectiveness_intervened_pct": mean([x["intervened_pct"] for _, x in rows]),
            "effectiveness_descendants_pct": mean([x["descendants_pct"] for _, x in rows]),
            "ghosts": mean([float(x["ghost"]) for _, x in rows]),
            "invariance": mean([x["invariance"] for _, x in rows]),
            "psnr": mean([x["psnr"] for _, x in rows]), "mae": mean([x["mae"] for _, x in rows]),
            "seconds_per_image": mean([x["seconds"] for _, x in rows]),
            "cpu_seconds_per_image": mean([x["cpu_seconds"] for _, x in rows])}
    for k in ("composition_1", "composition_10", "drift_1", "drift_10", "reversibility"):
        report["methods"]["full"][k] = mean([r.get(k) for r in records])
    report["methods"]["checked"]["attempts"] = mean([r["attempts"] for r in records])
    report["success_rate"] = report["methods"]["full"]["success_rate"]
    report["success_rate_checked"] = report["methods"]["checked"]["success_rate"]
    report["success_large"] = report["methods"]["full"]["success_large"]
    report["success_by_stratum"] = _strata(world, records, "full")
    report["success_by_stratum_checked"] = _strata(world, records, "checked")
    report["value_words"] = {f"{r['concept']}={r['word']}#{r['index']}": r["methods"]["full"]["ok"] for r in records if r["word"]}
    # the invariance ratio on the same cases for both (the baseline may run on a subset)
    paired = [r for r in records if "no_guidance" in r["methods"]]
    inv_full = mean([r["methods"]["full"]["invariance"] for r in paired])
    inv_none = mean([r["methods"]["no_guidance"]["invariance"] for r in paired])
    report["invariance_paired"] = {"n": len(paired), "full": inv_full, "no_guidance": inv_none}
    report["invariance_ratio"] = inv_none / max(inv_full, 1e-6) if inv_full is not None and inv_none is not None else None
    worst = sorted(records, key=lambda r: (r["ok"], -r["worst_error_pct"]))[:8]
    report["worst"] = [{"case": r["case"], "ok": r["ok"], "errors": r["errors"], "objects": r["objects"],
                        "problems": r["problems"], "paths": {"side_by_side": r["panel"]}} for r in worst]
    report["records"] = records
    if grid_path:
        from PIL import Image

        from fmcgm.vision.figures import column, save

        Path(grid_path).parent.mkdir(parents=True, exist_ok=True)
        save(column([np.asarray(Image.open(r["panel"]).convert("RGB")) for r in worst]), grid_path)
        report["grid"] = str(grid_path)
    return report


def _rate(oks: list[bool]) -> float | None:
    return float(np.mean(oks)) if oks else None


def _strata(world, records: list[dict], method: str) -> dict[str, dict[str, dict[str, float | int | None]]]:
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for c in world.concepts:
        out[c.name] = {}
        for z in SIZES:
            oks = [r["methods"][method]["ok"] for r in records if r["concept"] == c.name and r["size"] == z]
            out[c.name][z] = {"n": len(oks), "success_rate": _rate(oks)}
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


def _null(pipe, image, values, steps, seed, concept: str | None = None):
    """One null edit: with ``concept``, the product's counterfactual that sets it to its own value (what a
    user composing counterfactuals gets); without, raw inversion and regeneration with no guidance (the
    model's own drift)."""
    from fmcgm.vision.model import to_image
    from fmcgm.vision.pipeline import CounterfactualOptions

    opts = CounterfactualOptions(steps=steps, seed=seed, strength=0.6)
    if concept is not None:
        return pipe.counterfactual(image, values, {concept: values[concept]}, opts).image
    traj = pipe.invert(image, values, opts)
    x, _ = pipe.generate(traj[pipe._timesteps(opts)[0]], values, opts, traj, [])
    return to_image(x)


KEYS = ("success_rate", "success_large", "effectiveness_intervened_pct", "effectiveness_descendants_pct", "ghosts",
        "invariance", "psnr", "mae", "composition_1", "composition_10", "drift_1", "drift_10", "reversibility",
        "seconds_per_image",
        "cpu_seconds_per_image")


def print_visual(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"counterfactual images: {report['world']} (n={report['n']}, {report['steps']} DDIM steps)")
    t.add_column("metric")  # metrics as rows: the table stays narrow enough for a terminal
    for m, vals in report["methods"].items():
        t.add_column(f"{m} (n={vals['n']})", justify="right")
    for k in KEYS:
        t.add_row(k.replace("effectiveness_", "eff_").replace("_pct", " %").replace("_per_image", "/img"),
                  *[_fmt(vals.get(k)) for vals in report["methods"].values()])
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
    inv = report["invariance_paired"]
    console.print(f"invariance on {inv['n']} paired cases: {_fmt(inv['full'])}/255 with guidance, "
                  f"{_fmt(inv['no_guidance'])}/255 without ({_fmt(report['invariance_ratio'])}× better)")
    for w in report["worst"][:5]:
        console.print(f"worst: {w['case']}: {'ok' if w['ok'] else '; '.join(w['problems'])} ({w['paths']['side_by_side']})")
    if report.get("grid"):
        console.print(f"grid of the worst cases (factual | counterfactual | oracle | mask): {report['grid']}")


def _fmt(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.visual_eval WORLD [--shard I/K]`` runs (a shard of) the cases and writes their records;
    ``python -m evals.visual_eval WORLD --merge A.json B.jsonl ... --steps S`` summarises shards into one report."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("world", nargs="?", default="pendulum")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ablations", action="store_true")
    ap.add_argument("--baseline-every", type=int, default=1)
    ap.add_argument("--composition-n", type=int, default=10)
    ap.add_argument("--shard", default="0/1")
    ap.add_argument("--merge", nargs="*")
    ap.add_argument("--out", default="runs")
    a = ap.parse_args(argv)
    if a.merge:  # shard reports (.json) or their per-case logs (.jsonl, also of runs still going)
        records = [r for p in a.merge for r in (
            [json.loads(line) for line in Path(p).read_text().splitlines() if line.strip()] if p.endswith(".jsonl")
            else json.loads(Path(p).read_text())["records"])]
        rep = summarize(a.world, records, a.steps, f"{a.out}/{a.world}_grid.png")
        name = f"{a.out}/{a.world}_visual.json"
    else:
        i, k = (int(x) for x in a.shard.split("/"))
        rep = evaluate_visual(a.world, n=a.n, steps=a.steps, seed=a.seed, ablations=a.ablations,
                              baseline_every=a.baseline_every, composition_n=a.composition_n, shard=(i, k),
                              grid_path=f"{a.out}/{a.world}_grid.png")
        name = f"{a.out}/{a.world}_visual" + (f"_shard{i}of{k}" if k > 1 else "") + ".json"
    print_visual(rep)
    from fmcgm.outputs import write_atomic

    write_atomic(name, json.dumps(rep, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
