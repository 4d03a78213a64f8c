"""Speed of answers from data (``fmcgm eval perf --data``): seconds per stage on tall and wide tables, and the verdicts.

The issue's targets: a question over 200,000 rows × 4 columns answered in ≤ 10 s, over 50 columns (× 1,000–5,000
rows) in ≤ 60 s with progress lines, and the budget and what it cut said.  Each case draws a random SCM of one
kind (binary, continuous linear or nonlinear, mixed; :func:`evals.data_answers_bench.random_scm`), samples it, shuffles the
columns and asks two questions — one about an ancestor pair, one about a non-ancestor pair — exactly as
``fmcgm ask --data`` would (the agent end to end, in this process, with the caches of the table and its tests
emptied before each question).  Every answer is graded against the model's truth
(:func:`evals.data_answers_bench.grade`: right / not determined / declined / WRONG / miss): speed must never be
bought with a confident wrong answer.

Stages (wall seconds, exclusive: a stage's time excludes the stages called inside it):

* ``load`` — reading and checking the file (:func:`fmcgm.discovery.table.load_table`);
* ``search`` — PC's searches, the first and each repair's (:func:`fmcgm.discovery.search.run`), with building
  the test object;
* ``critique`` — the implied independences tested, the repairs chosen, and the agent's own critique;
* ``orient`` — the additive-noise test of open edges (continuous tables);
* ``stability`` — the discovery rerun on random halves of the rows (everything inside it);
* ``estimate`` — the effect under every graph the data allow, with its bootstrap;
* ``other`` — the rest (the agent's nodes, reading the question, the answer's text).

``gap`` is the longest silence between two progress lines (from the start to the first, and from the last to the
answer); ``cut`` counts what the time budget or the table's size cut (said in the answer).  Seeds 4100–4199
are this benchmark's and are used nowhere else; the first cases' imports are warmed before timing (start-up is
``fmcgm eval perf --startup``'s).  ``--cli`` also times each question as a fresh ``fmcgm ask`` process.

    fmcgm eval perf --data [--quick] [--cli] [--json OUT]
    python -m evals.data_speed_bench [--quick] [--cli] [--json OUT]
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from evals.rows_file import save_rows
from fmcgm.vocabulary import Outcome

ROOT = Path(__file__).resolve().parents[1]
SEED_BASE = 4100  # this benchmark's seeds: 4100-4199 (used by no other benchmark or test)
TARGET_TALL_S = 10.0  # 200,000 rows x 4 columns
TARGET_WIDE_S = 60.0  # 50 columns
STAGES = ("load", "search", "critique", "orient", "stability", "estimate", "other")
WHY_CHARS = 400  # a decline's reason, shortened in the rows (a wide table's conflicts run to 20,000 characters)
MAX_ENUMERATED = 16  # an all-binary model with more variables gets its truth by Monte Carlo


@dataclass(frozen=True)
class Case:
    kind: str  # binary / linear / nonlinear / mixed
    columns: int
    rows: int
    seed: int

    @property
    def name(self) -> str:
        return f"{self.kind} {self.columns} col × {self.rows:,}"

    @property
    def target_s(self) -> float:
        return TARGET_WIDE_S if self.columns >= 50 else TARGET_TALL_S


CASES = (
    Case("binary", 4, 200_000, SEED_BASE), Case("linear", 4, 200_000, SEED_BASE + 1),
    Case("mixed", 4, 200_000, SEED_BASE + 2), Case("nonlinear", 4, 200_000, SEED_BASE + 9),
    Case("binary", 50, 5_000, SEED_BASE + 3), Case("linear", 50, 5_000, SEED_BASE + 4),
    Case("mixed", 50, 5_000, SEED_BASE + 5), Case("nonlinear", 50, 5_000, SEED_BASE + 10),
    Case("binary", 50, 1_000, SEED_BASE + 6), Case("linear", 50, 1_000, SEED_BASE + 7),
    Case("mixed", 50, 1_000, SEED_BASE + 8),
)
QUICK_CASES = (CASES[0], CASES[8])


@dataclass
class Row:
    case: str
    question: str
    relation: str
    truth: float
    outcome: str  # the grade: right / nd_honest / nd_unneeded / declined / wrong / miss
    answer: str  # what the user reads, shortened
    total_s: float  # the question, in this process (load included)
    target_s: float
    stages: dict[str, float]
    gap_s: float  # the longest silence between progress lines
    progress_lines: int
    cut: list[str] = field(default_factory=list)  # what the budget or the table's size cut, as said
    cli_s: float | None = None  # a fresh `fmcgm ask` process, when timed
    why: str = ""


# --------------------------------------------------------------------------------------------------
# the tables and their questions


def dataset(case: Case) -> tuple[Any, list]:
    """The case's table (a data frame, columns shuffled) and its two questions with their truths."""
    from evals import data_answers_bench as bench

    rng = np.random.default_rng([case.seed, case.columns, case.rows])
    scm = bench.random_scm(case.kind, rng, k=case.columns)
    frame = scm.sample(case.rows, np.random.default_rng(rng.integers(2 ** 32)))
    frame = frame[[str(c) for c in rng.permutation(frame.columns)]]
    dag = scm.dag()
    key = f"speed-{case.kind}-s{case.seed}"
    questions = []
    for x, y in bench._pairs(dag, rng, 2):
        if all(scm.binary.values()) and case.columns > MAX_ENUMERATED and bench.is_ancestor(dag, x, y):
            value, se = bench.monte_carlo_effect(scm, x, y, seed=case.seed)
            truth = bench.Truth(value, se, "monte-carlo", scm.sd[x], scm.sd[y])
        else:
            truth = bench.true_effect(scm, x, y, seed=case.seed)
        questions.append(bench._question(key, case.kind, case.rows, case.seed, rng, x, y, truth, dag, scm.binary))
    return frame, questions


