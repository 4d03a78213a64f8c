"""The ``fmcgm`` command line: ask questions, run the demo and benchmarks, inspect traces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fmcgm.terminal import plain, safe
from fmcgm.worlds import DEFAULT_WORLD, WORLD_NAMES

app = typer.Typer(add_completion=False, no_args_is_help=True, help="FM-CGM: causal questions answered exactly.")
eval_app = typer.Typer(no_args_is_help=True, help="Benchmarks.")
trace_app = typer.Typer(no_args_is_help=True, help="Stored traces (SQLite).")
app.add_typer(eval_app, name="eval")
app.add_typer(trace_app, name="trace")
console = Console()
WORLD_HELP = " or ".join(WORLD_NAMES)  # the registry's worlds (fmcgm/worlds)
err_console = Console(stderr=True, soft_wrap=True)  # an error stays one line, whatever the width

BackendOpt = typer.Option(None, "--backend", help="offline (default), ollama, openai or llamacpp")
ModelOpt = typer.Option(None, "--model", help="model name for ollama/openai")
ModelPathOpt = typer.Option(None, "--model-path", help="GGUF model file for the llamacpp backend")
UrlOpt = typer.Option(None, "--base-url", help="server URL, e.g. http://localhost:11434 or http://host:8000/v1")
KeyOpt = typer.Option(None, "--api-key", help="API key for an OpenAI-compatible server")
TempOpt = typer.Option(None, "--temperature")
TimeoutOpt = typer.Option(None, "--timeout", help="seconds per model call")
RecOpt = typer.Option(None, "--recursion-limit", help="most agent steps")
DbOpt = typer.Option(None, "--trace-db", help="SQLite trace file (default .fmcgm/traces.sqlite)")
ConfigOpt = typer.Option(None, "--config", help="JSON or TOML settings file")

EXIT_CODES = {0: "answered (an honest 'not identifiable' too)", 1: "no computed answer", 2: "bad input or usage",
              3: "backend unreachable"}


def fail(message: str, hint: str = "", code: int = 2) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback."""
    err_console.print(f"[red]error:[/] {safe(message)}" + (f" ({safe(hint)})" if hint else ""))
    raise typer.Exit(code)


def _settings(config: Optional[str] = None, **kw: Any):
    from pydantic import ValidationError

    from agent.configuration import load_settings
    from fmcgm.errors import FMCGMError

    try:
        return load_settings(config, **kw)
    except ValidationError as e:
        first = e.errors()[0]
        fail(f"invalid setting {'.'.join(str(x) for x in first['loc'])}: {first['msg']}")
    except (FMCGMError, ValueError) as e:
        fail(str(e))


def _store(settings, create: bool = True):
    """The compiled agent and its trace store; a store that cannot be used is a clear error (exit 2)."""
    from agent.graph import build_graph
    from agent.traces import open_store
    from fmcgm.errors import FMCGMError

    try:
        saver = open_store(settings.trace_db, create=create)
        return build_graph(settings=settings, checkpointer=saver, model=_inert_model() if not create else None), saver
    except FMCGMError as e:
        fail(str(e))


def _inert_model():
    """Reading traces needs the graph's shape, not a model: no backend is contacted."""
    from agent.offline_model import OfflineReasoner

    return OfflineReasoner()


def _thread_id(thread: Optional[str]) -> Optional[str]:
    if thread is None:
        return None
    try:
        thread.encode("utf-8")
    except UnicodeEncodeError:
        fail("the thread id is not valid UTF-8 text; use the id printed by `fmcgm trace list`")
    if not thread.strip() or len(thread) > 200 or any(not c.isprintable() for c in thread):
        fail(f"invalid thread id {plain(thread, 60)!r}: use 1-200 printable characters, e.g. an id from `fmcgm trace list`")
    return thread


def _bench(module: str) -> Any:
    """A benchmark module of ``fmcgm eval …``, loaded by name: evals sit beside the product, which never imports
    them statically (tests/test_layers.py); installed without them, the command says so."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name in (module, "evals"):
            fail(f"the benchmarks are not installed ({module}); run from a checkout of the repository")
        raise


def show_run(state: dict, title: str = "") -> None:
    """Print a finished run on the CLI's console (fmcgm.app.present renders it for the CLI and the chat alike)."""
    from fmcgm.app.present import print_run

    print_run(console, state, title)


