"""How steps and answers read in a terminal and in the trace views: one presentation module for the CLI
(``fmcgm ask``, ``demo``, ``trace show``) and the terminal chat, and the step titles and summaries the web
app shows too. Light on purpose (rich only): the CLI imports it on every command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from fmcgm.terminal import safe  # person- or model-written text: no control sequences, no markup
from fmcgm.vocabulary import Outcome

if TYPE_CHECKING:
    from fmcgm.app.answer import TurnAnswer

NOT_COMPUTED = "⚠ not computed"


def step_title(node: str, tool: str | None, result: Any) -> str:
    res = result if isinstance(result, dict) else {}
    if node == "tools":
        return f"tool {tool}" + ("" if res.get("ok", True) else " (error)")
    if node == "critique":
        n = sum(1 for f in res.get("findings", []) if f.get("severity") == "error")
        return f"critique round {res.get('round', '?')}: " + (f"{n} error(s)" if n else "approved")
    if node == "commit":
        return "graph committed"
    if node == "model":
        calls = res.get("tool_calls") or []
        return "model → " + (", ".join(calls) if calls else "final reply" if not res.get("error") else "error")
    return node


def step_summary(node: str, result: Any) -> str:
    res = result if isinstance(result, dict) else {}
    if "summary" in res:
        return str(res["summary"])
    if node == "critique":
        return "; ".join(f"{f['severity']}: {f['message']}" for f in res.get("findings", [])) or "no findings"
    if node == "commit":
        return f"{len((res.get('graph') or {}).get('edges', []))} edges frozen for the graph-consuming tools"
    if node == "model":
        return str(res.get("content") or res.get("error") or "")
    if node == "finalize" and "outcome" in res:
        return f"{res['outcome']} (computed: {res.get('computed')})"
    return str(res.get("question") or res.get("error") or res.get("answer") or "")


def print_step(console: Console, index: int, title: str, summary: str, seconds: float) -> None:
    """One step as it happens (the chat): number, title, the first line of its summary, time."""
    first = summary.splitlines()[0][:100] if summary else ""
    console.print(f"  [dim]{index:>2}[/] {safe(title)}  [dim]{safe(first)}  {seconds:.3f}s[/]")


def print_run(console: Console, state: dict, title: str = "") -> None:
    """A finished run: the answer (labelled when not computed), the graph, the estimand, the value and every step."""
    from agent.answer import Answer

    ans = Answer.model_validate(state.get("answer") or {})
    if ans.computed:
        style, head = "green", title or ans.outcome.value.replace("_", " ")
    else:
        style, head = ("red" if ans.outcome == Outcome.ERROR else "yellow"), f"NOT COMPUTED — {ans.outcome.value}"
    console.print(Panel(safe(ans.text or ans.error or ""), title=safe(head), border_style=style))
    if ans.graph:
        edges = ", ".join(f"{a} → {b}" for a, b in ans.graph.edges)
        latent = f"  (unobserved: {safe(', '.join(ans.graph.latent))})" if ans.graph.latent else ""
        label = " (understood, not committed)" if ans.graph_committed is False else ""
        console.print(f"[bold]graph{label}[/]: {safe(edges)}" + latent)
    if ans.estimand:
        console.print(f"[bold]estimand[/]: {safe(ans.estimand)}")
    if ans.value is not None:
        console.print(f"[bold]value[/]: {ans.value:.4f}")
    if ans.images:
        console.print(f"[bold]counterfactual image[/]: {safe(ans.images.get('side_by_side', ''))}")
    for w in ans.warnings:
        console.print(f"[yellow]critique:[/] {safe(w)}")
    t = Table(title="steps" + (f" (thread {safe(state['thread_id'])})" if state.get("thread_id") else ""))
    for c in ("#", "step", "result", "s"):
        t.add_column(c)
    for i, st in enumerate(state.get("trace", []), 1):
        node = st.get("node") or ""
        t.add_row(str(i), safe(step_title(node, st.get("tool"), st.get("result"))),
                  safe(step_summary(node, st.get("result")), 110), f"{st.get('seconds') or 0:.3f}")
    console.print(t)
    for st in state.get("trace", []):
        if st.get("tool") == "estimate_effect" and isinstance(st.get("result"), dict):
            for line in st["result"].get("data", {}).get("steps", []):
                console.print(f"  · {safe(line)}")


def print_answer(console: Console, ans: TurnAnswer, graph_text: str = "") -> None:
    """A turn's answer in the chat: verdict, value, estimand and assumptions, or the "not computed" label."""
    p = ans.payload
    if not ans.computed:
        console.print(Panel(safe(p.get("error") or p.get("text") or "no answer"), title=NOT_COMPUTED, border_style="red"))
    else:
        head = "not identifiable" if ans.outcome == Outcome.NOT_IDENTIFIABLE else \
            f"answer: {p['answer']}" if p.get("answer") is not None else "answer"
        if isinstance(p.get("value"), (int, float)):
            head += f"  value {p['value']:.4f}"
        console.print(Panel(safe(p.get("text") or ""), title=safe(head), border_style="green"))
        if p.get("estimand"):
            console.print(f"[bold]estimand[/]: {safe(p['estimand'])}")
        for a in p.get("assumptions") or []:
            console.print(f"[bold]assumption[/]: {safe(a)}")
    if graph_text:
        console.print(safe(graph_text))
    for k, v in (p.get("images") or {}).items():
        console.print(f"[bold]{k} image[/]: {safe(v)}")
