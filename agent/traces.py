"""Persistent traces: every run is a thread checkpointed in SQLite (langgraph-checkpoint-sqlite).

A run can be listed, shown step by step, exported as JSON, continued with a
follow-up question on the same thread, or resumed from any checkpoint — from
the SQLite file alone, in any later process.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from fmcgm.errors import ErrorCode, FMCGMError
from fmcgm.outputs import OutputError

TABLES = {"checkpoints": {"thread_id", "checkpoint_ns", "checkpoint_id", "parent_checkpoint_id", "checkpoint", "metadata"},
          "writes": {"thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx", "channel", "value"}}


class TraceNotFound(FMCGMError, code=ErrorCode.UNKNOWN_TRACE):
    """The trace store, thread or checkpoint asked for is not stored."""


def open_store(path: str | Path, create: bool = True) -> SqliteSaver:
    """The trace store at ``path``. Every failure is an FMCGMError naming the path and what to do.

    Read-only commands pass ``create=False``: the file is opened read-only (SQLite ``mode=ro``), so nothing they do
    can change it, and a missing file or an SQLite file that is not a trace store is an error, untouched.  A store
    opened for writing may be a new or empty file, or a trace store; another database is refused, not added to."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"trace store {p} is a folder, not a file", "pass a file path to --trace-db, e.g. runs/traces.sqlite")
    if not create and not p.exists():
        raise TraceNotFound(f"no trace store at {p}", "check --trace-db (runs are stored by `fmcgm ask`)")
    if create:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise OutputError(f"cannot create trace store {p}: a parent of it is a file, not a folder",
                             "pass a path whose folders are folders to --trace-db") from None
        except PermissionError:
            raise OutputError(f"cannot create the folder of trace store {p} (permission denied)",
                             "pass a writable path to --trace-db") from None
    try:
        if create:
            conn = sqlite3.connect(str(p), check_same_thread=False)
        else:
            conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        _check_tables(conn, p, required=not create)
        saver = SqliteSaver(conn)
        saver.setup()  # read-only: the tables exist, so this creates nothing (and the saver reads a read-only file)
        if create:  # a store we will write to must accept a write now, not fail in the middle of a run
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as e:
        what = str(e)
        hint = ("make the file and its folder writable, or pass another --trace-db" if "readonly" in what or "read-only" in what
                else "move the damaged file away or pass another --trace-db")
        raise OutputError(f"trace store {p} cannot be used: {what}", hint) from None
    return saver