@app.command()
def ask(question: str = typer.Argument(..., help="a causal question in plain language"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
        backend: Optional[str] = BackendOpt, model: Optional[str] = ModelOpt, base_url: Optional[str] = UrlOpt,
        model_path: Optional[str] = ModelPathOpt,
        api_key: Optional[str] = KeyOpt, temperature: Optional[float] = TempOpt, timeout: Optional[float] = TimeoutOpt,
        recursion_limit: Optional[int] = RecOpt, trace_db: Optional[str] = DbOpt,
        thread: Optional[str] = typer.Option(None, "--thread", help="continue this conversation thread"),
        data: Optional[str] = typer.Option(None, "--data", help="CSV or Parquet observations: the critique tests the graph "
                                           "on them; with no graph in the question, the graph is discovered from them"),
        config: Optional[str] = ConfigOpt) -> None:
    """Answer one causal question; show the graph, estimand, value and steps (stored as a trace).

    Exit codes: 0 answered (an honest "not identifiable" too), 1 no computed answer, 2 bad input or usage,
    3 backend unreachable."""
    from fmcgm.loading import loading

    with loading():
        from agent.graph import run_question
        from fmcgm.discovery import progress
        from fmcgm.errors import FMCGMError

    if not question.strip():
        fail("the question is empty", "write a causal question in quotes, e.g. fmcgm ask \"Does X affect Y? ...\"")
    thread = _thread_id(thread)
    settings = _settings(config, backend=backend, model=model, base_url=base_url, api_key=api_key,
                         model_path=model_path, temperature=temperature, timeout=timeout,
                         recursion_limit=recursion_limit,
                         trace_db=trace_db, data_path=data)
    if data:
        from fmcgm.discovery.question import question_columns
        from fmcgm.discovery.table import check_size, load_table

        try:  # every input check here, so bad data is a usage error naming the file and column, before any search
            table = load_table(data)
            check_size(table, settings.data_budget_s, question_columns(question, table.names))
        except FMCGMError as e:
            fail(str(e))
    with loading():
        graph_app, _ = _store(settings)
    with progress.reporting(_stderr_progress() if data else None):
        state = run_question(question, settings=settings, app=graph_app, thread_id=thread)
    ans = state["answer"]
    if as_json:
        typer.echo(json.dumps(ans))
    else:
        show_run(state)
    from agent.answer import Answer

    raise typer.Exit(Answer.model_validate(ans).exit_code)


def _stderr_progress():
    """Progress lines of a data run on stderr, with the seconds since it started."""
    import time

    t0 = time.monotonic()

    def show(message: str) -> None:
        typer.echo(f"[{time.monotonic() - t0:6.1f} s] {message}", err=True)

    return show


@app.command()
def demo() -> None:
    """The main job: answer the example questions end to end and print their traces."""
    from agent.graph import build_graph, run_question
    from fmcgm.examples import EXAMPLES

    graph = build_graph()
    for title, q in EXAMPLES:
        console.rule(f"[bold]{safe(title)}")
        console.print(safe(q), style="dim")
        show_run(run_question(q, app=graph), title)


def _read_store(settings, fn):
    """Run a read of the trace store; a damaged store is one clear line (exit 2), not a traceback."""
    import sqlite3

    from fmcgm.errors import FMCGMError

    graph_app, saver = _store(settings, create=False)
    try:
        return fn(graph_app, saver)
    except FMCGMError as e:
        fail(str(e))
    except (sqlite3.Error, ValueError, TypeError) as e:
        fail(f"trace store {settings.trace_db} cannot be read: {type(e).__name__}: {e}")


@trace_app.command("list")
def trace_list(trace_db: Optional[str] = DbOpt, as_json: bool = typer.Option(False, "--json"),
               config: Optional[str] = ConfigOpt) -> None:
    """Stored threads: id, when the first turn began, turns, backend, and the latest turn's outcome and question."""
    from agent.traces import list_threads

    settings = _settings(config, trace_db=trace_db)
    rows = _read_store(settings, list_threads)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    t = Table(title=f"traces in {safe(settings.trace_db)}")
    for c in ("thread", "started", "turns", "backend", "outcome", "answer", "latest question"):
        t.add_column(c)
    for r in rows:
        t.add_row(safe(r["thread_id"]), safe((r["started_at"] or "")[:19]), str(r["turns"]), safe(r["backend"] or ""),
                  safe(r["outcome"] or ""), safe(r["answer"] or ""), safe((r["question"] or "")[-70:]))
    console.print(t)


@trace_app.command("show")
def trace_show(thread: str = typer.Argument(..., help="thread id"), trace_db: Optional[str] = DbOpt,
               as_json: bool = typer.Option(False, "--json"), config: Optional[str] = ConfigOpt) -> None:
    """Every step of a stored run in order: node, tool call and result, critique, committed graph, timing."""
    from agent.traces import show_thread

    thread = _thread_id(thread) or ""
    settings = _settings(config, trace_db=trace_db)
    rec = _read_store(settings, lambda app_, _s: show_thread(app_, thread))
    if as_json:
        typer.echo(json.dumps(rec, default=str))
        return
    console.print(f"[bold]thread[/] {safe(rec['thread_id'])}  backend={safe(rec['backend'])}  outcome={safe(rec['outcome'])}")
    console.print(safe(rec["question"]), style="dim")
    show_run({"answer": rec["answer"] or {}, "trace": rec["steps"], "thread_id": thread})
    for c in rec["critiques"]:
        console.print(f"critique round {c['round']}: "
                      + safe("; ".join(f"{f['severity']}: {f['message']}" for f in c["findings"]))
                      + (f"  changed: {safe(json.dumps(c['changed']))}" if c.get("changed") else ""))
    if len(rec["branches"]) > 1:
        for b in rec["branches"]:
            where = f"resumed from checkpoint {safe(b['forked_from'])} after step {b['shared_steps']}" if b["forked_from"] \
                else "as first run"
            console.print(f"branch {b['branch']}: {where}; {b['steps']} steps of its own; "
                          f"outcome {safe(b['outcome'] or '')}")
    console.print(f"{len(rec['checkpoints'])} checkpoints; resume one with `fmcgm trace resume {safe(thread)} --checkpoint ID`")


@trace_app.command("resume")
def trace_resume(thread: str = typer.Argument(...), checkpoint: str = typer.Option(..., "--checkpoint"),
                 trace_db: Optional[str] = DbOpt, config: Optional[str] = ConfigOpt) -> None:
    """Run a stored thread again from one of its checkpoints (a new branch of the thread; the old one is kept).

    Exit codes as for ask: 0 answered, 1 no computed answer, 2 bad input, 3 backend unreachable."""
    from agent.graph import build_graph
    from agent.traces import open_store, resume
    from fmcgm.errors import FMCGMError

    thread = _thread_id(thread) or ""
    settings = _settings(config, trace_db=trace_db)
    from agent.answer import Answer

    try:
        # resuming a thread that is not stored is an error, not a new file; checked read-only first
        open_store(settings.trace_db, create=False).conn.close()
        saver = open_store(settings.trace_db)
        state = resume(build_graph(settings=settings, checkpointer=saver), thread, checkpoint, settings.recursion_limit)
    except FMCGMError as e:
        fail(str(e))
    show_run({**state, "thread_id": thread})
    raise typer.Exit(Answer.model_validate(state.get("answer") or {}).exit_code)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="address to bind (loopback unless you say otherwise)"),
          port: int = typer.Option(7860, "--port"),
          output: Optional[str] = typer.Option(None, "--output", help="folder the app writes and serves files from "
                                               "(default FMCGM_OUTPUT_DIR or fmcgm_output)"),
          backend: Optional[str] = BackendOpt, model: Optional[str] = ModelOpt, base_url: Optional[str] = UrlOpt,
          api_key: Optional[str] = KeyOpt, trace_db: Optional[str] = DbOpt, config: Optional[str] = ConfigOpt) -> None:
    """The web app: chat, graph, images, trace inspector, settings, and the /ask API."""
    from fmcgm.app.serving import LOOPBACK, prepare_output
    from fmcgm.errors import FMCGMError
    from fmcgm.vision.render import output_root

    settings = _settings(config, backend=backend, model=model, base_url=base_url, api_key=api_key, trace_db=trace_db)
    if host not in LOOPBACK:
        console.print(f"[yellow]warning:[/] serving on {safe(host)}, not loopback: anyone who reaches this address can "
                      "use the app and read its traces; there is no login")
    out = prepare_output(Path(output) if output else output_root())
    console.print(f"FM-CGM on http://{safe(host)}:{port}  (traces {safe(settings.trace_db)}, files {safe(out)})")
    from fmcgm.loading import loading

    with loading():
        # torch and diffusers' core first, on this thread: every picture needs them, and imported beside the
        # warm-up they slowed both (fmcgm/app/warm.py); about 1.7 s of the page's start-up taken from the first
        # picture's, which the warm-up (diffusers' UNet and the weights) shortens further
        import torch  # noqa: F401

        from fmcgm.vision.libraries import diffusers_classes

        diffusers_classes("DDIMScheduler", "DDIMInverseScheduler")
        from fmcgm.app.web import AppConfig  # after prepare_output: Gradio reads its cache folder
        from fmcgm.app.web import serve as run_server

    try:
        run_server(AppConfig(settings, out), host=host, port=port)
    except FMCGMError as e:
        fail(str(e))
    except OSError as e:  # e.g. the port is taken
        fail(f"cannot serve on {host}:{port}: {e}")


