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

from fmcgm.vocabulary import Outcome

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "free_wording.jsonl"
TOL = 0.006


def load_rows(path: Path = DATA) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def grade(row: dict[str, Any], answer: dict[str, Any]) -> str:
    """right / declined / wrong / error for one agent answer against one hand-computed expectation.

    Graded on the answer's ``outcome``: an "ask" is right only when the agent declined and said what is
    missing (an internal error is an ``error``, never a right ask); a yes/no row with ``value_abs`` compares the
    size of the effect, whose sign depends on how the question is phrased."""
    expect, value, size = row["expect"], row.get("value"), row.get("value_abs")
    yn, got = answer.get("answer"), answer.get("value")
    outcome = answer.get("outcome")
    confident = bool(answer.get("computed", True)) and (yn is not None or isinstance(got, (int, float)))
    if outcome == Outcome.ERROR and not confident:
        return "error"
    if expect == "ask":
        if confident:
            return "wrong"
        return "right" if outcome == Outcome.DECLINED and answer.get("missing") else "declined"
    if expect == "not_identifiable":
        if confident:
            return "wrong"
        return "right" if outcome == Outcome.NOT_IDENTIFIABLE else "declined"
    if outcome == Outcome.NOT_IDENTIFIABLE:
        return "wrong"  # claimed impossible where the truth is computable
    if not confident:
        return "declined"
    if expect is not None and yn != expect:
        return "wrong"
    if size is not None and isinstance(got, (int, float)) and abs(abs(got) - size) > TOL:
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
        kind = row.get("kind")
        if (row.get("model") or {}).get("graph_stated") is False:
            kind = f"{kind} (numbers only)"  # no arrow stated: the graph is what the numbers condition on
        out.append({"id": row["id"], "kind": kind, "grade": grade(row, ans), "seconds": round(sec, 3),
                    "answer": ans.get("answer"), "value": ans.get("value"), "expect": row["expect"],
                    "expected_value": row.get("value", row.get("value_abs")), "outcome": ans.get("outcome"),
                    "read": {"estimand": ans.get("estimand"), "graph": (ans.get("graph") or {}).get("edges"),
                             "missing": ans.get("missing")}})
        if progress:
            print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return out


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(results)
    count = {g: sum(r["grade"] == g for r in results) for g in ("right", "declined", "wrong", "error")}
    slow = max(results, key=lambda r: r["seconds"]) if results else None
    return {"n": n, **count, "accuracy": count["right"] / n if n else 0.0,
            "decline_share": count["declined"] / n if n else 0.0,
            "slowest": {"id": slow["id"], "seconds": slow["seconds"]} if slow else None}


def by_kind(results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in results:
        k = out.setdefault(str(r.get("kind") or "-"), {"n": 0, "right": 0, "declined": 0, "wrong": 0, "error": 0})
        k["n"] += 1
        k[r["grade"]] += 1
    return out


def main(argv: list[str]) -> int:
    """``PATH [--json OUT]`` or ``--generated {tune,heldout} [--n N] [--seed S] [--json OUT]``."""
    from rich.console import Console
    from rich.table import Table

    def opt(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    if "--generated" in argv:
        from evals.question_generator import generate

        rows = generate(opt("--generated", "heldout"), int(opt("--n", "200")), int(opt("--seed", "1000")))
    else:
        rows = load_rows(Path(argv[0]) if argv and not argv[0].startswith("--") else DATA)
    results = run(rows)
    table = Table("id", "kind", "expect", "got", "value", "grade", "s")
    for r in results:
        got = r["answer"] if r["answer"] is not None else r["outcome"]
        val = f"{r['value']:.4f}" if isinstance(r["value"], (int, float)) else "-"
        table.add_row(r["id"], str(r["kind"]), str(r["expect"]), str(got), val, r["grade"], f"{r['seconds']:.2f}")
    console = Console()
    console.print(table)
    kinds = Table("kind", "n", "right", "declined", "wrong", "error")
    for k, c in sorted(by_kind(results).items()):
        kinds.add_row(k, *(str(c[g]) for g in ("n", "right", "declined", "wrong", "error")))
    console.print(kinds)
    s = summary(results)
    console.print(f"right {s['right']}/{s['n']} (accuracy {s['accuracy']:.3f}), declined {s['declined']} "
                  f"({s['decline_share']:.3f}), wrong {s['wrong']}, error {s['error']}; slowest {s['slowest']}")
    if "--json" in argv:
        Path(opt("--json", "")).write_text(json.dumps({"summary": s, "by_kind": by_kind(results), "results": results},
                                                      indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
