"""Discovery benchmark: bnlearn networks shipped with pgmpy, and the visual worlds read from images.

Rows per (dataset, n): PC, GES and FCI alone; our pipeline with critique (no knowledge);
our pipeline with a simulated knowledge source correct with probability q.  Scores are
against the true DAG (see :mod:`fmcgm.discovery.metrics`).  GES in causal-learn is pure
Python and slow on the larger networks: it runs in a child process with a time limit and
a run that exceeds it is reported as a timeout row (scores null).

    python -m evals.discovery_eval [--networks asia,sachs] [--n 1000] [--json OUT]
"""

from __future__ import annotations

import json
import multiprocessing as mp
import time
import warnings
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from fmcgm.discovery import images, knowledge, metrics, networks, pipeline, search
from fmcgm.discovery.table import DataError, Table, from_frame
from fmcgm.outputs import write_atomic

WORLDS = ("pendulum", "flow")
QS = (1.0, 0.9, 0.7)
ALPHA = 0.01
REPORT_KEYS = ("rows", "alpha", "seed")  # what a report of this benchmark has (an existing file is replaced only then)


def _ges_child(table: Table, queue) -> None:
    warnings.simplefilter("ignore")
    queue.put(search.run(table, "ges", ALPHA).model_dump())


def _ges(table: Table, limit: float):
    """GES in a child process; None when it runs past ``limit`` seconds."""
    from fmcgm.discovery.pdag import DiscoveredGraph

    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_ges_child, args=(table, q), daemon=True)
    p.start()
    try:
        return DiscoveredGraph.model_validate(q.get(timeout=limit))
    except Exception:  # noqa: BLE001 - queue.Empty on timeout, or the child died
        return None
    finally:
        p.kill()
        p.join()


def _dataset(name: str, n: int, seed: int) -> tuple[Table, list[tuple[str, str]], search.Test]:
    if name in WORLDS:
        if n > 2000:
            raise DataError(f"the {name} world is read from at most 2,000 images (asked {n})", "use --n 2000 or less")
        # the CNN concept extractor: the one that reads a user's images (the geometric measurer's level reading
        # depends on the measured ball, an error the tests can see; both are compared in the README)
        return images.image_table(name, n, seed, extractor="cnn"), images.world_edges(name), "kci"
    return from_frame(networks.sample(name, n, seed), name), networks.true_edges(name), "auto"


def run_cell(name: str, n: int, seed: int = 0, ges_limit: float = 300.0, on_row=None) -> list[dict[str, Any]]:
    table, truth, test = _dataset(name, n, seed)
    rows = []

    def add(method: str, q: float | None, graph, seconds: float) -> None:
        sc = metrics.score(graph, truth).to_dict() if graph is not None else dict.fromkeys(
            ("shd", "precision", "recall", "f1_skeleton", "f1_oriented"))
        row = {"dataset": name, "n": n, "method": method, "q": q, **sc, "seconds": round(seconds, 2),
               "status": "ok" if graph is not None else f"timeout after {ges_limit:.0f}s"}
        rows.append(row)
        if on_row:
            on_row(row)

    for method in ("pc", "fci"):
        t0 = time.perf_counter()
        # the PC row is the library's textbook PC (colliders from one separating set); the pipeline runs ours
        add(method.upper(), None, search.run(table, method, ALPHA, test, orientation="causal-learn"),
            time.perf_counter() - t0)
    t0 = time.perf_counter()
    add("GES", None, _ges(table, ges_limit), time.perf_counter() - t0)
    t0 = time.perf_counter()
    add("pipeline", None, pipeline.discover(table, "pc", ALPHA, test).graph, time.perf_counter() - t0)
    for q in QS:
        t0 = time.perf_counter()
        k = knowledge.gather(table.names, knowledge.SimulatedKnowledge(truth, q, seed))
        add("pipeline+knowledge", q, pipeline.discover(table, "pc", ALPHA, test, knowledge=k).graph,
            time.perf_counter() - t0)
    return rows


