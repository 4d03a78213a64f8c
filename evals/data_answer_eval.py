"""End-to-end: only a CSV and a yes/no question — does the agent answer right, decline right, and cover the truth?

Simulated structural models with known effects (linear-Gaussian and binary), in three
kinds of case: the data determine the answer (the treatment's edges are oriented by
colliders), the equivalence class leaves it open (a reversible edge at the treatment),
and no effect (the outcome is a cause, or unrelated); plus a nonlinear pair that only additive-noise
asymmetry orients (asked both ways).  Scores: correct verdicts where
determined, "not determined" where open, and the truth inside the agent's own 95% CI.

    python -m evals.data_answer_eval [--seeds 3] [--json OUT]
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import track
from rich.table import Table

Case = tuple[str, Callable[[np.random.Generator, int], tuple[pd.DataFrame, float]], str, str | None]


def _collider(rng, n):
    b = rng.uniform(0.3, 1.0) * rng.choice([-1, 1])
    x, w = rng.normal(size=n), rng.normal(size=n)
    y = b * x + 0.8 * w + rng.normal(size=n)
    return pd.DataFrame({"exercise": x, "genes": w, "blood_pressure": y, "headache": 0.7 * y + rng.normal(size=n)}), b


def _confounded(rng, n):
    b = rng.uniform(0.3, 1.0) * rng.choice([-1, 1])
    z1, z2 = rng.normal(size=n), rng.normal(size=n)
    x = 0.8 * z1 + 0.8 * z2 + rng.normal(size=n)
    y = b * x + 0.9 * z1 + rng.normal(size=n)
    return pd.DataFrame({"age": z1, "income": z2, "wet_pavement": x, "slipping": y}), b


def _binary(rng, n):
    p1 = rng.uniform(0.25, 0.4)
    x, w = rng.random(n) < 0.5, rng.random(n) < 0.5
    y = rng.random(n) < 0.1 + p1 * x + 0.4 * w
    return pd.DataFrame({"smoking": x, "genes": w, "cancer": y}).astype(int), p1


def _open(rng, n):
    a = rng.normal(size=n)
    return pd.DataFrame({"rain": a, "wet_grass": rng.uniform(0.5, 1) * a + rng.normal(size=n)}), float("nan")


def _reverse(rng, n):
    df, _ = _collider(rng, n)
    return df, 0.0


def _unrelated(rng, n):
    x, w = rng.normal(size=n), rng.normal(size=n)
    return pd.DataFrame({"coffee": x, "height": rng.normal(size=n), "mood": 0.8 * x + 0.8 * w + rng.normal(size=n),
                         "sleep": w}), 0.0


def _nonlinear(rng, n):
    # x -> y with y = x³ + uniform noise: one edge, so only additive-noise asymmetry can orient it; the
    # effect is not one number (a linear fit summarises it), so only the verdict is scored
    x = rng.uniform(0, 2, n)
    return pd.DataFrame({"fertilizer": x, "crop_yield": x ** 3 + rng.uniform(0, 3, n)}), float("nan")


CASES: list[Case] = [
    ("collider-oriented, linear", _collider, "Does exercise affect blood pressure?", "yes"),
    ("confounded, oriented by a collider", _confounded, "Does wet pavement affect slipping?", "yes"),
    ("binary, counts", _binary, "Does smoking increase cancer?", "yes"),
    ("reversible edge (open class)", _open, "Does rain affect wet grass?", None),
    ("outcome is the cause", _reverse, "Does headache affect blood pressure?", "no"),
    ("unrelated", _unrelated, "Does height affect mood?", "no"),
    ("nonlinear pair, additive noise", _nonlinear, "Does fertilizer affect crop yield?", "yes"),
    ("nonlinear pair, asked backwards", _nonlinear, "Does crop yield affect fertilizer?", "no"),
]


def _ci(text: str) -> tuple[float, float] | None:
    m = re.search(r"CI (-?[\d.]+) to (-?[\d.]+)", text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def evaluate(seeds: int = 3, n: int = 2000) -> dict[str, Any]:
    from agent.configuration import Settings
    from agent.graph import build_graph, run_question

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(c, s) for c in CASES for s in range(seeds)]
        for (name, make, question, expected), seed in track(jobs, description="questions"):
            rng = np.random.default_rng(seed)
            df, truth = make(rng, n)
            path = Path(tmp) / f"{seed}.csv"
            df.to_csv(path, index=False)
            st = Settings(data_path=str(path), trace_db=str(Path(tmp) / "t.sqlite"))
            ans = run_question(question, settings=st, app=build_graph(settings=st))["answer"]
            ci = _ci(ans.get("text") or "")
            covered = None if expected is None or ci is None or np.isnan(truth) else bool(ci[0] <= truth <= ci[1])
            rows.append({"case": name, "seed": seed, "expected": expected, "answer": ans.get("answer"),
                         "correct": ans.get("answer") == expected and not ans.get("error"),
                         "value": ans.get("value"), "truth": None if np.isnan(truth) else truth,
                         "ci": ci, "covered": covered, "error": ans.get("error")})
    cov = [r["covered"] for r in rows if r["covered"] is not None]
    return {"rows": rows, "accuracy": sum(r["correct"] for r in rows) / len(rows),
            "coverage": sum(cov) / len(cov) if cov else None}


def print_report(rep: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title="answers from data alone")
    for c in ("case", "seed", "expected", "answer", "value", "truth", "95% CI", "ok"):
        t.add_column(c)
    for r in rep["rows"]:
        t.add_row(r["case"], str(r["seed"]), str(r["expected"]), str(r["answer"]),
                  "—" if r["value"] is None else f"{r['value']:.3f}", "—" if r["truth"] is None else f"{r['truth']:.3f}",
                  "—" if not r["ci"] else f"[{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]", "✓" if r["correct"] else "✗")
    console.print(t)
    console.print(f"verdicts right: {rep['accuracy']:.0%}; truth inside the agent's CI: "
                  + ("—" if rep["coverage"] is None else f"{rep['coverage']:.0%}"))


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    report = evaluate(a.seeds)
    print_report(report)
    if a.json:
        a.json.write_text(json.dumps(report, indent=1))
