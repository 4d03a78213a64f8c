"""Chat messages in Gradio's messages format: a collapsible message per agent step (``metadata``
title, log and duration), and the final answer with its verdict, number, estimand and assumptions."""

from __future__ import annotations

import json
from typing import Any

from fmcgm.app.answer import TurnAnswer
from fmcgm.app.present import NOT_COMPUTED
from fmcgm.app.turns import StepEvent
from fmcgm.vocabulary import Outcome

__all__ = ["NOT_COMPUTED", "answer_markdown", "step_message"]


def step_message(ev: StepEvent) -> dict[str, Any]:
    """A collapsed "thought" showing the step's arguments and result."""
    parts = []
    if ev.node == "model" and isinstance(ev.result, dict):
        if ev.result.get("content"):
            parts.append(str(ev.result["content"]))
        if ev.result.get("tool_calls"):
            parts.append("calls " + ", ".join(f"`{c}`" for c in ev.result["tool_calls"]))
        if ev.result.get("error"):
            parts.append(f"error: {ev.result['error']}")
    elif ev.node == "critique" and isinstance(ev.result, dict):
        parts += [f"- **{f['severity']}**: {f['message']}" for f in ev.result.get("findings", [])] or ["no findings"]
        if ev.result.get("changed"):
            parts.append(f"changed since the last round: `{json.dumps(ev.result['changed'])}`")
    else:
        if ev.args:
            parts.append("**arguments**\n" + _code(ev.args))
        if ev.result is not None:
            parts.append("**result**\n" + _code(ev.result))
    if ev.tokens:
        parts.append(f"tokens: {ev.tokens.get('input_tokens', '?')} in / {ev.tokens.get('output_tokens', '?')} out")
    log = ev.summary.splitlines()[0] if ev.summary else ""
    return {"role": "assistant", "content": "\n\n".join(parts) or "—",
            "metadata": {"title": ev.title, "log": log[:90], "duration": round(ev.seconds, 3), "status": "done",
                         "id": f"step-{ev.index}"}}


def answer_markdown(ans: TurnAnswer) -> str:
    """The final answer: verdict and number first; a "not computed" label when no tool of this turn produced it."""
    p = ans.payload
    lines: list[str] = []
    if not ans.computed:
        lines.append(f"**{NOT_COMPUTED}** — no tool result of this turn backs an answer ({ans.outcome}).")
        lines.append(_quote(p.get("text") or p.get("error") or "no answer"))
        return "\n\n".join(lines)
    if ans.outcome == Outcome.NOT_IDENTIFIABLE:
        lines.append("**Not identifiable**")
    elif p.get("answer") is not None or p.get("value") is not None:
        verdict = f"**Answer: {str(p['answer']).capitalize()}**" if p.get("answer") is not None else "**Answer**"
        number = f" · value **{p['value']:.4f}**" if isinstance(p.get("value"), (int, float)) else ""
        lines.append(verdict + number)
    elif p.get("images"):
        lines.append("**Counterfactual image rendered** (factual · counterfactual · mask, below)")
    if p.get("estimand"):
        lines.append(f"**Estimand**: `{p['estimand']}`")
    if p.get("method"):
        lines.append(f"**Method**: {p['method']}")
    if p.get("assumptions"):
        lines.append("**Assumptions**\n" + "\n".join(f"- {a}" for a in p["assumptions"]))
    if p.get("warnings") and ans.outcome != Outcome.NOT_IDENTIFIABLE:
        lines.append("**Critique warnings**\n" + "\n".join(f"- {w}" for w in p["warnings"]))
    if p.get("text"):
        lines.append(_quote(p["text"]))
    return "\n\n".join(lines)


def _code(obj: Any, limit: int = 2500) -> str:
    text = json.dumps(obj, indent=2, default=str)
    if len(text) > limit:
        text = text[:limit] + "\n… (truncated; the Trace tab has all of it)"
    return f"```json\n{text}\n```"


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in str(text).splitlines())
