"""The trace tab's data: stored threads as rows, one step in detail, the graph at a step, JSON export.

Reads the same SQLite store as ``fmcgm trace`` through ``agent.traces``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.traces import list_threads, show_thread
from fmcgm.app.present import step_summary, step_title
from fmcgm.app.turns import graph_of

THREAD_COLUMNS = ["started (UTC)", "thread", "question", "backend", "outcome"]
STEP_COLUMNS = ["#", "step", "summary", "seconds", "tokens"]


def thread_rows(agent, store) -> list[list[str]]:
    """Newest first: time, thread id, question, backend, outcome."""
    rows = [[(r["started_at"] or "")[:19].replace("T", " "), r["thread_id"], _short(r["question"] or "", 90),
             r["backend"] or "", r["outcome"] or ""] for r in list_threads(agent, store)]
    return sorted(rows, key=lambda r: r[0], reverse=True)


def load_thread(agent, thread_id: str) -> dict[str, Any]:
    return show_thread(agent, thread_id)


def step_rows(rec: dict[str, Any]) -> list[list[Any]]:
    return [[i, step_title(s["node"], s.get("tool"), s.get("result")), _short(step_summary(s["node"], s.get("result")), 120),
             round(s.get("seconds") or 0.0, 4), _tokens(s.get("tokens"))] for i, s in enumerate(rec["steps"], 1)]


def graph_at(rec: dict[str, Any], index: int) -> tuple[dict[str, Any] | None, bool, list[str]]:
    """The graph as it stood after step ``index`` (1-based): the graph, whether committed, the intervened nodes."""
    graph: dict[str, Any] | None = None
    committed = False
    do: list[str] = []
    for s in rec["steps"][:index]:
        if s["node"] == "start":
            graph, committed, do = None, False, []  # a new turn on the thread
        if s["node"] == "commit":
            graph, committed = (s.get("result") or {}).get("graph") or graph, True
        elif not committed:
            graph = graph_of(s) or graph
        args = s.get("args") or {}
        if s.get("tool") == "apply_do" and isinstance(args.get("intervention"), dict):
            do = list(args["intervention"])
        elif s.get("tool") == "estimate_effect" and (args.get("query") or {}).get("treatment"):
            do = [args["query"]["treatment"]]
    return graph, committed, do


def step_markdown(rec: dict[str, Any], index: int) -> str:
    """One step in full: node, model message or tool call with arguments and result, findings, time, tokens."""
    s = rec["steps"][index - 1]
    res = s.get("result")
    lines = [f"### Step {index} of {len(rec['steps'])}: {step_title(s['node'], s.get('tool'), res)}",
             f"node `{s['node']}` · {s.get('seconds') or 0:.4f} s · tokens: {_tokens(s.get('tokens')) or '—'}"]
    if s["node"] == "model" and isinstance(res, dict):
        if res.get("content"):
            lines += ["**model message**", _quote(str(res["content"]))]
        if res.get("tool_calls"):
            lines.append("**tool calls**: " + ", ".join(f"`{c}`" for c in res["tool_calls"]))
        if res.get("error"):
            lines += ["**error**", _quote(str(res["error"]))]
    elif s["node"] == "critique" and isinstance(res, dict):
        lines.append(f"**critique round {res.get('round')}**")
        lines += [f"- {f['severity']}: {f['message']}" for f in res.get("findings", [])] or ["- no findings"]
        if res.get("changed"):
            lines.append(f"changed since the last round: `{json.dumps(res['changed'])}`")
    else:
        if s.get("args"):
            lines += ["**arguments**", _code(s["args"])]
        if res is not None:
            lines += ["**result**", _code(res)]
    return "\n\n".join(lines)


def export_json(rec: dict[str, Any], out_dir: Path) -> Path:
    """The whole trace as a JSON file in the app's output folder (for download)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"trace_{rec['thread_id']}.json"
    path.write_text(json.dumps(rec, indent=2, default=str), encoding="utf-8")
    return path


def _tokens(t: dict[str, Any] | None) -> str:
    if not t:
        return ""
    return f"{t.get('input_tokens', '?')} in / {t.get('output_tokens', '?')} out"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def _code(obj: Any) -> str:
    text = json.dumps(obj, indent=2, default=str)
    if len(text) > 4000:
        text = text[:4000] + "\n… (truncated; download the JSON for all of it)"
    return f"```json\n{text}\n```"
