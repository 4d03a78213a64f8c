"""The one adapter between the agent's answer contract (``agent.answer.Answer``) and the app.

Everything in ``fmcgm.app`` reads a turn's answer through :func:`read_answer` and builds a
failed turn with :func:`error_answer`, so a change of the contract is a change here only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from agent.answer import Answer
from agent.graph import error_state


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
    """The answer of a finished turn (``state`` as ``run_question`` returns it, or a final checkpoint)."""
    ans = Answer.model_validate({**(state.get("answer") or {}), "thread_id": state.get("thread_id")})
    return TurnAnswer(payload=ans.model_dump(mode="json"), computed=ans.computed, outcome=ans.outcome.value)


def error_answer(question: str, thread_id: str, message: str, kind: str = "internal") -> dict[str, Any]:
    """A turn that failed before or outside the agent, as a state ``read_answer`` accepts (and as a
    checkpoint ``answer`` value)."""
    return error_state(question, thread_id, message, kind)
