"""Benchmark: hand-written causal questions in free wording and formal notation, through the agent.

Each row of ``tests/data/free_wording.jsonl`` holds a question and its hand-computed expectation:
``yes``/``no`` (with the value where one is computed), ``null`` with a value (a number is asked),
``not_identifiable``, or ``ask`` (the agent must ask back). A reply is *right*, *declined* (no
computed answer: allowed, but not right) or *wrong* (a confident answer that differs — never allowed).
Prints a table with every question's grade and seconds, the accuracy, the share of declines and
the slowest question.

    python -m evals.free_wording_eval [PATH] [--json OUT]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "free_wording.jsonl"
TOL = 0.006


def load_rows(path: Path = DATA) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def grade(row: dict[str, Any], answer: dict[str, Any]) -> str:
    """right / declined / wrong for one agent answer against one hand-computed expectation."""
    expect, value = row["expect"], row.get("value")
    yn, got = answer.get("answer"), answer.get("value")
    text = " ".join(str(answer.get(k) or "") for k in ("text", "error")).lower()
    confident = yn is not None or isinstance(got, (int, float))
    if expect == "ask":
        return "wrong" if confident else "right"
    if expect == "not_identifiable":
        if confident:
            return "wrong"
        return "right" if "not identifiable" in text else "declined"
    if not confident:
        return "declined"
    if expect is not None and yn != expect:
        return "wrong"
    if value is not None and (not isinstance(got, (int, float)) or abs(got - value) > TOL):
        return "wrong" if expect is None or isinstance(got, (int, float)) else "right"
    return "right"


def run(rows: list[dict[str, Any]], progress: bool = True) -> list[dict[str, Any]]:
    from agent.graph import build_graph, run_question

    app = build_graph()
    out = []
    for i, row in enumerate(rows):
        t0 = time.perf_counter()
        ans = run_question(row["question"], app=app)["answer"]
        sec = time.perf_counter() - t0
        out.append({"id": row["id"], "grade": grade(row, ans), "seconds": round(sec, 3),
                    "answer": ans.get("answer"), "value": ans.get("value"), "expect": row["expect"],
                    "expected_value": row.get("value")})
        if progress:
            print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return out


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(results)
    count = {g: sum(r["grade"] == g for r in results) for g in ("right", "declined", "wrong")}
    slow = max(results, key=lambda r: r["seconds"]) if results else None
    return {"n": n, **count, "accuracy": count["right"] / n if n else 0.0,
            "decline_share": count["declined"] / n if n else 0.0,
            "slowest": {"id": slow["id"], "seconds": slow["seconds"]} if slow else None}


def main(argv: list[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    path = Path(argv[0]) if argv and not argv[0].startswith("--") else DATA
    results = run(load_rows(path))
    table = Table("id", "expect", "got", "value", "grade", "s")
    for r in results:
        got = r["answer"] if r["answer"] is not None else "-"
        val = f"{r['value']:.4f}" if isinstance(r["value"], (int, float)) else "-"
        table.add_row(r["id"], str(r["expect"]), str(got), val, r["grade"], f"{r['seconds']:.2f}")
    console = Console()
    console.print(table)
    s = summary(results)
    console.print(f"right {s['right']}/{s['n']} (accuracy {s['accuracy']:.3f}), declined {s['declined']} "
                  f"({s['decline_share']:.3f}), wrong {s['wrong']}; slowest {s['slowest']}")
    if "--json" in argv:
        Path(argv[argv.index("--json") + 1]).write_text(json.dumps({"summary": s, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