@app.command()
def chat(backend: Optional[str] = BackendOpt, model: Optional[str] = ModelOpt, base_url: Optional[str] = UrlOpt,
         api_key: Optional[str] = KeyOpt, trace_db: Optional[str] = DbOpt, config: Optional[str] = ConfigOpt,
         thread: Optional[str] = typer.Option(None, "--thread", help="continue this conversation thread")) -> None:
    """A terminal chat: multi-turn on one thread; /trace, /new, /backend, /quit."""
    from fmcgm.loading import loading

    with loading():
        from fmcgm.app.chat_terminal import run_chat
        from fmcgm.errors import FMCGMError

    settings = _settings(config, backend=backend, model=model, base_url=base_url, api_key=api_key, trace_db=trace_db)
    try:
        run_chat(settings, console, _thread_id(thread))
    except FMCGMError as e:
        fail(str(e))


@app.command()
def render(world: str = typer.Option(DEFAULT_WORLD, "--world", help=WORLD_HELP),
           do: list[str] = typer.Option(..., "--do", help='intervention "concept=value", e.g. "light=far left"'),
           image: Optional[str] = typer.Option(None, "--image", help="factual image (its values are read by the extractor)"),
           seed: int = typer.Option(0), steps: int = typer.Option(50, help="DDIM steps, 1..200"),
           guidance: bool = typer.Option(True, "--guidance/--no-guidance", help="Causal Semantic Guidance"),
           oracle: bool = typer.Option(False, "--oracle", help="the exact renderer instead of the model"),
           out: Optional[str] = typer.Option(None, "--out", help="folder inside the output folder"),
           scm: Optional[str] = typer.Option(None, "--scm", help="your own causal model over the world's concepts "
                                             "(JSON, or TOML by its .toml name): per concept a mechanism of "
                                             "root, linear, threshold, copy or world, its parents, its noise"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Render a counterfactual image of a causal world, check it, and save factual, counterfactual, mask and
    side-by-side PNGs. Exit code 0: a checked picture; 1: no correct picture (missing weights, or still off
    after the retries, said with the measured numbers); 2: bad input."""
    from fmcgm.vision.render_cli import render_cli

    code = render_cli(world, do, image=image, seed=seed, steps=steps, guidance=guidance, oracle=oracle, out=out,
                      as_json=as_json, console=console, scm=scm)
    if code:
        raise typer.Exit(code)


@app.command("train-world")
def train_world(world: str = typer.Argument(..., help=WORLD_HELP),
                steps: int = typer.Option(3000, help="optimiser steps (resumes from the last checkpoint)"),
                batch: int = typer.Option(64), lr: float = typer.Option(1e-3), seed: int = typer.Option(0),
                images: int = typer.Option(20000, help="rendered training images"),
                out: Optional[str] = typer.Option(None, help="weights file (default fmcgm/weights/WORLD.pt)"),
                state: Optional[str] = typer.Option(None, help="resumable training state (default runs/WORLD_train_state.pt)"),
                device: Optional[str] = typer.Option(None, help="cpu or cuda (default: cuda when present)"),
                init: Optional[str] = typer.Option(None, help="fine-tune from these weights instead of from scratch"),
                decouple: Optional[float] = typer.Option(
                    None, help="share of scenes whose non-root concepts are drawn over their whole range "
                               "(default per world)")) -> None:
    """Train a world's counterfactual diffusion model (checkpointed, resumable, seeded)."""
    from fmcgm.vision.train import train

    path = train(world, steps, out=out, batch=batch, lr=lr, seed=seed, n_images=images, state_path=state,
                 device=device, init=init, decouple=decouple, log=lambda m: console.print(escape(m)))
    console.print(f"weights: {path}")


@app.command("train-extractor")
def train_extractor_cmd(world: str = typer.Argument(..., help=WORLD_HELP),
                        steps: int = typer.Option(1500), seed: int = typer.Option(0)) -> None:
    """Train the CNN concept extractor of a world; prints its held-out error per concept (% of range)."""
    from fmcgm.vision.extractor import train_extractor

    path, errs = train_extractor(world, steps=steps, seed=seed, log=lambda m: console.print(escape(m)))
    for k, v in errs.items():
        console.print(f"{k}: {v:.2f}% of range")
    console.print(f"weights: {path}")


@eval_app.command("cladder")
def eval_cladder(data: Path = typer.Option(..., "--data", help="CLadder-format JSONL file"),
                 limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N questions (N >= 1)"),
                 json_out: Optional[Path] = typer.Option(None, "--json", help="write the report as JSON here"),
                 concurrency: int = typer.Option(1, "--concurrency", min=1, max=64, help="questions in flight"),
                 backend: Optional[str] = BackendOpt, model: Optional[str] = ModelOpt, base_url: Optional[str] = UrlOpt,
                 model_path: Optional[str] = ModelPathOpt,
                 api_key: Optional[str] = KeyOpt, temperature: Optional[float] = TempOpt,
                 timeout: Optional[float] = TimeoutOpt, config: Optional[str] = ConfigOpt) -> None:
    """Run every question through the agent; print accuracy by rung and query type."""
    from fmcgm.errors import FMCGMError
    from fmcgm.outputs import check_output

    bench = _bench("evals.cladder_eval")
    settings = _settings(config, backend=backend, model=model, base_url=base_url, api_key=api_key,
                         model_path=model_path, temperature=temperature, timeout=timeout)
    try:
        if json_out:  # before the run: a path that cannot be written must not cost the whole benchmark
            check_output(json_out, "--json", inputs=[data], marker=bench.REPORT_KEYS)
        records = bench.load_records(data, limit)
    except FMCGMError as e:
        fail(str(e))
    report = bench.evaluate(records, settings=settings, concurrency=concurrency)
    bench.print_report(report, records, console)
    if json_out:
        _write_report(json_out, json.dumps(report, indent=2))


def _write_report(path: Path, text: str) -> None:
    """Write a finished report in one step; a failure now (a disk filled during the run) is one line, exit 2."""
    from fmcgm.outputs import write_atomic

    try:
        write_atomic(path, text)
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror or e}")
    console.print(f"wrote {safe(str(path))}")


@eval_app.command("corr2cause")
def eval_corr2cause(data: Path = typer.Option(..., "--data", help="Corr2Cause(++) test.json (JSON array or JSON lines)"),
                    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N records (N >= 1)"),
                    json_out: Optional[Path] = typer.Option(None, "--json", help="write the report as JSON here"),
                    agent: bool = typer.Option(False, "--agent", help="through the whole agent instead of the tool"),
                    paraphrase: bool = typer.Option(False, "--paraphrase",
                                                    help="rewrite each problem in plain words (everyday names) first"),
                    split: str = typer.Option("heldout", "--split",
                                              help="phrasing families for --paraphrase: heldout (headline), tune, all"),
                    seed: int = typer.Option(0, "--seed", help="seed of the --paraphrase rewriting")) -> None:
    """Stated independences + hypothesis: precision, recall, F1, accuracy by relation type, every miss explained."""
    from fmcgm.errors import FMCGMError

    if split not in ("heldout", "tune", "all"):
        fail(f"--split {split}: not one of heldout, tune, all")
    bench = _bench("evals.corr2cause_eval")
    try:
        records = bench.load_records(data, limit)
    except FMCGMError as e:
        fail(str(e))
    through = "agent" if agent else "tool"
    report = (bench.evaluate_paraphrase(records, split, seed, through=through) if paraphrase
              else bench.evaluate(records, through=through))
    bench.print_report(report, console, title=data.name)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"wrote {json_out}")


