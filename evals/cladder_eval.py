"""CLadder-format benchmark: every question through the agent, accuracy by rung and query type.

Input is JSONL with ``question_id``, ``prompt``, ``answer`` (yes/no) and
optionally ``query_type``, ``rung``, ``graph_id``, ``reference_answers``
(other models' answers, scored beside ours).  Run with
``fmcgm eval cladder --data PATH`` or ``python -m evals.cladder_eval PATH``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.errors import FMCGMError, ParseError
from fmcgm.outputs import check_output, write_atomic


class Record(BaseModel):
    question_id: int | str
    prompt: str
    answer: str
    query_type: str | None = None
    rung: int | None = None
    graph_id: str | None = None
    reference_answers: dict[str, str] = {}


ANSWERS = ("yes", "no")
BOM = b"\xef\xbb\xbf"


def load_records(path: str | Path, limit: int | None = None) -> list[Record]:
    """The records of a JSONL file; every error names the file and line (``ParseError``).

    A UTF-8 byte-order mark at the start is read as such; answers must be yes or no; a question id may appear once;
    a file without any record is an error, not an accuracy of 0."""
    p = Path(path)
    if p.is_dir():
        raise ParseError(f"data path {p} is a folder, not a file", "pass --data PATH to a JSONL file")
    if not p.is_file():
        raise ParseError(f"no data file at {p}", "pass --data PATH to a JSONL file")
    out: list[Record] = []
    seen: dict[str, int] = {}
    data = p.read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM):]
    for n, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ParseError(f"{p}:{n}: not UTF-8 text (undecodable byte at column {e.start + 1})",
                             "save the file as UTF-8 JSON lines") from None
        if not line.strip():
            continue
        try:
            rec = Record.model_validate_json(line)
        except ValidationError as e:
            raise ParseError(f"{p}:{n}: not a valid record ({e.errors()[0]['msg']} at {e.errors()[0]['loc']})",
                             "each line needs question_id, prompt and answer") from None
        answer = rec.answer.strip().lower()
        if answer not in ANSWERS:
            raise ParseError(f"{p}:{n}: answer {rec.answer!r} is not yes or no",
                             "CLadder answers are \"yes\" or \"no\"; fix or drop the record")
        key = str(rec.question_id)
        if key in seen:
            raise ParseError(f"{p}:{n}: question_id {rec.question_id!r} repeats line {seen[key]}",
                             "give every record its own question_id")
        seen[key] = n
        out.append(rec.model_copy(update={"answer": answer}))
        if limit and len(out) >= limit:
            break
    if not out:
        raise ParseError(f"data file {p} has no records", "give one JSON record per line with question_id, prompt and answer")
    return out


def _acc(rows: list[dict]) -> dict[str, Any]:
    n = len(rows)
    return {"n": n, "accuracy": sum(r["correct"] for r in rows) / n if n else 0.0,
            "computed_rate": sum(r["computed"] for r in rows) / n if n else 0.0}


def _one(rec: Record, settings: Settings | None, app) -> dict[str, Any]:
    state = run_question(rec.prompt, settings=settings, app=app)
    ans = state["answer"]
    predicted = ans.get("answer")
    return {
        "question_id": rec.question_id, "predicted": predicted, "answer": rec.answer.strip().lower(),
        "correct": predicted == rec.answer.strip().lower(), "computed": bool(ans.get("computed")),
        "estimand": ans.get("estimand"),
        "value": ans.get("value"), "error": ans.get("error"), "query_type": rec.query_type, "rung": rec.rung,
    }


def evaluate(records: list[Record], settings: Settings | None = None, console: Console | None = None,
             concurrency: int = 1) -> dict[str, Any]:
    """Every record through the agent (``concurrency`` questions in flight, for slow LLM servers)."""
    console = console or Console(stderr=True)
    app = build_graph(settings=settings)
    t0 = time.perf_counter()
    with Progress(TextColumn("[bold]cladder"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task("eval", total=len(records))
        if concurrency <= 1:
            results = []
            for rec in records:
                results.append(_one(rec, settings, app))
                bar.advance(task)
        else:
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                futures = [pool.submit(_one, rec, settings, app) for rec in records]
                for _ in as_completed(futures):
                    bar.advance(task)
                results = [f.result() for f in futures]
    seconds = time.perf_counter() - t0
    by_type, by_rung = defaultdict(list), defaultdict(list)
    for r in results:
        by_type[r["query_type"] or "unknown"].append(r)
        by_rung[str(r["rung"]) if r["rung"] is not None else "unknown"].append(r)
    refs: dict[str, list[bool]] = defaultdict(list)
    for rec in records:
        for name, a in rec.reference_answers.items():
            refs[name].append(a.strip().lower() == rec.answer.strip().lower())
    n = len(results)
    correct = sum(r["correct"] for r in results)
    computed = sum(r["computed"] for r in results)
    return {
        "n": n, "correct": correct, "accuracy": correct / n if n else 0.0, "seconds": seconds,
        "computed": computed, "computed_rate": computed / n if n else 0.0,
        "by_query_type": {k: _acc(v) for k, v in sorted(by_type.items())},
        "by_rung": {k: _acc(v) for k, v in sorted(by_rung.items())},
        "reference_accuracy": {k: sum(v) / len(v) for k, v in sorted(refs.items())},
        "results": [{k: r[k] for k in ("question_id", "predicted", "answer", "correct", "computed", "estimand", "value",
                                       "error")}
                    for r in results],
    }


def reference_by(records: list[Record], key: str) -> dict[str, dict[str, float]]:
    """Accuracy of each reference model per group (query type or rung)."""
    out: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for rec in records:
        group = str(getattr(rec, key)) if getattr(rec, key) is not None else "unknown"
        for name, a in rec.reference_answers.items():
            out[name][group].append(a.strip().lower() == rec.answer.strip().lower())
    return {n: {g: sum(v) / len(v) for g, v in gs.items()} for n, gs in out.items()}


def print_report(report: dict[str, Any], records: list[Record], console: Console | None = None) -> None:
    console = console or Console()
    names = sorted(report["reference_accuracy"])
    for title, key, rec_key in (("by query type", "by_query_type", "query_type"), ("by rung", "by_rung", "rung")):
        refs = reference_by(records, rec_key)
        t = Table(title=f"CLadder accuracy {title}")
        t.add_column(title.split()[-1] if key == "by_rung" else "query type")
        t.add_column("n", justify="right")
        t.add_column("fm-cgm", justify="right")
        t.add_column("computed", justify="right")
        for nm in names:
            t.add_column(nm, justify="right")
        for group, m in report[key].items():
            t.add_row(group, str(m["n"]), f"{m['accuracy']:.3f}", f"{m['computed_rate']:.3f}",
                      *[f"{refs[nm].get(group, float('nan')):.3f}" for nm in names])
        t.add_row("[bold]all", str(report["n"]), f"[bold]{report['accuracy']:.3f}", f"{report['computed_rate']:.3f}",
                  *[f"{report['reference_accuracy'][nm]:.3f}" for nm in names])
        console.print(t)
    console.print(f"{report['correct']}/{report['n']} correct, {report['computed']}/{report['n']} computed by the tools, "
                  f"in {report['seconds']:.1f} s "
                  f"({report['seconds'] / max(report['n'], 1) * 1000:.1f} ms per question)")
    misses = [r for r in report["results"] if not r["correct"]]
    if misses:
        t = Table(title="misses")
        for c in ("question_id", "predicted", "answer", "value", "error"):
            t.add_column(c)
        for r in misses:
            v = r["value"]
            t.add_row(str(r["question_id"]), str(r["predicted"]), r["answer"],
                      f"{v:.4f}" if isinstance(v, (int, float)) else "", (r["error"] or "")[:80])
        console.print(t)


REPORT_KEYS = ("n", "accuracy", "results")  # what a report of this benchmark has (an existing file is replaced only then)


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    path = argv[0] if argv else "../shared/data/cladder/dev.jsonl"
    try:
        out = check_output(argv[1], "output", inputs=[path], marker=REPORT_KEYS) if len(argv) > 1 else None
        records = load_records(path)
    except FMCGMError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    report = evaluate(records)
    print_report(report, records)
    if out is not None:
        write_atomic(out, json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
