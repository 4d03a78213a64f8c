"""The Gradio web app: Chat (with the graph panel and the images), Images (upload), Trace, Settings,
and the named API endpoint ``/ask``.

Per browser tab, ``gr.State`` holds the conversation's thread id, the uploaded image and the
settings, so tabs never share a thread; every turn runs on its own thread id, so concurrent
questions cannot mix answers. Files are written to, and served from, the output folder only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from agent.configuration import Settings
from fmcgm.app.answer import error_answer, read_answer
from fmcgm.app.chat_messages import answer_markdown, step_message
from fmcgm.app.connection import backend_choices, check_connection
from fmcgm.app.engine import Engine, new_thread_id
from fmcgm.app.examples import APP_EXAMPLES
from fmcgm.app.graph_picture import draw_graph
from fmcgm.app.trace_view import (
    STEP_COLUMNS,
    THREAD_COLUMNS,
    export_json,
    graph_at,
    load_thread,
    step_markdown,
    step_rows,
    thread_rows,
)
from fmcgm.app.turns import StepEvent, TurnEnd
from fmcgm.app.uploads import accept_upload, with_image
from fmcgm.app.warm import start_warm_up
from fmcgm.errors import FMCGMError

SETTING_FIELDS = [f for f in ("backend", "model", "base_url", "api_key", "model_path") if f in Settings.model_fields]
PANEL_HEIGHT = 400  # a counterfactual figure's panel (256-px scene, title, values, verdict) at its own size
NO_UPLOAD = "No image: visual questions start from a sampled scene."


@dataclass
class AppConfig:
    settings: Settings
    output_dir: Path

    @property
    def graphs(self) -> Path:
        return self.output_dir / "graphs"


def _settings_of(base: Settings, values: dict[str, Any] | None) -> Settings:
    return Settings.model_validate({**base.model_dump(), **(values or {})})


@dataclass
class Web:
    """What the handlers share: the app's configuration and the engine that runs turns and reads traces."""
    cfg: AppConfig
    engine: Engine


@dataclass
class ChatView:
    """The Chat tab's components a turn updates: the keys of the chat handlers' dict returns (a component
    left out of a return keeps its value)."""
    chatbot: Any
    graph: Any
    images: Any  # the row of answer images, shown when an answer has images
    factual: Any
    counterfactual: Any
    mask: Any
    side_by_side: Any
    question: Any
    session: Any
    thread: Any

    @property
    def outputs(self) -> list:
        return [self.chatbot, self.graph, self.images, self.factual, self.counterfactual, self.mask,
                self.side_by_side, self.question, self.session, self.thread]

    def answer_images(self, images: dict[str, str] | None) -> dict:
        """The image row and its pictures for an answer's images (none: the row hidden, the pictures cleared)."""
        imgs = images or {}
        return {self.images: gr.Row(visible=bool(imgs)), self.factual: imgs.get("factual"),
                self.counterfactual: imgs.get("counterfactual"), self.mask: imgs.get("mask"),
                self.side_by_side: imgs.get("side_by_side")}


@dataclass
class TraceView:
    """The Trace tab's components one thread fills."""
    head: Any
    steps: Any
    step: Any
    step_detail: Any
    step_graph: Any
    download: Any

    @property
    def outputs(self) -> list:
        return [self.head, self.steps, self.step, self.step_detail, self.step_graph, self.download]


@dataclass
class UploadView:
    """The Images tab's components an upload updates."""
    status: Any
    session: Any
    preview: Any
    box: Any

    @property
    def outputs(self) -> list:
        return [self.status, self.session, self.preview, self.box]


@dataclass
class SettingsView:
    """The Settings tab's outputs: the tab's settings (a state) and the status line."""
    values: Any
    status: Any

    @property
    def outputs(self) -> list:
        return [self.values, self.status]


def picture(web: Web, graph: dict | None, intervened: list[str], committed: bool) -> str | None:
    return str(draw_graph(graph, intervened, committed, web.cfg.graphs)) if graph and graph.get("edges") else None


