"""Guards against runaway models, as small pure functions of the state's counters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage

from tools.registry import decode_arguments, tool_meta

ModelRoute = Literal["model", "nudge", "tools", "critique", "finalize"]


def call_signature(name: str, args: Any) -> str:
    decoded, _ = decode_arguments(args)
    return name + json.dumps(decoded if decoded is not None else str(args)[:2000], sort_keys=True, default=str)


def count_calls(counts: dict[str, int], calls: list[Any], limit: int) -> tuple[dict[str, int], str | None]:
    """Updated identical-call counts, and a stop message when one call repeats more than ``limit`` times."""
    counts = dict(counts)
    err = None
    for tc in calls:
        sig = call_signature(tc["name"], tc.get("args"))
        counts[sig] = counts.get(sig, 0) + 1
        if counts[sig] > limit:
            err = (f"the model repeated the same call to {tc['name']} {counts[sig]} times without progress; "
                   "stopping")
    return counts, err


def empty_reply_error(seen: int, limit: int) -> str | None:
    return f"the model returned {seen} empty replies; stopping" if seen > limit else None


# the longest way from the model back to the model: critique, commit, tools (then the model itself)
STEPS_TO_NEXT_MODEL = {"critique": 4, "tools": 2, "nudge": 2, "model": 1, "finalize": 0}


def out_of_steps(remaining: int | None, route: str) -> bool:
    """Whether the model's next route would leave the model no step to end the turn on: LangGraph's ``RemainingSteps``
    counts the steps left after this node, the model met next must still route to ``finalize``, and the run stops
    with GraphRecursionError unless a step is left after ``finalize`` too."""
    return remaining is not None and remaining - STEPS_TO_NEXT_MODEL[route] < 2


def limit_message(limit: int | None) -> str:
    return f"stopped after {limit} steps without an answer (the recursion limit)"


def may_nudge(nudges: int, limit: int) -> bool:
    """Whether a model that ended a turn without a computed answer is sent back to the tools once more."""
    return nudges < limit


def model_route(state: Mapping[str, Any], max_nudges: int = 2) -> ModelRoute:
    """Where the agent goes after the model's turn (the graph's router, and the model's own step count)."""
    if state.get("error"):
        return "finalize"
    last = state["messages"][-1]
    if isinstance(last, HumanMessage):  # a nudge after an empty reply
        return "model"
    if isinstance(last, AIMessage) and last.tool_calls:
        if state.get("committed_graph") is None and any(tool_meta(tc["name"]).consumes_graph for tc in last.tool_calls):
            return "critique"
        return "tools"
    if state.get("turn_result") is None and may_nudge(state.get("nudges", 0), max_nudges):
        return "nudge"
    return "finalize"
