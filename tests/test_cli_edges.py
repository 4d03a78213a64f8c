"""Promises of the command line at its edges: read-only commands never write, outputs are checked before the work,
exit codes and JSON errors as the README says, inputs validated with the line to fix."""

import json
import sqlite3

import pytest
from test_agent import Q
from typer.testing import CliRunner

from fmcgm.cli import app

runner = CliRunner()


def _jsonl(path, *records, bom: bool = False) -> str:
    text = "".join(json.dumps(r) + "\n" for r in records)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def _record(qid, answer="yes", prompt=Q):
    return {"question_id": qid, "prompt": prompt, "answer": answer}


@pytest.fixture
def no_cladder_run(monkeypatch):
    """The benchmark itself must not start: an output or input problem is found before the work."""
    import evals.cladder_eval as ce

    def refuse(*a, **k):
        raise AssertionError("the benchmark ran before its output path was checked")

    monkeypatch.setattr(ce, "evaluate", refuse)


# -- read-only commands never write ------------------------------------------------------------------------------------

def _users_db(tmp_path):
    p = tmp_path / "users.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO users (name) VALUES ('ada')")
    con.commit()
    con.close()
    return p


@pytest.mark.parametrize("cmd", [["trace", "list"], ["trace", "show", "abc"], ["trace", "resume", "abc", "--checkpoint", "x"]])
def test_trace_commands_refuse_a_sqlite_file_that_is_not_a_trace_store_without_touching_it(tmp_path, cmd):
    db = _users_db(tmp_path)
    before, mtime = db.read_bytes(), db.stat().st_mtime_ns
    r = runner.invoke(app, [*cmd, "--trace-db", str(db)])
    assert r.exit_code == 2, r.output
    assert "not a trace store" in r.output and "users.db" in r.output
    assert db.read_bytes() == before and db.stat().st_mtime_ns == mtime
    tables = {t for (t,) in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"users"}


def test_ask_refuses_an_existing_database_that_is_not_a_trace_store(tmp_path):
    db = _users_db(tmp_path)
    before = db.read_bytes()
    r = runner.invoke(app, ["ask", Q, "--trace-db", str(db)])
    assert r.exit_code == 2 and "not a trace store" in r.output
    assert db.read_bytes() == before


def test_a_store_opened_for_reading_cannot_be_written(tmp_path):
    from agent.traces import open_store

    db = tmp_path / "t.sqlite"
    assert runner.invoke(app, ["ask", Q, "--trace-db", str(db)]).exit_code == 0
    before = db.read_bytes()
    saver = open_store(db, create=False)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        saver.conn.execute("CREATE TABLE users (id INTEGER)")
    r = runner.invoke(app, ["trace", "list", "--json", "--trace-db", str(db)])
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 1 and db.read_bytes() == before


# -- outputs checked before the work, written atomically, never over an input ------------------------------------------

def test_eval_cladder_json_that_is_a_folder_is_refused_before_the_run(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1))
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", str(tmp_path)])
    assert r.exit_code == 2 and "is a folder" in r.output and "Traceback" not in r.output


def test_eval_cladder_json_in_a_missing_folder_is_refused_before_the_run(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1))
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", str(tmp_path / "nope" / "r.json")])
    assert r.exit_code == 2 and "does not exist" in r.output and "nope" in r.output


def test_eval_cladder_never_writes_over_its_own_input(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1))
    before = (tmp_path / "d.jsonl").read_bytes()
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", data])
    assert r.exit_code == 2 and "input" in r.output
    assert (tmp_path / "d.jsonl").read_bytes() == before


def test_eval_cladder_never_writes_over_a_file_that_is_not_a_report(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1))
    other = tmp_path / "other.jsonl"
    other.write_text('{"question_id": 7}\n{"question_id": 8}\n')
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", str(other)])
    assert r.exit_code == 2 and "not a report" in r.output
    assert other.read_text() == '{"question_id": 7}\n{"question_id": 8}\n'


