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
