"""The app's parts without a server: streamed turns, graph pictures, trace views, uploads, backend checks."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from agent.configuration import Settings
from agent.graph import run_question
from fmcgm.app.answer import read_answer
from fmcgm.app.chat_messages import NOT_COMPUTED, answer_markdown, step_message
from fmcgm.app.connection import check_connection
from fmcgm.app.engine import Engine
from fmcgm.app.examples import APP_EXAMPLES
from fmcgm.app.graph_picture import draw_graph, graph_text, node_roles
from fmcgm.app.trace_view import graph_at, load_thread, step_markdown, step_rows, thread_rows
from fmcgm.app.turns import StepEvent, TurnEnd, stop_turn
from fmcgm.app.uploads import accept_upload, with_image
from fmcgm.errors import ParseError

EX = dict(APP_EXAMPLES)
FRONT = {"edges": [["genotype", "smoking"], ["genotype", "cancer"], ["smoking", "tar"], ["tar", "cancer"]],
         "latent": ["genotype"], "nodes": ["genotype", "smoking", "cancer", "tar"]}


@pytest.fixture()
def engine(tmp_path):
    return Engine(Settings(trace_db=str(tmp_path / "t.sqlite")))


def test_node_roles_mark_the_intervened_node_its_descendants_and_latents():
    assert node_roles(FRONT, ["smoking"]) == {"smoking": "intervened", "tar": "descendant", "cancer": "descendant",
                                              "genotype": "latent"}
    assert node_roles(FRONT, ["tar"])["smoking"] == "other"
    assert node_roles(FRONT, ["not_in_graph"]) == {"genotype": "latent", "smoking": "other", "tar": "other",
                                                   "cancer": "other"}
    text = graph_text(FRONT, ["smoking"], committed=True)
    assert text.startswith("committed graph") and "genotype [unobserved] → smoking [do]" in text


def test_draw_graph_writes_a_picture_named_by_its_content(tmp_path):
    a = draw_graph(FRONT, ["smoking"], True, tmp_path)
    assert a.parent == tmp_path and Image.open(a).size[0] >= 300
    assert draw_graph(FRONT, ["smoking"], True, tmp_path) == a
    assert draw_graph(FRONT, ["smoking"], False, tmp_path) != a  # committed or not is part of the picture


def test_a_streamed_turn_reports_each_step_then_the_answer(engine):
    events = list(engine.turn(EX["Front-door (hidden confounder)"], "stream-1"))
    steps, end = events[:-1], events[-1]
    assert all(isinstance(e, StepEvent) for e in steps) and isinstance(end, TurnEnd)
    assert [e.index for e in steps] == list(range(1, len(steps) + 1))
    tools = [e.tool for e in steps if e.tool]
    assert tools == ["propose_edges", "check_acyclicity", "estimate_effect"]
    proposed = next(e for e in steps if e.tool == "propose_edges")
    assert proposed.graph_changed and not proposed.committed and proposed.graph["latent"] == ["genotype"]
    commit = next(e for e in steps if e.node == "commit")
    assert commit.committed and commit.graph_changed
    estimate = next(e for e in steps if e.tool == "estimate_effect")
    assert estimate.intervened == ["smoking"]
    assert end.answer.computed and end.answer.payload["value"] == pytest.approx(0.168) and end.committed
    # the same object `fmcgm ask --json` prints
    direct = read_answer(run_question(EX["Front-door (hidden confounder)"], thread_id="stream-1b")).payload
    assert end.answer.payload == direct | {"thread_id": "stream-1"}


def test_chat_messages_are_collapsible_steps_and_a_labelled_answer(engine):
    events = list(engine.turn(EX["Not identifiable"], "msg-1"))
    msg = step_message(next(e for e in events if isinstance(e, StepEvent) and e.tool == "estimate_effect"))
    assert msg["metadata"]["title"].startswith("tool estimate_effect") and msg["metadata"]["status"] == "done"
    assert "**arguments**" in msg["content"] and "**result**" in msg["content"]
    end = events[-1]
    assert end.answer.outcome == "not_identifiable" and answer_markdown(end.answer).startswith("**Not identifiable**")
    follow = list(engine.turn("What about the weather tomorrow?", "msg-1"))[-1]
    assert not follow.answer.computed and follow.answer.payload["answer"] is None
    assert answer_markdown(follow.answer).startswith(f"**{NOT_COMPUTED}**")


def test_an_interrupted_turn_is_closed_and_the_thread_goes_on(engine):
    turn = engine.turn(EX["Pendulum image"], "stop-1")
    for ev in turn:
        if ev.title == "model → render_image":
            break  # as Ctrl-C does: the render never starts
    turn.close()
    stop_turn(engine.agent(), "stop-1", "stopped by the user")
    snap = engine.agent().get_state({"configurable": {"thread_id": "stop-1"}})
    assert not snap.next and snap.values["outcome"] == "error"
    end = list(engine.turn(EX["Front-door (hidden confounder)"], "stop-1"))[-1]
    assert end.answer.computed and end.answer.payload["answer"] == "yes"


def test_trace_view_steps_through_a_stored_thread(engine, tmp_path):
    list(engine.turn(EX["Front-door (hidden confounder)"], "tv-1"))
    rows = thread_rows(engine.reader, engine.store)
    assert rows[0][1] == "tv-1" and rows[0][3:] == ["offline", "answered"]
    rec = load_thread(engine.reader, "tv-1")
    table = step_rows(rec)
    i = next(r[0] for r in table if r[1] == "tool propose_edges")
    graph, committed, do = graph_at(rec, i)
    assert graph["latent"] == ["genotype"] and not committed and do == []
    last = len(rec["steps"])
    graph, committed, do = graph_at(rec, last)
    assert committed and do == ["smoking"]
    assert "**result**" in step_markdown(rec, i) and "propose_edges" in step_markdown(rec, i)
    crit = next(r[0] for r in table if r[1].startswith("critique"))
    assert "critique round 1" in step_markdown(rec, crit)


def test_uploads_are_checked_for_type_size_and_dimensions(tmp_path):
    out = tmp_path / "out"
    fake = tmp_path / "x.png"
    fake.write_bytes(b"#!/bin/sh\necho hi\n")
    with pytest.raises(ParseError, match="not a readable image"):
        accept_upload(fake, out)
    gif = tmp_path / "a.png"
    Image.new("RGB", (8, 8)).save(gif, format="GIF")  # the content decides, not the name
    with pytest.raises(ParseError, match="GIF, not PNG or JPEG"):
        accept_upload(gif, out)
    wide = tmp_path / "wide.png"
    Image.new("RGB", (3000, 4)).save(wide)
    with pytest.raises(ParseError, match="3000×4 pixels"):
        accept_upload(wide, out)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff" * (6 * 1024 * 1024))
    with pytest.raises(ParseError, match="over the 5 MB limit"):
        accept_upload(big, out)
    good = tmp_path / "scene.jpg"
    Image.new("RGB", (96, 96), "white").save(good)
    kept = accept_upload(good, out)
    assert kept.parent == out and Image.open(kept).format == "PNG"
    visual = "What would the stream look like if the ball were large?"
    assert with_image(visual, kept) == f"{visual} The factual image is {kept}"
    assert with_image(EX["Not identifiable"], kept) == EX["Not identifiable"]  # not about a world: untouched
    assert with_image(visual, None) == visual


def test_a_transparent_upload_is_kept_on_white(tmp_path):
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(clear)  # transparent black
    kept = accept_upload(clear, tmp_path / "out")
    assert Image.open(kept).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


class _Models(BaseHTTPRequestHandler):
    status, body = 200, {}

    def log_message(self, *a):
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        data = json.dumps(self.body).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def fake_server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


def test_a_backend_that_cannot_be_set_up_is_a_readable_turn(engine):
    end = list(engine.turn("Will A increase the chance of B?", "bad-1", Settings(backend="ollama", model="")))[-1]
    assert isinstance(end, TurnEnd) and not end.answer.computed and end.answer.outcome == "error"
    assert "needs a model name" in end.answer.payload["error"]


def test_test_connection_says_plainly_what_is_wrong(fake_server):
    url = f"http://127.0.0.1:{fake_server.server_port}"
    assert check_connection(Settings(backend="offline"))[0]
    ok, text = check_connection(Settings(backend="ollama", model="qwen2.5", base_url="http://127.0.0.1:9"))
    assert not ok and "Nothing answers at http://127.0.0.1:9" in text and "ollama serve" in text
    assert "needs a model name" in check_connection(Settings(backend="openai", base_url=url))[1]
    _Models.status, _Models.body = 200, {"data": [{"id": "smollm2"}]}
    assert check_connection(Settings(backend="openai", model="smollm2", base_url=url + "/v1"))[0]
    ok, text = check_connection(Settings(backend="openai", model="gpt-x", base_url=url + "/v1"))
    assert not ok and "has no model 'gpt-x' (it has: smollm2)" in text
    _Models.body = {"models": [{"name": "qwen2.5:latest"}]}
    assert check_connection(Settings(backend="ollama", model="qwen2.5", base_url=url))[0]
    ok, text = check_connection(Settings(backend="ollama", model="llama3", base_url=url))
    assert not ok and "ollama pull llama3" in text
    _Models.status = 401
    assert "refused the API key" in check_connection(Settings(backend="openai", model="m", base_url=url, api_key="k"))[1]
    _Models.status = 404
    assert "/v1" in check_connection(Settings(backend="openai", model="m", base_url=url))[1]


def test_serve_warns_when_not_on_loopback(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import fmcgm.app.web as web
    from fmcgm.cli import app as cli

    calls = []
    monkeypatch.setattr(web, "serve", lambda cfg, host, port: calls.append((host, port, cfg.output_dir)))
    for var in ("FMCGM_OUTPUT_DIR", "GRADIO_TEMP_DIR"):  # serve sets both; restored after the test
        monkeypatch.setenv(var, str(tmp_path / "default"))
    args = ["serve", "--port", "7999", "--trace-db", str(tmp_path / "t.sqlite"), "--output", str(tmp_path / "out")]
    quiet = CliRunner().invoke(cli, args)
    assert quiet.exit_code == 0 and "warning" not in quiet.output and calls[-1][0] == "127.0.0.1"
    loud = CliRunner().invoke(cli, [*args, "--host", "0.0.0.0"])
    assert loud.exit_code == 0 and "warning" in loud.output and "not loopback" in loud.output
    assert calls[-1] == ("0.0.0.0", 7999, (tmp_path / "out").resolve())