@eval_app.command("discovery")
def eval_discovery(networks: Optional[str] = typer.Option(None, "--networks", help="comma-separated, e.g. asia,sachs,pendulum"),
                   n: Optional[int] = typer.Option(None, "--n", help="rows (default: 1000 and 10000; worlds at most 2000)"),
                   json_out: Optional[Path] = typer.Option(None, "--json"),
                   plots: Path = typer.Option(Path("runs"), "--plots", help="folder for the F1 plots"),
                   ges_limit: float = typer.Option(300.0, "--ges-limit", help="seconds before a GES run is cut off")) -> None:
    """Causal discovery benchmark: PC, GES, FCI, our pipeline, and the pipeline with simulated knowledge."""
    from fmcgm.errors import FMCGMError
    from fmcgm.outputs import check_output

    bench = _bench("evals.discovery_eval")
    try:  # before the run, which takes minutes to hours
        if json_out:
            check_output(json_out, "--json", marker=bench.REPORT_KEYS)
    except FMCGMError as e:
        fail(str(e))
    if plots.exists() and not plots.is_dir():
        fail(f"--plots {plots} is a file, not a folder", "pass a folder for the F1 plots")
    bench.main(networks, n, json_out, plots, ges_limit)


@eval_app.command("visual")
def eval_visual(world: str = typer.Option(DEFAULT_WORLD, "--world", help=WORLD_HELP), n: int = typer.Option(200, "--n"),
                seed: int = typer.Option(0), steps: int = typer.Option(50),
                composition_n: int = typer.Option(20, help="pairs used for the 10-cycle composition"),
                json_out: Optional[Path] = typer.Option(None, "--json"),
                grid: Optional[Path] = typer.Option(None, "--grid", help="image grid PNG (default runs/WORLD_grid.png)"),
                unseen_scms: Optional[int] = typer.Option(
                    None, "--unseen-scms", min=1, help="instead: K random SCMs over the world's concepts (random "
                    "DAGs, monotone mechanisms, noise) that the generator never saw, stratified interventions on each"),
                per_scm: int = typer.Option(4, "--per-scm", min=1, help="with --unseen-scms: interventions per SCM"),
                drawable: int = typer.Option(6, "--drawable", min=0, help="with --unseen-scms: combinations drawn "
                                             "independently and through the mechanism, each, for the drawable share"),
                checkpoint: Optional[Path] = typer.Option(
                    None, "--checkpoint", help="with --unseen-scms: a folder where each finished case is kept; run "
                    "the same command again to resume an interrupted run")
                ) -> None:
    """Counterfactual image benchmark with ablations (full, no_guidance, no_abduction, oracle); with
    --unseen-scms, the same generator under random SCMs it never saw."""
    from fmcgm.errors import FMCGMError
    from fmcgm.outputs import check_output

    bench = _bench("evals.unseen_scm_eval" if unseen_scms else "evals.visual_eval")
    grid = grid or Path("runs") / f"{world}_{'unseen_' if unseen_scms else ''}grid.png"
    try:  # before the run, which takes minutes
        if json_out:
            check_output(json_out, "--json", marker=bench.REPORT_KEYS)
        if grid.is_dir():
            check_output(grid, "--grid")
    except FMCGMError as e:
        fail(str(e))
    if unseen_scms:
        try:
            rep = bench.evaluate_unseen(world, unseen_scms, per_scm=per_scm, seed=seed, steps=steps, grid_path=grid,
                                        drawable_n=drawable, checkpoint=checkpoint)
        except FMCGMError as e:
            fail(str(e))
        bench.print_unseen(rep, console)
    else:
        rep = bench.evaluate_visual(world, n=n, seed=seed, steps=steps, composition_n=composition_n, grid_path=grid)
        bench.print_visual(rep, console)
    if json_out:
        _write_report(json_out, json.dumps(rep, indent=2))