def test_eval_cladder_replaces_its_previous_report_atomically(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _record(1), _record(2))
    out = tmp_path / "r.json"
    out.write_text(json.dumps({"n": 0, "accuracy": 0.0, "results": []}))
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["n"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl", "r.json"]  # no temporary file left


def test_write_atomic_keeps_the_old_file_when_the_move_fails(tmp_path, monkeypatch):
    import os

    from fmcgm.outputs import write_atomic

    out = tmp_path / "r.json"
    out.write_text("old")

    def boom(*a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(out, "new")
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_eval_visual_json_that_is_a_folder_is_refused_before_the_run(tmp_path, monkeypatch):
    import evals.visual_eval as ve

    monkeypatch.setattr(ve, "evaluate_visual", lambda *a, **k: pytest.fail("the benchmark ran"))
    r = runner.invoke(app, ["eval", "visual", "--n", "1", "--json", str(tmp_path), "--grid", str(tmp_path / "g.png")])
    assert r.exit_code == 2 and "is a folder" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["eval", "visual", "--n", "1", "--json", str(tmp_path / "no" / "r.json")])
    assert r.exit_code == 2 and "does not exist" in r.output


# -- eval cladder validates its input -----------------------------------------------------------------------------------

def test_eval_cladder_refuses_an_answer_that_is_not_yes_or_no(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1), _record(2, answer="maybe"))
    r = runner.invoke(app, ["eval", "cladder", "--data", data])
    assert r.exit_code == 2 and "d.jsonl:2" in r.output and "maybe" in r.output


def test_eval_cladder_refuses_duplicate_question_ids(tmp_path, no_cladder_run):
    data = _jsonl(tmp_path / "d.jsonl", _record(1), _record(2), _record(1, answer="no"))
    r = runner.invoke(app, ["eval", "cladder", "--data", data])
    assert r.exit_code == 2 and "d.jsonl:3" in r.output and "repeats line 1" in r.output


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_eval_cladder_refuses_a_file_without_records(tmp_path, no_cladder_run, content):
    p = tmp_path / "d.jsonl"
    p.write_bytes(content)
    r = runner.invoke(app, ["eval", "cladder", "--data", str(p)])
    assert r.exit_code == 2 and "no records" in r.output and "accuracy" not in r.output


def test_eval_cladder_reads_a_file_that_starts_with_a_byte_order_mark(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _record(1), _record(2), bom=True)
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["eval", "cladder", "--data", data, "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["n"] == 2


# -- traces: a resume is a branch, every turn stays visible; "started" is the first turn -------------------------------

ASKS_BACK = "Does rain cause accidents?"  # no graph, no numbers: the offline reasoner asks back


def _ask(db, *args):
    r = runner.invoke(app, ["ask", "--json", "--trace-db", str(db), *args])
    return r, json.loads(r.stdout)


def _show(db, thread):
    r = runner.invoke(app, ["trace", "show", thread, "--json", "--trace-db", str(db)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_trace_show_keeps_every_turn_after_a_resume_from_an_early_checkpoint(tmp_path):
    db = tmp_path / "t.sqlite"
    _, first = _ask(db, Q)
    tid = first["thread_id"]
    _ask(db, "--thread", tid, Q.replace("positively", "negatively"))
    before = _show(db, tid)
    early = before["checkpoints"][5]["checkpoint_id"]
    r = runner.invoke(app, ["trace", "resume", tid, "--checkpoint", early, "--trace-db", str(db)])
    assert r.exit_code == 0, r.output
    after = _show(db, tid)
    old = [s for s in after["steps"] if s["branch"] == 1]
    new = [s for s in after["steps"] if s["branch"] == 2]
    assert [(s["node"], s["tool"]) for s in old] == [(s["node"], s["tool"]) for s in before["steps"]]
    assert [s["node"] for s in old].count("start") == 2  # both turns of the first run are still shown
    assert new and new[-1]["node"] == "finalize"
    b1, b2 = after["branches"]
    assert b1["forked_from"] is None and b2["forked_from"] == early and 0 < b2["shared_steps"] < len(old)
    assert {c["branch"] for c in after["checkpoints"]} == {1, 2}
    text = runner.invoke(app, ["trace", "show", tid, "--trace-db", str(db)]).output
    assert "branch 2: resumed from checkpoint" in text


def test_trace_list_started_is_the_first_turn(tmp_path):
    db = tmp_path / "t.sqlite"
    _, first = _ask(db, Q)
    tid = first["thread_id"]
    row = json.loads(runner.invoke(app, ["trace", "list", "--json", "--trace-db", str(db)]).stdout)[0]
    _ask(db, "--thread", tid, Q.replace("positively", "negatively"))
    later = json.loads(runner.invoke(app, ["trace", "list", "--json", "--trace-db", str(db)]).stdout)[0]
    assert later["thread_id"] == tid and later["started_at"] == row["started_at"]
    assert later["turns"] == 2 and later["latest_at"] > later["started_at"]


def test_trace_resume_exit_code_follows_the_answer(tmp_path):
    db = tmp_path / "t.sqlite"
    r, ans = _ask(db, ASKS_BACK)
    assert r.exit_code == 1 and ans["outcome"] == "declined"
    rec = _show(db, ans["thread_id"])
    cp = next(c for c in rec["checkpoints"] if c["next"] == ["model"])
    r = runner.invoke(app, ["trace", "resume", ans["thread_id"], "--checkpoint", cp["checkpoint_id"], "--trace-db", str(db)])
    assert r.exit_code == 1, r.output  # the resumed run declined again: no computed answer


# -- exit codes and JSON errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_an_empty_question_is_bad_input(tmp_path, question):
    r = runner.invoke(app, ["ask", question, "--trace-db", str(tmp_path / "t.sqlite")])
    assert r.exit_code == 2 and "question is empty" in r.output
    assert not (tmp_path / "t.sqlite").exists()


@pytest.mark.parametrize("args", [["--world", "nowhere", "--do", "light=left"],
                                  ["--do", "light=sideways"],
                                  ["--do", "light=left", "--steps", "0"]])
def test_render_json_errors_are_json_on_stdout_and_a_line_on_stderr(args, tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path))
    r = runner.invoke(app, ["render", "--json", "--oracle", *args])
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["exit_code"] == 2 and doc["error"]["message"]
    assert r.stderr.startswith("error: ") and doc["error"]["message"] in r.stderr


@pytest.mark.parametrize("do", [["light=left", "light=right"], ["light=far left", "light_position=right"]])
def test_render_refuses_conflicting_interventions(do, tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path))
    r = runner.invoke(app, ["render", "--oracle", *[x for d in do for x in ("--do", d)]])
    assert r.exit_code == 2 and "conflicting interventions on light_position" in r.output
    assert not list(tmp_path.glob("*.png"))


def test_render_accepts_the_same_intervention_twice(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path))
    r = runner.invoke(app, ["render", "--oracle", "--do", "light=left", "--do", "light_position=left"])
    assert r.exit_code == 0, r.output


