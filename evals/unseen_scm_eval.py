"""Counterfactual pictures for causal models the generator never saw (``fmcgm eval visual --unseen-scms K``).

K random SCMs over a world's concepts — a random DAG (a random order, each earlier concept a parent with
probability ½, at most two parents), each non-root given a random monotone mechanism from the menu of
:mod:`fmcgm.worlds.user_scm` (linear with clip, threshold, copy-with-offset where the units agree) and
additive noise (std up to 3 % of the range) — each read back through the same parser a user's ``--scm``
file goes through.  On each, stratified interventions (small < 20 % of the range, medium, large > 50 %) on
random concepts of random factual scenes of that SCM; the shipped generator, unchanged, makes the
counterfactual by abduction–action–prediction on the SCM.  A case succeeds by the rule of
``evals/visual_eval.py``: every changed concept within 10 % of its range of the SCM's counterfactual value
(or of what the renderer's own picture of that counterfactual shows, where an object leaves the frame),
the unchanged ones where they were, one of each object, nothing else.  Invariance: the mean |difference|
(0–255) from the factual picture where the renderer's pictures of factual and counterfactual agree.

Before that, what the generator can draw at all: (a) the share of independent combinations of concept
values (each uniform over its range) that have a training scene within 5 % of the range in every concept —
the training set rendered from the world's SCM with its noise and decoupling (``fmcgm.vision.train``) — set
against the same count of independent draws; (b) measured: the generator asked to draw a combination
(an intervention on every concept from a factual scene of the world), combinations drawn independently
against combinations drawn through the world's own mechanism.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

SIZES = ("small", "medium", "large")
BOUNDS = {"small": (0.05, 0.2), "medium": (0.2, 0.5), "large": (0.5, 1.0)}
MAX_NOISE = 0.03  # of the range
REPORT_KEYS = ("world", "n", "unseen_scms")


# -- random SCMs --------------------------------------------------------------------------------------------
def random_scm(world, rng: np.random.Generator) -> dict[str, Any]:
    """A random SCM over every concept of ``world`` as a ``--scm`` spec (roots uniform over their range)."""
    names = [world.names[int(i)] for i in rng.permutation(len(world.names))]
    concepts: dict[str, Any] = {}
    while True:  # at least one edge
        parents = {n: [p for p in names[:i] if rng.random() < 0.5] for i, n in enumerate(names)}
        if any(parents.values()):
            break
    for n in names:
        c = world.concept(n)
        ps = [parents[n][int(i)] for i in rng.permutation(len(parents[n]))][:2]
        if not ps:
            concepts[n] = {"mechanism": "root"}
            continue
        noise = float(rng.uniform(0, MAX_NOISE)) * c.span
        same_unit = [p for p in ps if world.concept(p).unit == c.unit]
        kinds = ["linear", "threshold"] + (["copy"] if len(ps) == 1 and same_unit else [])
        kind = kinds[int(rng.integers(len(kinds)))]
        if kind == "linear":
            w_norm = {p: float(rng.choice([-1, 1]) * rng.uniform(0.6, 1.2) / len(ps)) for p in ps}
            centre = float(rng.uniform(0.35, 0.65))  # the output (normalised) at the parents' midpoints
            weights = {p: w * c.span / world.concept(p).span for p, w in w_norm.items()}
            intercept = c.low + c.span * (centre - sum(0.5 * w for w in w_norm.values())) \
                - sum(weights[p] * world.concept(p).low for p in ps)
            concepts[n] = {"mechanism": "linear", "weights": weights, "intercept": intercept, "noise": noise}
        elif kind == "threshold":
            p = world.concept(ps[0])
            lo, hi = float(rng.uniform(0.05, 0.45)), float(rng.uniform(0.55, 0.95))
            if rng.random() < 0.5:
                lo, hi = hi, lo
            concepts[n] = {"mechanism": "threshold", "parent": p.name, "at": p.low + float(rng.uniform(0.3, 0.7)) * p.span,
                           "below": c.low + lo * c.span, "above": c.low + hi * c.span, "noise": noise}
        else:
            p = world.concept(ps[0])
            offset = (c.low + c.high) / 2 - (p.low + p.high) / 2 + float(rng.uniform(-0.3, 0.3)) * c.span
            concepts[n] = {"mechanism": "copy", "parent": p.name, "offset": offset, "noise": noise}
    return {"world": world.name, "concepts": concepts}


def interventions(world, scm_world, n: int, rng: np.random.Generator, first: int = 0) -> list[dict[str, Any]]:
    """``n`` cases on one SCM: move sizes cycling small, medium, large (from ``first``), each on a random concept
    of a random factual scene of the SCM that leaves room for such a move."""
    from evals.visual_eval import sample_move
    from fmcgm.worlds.user_scm import sample_in_range

    cases: list[dict[str, Any]] = []
    k = first
    while len(cases) < n:
        size = SIZES[k % 3]
        lo, hi = BOUNDS[size]
        for _ in range(500):
            f = sample_in_range(scm_world, rng)
            c = world.concepts[int(rng.integers(len(world.concepts)))]
            moved = sample_move(f[c.name], c, lo, hi, rng)
            if moved is None:
                continue
            cases.append({"factual": f, "concept": c.name, "value": moved[0], "move": moved[1], "size": size})
            break
        k += 1
    return cases


# -- what the generator can draw ----------------------------------------------------------------------------
def training_values(world_name: str, n: int = 20000, seed: int = 0) -> np.ndarray:
    """The concept values of the training set (normalised to [0, 1]), as ``fmcgm.vision.train`` draws them."""
    from fmcgm.vision.train import decoupled
    from fmcgm.worlds import get_world

    world = get_world(world_name, noise=get_world(world_name).train_noise)
    rng = np.random.default_rng(seed)
    share = world.decouple
    rows = [decoupled(world, world.sample(rng), share, rng) if share else world.sample(rng) for _ in range(n)]
    return _normalised(world, rows)


def _normalised(world, rows: list[dict[str, float]]) -> np.ndarray:
    return np.array([[(r[c.name] - c.low) / c.span for c in world.concepts] for r in rows])


def coverage(world_name: str, n_test: int = 5000, radius: float = 0.05, seed: int = 1,
             n_train: int = 20000) -> dict[str, float]:
    """Share of independent uniform combinations with a training combination within ``radius`` of the range in
    every concept; the same for combinations through the world's mechanism; and, as the reference, for a set
    of independent uniform draws the size of the training set."""
    from scipy.spatial import cKDTree

    from fmcgm.worlds import get_world

    world = get_world(world_name)
    train = training_values(world_name, n_train)
    rng = np.random.default_rng(seed)
    indep = rng.uniform(0, 1, (n_test, len(world.concepts)))
    through = np.clip(_normalised(world, [world.sample(rng) for _ in range(n_test)]), 0, 1)
    reference = rng.uniform(0, 1, train.shape)

    def share(points: np.ndarray, pool: np.ndarray) -> float:
        d, _ = cKDTree(pool).query(points, p=np.inf)
        return float((d <= radius).mean())

    return {"independent": share(indep, train), "mechanism": share(through, train),
            "independent_vs_uniform_training": share(indep, reference), "radius": radius, "n_train": len(train)}


def drawable(pipe, world, n: int, seed: int, steps: int) -> dict[str, Any]:
    """The generator asked to draw ``n`` combinations drawn independently and ``n`` drawn through the world's
    mechanism (every concept intervened on, from a factual scene of the world): the share checked right."""
    from fmcgm.vision.check import check_counterfactual
    from fmcgm.vision.pipeline import CounterfactualOptions

    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for mode in ("independent", "mechanism"):
        oks = []
        for i in range(n):
            f = world.sample(rng)
            target = ({c.name: float(rng.uniform(c.low, c.high)) for c in world.concepts} if mode == "independent"
                      else world.sample(rng))
            img = world.render(f, pipe.model.cfg.size)
            res = pipe.counterfactual(img, f, target, CounterfactualOptions(steps=steps, seed=seed + i))
            chk = check_counterfactual(world, res.image, target, res.changed, factual_image=img)
            oks.append(chk.ok)
        out[mode] = {"n": n, "success_rate": float(np.mean(oks)) if oks else None}
    return out


# -- the benchmark ------------------------------------------------------------------------------------------
class Checkpoint:
    """A run's finished cases on disk, so an interrupted run resumes where it stopped: ``config.json`` (the
    run's settings; a folder of another run is refused), ``cases.jsonl`` (one record a line, appended as each
    case finishes) and ``case_I.npz`` (its factual, counterfactual and renderer pictures, for the grid).
    The cases are drawn from the seed before any picture is made, so skipping finished ones draws the same rest."""

    def __init__(self, folder: str | Path, config: dict[str, Any]):
        from fmcgm.errors import ConfigError

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        cfg = self.folder / "config.json"
        if cfg.is_file():
            old = json.loads(cfg.read_text())
            if old != config:
                diff = ", ".join(f"{key} {old.get(key)!r} (now {config.get(key)!r})" for key in config
                                 if old.get(key) != config.get(key))
                raise ConfigError(f"checkpoint folder {self.folder} belongs to another run: {diff}",
                                  "give a new folder to --checkpoint, or the settings of that run")
        else:
            cfg.write_text(json.dumps(config, indent=2))
        self.records: dict[int, dict[str, Any]] = {}
        lines = self.folder / "cases.jsonl"
        if lines.is_file():
            for line in lines.read_text().splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:  # a line cut off by the interruption: that case runs again
                    continue
                if (self.folder / f"case_{rec['index']}.npz").is_file():
                    self.records[rec["index"]] = rec

    def load(self, index: int) -> dict[str, Any] | None:
        rec = self.records.get(index)
        if rec is None:
            return None
        with np.load(self.folder / f"case_{index}.npz") as z:
            images = (z["factual"], z["counterfactual"], z["renderer"])
        return {**rec, "_images": images}

    def save(self, rec: dict[str, Any]) -> None:
        img, out, oracle = rec["_images"]
        np.savez_compressed(self.folder / f"case_{rec['index']}.npz", factual=img, counterfactual=out, renderer=oracle)
        plain = {k: v for k, v in rec.items() if not k.startswith("_")}
        with open(self.folder / "cases.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(plain) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def extra(self, name: str, make):
        """A part of the report computed once (e.g. the drawable share), kept in ``NAME.json``."""
        path = self.folder / f"{name}.json"
        if path.is_file():
            return json.loads(path.read_text())
        value = make()
        path.write_text(json.dumps(value))
        return value


def evaluate_unseen(world_name: str, k: int, per_scm: int = 4, seed: int = 0, steps: int = 20,
                    grid_path: str | Path | None = None, drawable_n: int = 6, retries: bool = True,
                    console: Console | None = None, checkpoint: str | Path | None = None) -> dict[str, Any]:
    import torch

    from fmcgm.vision.check import check_counterfactual
    from fmcgm.vision.pipeline import CounterfactualOptions
    from fmcgm.vision.render import RETRIES, pipeline_for, retry_strength
    from fmcgm.worlds import get_world
    from fmcgm.worlds.user_scm import parse_scm, with_scm

    console = console or Console(stderr=True)
    torch.set_num_threads(1)  # measured: torch's worker threads on shared cores cost 20× (see render.idle_torch_threads)
    world = get_world(world_name)
    base = pipeline_for(world.name)
    size = base.model.cfg.size
    rng = np.random.default_rng(seed)
    t_start = time.perf_counter()
    report: dict[str, Any] = {"world": world.name, "unseen_scms": k, "per_scm": per_scm, "steps": steps, "seed": seed}
    ckpt = Checkpoint(checkpoint, {**report, "retries": retries, "drawable_n": drawable_n}) if checkpoint else None
    report["coverage"] = coverage(world.name)
    records: list[dict[str, Any]] = []
    scms = []
    with Progress(TextColumn(f"[bold]unseen SCMs {world.name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task("eval", total=k * per_scm + (2 * drawable_n if drawable_n else 0))
        if drawable_n:
            def draw():
                return drawable(base, world, drawable_n, seed + 1000, steps)
            report["drawable"] = ckpt.extra("drawable", draw) if ckpt else draw()
            bar.advance(task, 2 * drawable_n)
        for s in range(k):
            spec = random_scm(world, rng)
            user = parse_scm(spec, world, source=f"random SCM {s}")
            scm_world = with_scm(world, user)
            pipe = base.for_world(scm_world)
            scms.append({"index": s, "mechanisms": user.describe(),
                         "edges": sorted(scm_world.graph().edges)})
            for j, case in enumerate(interventions(world, scm_world, per_scm, rng, first=s)):
                i = s * per_scm + j
                done = ckpt.load(i) if ckpt else None
                if done is not None:
                    records.append(done)
                    bar.advance(task)
                    continue
                f, do = case["factual"], {case["concept"]: case["value"]}
                img = world.render(f, size)
                cf = scm_world.counterfactual(f, do)
                oracle = world.render(cf, size)
                same = np.all(oracle == img, axis=-1)
                t0 = time.perf_counter()
                res = pipe.counterfactual(img, f, do, CounterfactualOptions(steps=steps, seed=seed + i))
                seconds = time.perf_counter() - t0
                chk = check_counterfactual(scm_world, res.image, cf, res.changed, factual_image=img)
                first_ok, best, attempts = chk.ok, (chk, res), 1
                for r_i, retry in enumerate(RETRIES if retries else (), 1):
                    if chk.ok:
                        break
                    r = pipe.counterfactual(img, f, do, CounterfactualOptions(
                        steps=steps, seed=seed + i + r_i, strength=retry_strength(retry, res.strength),
                        guidance_scale=retry["guidance_scale"]))
                    attempts += 1
                    chk = check_counterfactual(scm_world, r.image, cf, res.changed, factual_image=img)
                    if chk.ok or len(chk.problems) < len(best[0].problems):
                        best = (chk, r)
                chk, final = best
                seconds_total = time.perf_counter() - t0
                label = f"SCM {s}: {case['concept']}={case['value']:.3g} (move {case['move'] * 100:.0f}%)"
                records.append({
                    "scm": s, "index": i, "case": label, "concept": case["concept"], "size": case["size"],
                    "move": case["move"], "changed": res.changed, "ok_first": first_ok, "ok": chk.ok,
                    "attempts": attempts, "problems": chk.problems, "objects": chk.objects,
                    "ghost": any(v > 1 for v in chk.objects.values()),
                    "invariance": float(np.abs(final.image.astype(float) - img.astype(float))[same].mean())
                    if same.any() else None,
                    "mae_vs_oracle": float(np.abs(final.image.astype(float) - oracle.astype(float)).mean()),
                    "worst_error_pct": max((c.error_pct if c.error_pct is not None else 100.0 for c in chk.concepts),
                                           default=0.0),
                    "seconds": seconds, "seconds_total": seconds_total, "factual": dict(f), "counterfactual": dict(cf),
                    "_images": (img, final.image, oracle)})
                if ckpt:
                    ckpt.save(records[-1])
                bar.advance(task)
    report["scms"] = scms
    report.update(summarize(world, records))
    report["wall_seconds"] = time.perf_counter() - t_start
    if grid_path:
        report["grid"] = str(save_grid(world, records, grid_path))
    report["records"] = [{k2: v for k2, v in r.items() if not k2.startswith("_")} for r in records]
    return report


def summarize(world, records: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(rows, key="ok"):
        return float(np.mean([r[key] for r in rows])) if rows else None

    def mean(vals):
        vals = [v for v in vals if v is not None and not (isinstance(v, float) and math.isnan(v))]
        return float(np.mean(vals)) if vals else None

    by_scm = {}
    for s in sorted({r["scm"] for r in records}):
        rows = [r for r in records if r["scm"] == s]
        by_scm[str(s)] = {"n": len(rows), "success_rate": rate(rows), "success_first": rate(rows, "ok_first")}
    by_size = {z: {"n": len([r for r in records if r["size"] == z]),
                   "success_rate": rate([r for r in records if r["size"] == z]),
                   "success_first": rate([r for r in records if r["size"] == z], "ok_first")} for z in SIZES}
    by_support = _by_support(world, records)
    return {"n": len(records), "success_rate": rate(records), "success_first": rate(records, "ok_first"),
            "by_size": by_size, "by_scm": by_scm, **({"by_support": by_support} if by_support else {}),
            "ghosts": rate(records, "ghost"),
            "invariance": mean([r["invariance"] for r in records]),
            "mae_vs_oracle": mean([r["mae_vs_oracle"] for r in records]),
            "attempts": mean([r["attempts"] for r in records]),
            "seconds_per_image": mean([r["seconds"] for r in records]),
            "seconds_per_case": mean([r.get("seconds_total") for r in records]),
            "worst": [{"case": r["case"], "ok": r["ok"], "problems": r["problems"]}
                      for r in _worst(records)]}


SUPPORT_RADIUS = 0.05  # of each range, as in coverage()


def _by_support(world, records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Success split by whether the counterfactual's combination of concept values has a training scene within
    ``SUPPORT_RADIUS`` of every range (the generator saw something like it) or not; each record gets its distance
    (the largest per-concept gap to the nearest training scene, as a share of the range)."""
    from scipy.spatial import cKDTree

    rows = [r for r in records if r.get("counterfactual")]
    if not rows:
        return None
    tree = cKDTree(training_values(world.name))
    d, _ = tree.query(_normalised(world, [r["counterfactual"] for r in rows]), p=np.inf)
    for r, dist in zip(rows, d, strict=True):
        r["support_distance"] = float(dist)
    out = {}
    for part, keep in (("inside", lambda r: r["support_distance"] <= SUPPORT_RADIUS),
                       ("outside", lambda r: r["support_distance"] > SUPPORT_RADIUS)):
        sel = [r for r in rows if keep(r)]
        out[part] = {"n": len(sel), "success_rate": float(np.mean([r["ok"] for r in sel])) if sel else None,
                     "success_first": float(np.mean([r["ok_first"] for r in sel])) if sel else None}
    return {"radius": SUPPORT_RADIUS, **out}


