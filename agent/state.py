"""The agent's state: the conversation plus what the run produced, step by step."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


class Step(TypedDict, total=False):
    node: str
    tool: str | None
    args: dict[str, Any]
    result: Any
    seconds: float
    tokens: dict[str, int] | None


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    question: str
    backend: str
    started_at: str
    proposed_graph: dict[str, Any] | None  # the latest graph a tool built
    committed_graph: dict[str, Any] | None  # frozen after critique; tools that need a graph use it
    critique_rounds: int
    critiques: list[dict[str, Any]]  # per round: the graph reviewed, the findings, what changed
    call_counts: dict[str, int]  # identical tool calls seen (repetition guard)
    empty_replies: int
    error: str | None  # set when the run must stop (server down, loop, critique limit)
    answer: dict[str, Any] | None
    outcome: str
    trace: Annotated[list[Step], operator.add]
