"""``fmcgm chat``: a terminal REPL on one thread. Steps print as they happen, then the answer, the
graph as text and image paths. Commands: /trace, /new, /backend, /help, /quit. Ctrl-C ends a
running turn, not the session."""

from __future__ import annotations

import signal

from rich.console import Console
from rich.panel import Panel

from agent.configuration import Settings
from fmcgm.app.engine import Engine, new_thread_id
from fmcgm.app.graph_picture import graph_text
from fmcgm.app.present import print_answer, print_run, print_step
from fmcgm.app.turns import StepEvent, TurnEnd, stop_turn
from fmcgm.terminal import safe  # person- or model-written text: no control sequences, no markup

HELP = ("Ask a causal question in plain language. Commands: /trace (this thread's steps), /new (a new thread), "
        "/backend [offline|ollama|openai|llamacpp] [MODEL] [BASE_URL], /help, /quit. Ctrl-C stops a running answer.")


def run_chat(settings: Settings, console: Console, thread_id: str | None = None) -> None:
    # Ctrl-C must raise KeyboardInterrupt even when the parent process started us with SIGINT ignored
    # (Python then keeps ignoring it), since that is how a running turn is stopped
    signal.signal(signal.SIGINT, signal.default_int_handler)
    engine = Engine(settings)
    thread = thread_id or new_thread_id()
    console.print(Panel(safe(HELP), title="FM-CGM chat", border_style="cyan"))
    console.print(f"thread [bold]{thread}[/]  backend [bold]{settings.backend}[/]  traces {safe(settings.trace_db)}")
    while True:
        try:
            line = console.input("[bold cyan]you>[/] ").strip()
        except KeyboardInterrupt:
            console.print("\n(type /quit to leave)")
            continue
        except EOFError:
            console.print()
            return
        if not line:
            continue
        if line.startswith("/"):
            cmd, *args = line.split()
            if cmd in ("/quit", "/exit"):
                console.print("bye")
                return
            if cmd == "/new":
                thread = new_thread_id()
                console.print(f"new thread [bold]{thread}[/]")
            elif cmd == "/trace":
                _print_trace(engine, thread, console)
            elif cmd == "/backend":
                settings = _switch_backend(settings, args, console)
            elif cmd == "/help":
                console.print(safe(HELP))
            else:
                console.print(f"[red]unknown command {safe(cmd)}[/]; " + safe(HELP))
            continue
        _turn(engine, settings, line, thread, console)


def _turn(engine: Engine, settings: Settings, question: str, thread: str, console: Console) -> None:
    events = engine.turn(question, thread, settings)
    try:
        for ev in events:
            if isinstance(ev, StepEvent):
                print_step(console, ev.index, ev.title, ev.summary, ev.seconds)
            elif isinstance(ev, TurnEnd):
                print_answer(console, ev.answer, graph_text(ev.graph, ev.intervened, ev.committed) if ev.graph else "")
    except KeyboardInterrupt:
        events.close()
        stop_turn(engine.agent(settings), thread, "stopped by the user (Ctrl-C)")
        console.print("[yellow]turn stopped[/] (Ctrl-C); the conversation goes on — ask again, or /quit")


def _print_trace(engine: Engine, thread: str, console: Console) -> None:
    from agent.traces import show_thread
    from fmcgm.errors import FMCGMError

    try:
        rec = show_thread(engine.reader, thread)
    except FMCGMError as e:
        console.print(f"[red]{safe(str(e))}[/]")
        return
    print_run(console, {"answer": rec["answer"] or {}, "trace": rec["steps"], "thread_id": thread}, rec["question"][-80:])


def _switch_backend(settings: Settings, args: list[str], console: Console) -> Settings:
    if not args:
        console.print(f"backend [bold]{settings.backend}[/]" + (f", model {safe(settings.model)}" if settings.model else "")
                      + (f", {safe(settings.server_url())}" if settings.server_url() else ""))
        return settings
    from fmcgm.app.connection import backend_choices

    if args[0] not in backend_choices():
        console.print(f"[red]unknown backend {safe(args[0])}[/]: choose one of {', '.join(backend_choices())}")
        return settings
    update = {"backend": args[0], "model": args[1] if len(args) > 1 else settings.model,
              "base_url": args[2] if len(args) > 2 else ""}
    try:
        new = Settings.model_validate({**settings.model_dump(), **update})
    except ValueError as e:
        console.print(f"[red]cannot switch:[/] {safe(str(e))}")
        return settings
    console.print(f"backend now [bold]{new.backend}[/]" + (f", model {safe(new.model)}" if new.model else ""))
    return new
