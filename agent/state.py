"""The agent's state: the conversation plus what the run produced, step by step."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


class Step(TypedDict):
    node: str
    tool: str | None
    args: dict[str, Any]
    result: Any
    seconds: float


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    question: str
    graph: dict[str, Any] | None  # the latest valid graph a tool produced
    answer: dict[str, Any] | None  # the final structured answer
    trace: Annotated[list[Step], operator.add]
