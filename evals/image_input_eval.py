"""The user's own image: rendered, saved as a PNG at display size, then read back as a user's file would be.

Each case runs the product path of ``fmcgm render --image PNG``: the file is loaded (box-downsampled
to the model's size), the CNN concept extractor reads the factual values, abduction inverts the
image, the SCM gives the counterfactual of the *extracted* values, the self-check and its retries
run.  Scored twice: against what the tool claims (the counterfactual of the extracted values) and
against the truth (the counterfactual of the values the scene was drawn from) — the second also
charges the extractor's errors.  Cases are the visual benchmark's stratified ones.

    python -m evals.image_input_eval pendulum [--n 60] [--steps 20] [--size 256] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from rich.console import Console
from rich.progress import track
from rich.table import Table

from evals.visual_eval import stratified_cases
from fmcgm.vision.check import TOLERANCE_PCT


def evaluate(world_name: str, n: int = 60, steps: int = 20, size: int = 256, seed: int = 0) -> dict[str, Any]:
    from fmcgm.vision.render import render_counterfactual
    from fmcgm.vision.scene import NotAScene
    from fmcgm.worlds import get_world

    world = get_world(world_name)
    cases = stratified_cases(world, n, seed, get_world(world_name, noise=0.5))
    order = [int(j) for j in np.random.default_rng(seed).permutation(len(cases))[:n]]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in track(order, description=f"{world_name}: own images"):
            case = cases[i]
            path = Path(tmp) / f"scene_{i}.png"
            Image.fromarray(world.render(case.factual, size)).save(path)
            try:
                r = render_counterfactual(world_name, {case.concept: case.value}, image=str(path), steps=steps,
                                          seed=seed + i, out_dir="image_input_eval")
            except NotAScene as e:  # the gate before abduction refused a rendered scene: a miss, said so
                rows.append({"case": case.label(), "size": case.size, "claimed_ok": False, "true_ok": False,
                             "refused": e.message, "true_err_pct": {}, "extractor_err_pct": {}, "attempts": 0})
                continue
            truth = world.counterfactual(case.factual, {case.concept: case.value})
            changed = [c for c in world.names if c == case.concept or abs(truth[c] - case.factual[c]) > 1e-3]
            true_err = {c: abs(r.measured.get(c, float("nan")) - truth[c]) / world.concept(c).span * 100 for c in changed}
            extract_err = {c: abs(r.factual_values[c] - case.factual[c]) / world.concept(c).span * 100 for c in world.names}
            objects_ok = all(v == 1 for v in r.check["objects"].values())
            rows.append({"case": case.label(), "size": case.size, "claimed_ok": r.ok,
                         "true_ok": objects_ok and all(np.isfinite(e) and e <= TOLERANCE_PCT for e in true_err.values()),
                         "true_err_pct": true_err, "extractor_err_pct": extract_err, "attempts": len(r.attempts)})
    def rate(key: str, sel=lambda r: True) -> float | None:
        xs = [r[key] for r in rows if sel(r)]
        return sum(xs) / len(xs) if xs else None

    return {"world": world_name, "n": len(rows), "steps": steps, "png_size": size,
            "success_claimed": rate("claimed_ok"), "success_true": rate("true_ok"),
            "success_true_large": rate("true_ok", lambda r: r["size"] == "large"),
            "refused": sum(1 for r in rows if r.get("refused")),
            "extractor_err_pct": {c: float(np.mean([r["extractor_err_pct"][c] for r in rows if c in r["extractor_err_pct"]]
                                                   or [float("nan")])) for c in world.names},
            "rows": rows}


def print_report(rep: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"{rep['world']}: {rep['n']} rendered-then-saved PNGs ({rep['png_size']} px), {rep['steps']} steps")
    for c in ("success (vs extracted factual)", "success (vs true factual)", "large moves (vs true)",
              "extractor error, % of range"):
        t.add_column(c)
    pct = lambda x: "—" if x is None else f"{x:.1%}"  # noqa: E731
    t.add_row(pct(rep["success_claimed"]), pct(rep["success_true"]), pct(rep["success_true_large"]),
              ", ".join(f"{k} {v:.1f}" for k, v in rep["extractor_err_pct"].items()))
    console.print(t)
    for r in rep["rows"]:
        if r.get("refused"):
            console.print(f"  refused: {r['case']}: {r['refused']}")
        elif not r["true_ok"]:
            console.print(f"  off: {r['case']}: " + ", ".join(f"{k} {v:.1f}%" for k, v in r["true_err_pct"].items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("world")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--size", type=int, default=256, help="side of the saved PNG")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    rep = evaluate(a.world, a.n, a.steps, a.size)
    print_report(rep)
    if a.json:
        a.json.write_text(json.dumps(rep, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
