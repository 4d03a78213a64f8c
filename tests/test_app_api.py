"""The web app's /ask endpoint through gradio_client, against a server the test starts on loopback."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client
from test_agent import Q
from typer.testing import CliRunner

from fmcgm.app.examples import APP_EXAMPLES
from fmcgm.cli import app as cli
from fmcgm.vocabulary import EstimandKind

BACKDOOR = dict(APP_EXAMPLES)["Confounder (back-door)"]
FRONTDOOR = dict(APP_EXAMPLES)["Front-door (hidden confounder)"]


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def _cli_json(args: list[str]) -> dict:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_ask_returns_what_ask_json_prints(client, tmp_path):
    served = client.predict(Q, "api-same", api_name="/ask")
    printed = _cli_json(["ask", "--json", "--trace-db", str(tmp_path / "t.sqlite"), "--thread", "api-same", Q])
    assert served == printed
    assert served["answer"] == "yes" and served["thread_id"] == "api-same"


def test_follow_up_on_the_same_thread_is_listed_by_trace_list(client, app_server):
    first = client.predict(BACKDOOR, "api-follow", api_name="/ask")
    assert first["answer"] == "yes" and first["value"] == pytest.approx(-0.088)
    second = client.predict(FRONTDOOR, "api-follow", api_name="/ask")
    assert second["thread_id"] == "api-follow" and second["value"] == pytest.approx(0.168)
    rows = _cli_json(["trace", "list", "--json", "--trace-db", str(app_server.trace_db)])
    row = next(r for r in rows if r["thread_id"] == "api-follow")
    assert row["question"] == FRONTDOOR and row["outcome"] == "answered"
    steps = _cli_json(["trace", "show", "api-follow", "--json", "--trace-db", str(app_server.trace_db)])["steps"]
    assert [s["node"] for s in steps].count("start") == 2  # both turns on one thread
    effect = [s["result"]["data"] for s in steps if s.get("tool") == "estimate_effect" and s["result"]["ok"]][-1]
    assert effect["identification"]["kind"] == EstimandKind.FRONTDOOR  # the second turn's estimand, by its fields


def test_two_threads_in_parallel_keep_their_answers(app_server):
    questions = {"par-a": BACKDOOR, "par-b": FRONTDOOR, "par-c": BACKDOOR, "par-d": FRONTDOOR}

    def ask(item):
        tid, q = item
        return Client(app_server.url, verbose=False).predict(q, tid, api_name="/ask")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(ask, questions.items()))
    for (tid, q), res in zip(questions.items(), results, strict=True):
        assert res["thread_id"] == tid
        assert res["value"] == pytest.approx(-0.088 if q == BACKDOOR else 0.168)


def test_empty_question_and_unreadable_question_are_readable_errors(client):
    empty = client.predict("   ", "", api_name="/ask")
    assert empty["answer"] is None and "empty" in empty["error"] and empty["thread_id"] and not empty["computed"]
    odd = client.predict("What about the weather tomorrow?", "", api_name="/ask")
    assert odd["answer"] is None and odd["value"] is None and not odd["computed"] and odd["outcome"] == "declined"
    assert client.predict(Q, "", api_name="/ask")["answer"] == "yes"  # and the server keeps serving


def test_files_are_served_from_the_output_folder_only(client, app_server):
    import httpx
    from app_server import ROOT

    outside = [ROOT / "README.md", app_server.trace_db, app_server.output.parent / "server.log"]
    for path in outside:
        r = httpx.get(f"{app_server.url}gradio_api/file={path}", timeout=10)
        assert r.status_code in (403, 404), (path, r.status_code)
    inside = app_server.output / "probe.png"
    inside.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert httpx.get(f"{app_server.url}gradio_api/file={inside.resolve()}", timeout=10).status_code == 200