def _check_tables(conn: sqlite3.Connection, p: Path, required: bool) -> None:
    """Refuse a database that is not a trace store (read-only: also an empty one) before anything is written."""
    tables = {name: {c[1] for c in conn.execute(f"PRAGMA table_info({name!r})")}
              for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables and not required:
        return  # a new, empty file: setup makes it a store
    missing = [t for t, cols in TABLES.items() if not cols <= tables.get(t, set())]
    if missing:
        has = ", ".join(sorted(tables)[:8]) or "no tables"
        raise OutputError(f"{p} is not a trace store (it has {has}); it was left as it is",
                         "pass the trace file written by `fmcgm ask` to --trace-db (default .fmcgm/traces.sqlite)")


def _turn_starts(saver: SqliteSaver) -> dict[str, list[str]]:
    """Per thread, the times its turns began (oldest first), from the checkpointer's own listing: each turn starts
    with an ``input`` checkpoint. The threads come oldest first."""
    starts: dict[str, list[str]] = {}
    for t in saver.list(None, filter={"source": "input"}):  # newest first
        starts.setdefault(t.config["configurable"]["thread_id"], []).insert(0, t.checkpoint["ts"])
    return dict(sorted(starts.items(), key=lambda kv: kv[1][0]))


def thread_ids(saver: SqliteSaver) -> list[str]:
    return list(_turn_starts(saver))


def _config(thread_id: str, checkpoint_id: str | None = None) -> dict:
    c: dict[str, Any] = {"thread_id": thread_id}
    if checkpoint_id:
        c["checkpoint_id"] = checkpoint_id
    return {"configurable": c}


def list_threads(app, saver: SqliteSaver) -> list[dict[str, Any]]:
    """One row per thread: when its first turn began, how many turns it has, and its latest turn's question and
    outcome."""
    out = []
    for tid, starts in _turn_starts(saver).items():
        v = app.get_state(_config(tid)).values
        out.append({"thread_id": tid, "started_at": starts[0], "latest_at": v.get("started_at"), "turns": len(starts),
                    "question": v.get("question", ""), "backend": v.get("backend"), "outcome": v.get("outcome"),
                    "answer": (v.get("answer") or {}).get("answer")})
    return out


def _cid(config: Any) -> str | None:
    return (config or {}).get("configurable", {}).get("checkpoint_id")


def branches(history: list) -> list[dict[str, Any]]:
    """The branches of a thread's checkpoint tree (``history``: its state snapshots). Branch 1 follows the oldest
    child at every checkpoint (the thread as first run, with its follow-up turns); each resume from an earlier
    checkpoint starts another branch there. Each: ``forked_from`` (the checkpoint it starts after; None for the
    first), ``path`` (its own checkpoint ids, oldest first), ``head`` (its latest snapshot)."""
    by_id = {str(_cid(s.config)): s for s in history}
    children: dict[str | None, list[str]] = {}
    for cid, s in by_id.items():
        parent = _cid(s.parent_config)
        children.setdefault(parent if parent in by_id else None, []).append(cid)
    pending: list[tuple[str | None, str]] = [(None, c) for c in children.get(None, [])]
    out = []
    while pending:
        pending.sort(key=lambda fc: fc[1])  # checkpoint ids are ordered by time
        fork, node = pending.pop(0)
        path = [node]
        while children.get(node):
            first, *rest = sorted(children[node])
            pending += [(node, c) for c in rest]
            node = first
            path.append(node)
        out.append({"forked_from": fork, "path": path, "head": by_id[node]})
    return out


def show_thread(app, thread_id: str) -> dict[str, Any]:
    """Every turn of a thread, on every branch: the steps of branch 1 in order, then those each later branch added
    after the checkpoint it was resumed from; each step and checkpoint says its branch."""
    snap = app.get_state(_config(thread_id))
    if not snap.values:
        raise TraceNotFound(f"no trace with thread id {thread_id!r}", "list the stored threads with `fmcgm trace list`")
    v = snap.values
    history = list(app.get_state_history(_config(thread_id)))  # newest first, every branch
    by_id = {_cid(h.config): h for h in history}
    steps: list[dict[str, Any]] = []
    branch_of: dict[str, int] = {}
    summary = []
    for n, b in enumerate(branches(history), 1):
        head = b["head"].values
        trace = head.get("trace", [])
        shared = len(by_id[b["forked_from"]].values.get("trace", [])) if b["forked_from"] else 0
        steps += [{"node": s.get("node"), "tool": s.get("tool"), "args": s.get("args") or {}, "result": s.get("result"),
                   "seconds": s.get("seconds"), "tokens": s.get("tokens"), "branch": n} for s in trace[shared:]]
        branch_of.update(dict.fromkeys(b["path"], n))
        summary.append({"branch": n, "forked_from": b["forked_from"], "shared_steps": shared,
                        "steps": len(trace) - shared, "head": _cid(b["head"].config), "question": head.get("question", ""),
                        "outcome": head.get("outcome"), "answer": (head.get("answer") or {}).get("answer")})
    checkpoints = [{"checkpoint_id": _cid(h.config), "step": h.metadata.get("step") if h.metadata else None,
                    "next": list(h.next), "created_at": h.created_at, "branch": branch_of.get(_cid(h.config) or "")}
                   for h in reversed(history)]
    return {"thread_id": thread_id, "question": v.get("question", ""), "backend": v.get("backend"),
            "started_at": history[-1].created_at if history else v.get("started_at"), "latest_at": v.get("started_at"),
            "outcome": v.get("outcome"), "answer": v.get("answer"),
            "committed_graph": v.get("committed_graph"), "critiques": v.get("critiques", []),
            "steps": steps, "branches": summary, "checkpoints": checkpoints}


def resume(app, thread_id: str, checkpoint_id: str, recursion_limit: int) -> dict[str, Any]:
    """Run again from a stored checkpoint (a fork of the thread's history)."""
    cfg = _config(thread_id, checkpoint_id)
    if not app.get_state(cfg).values:
        raise TraceNotFound(f"no checkpoint {checkpoint_id!r} in thread {thread_id!r}",
                         "see the checkpoint ids with `fmcgm trace show THREAD`")
    cfg["recursion_limit"] = recursion_limit  # a run it stops ends inside the graph, with the limit's error answer
    return app.invoke(None, config=cfg)