def evaluate(datasets: list[str], ns: list[int], seed: int = 0, ges_limit: float = 300.0,
             json_out: Path | None = None, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    shipped = networks.shipped()
    notes = [f"bnlearn network {d!r} is not shipped with the installed pgmpy; skipped"
             for d in datasets if d not in WORLDS and d not in shipped]
    for line in notes:
        console.print(f"[yellow]{line}[/]")
    cells = [(d, n) for d in datasets if d in WORLDS or d in shipped
             for n in (ns if d not in WORLDS else [min(n, 2000) for n in ns])]
    cells = list(dict.fromkeys(cells))
    report: dict[str, Any] = {"rows": [], "notes": notes, "alpha": ALPHA, "seed": seed}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as prog:
        task = prog.add_task("discovery", total=len(cells) * (4 + len(QS)))

        def on_row(row: dict) -> None:
            report["rows"].append(row)
            prog.update(task, advance=1, description=f"{row['dataset']} n={row['n']} {row['method']}")
            if json_out:  # checkpoint: a long run keeps what it has finished (a reader never sees half a file)
                write_atomic(json_out, json.dumps(report, indent=1))

        for d, n in cells:
            prog.update(task, description=f"{d} n={n}: sampling")
            run_cell(d, n, seed, ges_limit, on_row)
    return report


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = RichTable(title=f"causal discovery (alpha={report['alpha']}; scores against the true DAG)")
    for c in ("dataset", "n", "method", "q", "SHD", "prec", "rec", "F1 skel", "F1 orient", "s"):
        t.add_column(c, justify="right" if c not in ("dataset", "method") else "left")
    fmt = lambda v: "—" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)  # noqa: E731
    for r in report["rows"]:
        t.add_row(r["dataset"], str(r["n"]), r["method"], fmt(r["q"]), fmt(r["shd"]), fmt(r["precision"]),
                  fmt(r["recall"]), fmt(r["f1_skeleton"]), fmt(r["f1_oriented"]), f"{r['seconds']:.1f}")
    console.print(t)
    for line in report.get("notes", []):
        console.print(line)


def plot(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """F1 (oriented) against n per method, and against q for the knowledge pipeline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [r for r in report["rows"] if r["f1_oriented"] is not None]
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    paths = []
    fig, axes = plt.subplots(1, len(datasets), figsize=(3.2 * len(datasets), 3), squeeze=False)
    for ax, d in zip(axes[0], datasets, strict=True):
        for label in dict.fromkeys(_label(r) for r in rows if r["dataset"] == d):
            pts = sorted((r["n"], r["f1_oriented"]) for r in rows if r["dataset"] == d and _label(r) == label)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        ax.set_xscale("log")
        ax.set_title(d)
        ax.set_xlabel("n")
        ax.set_ylim(0, 1.02)
    axes[0][0].set_ylabel("oriented-edge F1")
    axes[0][-1].legend(fontsize=6)
    fig.tight_layout()
    paths.append(out_dir / "discovery_f1_vs_n.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for d in datasets:
        n_max = max(r["n"] for r in rows if r["dataset"] == d)
        pts = sorted((r["q"], r["f1_oriented"]) for r in rows
                     if r["dataset"] == d and r["n"] == n_max and r["q"] is not None)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{d} (n={n_max})")
    ax.set_xlabel("knowledge accuracy q")
    ax.set_ylabel("oriented-edge F1")
    ax.legend(fontsize=6)
    fig.tight_layout()
    paths.append(out_dir / "discovery_f1_vs_q.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths


def _label(r: dict) -> str:
    return r["method"] + (f" q={r['q']}" if r["q"] is not None else "")


def main(networks_arg: str | None = None, n: int | None = None, json_out: Path | None = None,
         plots: Path = Path("runs"), ges_limit: float = 300.0, seed: int = 0) -> dict[str, Any]:
    console = Console()
    datasets = networks_arg.split(",") if networks_arg else [*networks.BNLEARN, *WORLDS]
    ns = [n] if n else [1000, 10000]
    report = evaluate([d.strip() for d in datasets if d.strip()], ns, seed, ges_limit, json_out, console)
    print_report(report, console)
    for p in plot(report, plots):
        console.print(f"plot: {p}")
    return report


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--networks")
    ap.add_argument("--n", type=int)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--ges-limit", type=float, default=300.0)
    a = ap.parse_args()
    main(a.networks, a.n, a.json, ges_limit=a.ges_limit)
