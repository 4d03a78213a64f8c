"""Bad input at the command line: one clear line naming the file or value, the right exit code, no traceback."""

import json
import os

import pytest
from test_agent import Q
from typer.testing import CliRunner

from fmcgm.cli import app
from fmcgm.terminal import plain

runner = CliRunner()


def _no_traceback(r):
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception


def _store(tmp_path, kind: str) -> str:
    p = tmp_path / "store.sqlite"
    if kind == "random":
        p.write_bytes(os.urandom(4096))
    elif kind == "header_then_garbage":
        p.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    elif kind == "directory":
        p.mkdir()
    elif kind == "parent_is_file":
        (tmp_path / "file").write_text("x")
        return str(tmp_path / "file" / "store.sqlite")
    return str(p)


@pytest.mark.parametrize("kind", ["random", "header_then_garbage", "directory", "parent_is_file"])
@pytest.mark.parametrize("cmd", [["ask", Q], ["trace", "list"], ["trace", "show", "abc"]])
def test_unusable_trace_store_is_one_clear_line(tmp_path, kind, cmd):
    path = _store(tmp_path, kind)
    r = runner.invoke(app, [*cmd, "--trace-db", path])
    _no_traceback(r)
    assert r.exit_code == 2 and "store.sqlite" in r.output, r.output


def test_read_only_commands_do_not_create(tmp_path):
    path = tmp_path / "typo" / "none.sqlite"
    for cmd in (["trace", "list"], ["trace", "show", "x"], ["trace", "resume", "x", "--checkpoint", "y"]):
        r = runner.invoke(app, [*cmd, "--trace-db", str(path)])
        assert r.exit_code == 2 and "no trace store" in r.output
    assert not path.exists() and not path.parent.exists()


@pytest.mark.parametrize("thread", ["bad\udcffid", "", "a\x1b[2Jb", "x" * 300])
def test_invalid_thread_ids(tmp_path, thread):
    r = runner.invoke(app, ["ask", "--thread", thread, "--trace-db", str(tmp_path / "t.sqlite"), Q])
    _no_traceback(r)
    assert r.exit_code == 2 and "thread id" in r.output


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_eval_limit_must_be_positive(limit):
    from conftest import DEV

    r = runner.invoke(app, ["eval", "cladder", "--data", str(DEV), "--limit", limit])
    assert r.exit_code == 2 and "--limit" in r.output


def test_eval_undecodable_file_names_the_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"question_id": 1, "prompt": "q", "answer": "yes"}\n{"question_id": 2, "prompt": "\xff\xfe"}\n')
    r = runner.invoke(app, ["eval", "cladder", "--data", str(p)])
    assert r.exit_code == 2 and "bad.jsonl:2" in r.output and "UTF-8" in r.output


@pytest.mark.parametrize("content,needle", [(b"a,b\n\xff\xfe,1\n", "UTF-8"), (b"a,b\n1\n", "line 2"),
                                            (b"a,b\nx,1\n", "non-numeric"), (b"", "no data rows")])
def test_bad_data_csv_names_the_file(tmp_path, content, needle):
    p = tmp_path / "obs.csv"
    p.write_bytes(content)
    r = runner.invoke(app, ["ask", "--data", str(p), "--trace-db", str(tmp_path / "t.sqlite"), Q])
    assert r.exit_code == 2 and "obs.csv" in r.output and needle in r.output


def test_data_path_that_is_a_folder(tmp_path):
    r = runner.invoke(app, ["ask", "--data", str(tmp_path), "--trace-db", str(tmp_path / "t.sqlite"), Q])
    assert r.exit_code == 2 and "folder" in r.output


def test_terminal_escapes_are_shown_not_executed(tmp_path):
    db = str(tmp_path / "t.sqlite")
    evil = "\x1b]0;owned\x07\x1b[2J Will \x1b[31mred\x1b[0m increase \x9b the chance? \x00"
    r = runner.invoke(app, ["ask", "--trace-db", db, "--thread", "E1", evil])
    assert "\x1b" not in r.output and "\x9b" not in r.output and "\x00" not in r.output
    r = runner.invoke(app, ["trace", "list", "--trace-db", db])
    assert r.exit_code == 0 and "\x1b" not in r.output and "\\x1b" in r.output
    r = runner.invoke(app, ["trace", "show", "E1", "--trace-db", db])
    assert r.exit_code == 0 and "\x1b" not in r.output
    r = runner.invoke(app, ["trace", "list", "--json", "--trace-db", db])
    assert json.loads(r.stdout)[0]["thread_id"] == "E1"  # JSON output keeps the data (escaped by JSON itself)


def test_plain_keeps_text_and_marks_controls():
    assert plain("naïve café → ok\nnext\tcol") == "naïve café → ok\nnext\tcol"
    assert plain("a\x1b[2Jb\x07\u202e") == "a\\x1b[2Jb\\x07\\u202e"


def test_eval_without_the_benchmarks_installed_is_one_clear_line(monkeypatch, tmp_path):
    """The product reaches evals by name only (tests/test_layers.py); an install without them says so."""
    import importlib

    real = importlib.import_module

    def no_evals(name, *a, **k):
        if name.startswith("evals"):
            raise ModuleNotFoundError(f"No module named {name!r}", name="evals")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", no_evals)
    r = runner.invoke(app, ["eval", "perf", "--quick"])
    _no_traceback(r)
    assert r.exit_code == 2 and "benchmarks are not installed (evals.perf_eval)" in plain(r.output)