def _worst(records: list[dict[str, Any]], n: int = 8) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["ok"], -r["worst_error_pct"]))[:n]


GRID_CASES = 12  # the worst cases in the grid
GRID_ACROSS = 2  # cases side by side


def save_grid(world, records: list[dict[str, Any]], path: str | Path) -> Path:
    """The worst cases in one PNG, two a row: factual | counterfactual (the generator) | the renderer's picture of
    the same counterfactual; the changed values in blue and the check's whole verdict (``figures.verdict``, as
    under every counterfactual the project draws) under the generator's picture."""
    from fmcgm.vision.figures import CHANGED, Line, column, panel, row, save, value_lines, verdict

    n = len(world.concepts) + 1
    cases = []
    for r in _worst(records, GRID_CASES):
        img, out, oracle = r["_images"]
        f, cf, changed = r["factual"], r["counterfactual"], r["changed"]
        cf_lines: list[str | Line] = [Line(line, CHANGED) if line.startswith("*") else line
                                      for line in value_lines(cf, world, changed)]
        cf_lines.append(verdict({"ok": r["ok"], "objects": r["objects"], "problems": r["problems"]}))
        where = (f", {r['support_distance']:.0%} from training" if r.get("support_distance") is not None else "")
        cases.append(row([panel(img, "factual", value_lines(f, world), side=160, n_lines=n),
                          panel(out, "counterfactual", cf_lines, side=160, n_lines=n),
                          panel(oracle, "renderer", [f"SCM {r['scm']}", f"do {r['concept']}",
                                                     f"move {r['move']:.0%}{where}"], side=160, n_lines=n)]))
    rows = [row(cases[k:k + GRID_ACROSS], gap=24) for k in range(0, len(cases), GRID_ACROSS)]
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    save(column(rows, gap=16), p)
    return p


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.2f}"


