"""The ``fmcgm`` command line: ask a question, run the demo, run benchmarks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.panel import Panel
from rich.markup import escape
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="FM-CGM: causal questions answered exactly.")
eval_app = typer.Typer(no_args_is_help=True, help="Benchmarks.")
app.add_typer(eval_app, name="eval")
console = Console()


def _settings(recursion_limit: int | None):
    from agent.configuration import Settings

    return Settings(**({"recursion_limit": recursion_limit} if recursion_limit else {}))


def show_run(state: dict, title: str = "") -> None:
    """Print the answer, the graph, the estimand, the value and every step of a run."""
    ans = state["answer"]
    style = "red" if ans.get("error") else "green"
    console.print(Panel(escape(ans.get("text") or ans.get("error") or ""), title=escape(title or "answer"), border_style=style))
    g = ans.get("graph")
    if g:
        edges = ", ".join(f"{a} → {b}" for a, b in g["edges"])
        console.print(f"[bold]graph[/]: {escape(edges)}" + (f"  (unobserved: {escape(', '.join(g['latent']))})" if g["latent"] else ""))
    if ans.get("estimand"):
        console.print(f"[bold]estimand[/]: {escape(ans['estimand'])}")
    if isinstance(ans.get("value"), (int, float)):
        console.print(f"[bold]value[/]: {ans['value']:.4f}")
    t = Table(title="steps", show_lines=False)
    for c in ("#", "node", "tool", "result", "s"):
        t.add_column(c)
    for i, st in enumerate(state.get("trace", []), 1):
        res = st["result"]
        summary = res.get("summary") if isinstance(res, dict) and "summary" in res else (
            ", ".join(res.get("tool_calls", [])) or str(res.get("content", ""))[:60] if isinstance(res, dict) else "")
        t.add_row(str(i), st["node"], st["tool"] or "", escape(str(summary)[:110]), f"{st['seconds']:.3f}")
    console.print(t)
    for st in state.get("trace", []):
        if st["tool"] == "estimate_effect" and isinstance(st["result"], dict):
            for line in st["result"].get("data", {}).get("steps", []):
                console.print(f"  · {escape(line)}")


@app.command()
def ask(question: str = typer.Argument(..., help="a causal question in plain language"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
        recursion_limit: Optional[int] = typer.Option(None, help="most agent steps")) -> None:
    """Answer one causal question and show the graph, estimand, value and steps."""
    from agent.graph import run_question

    state = run_question(question, settings=_settings(recursion_limit))
    if as_json:
        ans = state["answer"]
        typer.echo(json.dumps({k: ans.get(k) for k in ("answer", "value", "estimand", "method", "graph", "error",
                                                       "assumptions", "text")}))
        return
    show_run(state)


@app.command()
def demo() -> None:
    """The main job: answer the example questions end to end and print their traces."""
    from agent.graph import build_graph, run_question
    from fmcgm.examples import EXAMPLES

    graph = build_graph()
    for title, q in EXAMPLES:
        console.rule(f"[bold]{title}")
        console.print(escape(q), style="dim")
        show_run(run_question(q, app=graph), title)


@eval_app.command("cladder")
def eval_cladder(data: Path = typer.Option(..., "--data", help="CLadder-format JSONL file"),
                 limit: Optional[int] = typer.Option(None, help="only the first N questions"),
                 json_out: Optional[Path] = typer.Option(None, "--json", help="write the report as JSON here")) -> None:
    """Run every question through the agent; print accuracy by rung and query type."""
    from evals.cladder_eval import evaluate, load_records, print_report
    from fmcgm.errors import FMCGMError

    try:
        records = load_records(data, limit)
    except FMCGMError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from None
    report = evaluate(records)
    print_report(report, records, console)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"wrote {json_out}")


if __name__ == "__main__":  # pragma: no cover
    app()