# --------------------------------------------------------------------------------------------------
# stage clocks


class Clock:
    """Exclusive wall seconds per stage: a wrapped function's time less that of the wrapped functions it calls.
    A *sticky* stage (stability) keeps everything called inside it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stack: list[_Frame] = []

    def wrap(self, stage: str, fn: Callable, sticky: bool = False) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if self._stack and self._stack[-1].sticky:
                return fn(*args, **kwargs)
            frame = _Frame(stage, time.perf_counter(), sticky)
            self._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame.start
                self.seconds[stage] += spent - frame.inner
                if self._stack:
                    self._stack[-1].inner += spent
        return timed


@dataclass
class _Frame:
    stage: str
    start: float
    sticky: bool
    inner: float = 0.0  # seconds of the wrapped functions it called


_TIMED = (  # (module, attribute, stage, sticky): each where the product looks it up
    ("fmcgm.discovery.search", "run", "search", False),
    ("fmcgm.discovery.search", "tester_for", "search", False),
    ("fmcgm.discovery.pipeline", "_critique_and_repair", "critique", False),
    ("agent.nodes", "discovered_findings", "critique", False),
    ("fmcgm.discovery.pipeline", "orient_by_noise", "orient", False),
    ("tools.discovery_tools", "graph_stability", "stability", True),
    ("tools.discovery_tools", "effect_from_data", "estimate", False),
)


@contextmanager
def clocked(clock: Clock) -> Iterator[None]:
    import importlib

    saved = []
    for module, attr, stage, sticky in _TIMED:
        m = importlib.import_module(module)
        if hasattr(m, attr):
            saved.append((m, attr, getattr(m, attr)))
            setattr(m, attr, clock.wrap(stage, getattr(m, attr), sticky))
    try:
        yield
    finally:
        for m, attr, fn in saved:
            setattr(m, attr, fn)


# --------------------------------------------------------------------------------------------------
# asking


def _cuts(state: dict) -> list[str]:
    """What the answer says the budget or the table's size cut (the data tools' notes)."""
    out: list[str] = []
    for s in state.get("trace") or []:
        data = ((s.get("result") or {}).get("data") or {}) if isinstance(s.get("result"), dict) else {}
        if s.get("tool") == "discover_graph":
            out += ((data.get("graph") or {}).get("search") or {}).get("cut") or []
        elif s.get("tool") == "estimate_from_data":
            out += [c for c in data.get("budget") or [] if c not in out]
    return list(dict.fromkeys(out))


def ask(question: str, csv: Path, trace_db: str) -> tuple[dict, dict, Clock, list[float], float]:
    """One question as ``fmcgm ask --data`` runs it, with fresh caches: (what the grader reads, the final state,
    the stage clock, the progress lines' times, the total seconds)."""
    from agent.configuration import Settings
    from agent.graph import build_graph, run_question
    from fmcgm.discovery import progress

    clock, lines, t0 = _fresh_clock()
    with clocked(clock), progress.reporting(lambda _m: lines.append(time.perf_counter() - t0)):
        _timed_load(csv, clock)
        st = Settings(data_path=str(csv), trace_db=trace_db)
        state = run_question(question, settings=st, app=build_graph(settings=st))
    total = time.perf_counter() - t0
    clock.seconds["other"] = max(0.0, total - sum(v for k, v in clock.seconds.items() if k != "other"))
    return _got(state, total), state, clock, lines, total


def _fresh_clock() -> tuple[Clock, list[float], float]:
    """A stage clock, the progress lines' times and the start, with the table cache emptied (a fresh process would
    read and test the file anew)."""
    from fmcgm.discovery import table

    table._LOADED.clear()
    return Clock(), [], time.perf_counter()


def _timed_load(csv: Path, clock: Clock) -> None:
    from fmcgm.discovery import table

    c = time.perf_counter()
    table.load_table(csv)
    clock.seconds["load"] += time.perf_counter() - c


def _got(state: dict, seconds: float) -> dict:
    """The answer in the form :func:`evals.data_answers_bench.grade` reads (as its ``ask_agent`` builds it)."""
    ans = state.get("answer") or {}
    turn = state.get("turn_result") or {}
    result = (turn.get("result") if isinstance(turn, dict) else None) or {}
    data = (result.get("data") or {}) if result.get("ok") and turn.get("tool") == "estimate_from_data" else {}
    read = next((s.get("args") or {} for s in reversed(state.get("trace") or [])
                 if s.get("tool") == "estimate_from_data"), {})
    return {"outcome": ans.get("outcome"), "answer": ans.get("answer"), "value": ans.get("value"),
            "ci": data.get("ci") if data.get("determined") else None, "range": data.get("range"),
            "determined": data.get("determined"), "verdict": data.get("verdict"), "error": ans.get("error"),
            "text": ans.get("text") or "", "seconds": seconds,
            "read_as": [read.get("treatment"), read.get("outcome"), read.get("claim")] if read else None}


def ask_tools(q, csv: Path) -> tuple[dict, dict, Clock, list[float], float]:
    """The same question through the two data tools directly (discover, then estimate), past a decline of the
    agent's critique: what the answer would cost where the critique lets it through.  Graded like an answer."""
    from fmcgm.discovery import progress
    from fmcgm.errors import FMCGMError
    from tools import discovery_tools as dt

    clock, lines, t0 = _fresh_clock()
    with clocked(clock), progress.reporting(lambda _m: lines.append(time.perf_counter() - t0)):
        _timed_load(csv, clock)
        found = dt.discover_graph(dt.DiscoverGraphArgs(data_path=str(csv), focus=[q.x, q.y]))
        graph = found.data.model_dump()["graph"] if found.ok and found.data is not None else {}
        try:
            r = dt.estimate_from_data(dt.EstimateFromDataArgs(graph=graph, treatment=q.x, outcome=q.y,
                                                              claim=_claim(q.form), data_path=str(csv)))
            data, error = (r.data.model_dump() if r.data is not None else {}), None
        except FMCGMError as e:
            data, error = {}, str(e)
    total = time.perf_counter() - t0
    clock.seconds["other"] = max(0.0, total - sum(v for k, v in clock.seconds.items() if k != "other"))
    got = {"outcome": Outcome.ERROR if error else Outcome.ANSWERED, "answer": data.get("answer"), "value": data.get("value"),
           "ci": data.get("ci") if data.get("determined") else None, "range": data.get("range"),
           "determined": data.get("determined"), "verdict": data.get("verdict"), "error": error,
           "text": data.get("verdict") or error or "", "seconds": total, "read_as": [q.x, q.y, _claim(q.form)]}
    cut = [*(graph.get("search") or {}).get("cut", []), *data.get("budget", [])]
    return got, {"cut": list(dict.fromkeys(cut))}, clock, lines, total


def _claim(form: str) -> str:
    return "positive" if form == "positive" else "affects"


def cli_seconds(question: str, csv: Path, folder: Path) -> float:
    """Wall seconds of a fresh ``fmcgm ask --data`` process (start-up included)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    env["FMCGM_OUTPUT_DIR"] = str(folder / "out")
    cmd = [sys.executable, "-m", "fmcgm.cli", "ask", question, "--data", str(csv), "--trace-db",
           str(folder / "cli.sqlite")]
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def _gap(lines: list[float], total: float) -> float:
    marks = [0.0, *lines, total]
    return max(b - a for a, b in zip(marks, marks[1:], strict=False))


def _short(text: str, n: int = 110) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def warm() -> None:
    """Import what a first answer imports, so the first case does not pay start-up (timed elsewhere)."""
    import causallearn.utils.cit  # noqa: F401

    import agent.graph  # noqa: F401
    import fmcgm.discovery.pipeline  # noqa: F401


def run(cases: tuple[Case, ...] = CASES, cli: bool = False, progress: Callable[[str], None] | None = None,
        tools: bool = True) -> list[Row]:
    """Every case's questions through the agent; with ``tools``, a question the agent declined is asked again
    through the data tools directly (a row marked "tools"), so the cost of a full answer is measured too."""
    from evals.data_answers_bench import grade

    warm()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="fmcgm-speed-") as tmp:
        folder = Path(tmp)
        for case in cases:
            frame, questions = dataset(case)
            csv = folder / f"{case.kind}_{case.columns}x{case.rows}_s{case.seed}.csv"
            frame.to_csv(csv, index=False)
            for q in questions:
                if progress:
                    progress(f"{case.name}: {q.text}")
                got, state, clock, lines, total = ask(q.text, csv, str(folder / "t.sqlite"))
                g = grade(q, got)
                rows.append(Row(case.name, q.text, q.relation, q.truth, g["outcome"], _short(got["text"]), total,
                                case.target_s, {k: round(v, 3) for k, v in clock.seconds.items()},
                                _gap(lines, total), len(lines), _cuts(state),
                                cli_seconds(q.text, csv, folder) if cli else None, _short(g.get("why", ""), WHY_CHARS)))
                if tools and g["outcome"] == Outcome.DECLINED:
                    got, said, clock, lines, total = ask_tools(q, csv)
                    g = grade(q, got)
                    rows.append(Row(case.name + " (tools)", q.text, q.relation, q.truth, g["outcome"],
                                    _short(got["text"]), total, case.target_s,
                                    {k: round(v, 3) for k, v in clock.seconds.items()}, _gap(lines, total), len(lines),
                                    said["cut"], None, _short(g.get("why", ""), WHY_CHARS)))
    return rows


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def print_rows(rows: list[Row], meta: dict, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"answers from data: wall seconds per stage (load average {meta['load_before']} → "
                    f"{meta['load_after']})")
    for col in ("case", "#", "truth", "grade", *STAGES, "total", "cli", "gap", "cut"):
        t.add_column(col, justify="right" if col not in ("case", "grade") else "left")
    for i, r in enumerate(rows, 1):
        ok = r.total_s <= r.target_s
        grade_col = f"[red]{r.outcome.upper()}[/]" if r.outcome == "wrong" else r.outcome
        t.add_row(r.case, str(i), f"{r.truth:+.3f}", grade_col, *[f"{r.stages[s]:.1f}" for s in STAGES],
                  f"[{'green' if ok else 'red'}]{r.total_s:.1f}[/] / {r.target_s:.0f}",
                  "" if r.cli_s is None else f"{r.cli_s:.1f}", f"{r.gap_s:.1f}", str(len(r.cut)))
    console.print(t)
    for i, r in enumerate(rows, 1):
        console.print(f"{i}. [bold]{r.case}[/] · {r.question} → {r.answer}")
        for c in r.cut:
            console.print(f"    cut: {c}")
    wrong = [r for r in rows if r.outcome == "wrong"]
    if wrong:
        console.print(f"[red]{len(wrong)} WRONG verdict(s):[/] " + "; ".join(f"{r.case} {r.question} ({r.why})"
                                                                           for r in wrong))


def report(console: Console, json_out: Path | None = None, quick: bool = False, cli: bool = False) -> list[Row]:
    meta: dict[str, Any] = {"load_before": load_average(), "cpus": os.cpu_count(), "quick": quick}
    rows = run(QUICK_CASES if quick else CASES, cli, progress=lambda m: console.print(f"[dim]{m}[/]"))
    meta["load_after"] = load_average()
    print_rows(rows, meta, console)
    if json_out:
        save_rows(json_out, rows, meta, console)
    return rows


if __name__ == "__main__":
    args = sys.argv[1:]
    out = next((Path(args[i + 1]) for i, a in enumerate(args) if a == "--json" and i + 1 < len(args)), None)
    report(Console(width=200), out, quick="--quick" in args, cli="--cli" in args)