def respond(web: Web, chat: ChatView, question: str, history: list, session: dict, values: dict) -> Iterator[dict]:
    """One chat turn: the question, then each step as it runs, then the answer (and its graph and images)."""
    question = (question or "").strip()
    session = dict(session or {})
    if not question:
        yield {chat.chatbot: history, chat.question: question, chat.session: session}
        return
    session["thread_id"] = session.get("thread_id") or new_thread_id()
    history = [*(history or []), {"role": "user", "content": question}]
    turn = {chat.question: "", chat.session: session, chat.thread: f"thread `{session['thread_id']}`"}
    try:
        settings = _settings_of(web.cfg.settings, values)
    except ValueError as e:
        history.append({"role": "assistant", "content": f"**⚠ not computed** — the settings are not valid: {e}"})
        yield {chat.chatbot: history, **turn}
        return
    yield {chat.chatbot: history, **turn}
    upload = Path(session["upload"]) if session.get("upload") else None
    try:
        for ev in web.engine.turn(with_image(question, upload), session["thread_id"], settings):
            if isinstance(ev, StepEvent):
                history = [*history, step_message(ev)]
                graph = {chat.graph: picture(web, ev.graph, ev.intervened, ev.committed)} if ev.graph_changed else {}
                yield {chat.chatbot: history, **graph, **turn}
            elif isinstance(ev, TurnEnd):
                history = [*history, {"role": "assistant", "content": answer_markdown(ev.answer)}]
                yield {chat.chatbot: history, chat.graph: picture(web, ev.graph, ev.intervened, ev.committed),
                       **chat.answer_images(ev.answer.images), **turn}
    except Exception as e:  # noqa: BLE001 - showing a turn failed: still a readable message, and the app serves on
        history = [*history, {"role": "assistant", "content": f"**⚠ not computed** — the app could not show this "
                                                               f"turn ({type(e).__name__}: {e})"}]
        yield {chat.chatbot: history, **turn}


def new_conversation(chat: ChatView, session: dict) -> dict:
    session = {**(session or {}), "thread_id": new_thread_id()}
    return {chat.chatbot: [], chat.graph: None, **chat.answer_images(None), chat.session: session,
            chat.thread: f"thread `{session['thread_id']}` (new)"}


def start_tab() -> tuple[dict, str]:
    """Each browser tab starts its own thread."""
    tid = new_thread_id()
    return {"thread_id": tid}, f"thread `{tid}`"


def upload(web: Web, view: UploadView, path: str | None, session: dict) -> dict:
    """Keep an uploaded image for the next visual question; a refused file empties the box for another try."""
    session = dict(session or {})
    session.pop("upload", None)
    try:
        kept = accept_upload(path or "", web.cfg.output_dir / "uploads")
    except FMCGMError as e:
        return {view.status: f"✗ {e}", view.session: session, view.preview: None, view.box: None}
    session["upload"] = str(kept)
    return {view.status: "✓ Image accepted. Ask a visual question in the Chat tab (e.g. *What would the shadow look "
                         "like if the light were on the far left?*); the counterfactual starts from this image.",
            view.session: session, view.preview: str(kept)}


def forget_upload(session: dict) -> tuple[str, dict, None]:
    return NO_UPLOAD, {k: v for k, v in (session or {}).items() if k != "upload"}, None


def refresh_threads(web: Web, session: dict) -> tuple:
    rows = thread_rows(web.engine.reader, web.engine.store)
    ids = [r[1] for r in rows]
    current = (session or {}).get("thread_id")
    return rows, gr.Dropdown(choices=ids, value=current if current in ids else (ids[0] if ids else None))


def open_thread(web: Web, trace: TraceView, thread_id: str | None) -> dict:
    empty = {trace.steps: [], trace.step: 1, trace.step_detail: "", trace.step_graph: None, trace.download: None}
    if not thread_id:
        return {trace.head: "Pick a thread.", **empty}
    try:
        rec = load_thread(web.engine.reader, thread_id)
    except FMCGMError as e:
        return {trace.head: f"✗ {e}", **empty}
    head = (f"**{rec['thread_id']}** · backend {rec['backend']} · outcome **{rec['outcome']}** · "
            f"started {(rec['started_at'] or '')[:19]} · {len(rec['steps'])} steps\n\n> {rec['question']}")
    n = max(len(rec["steps"]), 1)
    md, pic = show_step(web, thread_id, n)
    return {trace.head: head, trace.steps: step_rows(rec), trace.step: n, trace.step_detail: md,
            trace.step_graph: pic, trace.download: str(export_json(rec, web.cfg.output_dir / "traces"))}


def show_step(web: Web, thread_id: str | None, index: float) -> tuple[str, str | None]:
    if not thread_id:
        return "", None
    try:
        rec = load_thread(web.engine.reader, thread_id)
    except FMCGMError as e:
        return f"✗ {e}", None
    if not rec["steps"]:
        return "This thread has no steps.", None
    i = min(max(int(index or 1), 1), len(rec["steps"]))
    graph, committed, do = graph_at(rec, i)
    return step_markdown(rec, i), picture(web, graph, do, committed)


def pick_step(evt: gr.SelectData) -> int:
    return int(evt.index[0]) + 1


def previous_step(index: float | None) -> int:
    return max(int(index or 1) - 1, 1)


def next_step(index: float | None) -> int:
    return int(index or 1) + 1