@eval_app.command("data-answers")
def eval_data_answers(
        seeds: Optional[str] = typer.Option(None, "--seeds", help="reporting seeds: a count from 1000 (20 → 1000…1019), "
                                            "a range (1000-1019) or a list; 0–9 are tuning seeds"),
        quick: bool = typer.Option(False, "--quick", help="one seed, n ≤ 2,000, small models: about 3 minutes"),
        json_out: Optional[Path] = typer.Option(None, "--json", help="write the report and every row as JSON here"),
        markdown_out: Optional[Path] = typer.Option(None, "--markdown", help="write the tables and WRONG cases as Markdown"),
        kinds: Optional[str] = typer.Option(None, "--kinds", help="comma-separated: binary,linear,nonlinear,mixed,bnlearn"),
        networks: Optional[str] = typer.Option(None, "--networks", help="bnlearn networks, e.g. asia,sachs"),
        questions: Optional[int] = typer.Option(None, "--questions", min=1, help="questions per dataset"),
        timeout: float = typer.Option(180.0, "--timeout", min=1.0, help="CPU seconds a question may take (then: declined)"),
        wall_factor: float = typer.Option(4.0, "--wall-factor", min=1.0,
                                          help="a question may take this many times --timeout in wall time"),
        budget: Optional[float] = typer.Option(None, "--budget", min=1.0, help="start no new dataset after this many seconds"),
        no_memo: bool = typer.Option(False, "--no-memo", help="search the graph again for every question"),
        resume: Optional[Path] = typer.Option(None, "--resume", help="an earlier --json report: reuse its answers")) -> None:
    """Answers from data alone on random SCMs and bnlearn networks: right / not determined / declined / WRONG, coverage."""
    from fmcgm.errors import FMCGMError
    from fmcgm.outputs import check_output, write_atomic

    bench = _bench("evals.data_answers_bench")
    KINDS, NETWORKS = bench.KINDS, bench.NETWORKS  # noqa: N806 - the benchmark's constants
    try:
        seed_list = bench.parse_seeds(seeds)
        for path, flag in ((json_out, "--json"), (markdown_out, "--markdown")):
            if path:  # before the run, which takes minutes to an hour
                check_output(path, flag, inputs=[resume] if resume else [])
    except (ValueError, FMCGMError) as e:
        fail(str(e))
    kind_list = kinds.split(",") if kinds else [*KINDS, "bnlearn"]
    bad = [k for k in kind_list if k not in (*KINDS, "bnlearn")]
    net_list = networks.split(",") if networks else list(NETWORKS)
    bad += [n for n in net_list if n not in NETWORKS]
    if bad:
        fail(f"unknown kind or network: {', '.join(bad)} (kinds: {', '.join((*KINDS, 'bnlearn'))}; "
             f"networks: {', '.join(NETWORKS)})")
    try:
        reuse = bench.reusable(resume) if resume else None
    except (OSError, ValueError, KeyError) as e:
        fail(f"cannot resume from {resume}: {e}")
    rep = bench.evaluate(seed_list, quick, kind_list, net_list, questions, timeout, time_budget=budget,
                         memo=not no_memo, reuse=reuse,
                         partial=json_out.with_suffix(".partial.json") if json_out else None, wall_factor=wall_factor)
    bench.print_report(rep, console)
    if json_out:
        write_atomic(json_out, json.dumps(rep, indent=1, default=str))
        console.print(f"wrote {json_out}")
    if markdown_out:
        write_atomic(markdown_out, bench.markdown(rep))
        console.print(f"wrote {markdown_out}")


@eval_app.command("perf")
def eval_perf(json_out: Optional[Path] = typer.Option(None, "--json", help="write the rows as JSON here"),
              quick: bool = typer.Option(False, "--quick", help="the small sizes only"),
              startup: bool = typer.Option(False, "--startup", help="start-up instead: fresh `fmcgm ask`, `render`, "
                                           "`serve` and the app's first picture, as ratios against `python -c pass`"),
              data: bool = typer.Option(False, "--data", help="answers from data instead: 200,000 rows and 50 columns, "
                                        "seconds per stage and the verdicts")) -> None:
    """Causal-core speed: variables vs seconds (derivation, adjustment search, consistency check); with --startup,
    how long a person waits for the first result of each command; with --data, answers from tall and wide tables."""
    from fmcgm.errors import FMCGMError
    from fmcgm.outputs import check_output

    try:
        if json_out:
            check_output(json_out, "--json")
    except FMCGMError as e:
        fail(str(e))
    module = "evals.data_speed_bench" if data else "evals.startup_eval" if startup else "evals.perf_eval"
    _bench(module).report(console, json_out, quick)


if __name__ == "__main__":  # pragma: no cover
    app()
