import json
import subprocess
import sys
from pathlib import Path

from test_agent import Q

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from agent.traces import list_threads, open_store, resume, show_thread

ROOT = Path(__file__).resolve().parents[1]


def test_run_is_reconstructable_from_the_sqlite_file_alone(tmp_path):
    db = tmp_path / "t.sqlite"
    settings = Settings(trace_db=str(db))
    app = build_graph(settings=settings, checkpointer=open_store(db))
    state = run_question(Q, settings=settings, app=app)
    tid = state["thread_id"]
    # a new process, nothing shared but the file
    out = subprocess.run([sys.executable, "-m", "fmcgm.cli", "trace", "show", tid, "--json", "--trace-db", str(db)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    rec = json.loads(out.stdout)
    assert rec["thread_id"] == tid and rec["question"] == Q and rec["backend"] == "offline"
    steps = [(s["node"], s["tool"]) for s in rec["steps"]]
    assert [t for n, t in steps if n == "tools"] == ["propose_edges", "check_acyclicity", "estimate_effect"]
    assert ("critique", None) in steps and ("commit", None) in steps
    assert steps.index(("critique", None)) < steps.index(("commit", None)) < steps.index(("tools", "estimate_effect"))
    est = next(s for s in rec["steps"] if s["tool"] == "estimate_effect")
    assert est["args"]["query"]["kind"] == "nie" and est["result"]["data"]["answer"] == "yes"
    assert all(isinstance(s["seconds"], float) for s in rec["steps"])
    out = subprocess.run([sys.executable, "-m", "fmcgm.cli", "trace", "list", "--json", "--trace-db", str(db)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    rows = json.loads(out.stdout)
    assert rows[0]["thread_id"] == tid and rows[0]["outcome"] == "answered"


def test_continue_a_thread_and_resume_from_a_checkpoint(tmp_path):
    db = tmp_path / "t.sqlite"
    saver = open_store(db)
    app = build_graph(checkpointer=saver)
    first = run_question(Q, app=app)
    tid = first["thread_id"]
    follow = Q.replace("positively", "negatively")
    second = run_question(follow, app=app, thread_id=tid)
    assert second["answer"]["answer"] == "no" and second["question"] == follow
    assert len(list_threads(app, saver)) == 1
    rec = show_thread(app, tid)
    cp = next(c for c in rec["checkpoints"] if c["next"] == ["critique"])
    again = resume(app, tid, cp["checkpoint_id"], 40)
    assert again["answer"]["answer"] in ("yes", "no") and again["committed_graph"]