def apply_settings(web: Web, view: SettingsView, *vals: Any) -> dict:
    """The fields' values for this browser tab, when they make valid settings (else the tab keeps its own)."""
    values: dict[str, Any] = dict(zip(SETTING_FIELDS, vals, strict=True))
    try:
        s = _settings_of(web.cfg.settings, values)
    except ValueError as e:
        return {view.status: f"✗ Not applied: {e}"}
    model = f", model **{s.model}**" if s.model else ""
    return {view.values: values, view.status: f"✓ Applied to this browser tab: backend **{s.backend}**{model}"}


def check_settings(web: Web, *vals: Any) -> str:
    try:
        s = _settings_of(web.cfg.settings, dict(zip(SETTING_FIELDS, vals, strict=True)))
    except ValueError as e:
        return f"✗ The settings are not valid: {e}"
    ok, text = check_connection(s)
    return ("✓ " if ok else "✗ ") + text


def ask(web: Web, question: str, thread_id: str = "") -> dict:
    """Answer one question on a thread (empty: a new one); returns the object `fmcgm ask --json` prints."""
    tid = (thread_id or "").strip() or new_thread_id()
    if len(tid) > 200 or not tid.isprintable():
        msg = "invalid thread id: use 1-200 printable characters (or leave it empty for a new thread)"
        return read_answer(error_answer(question or "", new_thread_id(), msg, "input")).payload
    if not (question or "").strip():
        msg = "the question is empty: send a causal question in plain language"
        return read_answer(error_answer("", tid, msg, "input")).payload
    return web.engine.ask(question.strip(), tid).answer.payload


def _api(web: Web) -> Callable[[str, str], dict]:
    """``/ask`` with the signature and types Gradio reads for its API page."""

    def ask_endpoint(question: str, thread_id: str = "") -> dict:
        return ask(web, question, thread_id)

    ask_endpoint.__doc__ = ask.__doc__
    return ask_endpoint


