"""One turn of the agent, streamed: a step event per trace step as the nodes finish, then the answer.

Built from LangGraph's ``stream(..., stream_mode="updates")``: each update is one node's partial
state, whose ``trace`` entries are the steps it took. The graph under discussion and the
intervened variables are tracked along the way so the UI can redraw the picture per step.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel

from fmcgm.app.answer import TurnAnswer, error_answer, read_answer
from fmcgm.app.present import step_summary, step_title
from tools import tool_meta


class StepEvent(BaseModel):
    index: int  # 1-based within the turn
    node: str
    tool: str | None = None
    args: dict[str, Any] = {}
    result: Any = None
    seconds: float = 0.0
    tokens: dict[str, Any] | None = None
    graph: dict[str, Any] | None = None  # the graph under discussion after this step
    committed: bool = False  # that graph is the committed (frozen) one
    intervened: list[str] = []  # variables set by do() so far in this turn
    graph_changed: bool = False  # this step changed the graph or the intervention

    @property
    def title(self) -> str:
        return step_title(self.node, self.tool, self.result)

    @property
    def summary(self) -> str:
        return step_summary(self.node, self.result)


class TurnEnd(BaseModel):
    answer: TurnAnswer
    graph: dict[str, Any] | None
    committed: bool
    intervened: list[str]


def _intervened(tool: str | None, args: dict[str, Any]) -> list[str]:
    if tool == "apply_do" and isinstance(args.get("intervention"), dict):
        return list(args["intervention"])
    if tool == "estimate_effect":
        t = (args.get("query") or {}).get("treatment")
        return [t] if isinstance(t, str) and t else []
    return []


def stream_turn(agent, question: str, thread_id: str, recursion_limit: int) -> Generator[StepEvent | TurnEnd, None, None]:
    """Run one question on ``thread_id``; yield a StepEvent per step, then one TurnEnd. Never raises."""
    config = {"configurable": {"thread_id": thread_id}, "recursion_limit": recursion_limit}
    graph: dict[str, Any] | None = None
    committed, index = False, 0
    intervened: list[str] = []
    try:
        for update in agent.stream({"messages": [HumanMessage(content=question)]}, config=config, stream_mode="updates"):
            for node, part in update.items():
                part = part or {}
                if part.get("committed_graph"):
                    graph, committed = part["committed_graph"], True
                for step in part.get("trace", []):
                    index += 1
                    args = step.get("args") or {}
                    new_graph = graph_of(step)
                    changed = False
                    if new_graph is not None and not committed and new_graph != graph:
                        graph, changed = new_graph, True
                    do = _intervened(step.get("tool"), args)
                    if do and do != intervened:
                        intervened, changed = do, True
                    yield StepEvent(index=index, node=step.get("node") or node, tool=step.get("tool"), args=args,
                                    result=step.get("result"), seconds=step.get("seconds") or 0.0,
                                    tokens=step.get("tokens"), graph=graph, committed=committed,
                                    intervened=intervened, graph_changed=changed or node == "commit")
        state = {**agent.get_state(config).values, "thread_id": thread_id}
    except Exception as e:  # noqa: BLE001 - an agent failure is a readable message, and the app keeps serving
        state = error_answer(question, thread_id, f"the agent failed: {type(e).__name__}: {e}")
    answer = read_answer(state)
    yield TurnEnd(answer=answer, graph=graph or answer.graph, committed=committed, intervened=intervened)


def graph_of(step: dict[str, Any]) -> dict[str, Any] | None:
    """The graph a step built or reviewed, if any (propose_edges' result, the critique's or a tool's argument)."""
    res = step.get("result")
    res = res if isinstance(res, dict) else {}
    if tool_meta(step.get("tool")).builds_graph and res.get("ok"):
        return (res.get("data") or {}).get("graph")
    g = (step.get("args") or {}).get("graph")
    if isinstance(g, str):
        try:
            g = json.loads(g)
        except ValueError:
            return None
    return g if isinstance(g, dict) and "edges" in g else None


def stop_turn(agent, thread_id: str, reason: str = "stopped by the user") -> None:
    """Close a turn that was interrupted mid-run so the thread can take the next question: answer any
    tool calls left open (a chat API rejects a history with dangling calls) and mark the turn as ended."""
    config = {"configurable": {"thread_id": thread_id}}
    snap = agent.get_state(config)
    if not snap.next:
        return
    msgs = snap.values.get("messages", [])
    last = msgs[-1] if msgs else None
    reply = json.dumps({"ok": False, "summary": reason})
    dangling = [ToolMessage(content=reply, tool_call_id=tc["id"], name=tc["name"])
                for tc in (last.tool_calls if isinstance(last, AIMessage) else [])]
    agent.update_state(config, {"messages": dangling, "error": reason, "outcome": "error"}, as_node="finalize")
