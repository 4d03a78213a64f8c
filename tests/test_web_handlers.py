"""The web app's handlers are module-level functions that return dicts keyed by the components they update
(a component left out keeps its value): no positional tuples of ``gr.skip()``.

Plain strings stand in for the components here; tests/test_app_browser.py drives the real page.
"""

import gradio as gr
import pytest
from PIL import Image
from test_agent import Q

from agent.configuration import Settings
from fmcgm.app import web
from fmcgm.app.engine import Engine

CHAT = web.ChatView(*[f"chat.{n}" for n in ("chatbot", "graph", "images", "factual", "counterfactual", "mask",
                                            "side_by_side", "question", "session", "thread")])
TRACE = web.TraceView(*[f"trace.{n}" for n in ("head", "steps", "step", "step_detail", "step_graph", "download")])
UPLOAD = web.UploadView("up.status", "up.session", "up.preview", "up.box")
SETTINGS = web.SettingsView("settings.values", "settings.status")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    out = tmp_path_factory.mktemp("web")
    cfg = web.AppConfig(Settings(trace_db=str(out / "t.sqlite")), out)
    return web.Web(cfg, Engine(cfg.settings))


def _no_skips(update: dict, allowed: list) -> None:
    assert set(update) <= set(allowed), set(update) - set(allowed)
    assert gr.skip() not in update.values()


def test_an_empty_question_changes_only_the_box_and_the_session(app):
    (only,) = list(web.respond(app, CHAT, "  ", [], {}, {}))
    assert only == {CHAT.chatbot: [], CHAT.question: "", CHAT.session: {}}


def test_a_turn_streams_dicts_steps_first_then_the_answer_with_its_graph(app):
    updates = list(web.respond(app, CHAT, Q, [], {}, {}))
    for u in updates:
        _no_skips(u, CHAT.outputs)
    first, *steps, last = updates
    assert first[CHAT.question] == "" and first[CHAT.chatbot][-1] == {"role": "user", "content": Q}
    assert first[CHAT.thread] == f"thread `{first[CHAT.session]['thread_id']}`"
    assert steps and all(len(u[CHAT.chatbot]) > len(first[CHAT.chatbot]) for u in steps)
    assert any(CHAT.graph in u for u in steps) and not all(CHAT.graph in u for u in steps)  # only when it changed
    assert last[CHAT.graph] and last[CHAT.chatbot][-1]["role"] == "assistant"
    assert last[CHAT.images].visible is False and last[CHAT.factual] is None  # no images for a number


def test_invalid_settings_are_a_readable_turn(app):
    updates = list(web.respond(app, CHAT, Q, [], {}, {"backend": "no-such-backend"}))
    assert len(updates) == 1 and "settings are not valid" in updates[0][CHAT.chatbot][-1]["content"]
    _no_skips(updates[0], CHAT.outputs)


def test_a_new_conversation_clears_everything_but_the_question_box(app):
    update = web.new_conversation(CHAT, {"thread_id": "old", "upload": "x.png"})
    assert set(update) == set(CHAT.outputs) - {CHAT.question}
    assert update[CHAT.chatbot] == [] and update[CHAT.session]["upload"] == "x.png"
    assert update[CHAT.session]["thread_id"] != "old" and update[CHAT.images].visible is False


def test_an_upload_refused_empties_the_box_one_accepted_leaves_it(app, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    refused = web.upload(app, UPLOAD, str(bad), {"upload": "old.png"})
    assert refused[UPLOAD.box] is None and refused[UPLOAD.status].startswith("✗")
    assert "upload" not in refused[UPLOAD.session]
    good = tmp_path / "good.png"
    Image.new("RGB", (64, 64), "white").save(good)
    kept = web.upload(app, UPLOAD, str(good), {})
    assert UPLOAD.box not in kept and kept[UPLOAD.status].startswith("✓")
    assert kept[UPLOAD.session]["upload"] == kept[UPLOAD.preview]


def test_settings_that_do_not_validate_leave_the_tabs_own(app):
    fields = {f: "" for f in web.SETTING_FIELDS}
    bad = web.apply_settings(app, SETTINGS, *{**fields, "backend": "no-such-backend"}.values())
    assert set(bad) == {SETTINGS.status} and bad[SETTINGS.status].startswith("✗ Not applied")
    good = web.apply_settings(app, SETTINGS, *{**fields, "backend": "offline"}.values())
    assert good[SETTINGS.values]["backend"] == "offline" and "backend **offline**" in good[SETTINGS.status]


def test_the_trace_tab_without_a_thread(app):
    update = web.open_thread(app, TRACE, None)
    assert set(update) == set(TRACE.outputs) and update[TRACE.head] == "Pick a thread."
    assert web.open_thread(app, TRACE, "no-such-thread")[TRACE.head].startswith("✗")
    assert web.previous_step(1) == 1 and web.previous_step(3) == 2 and web.next_step(None) == 2


def test_the_ask_endpoint_keeps_its_signature():
    import inspect

    endpoint = web._api(None)  # type: ignore[arg-type]
    assert list(inspect.signature(endpoint).parameters) == ["question", "thread_id"]
    assert endpoint.__doc__ == web.ask.__doc__