def build_app(cfg: AppConfig) -> gr.Blocks:
    from fmcgm.worlds import all_worlds

    web = Web(cfg, Engine(cfg.settings))
    defaults = {f: getattr(cfg.settings, f) for f in SETTING_FIELDS}
    with gr.Blocks(title="FM-CGM") as demo:
        session = gr.State({})
        values = gr.State(defaults)
        gr.Markdown("## FM-CGM — causal questions, answered exactly")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="Conversation", height=560, elem_id="chat",
                                             placeholder="Ask a causal question, or click an example below.")
                        msg = gr.Textbox(show_label=False, placeholder="Ask a causal question and press Enter",
                                         elem_id="question", lines=1, max_lines=8, submit_btn=True)
                        gr.Markdown("**Examples**")
                        with gr.Row():
                            buttons = [(gr.Button(label, size="sm", elem_classes=["example"]), q) for label, q in APP_EXAMPLES]
                        with gr.Row():
                            new = gr.Button("New conversation", size="sm", variant="secondary", elem_id="new-conversation")
                            thread_md = gr.Markdown("", elem_id="thread-id")
                    with gr.Column(scale=2):
                        graph_img = gr.Image(label="Causal graph", type="filepath", format="png", height=420,
                                             interactive=False, elem_id="graph-picture", buttons=["download", "fullscreen"])
                with gr.Row(visible=False, elem_id="answer-images") as img_row:
                    # the panels of fmcgm.vision.figures.counterfactual_figure (the ones `fmcgm render` writes),
                    # at their own size: labelled, smooth, the check's verdict under the counterfactual
                    factual = gr.Image(label="factual", type="filepath", format="png", height=PANEL_HEIGHT,
                                       interactive=False, elem_id="img-factual", buttons=["download", "fullscreen"])
                    counter = gr.Image(label="counterfactual", type="filepath", format="png", height=PANEL_HEIGHT,
                                       interactive=False, elem_id="img-counterfactual", buttons=["download", "fullscreen"])
                    mask = gr.Image(label="edit mask", type="filepath", format="png", height=PANEL_HEIGHT,
                                    interactive=False, elem_id="img-mask", buttons=["download", "fullscreen"])
            with gr.Tab("Images", id="images"):
                gr.Markdown(f"Upload your own image of a supported world ({' or '.join(w.title for w in all_worlds())}; "
                            "PNG or JPEG, at most 5 MB and 2048 px). The next visual question in the Chat tab starts "
                            "from it.")
                with gr.Row():
                    up = gr.File(label="your image", file_types=[".png", ".jpg", ".jpeg"], type="filepath",
                                 elem_id="upload")
                    up_preview = gr.Image(label="accepted image", type="filepath", format="png", height=300,
                                          interactive=False)
                up_status = gr.Markdown(NO_UPLOAD, elem_id="upload-status")
                side = gr.Image(label="factual | counterfactual | edit mask (latest answer)", type="filepath",
                                format="png", height=PANEL_HEIGHT, interactive=False, elem_id="img-side-by-side",
                                buttons=["download", "fullscreen"])
            with gr.Tab("Trace", id="trace") as trace_tab:
                with gr.Row():
                    refresh = gr.Button("Refresh", size="sm", scale=0)
                    thread_dd = gr.Dropdown(label="thread", choices=[], elem_id="trace-thread", scale=3)
                threads_df = gr.Dataframe(headers=THREAD_COLUMNS, interactive=False, label="stored threads",
                                          max_height=220, elem_id="trace-threads", wrap=True,
                                          column_widths=["16%", "12%", "50%", "10%", "12%"])
                trace_head = gr.Markdown("", elem_id="trace-head")
                steps_df = gr.Dataframe(headers=STEP_COLUMNS, interactive=False, label="steps (click one)",
                                        max_height=300, elem_id="trace-steps", wrap=True,
                                        column_widths=["6%", "26%", "52%", "8%", "8%"])
                with gr.Row():
                    prev_btn = gr.Button("◀ previous step", size="sm", scale=0)
                    step_slider = gr.Number(value=1, precision=0, minimum=1, label="step", elem_id="trace-step", scale=0,
                                            min_width=120)
                    next_btn = gr.Button("next step ▶", size="sm", scale=0)
                with gr.Row():
                    step_md = gr.Markdown("", elem_id="trace-step-detail")
                    step_graph = gr.Image(label="graph at this step", type="filepath", format="png", height=360,
                                          interactive=False, elem_id="trace-graph")
                download = gr.DownloadButton("Download trace (JSON)", elem_id="trace-download")
            with gr.Tab("Settings", id="settings"):
                gr.Markdown("Settings apply to this browser tab. The offline reasoner needs no network; Ollama, "
                            "OpenAI-compatible servers and llama.cpp run real models.")
                fields: list[gr.components.Component] = []
                for f in SETTING_FIELDS:
                    if f == "backend":
                        fields.append(gr.Dropdown(label="backend", choices=backend_choices(), value=defaults[f]))
                    else:
                        fields.append(gr.Textbox(label=f.replace("_", " "), value=str(defaults[f] or ""),
                                                 type="password" if f == "api_key" else "text"))
                with gr.Row():
                    apply_btn = gr.Button("Apply", variant="primary")
                    test_btn = gr.Button("Test connection")
                settings_status = gr.Markdown("", elem_id="settings-status")

        chat = ChatView(chatbot, graph_img, img_row, factual, counter, mask, side, msg, session, thread_md)
        trace = TraceView(trace_head, steps_df, step_slider, step_md, step_graph, download)
        turn = partial(respond, web, chat)
        msg.submit(turn, [msg, chatbot, session, values], chat.outputs, api_visibility="private")
        for button, q in buttons:
            button.click(lambda q=q: q, None, msg, api_visibility="private").then(
                turn, [msg, chatbot, session, values], chat.outputs, api_visibility="private")
        new.click(partial(new_conversation, chat), [session], [o for o in chat.outputs if o is not msg],
                  api_visibility="private")
        uploads = UploadView(up_status, session, up_preview, up)
        up.upload(partial(upload, web, uploads), [up, session], uploads.outputs, api_visibility="private")
        up.clear(forget_upload, [session], [up_status, session, up_preview], api_visibility="private")
        for trigger in (trace_tab.select, refresh.click):
            trigger(partial(refresh_threads, web), [session], [threads_df, thread_dd], api_visibility="private")
        thread_dd.change(partial(open_thread, web, trace), [thread_dd], trace.outputs, api_visibility="private")
        steps_df.select(pick_step, None, step_slider, api_visibility="private")
        prev_btn.click(previous_step, step_slider, step_slider, api_visibility="private")
        next_btn.click(next_step, step_slider, step_slider, api_visibility="private")
        step_slider.change(partial(show_step, web), [thread_dd, step_slider], [step_md, step_graph],
                           api_visibility="private")
        settings_view = SettingsView(values, settings_status)
        apply_btn.click(partial(apply_settings, web, settings_view), fields, settings_view.outputs,
                        api_visibility="private")
        test_btn.click(partial(check_settings, web), fields, settings_status, api_visibility="private")
        demo.load(start_tab, None, [session, thread_md], api_visibility="private")
        gr.api(_api(web), api_name="ask")
    return demo


def serve(cfg: AppConfig, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Launch on ``host:port``; files are served from the output folder only. Once the server is up, the diffusion
    models load in the background (:mod:`fmcgm.app.warm`)."""
    demo = build_app(cfg)
    demo.queue(default_concurrency_limit=8)
    demo.launch(server_name=host, server_port=port, allowed_paths=[str(cfg.output_dir)], max_file_size="5mb",
                prevent_thread_lock=True, show_error=False, quiet=not block,
                footer_links=["api"], ssr_mode=False)
    start_warm_up()
    if block:
        demo.block_thread()
    return demo