# -- configuration files --------------------------------------------------------------------------------------------------

def test_config_that_is_a_folder_says_so(tmp_path):
    r = runner.invoke(app, ["trace", "list", "--config", str(tmp_path)])
    assert r.exit_code == 2 and "is a folder" in r.output


@pytest.mark.parametrize("name,text", [("c.json", '{"backend": "offline", "recursion_limt": 12, "colour": 1}'),
                                       ("c.toml", 'backend = "offline"\nrecursion_limt = 12\ncolour = 1\n')])
def test_unknown_config_keys_are_named(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    r = runner.invoke(app, ["ask", Q, "--config", str(p), "--trace-db", str(tmp_path / "t.sqlite")])
    assert r.exit_code == 2 and "colour, recursion_limt" in r.output and "recursion_limit" in r.output


def test_config_that_is_not_an_object_is_refused(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('["offline"]')
    r = runner.invoke(app, ["ask", Q, "--config", str(p), "--trace-db", str(tmp_path / "t.sqlite")])
    assert r.exit_code == 2 and "not a table of settings" in r.output and "Traceback" not in r.output


# -- data files ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_a_csv_with_another_separator_is_read(tmp_path, sep):
    from fmcgm.discovery.table import load_table

    p = tmp_path / "obs.csv"
    p.write_text(f"rain{sep}traffic{sep}accidents\n0{sep}1{sep}0\n1{sep}1{sep}1\n0{sep}0{sep}0\n")
    t = load_table(p)
    assert t.names == ["rain", "traffic", "accidents"] and t.n == 3


# -- the side-by-side picture keeps its captions ------------------------------------------------------------------------

def test_a_long_caption_is_wrapped_inside_the_panel_not_cut_off():
    import numpy as np

    from fmcgm.vision.figures import PANEL, panel

    caption = "changed: light position, shadow position, shadow length, pendulum angle"
    img = panel(np.full((32, 32, 3), 255, np.uint8), "edit mask", [caption], n_lines=4)
    text_area = img[PANEL + 23:]
    assert (text_area[:, -4:] == 255).all()  # nothing runs into the right edge
    short = panel(np.full((32, 32, 3), 255, np.uint8), "edit mask", ["changed: light"], n_lines=1)
    assert img.shape[0] >= short.shape[0]


def test_wrap_keeps_every_word():
    from PIL import ImageFont

    from fmcgm.vision.figures import wrap

    font = ImageFont.load_default(size=13)
    line = "changed: light position, shadow position, shadow length " + "x" * 90
    out = wrap(line, font, 248)
    assert len(out) > 1 and all(font.getlength(w) <= 248 for w in out)
    assert "".join("".join(w.split()) for w in out) == "".join(line.split())


# -- the offline reasoner is not nudged ---------------------------------------------------------------------------------

def test_a_clarification_request_ends_the_turn_at_once():
    from agent.graph import run_question

    state = run_question(ASKS_BACK)
    nodes = [s["node"] for s in state["trace"]]
    assert nodes == ["start", "model", "tools", "finalize"], nodes
    assert state["answer"]["outcome"] == "declined" and state["answer"]["missing"]


def test_the_offline_reasoner_declining_in_words_is_not_sent_back(tmp_path):
    from agent.configuration import Settings
    from agent.graph import run_question

    p = tmp_path / "obs.csv"
    p.write_text("rain,accidents\n0,1\n1,1\n0,0\n1,0\n")
    state = run_question("Does snow affect sleds?", settings=Settings(data_path=str(p)))
    nodes = [s["node"] for s in state["trace"]]
    assert "nudge" not in nodes and nodes.count("model") == 1, nodes
    assert state["answer"]["outcome"] == "declined"


@pytest.mark.parametrize("cmd", [["eval", "discovery", "--networks", "asia", "--n", "100"], ["eval", "perf", "--quick"]])
def test_other_benchmarks_check_their_json_before_the_run(tmp_path, monkeypatch, cmd):
    import evals.discovery_eval as de
    import evals.perf_eval as pe

    monkeypatch.setattr(de, "main", lambda *a, **k: pytest.fail("the benchmark ran"))
    monkeypatch.setattr(pe, "report", lambda *a, **k: pytest.fail("the benchmark ran"))
    r = runner.invoke(app, [*cmd, "--json", str(tmp_path)])
    assert r.exit_code == 2 and "is a folder" in r.output
    r = runner.invoke(app, [*cmd, "--json", str(tmp_path / "missing" / "r.json")])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_trace_resume_stopped_by_the_recursion_limit_is_one_line_and_exit_1(tmp_path):
    db = tmp_path / "t.sqlite"
    _, ans = _ask(db, Q)
    first = _show(db, ans["thread_id"])["checkpoints"][0]["checkpoint_id"]
    cfg = tmp_path / "c.json"
    cfg.write_text('{"recursion_limit": 4}')
    r = runner.invoke(app, ["trace", "resume", ans["thread_id"], "--checkpoint", first, "--trace-db", str(db),
                            "--config", str(cfg)])
    assert r.exit_code == 1, r.output
    assert isinstance(r.exception, SystemExit)  # not a RecursionError after the run
    assert "recursion limit" in r.output and "Traceback" not in r.output


# -- install ---------------------------------------------------------------------------------------------------------------

def test_the_demo_sets_up_without_the_local_llm_and_the_tests_with_it():
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    setup_calls = {name: re.findall(r"\./scripts/setup\.sh(.*)", (root / "scripts" / name).read_text())
                   for name in ("demo.sh", "test.sh")}
    assert setup_calls["demo.sh"] == [" app"] and setup_calls["test.sh"] == [" dev,app,llm"]
    assert 'EXTRAS=${1:-app}' in (root / "scripts" / "setup.sh").read_text()
    project = tomllib.loads((root / "pyproject.toml").read_text())
    deps = project["project"]["dependencies"]
    assert not any(d.startswith("spacy") for d in deps)  # not used by the reader (start-up cost measured in README)
    assert not any(d.startswith("llama-cpp-python") for d in deps)  # only in the llm extra
    extras = project["project"]["optional-dependencies"]
    assert not any(d.startswith("transformers") for d in deps)  # the Stable Diffusion path only: sd extra (and dev)
    assert any(d.startswith("transformers") for d in extras["sd"]) and any(d.startswith("transformers") for d in extras["dev"])
    pins = (root / "constraints.txt").read_text().splitlines()
    assert "torch==2.13.0" in pins  # the local CPU wheel, never a CUDA build