def print_unseen(rep: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    cov = rep["coverage"]
    console.print(f"{rep['world']}: independent combinations with a training scene within {cov['radius']:.0%} of "
                  f"every range: {cov['independent']:.0%} (through the world's mechanism {cov['mechanism']:.0%}; "
                  f"{cov['n_train']} independent draws would cover {cov['independent_vs_uniform_training']:.0%})")
    if "drawable" in rep:
        d = rep["drawable"]
        console.print(f"drawn right by the generator (every concept set): independent combinations "
                      f"{_fmt(d['independent']['success_rate'])} (n={d['independent']['n']}), through the mechanism "
                      f"{_fmt(d['mechanism']['success_rate'])} (n={d['mechanism']['n']})")
    t = Table(title=f"unseen SCMs: {rep['world']} ({rep['unseen_scms']} SCMs × {rep['per_scm']} interventions, "
                    f"{rep['steps']} DDIM steps)")
    for col in ("", "n", "checked", "first pass"):
        t.add_column(col, justify="right")
    for z, v in rep["by_size"].items():
        t.add_row(z, str(v["n"]), _fmt(v["success_rate"]), _fmt(v["success_first"]))
    for s, v in rep["by_scm"].items():
        t.add_row(f"SCM {s}", str(v["n"]), _fmt(v["success_rate"]), _fmt(v["success_first"]))
    for part, v in (rep.get("by_support") or {}).items():
        if part != "radius":
            t.add_row(f"{part} training support", str(v["n"]), _fmt(v["success_rate"]), _fmt(v["success_first"]))
    t.add_row("all", str(rep["n"]), _fmt(rep["success_rate"]), _fmt(rep["success_first"]))
    console.print(t)
    console.print(f"ghosts {_fmt(rep['ghosts'])}, invariance {_fmt(rep['invariance'])}/255, L1 to the renderer's "
                  f"picture {_fmt(rep['mae_vs_oracle'])}/255, attempts {_fmt(rep['attempts'])}, "
                  f"{_fmt(rep['seconds_per_image'])} s an image")
    for s in rep["scms"]:
        console.print(f"SCM {s['index']}: " + "; ".join(s["mechanisms"]), soft_wrap=True)
    for w in rep["worst"][:5]:
        console.print(f"worst: {w['case']}: {'ok' if w['ok'] else '; '.join(w['problems'])}", soft_wrap=True)
    if rep.get("grid"):
        console.print(f"grid of the worst cases (factual | counterfactual | renderer): {rep['grid']}")


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One report from runs with different seeds (their SCMs renamed "RUN.SCM"; the drawable shares pooled)."""
    from fmcgm.worlds import get_world

    worlds = {r["world"] for r in reports}
    if len(worlds) != 1:
        raise ValueError(f"reports of different worlds: {sorted(worlds)}")
    world = get_world(worlds.pop())
    records = [{**rec, "scm": f"{i}.{rec['scm']}",
                "case": rec["case"].replace(f"SCM {rec['scm']}:", f"SCM {i}.{rec['scm']}:", 1)}
               for i, r in enumerate(reports) for rec in r["records"]]
    out: dict[str, Any] = {"world": world.name, "unseen_scms": sum(r["unseen_scms"] for r in reports),
                           "per_scm": reports[0]["per_scm"], "steps": reports[0]["steps"],
                           "coverage": reports[0]["coverage"],
                           "scms": [{**s, "index": f"{i}.{s['index']}"} for i, r in enumerate(reports) for s in r["scms"]]}
    if all("drawable" in r for r in reports):
        out["drawable"] = {}
        for mode in ("independent", "mechanism"):
            n = sum(r["drawable"][mode]["n"] for r in reports)
            hits = sum(r["drawable"][mode]["n"] * (r["drawable"][mode]["success_rate"] or 0.0) for r in reports)
            out["drawable"][mode] = {"n": n, "success_rate": hits / n if n else None}
    out.update(summarize(world, records))
    out["records"] = records
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.unseen_scm_eval --merge A.json B.json --json OUT``: runs with different seeds as one."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description="merge unseen-SCM reports")
    ap.add_argument("--merge", nargs="+", required=True)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    rep = merge([json.loads(Path(p).read_text()) for p in a.merge])
    print_unseen(rep)
    if a.json:
        Path(a.json).write_text(json.dumps(rep, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
