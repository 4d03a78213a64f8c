"""The one adapter between the agent's final state and what the app shows or returns.

Everything in ``fmcgm.app`` reads a turn's answer through :func:`read_answer`, so a change
of the agent's answer contract is a change here only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class TurnAnswer(BaseModel):
    """A turn's answer: ``payload`` is exactly the object ``fmcgm ask --json`` prints."""

    payload: dict[str, Any]
    computed: bool  # the answer comes from a tool result of this very turn
    outcome: str  # answered, not_identifiable, declined, error

    @property
    def graph(self) -> dict[str, Any] | None:
        return self.payload.get("graph")

    @property
    def images(self) -> dict[str, str] | None:
        return self.payload.get("images")


def read_answer(state: dict[str, Any]) -> TurnAnswer:
    """The answer of a finished turn (``state`` as ``run_question`` returns it, or an error stub
    ``{"thread_id", "answer": {"error", "text"}}``)."""
    ans = state.get("answer") or {}
    g = ans.get("graph")
    # the same fields, in the same order, as `fmcgm ask --json` (fmcgm/cli.py)
    payload = {
        "thread_id": state.get("thread_id"), "answer": ans.get("answer"), "estimand": ans.get("estimand"),
        "value": ans.get("value"), "graph": {"edges": g["edges"], "latent": g.get("latent", [])} if g else None,
        "error": ans.get("error"), "method": ans.get("method"), "assumptions": ans.get("assumptions", []),
        "warnings": ans.get("warnings", []), "critique_rounds": ans.get("critique_rounds", 0),
        "images": ans.get("images"), "text": ans.get("text")}
    # Until the typed Answer (computed, outcome) lands, both are read off this turn's last tool result.
    trace = state.get("trace", [])
    turn = trace[max((i for i, s in enumerate(trace) if s.get("node") == "start"), default=0):]
    last = next((s.get("result") or {} for s in reversed(turn) if s.get("tool") in ("estimate_effect", "render_image")), {})
    not_identifiable = (last.get("error") or {}).get("code") == "not_identifiable"
    computed = bool(last.get("ok")) or not_identifiable
    outcome = "not_identifiable" if not_identifiable else "error" if payload["error"] else "answered"
    return TurnAnswer(payload=payload, computed=computed, outcome=outcome)
