"""The agent's state: the conversation, this turn's working fields, and the trace (a log across turns)."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from langgraph.managed import RemainingSteps

from agent.answer import ErrorKind
from fmcgm.vocabulary import OutcomeValue


class Step(TypedDict, total=False):
    node: str
    tool: str | None
    args: dict[str, Any]
    result: Any
    seconds: float
    tokens: dict[str, int] | None


class TurnResult(TypedDict):
    tool: str
    result: dict[str, Any]  # a ToolResult as a dict


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    # -- per turn: `start` resets every field below (the trace is never read for an answer) --
    question: str
    backend: str
    started_at: str
    proposed_graph: dict[str, Any] | None  # the latest graph a tool built (a GraphSpec dict)
    committed_graph: dict[str, Any] | None  # frozen after critique; tools that need a graph use it
    critique_rounds: int
    critiques: list[dict[str, Any]]  # per round: the graph reviewed, the findings, what changed
    call_counts: dict[str, int]  # identical tool calls seen (repetition guard)
    empty_replies: int
    nudges: int  # times the model was sent back to the tools after ending without a computed answer
    error: str | None  # set when the run must stop (server down, loop, critique limit)
    error_kind: ErrorKind | None  # backend | limit | input | internal (decides the CLI's exit code)
    out_of_steps: bool  # the recursion limit ended the turn (the error says so, as the whole answer)
    turn_result: TurnResult | None  # this turn's last answering tool result: the only source of the answer
    answer: dict[str, Any] | None  # an agent.answer.Answer as a dict
    outcome: OutcomeValue  # an Outcome's value (see fmcgm.vocabulary)
    remaining_steps: RemainingSteps  # managed by LangGraph: the steps the recursion limit still allows
    # -- across turns --
    trace: Annotated[list[Step], operator.add]
