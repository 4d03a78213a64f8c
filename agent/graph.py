"""The LangGraph state machine.

    start → model ⇄ tools
              ↘ critique → commit → tools      (before the first graph-consuming call)
              ↘ finalize → END

The model proposes and checks a graph with tools; the first call that needs a
graph (``estimate_effect``) is held until the critique has reviewed the graph
— a rejection goes back to the model as a tool error it can repair — and the
graph is committed (frozen) before the call runs on it.
"""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph

from agent.backends import make_model
from agent.configuration import Settings
from agent.nodes import GRAPH_CONSUMERS, final_answer, make_nodes
from agent.state import AgentState


def route_model(state: AgentState) -> str:
    if state.get("error"):
        return "finalize"
    last = state["messages"][-1]
    if isinstance(last, HumanMessage):  # a nudge after an empty reply
        return "model"
    if isinstance(last, AIMessage) and last.tool_calls:
        if state.get("committed_graph") is None and any(tc["name"] in GRAPH_CONSUMERS for tc in last.tool_calls):
            return "critique"
        return "tools"
    return "finalize"


def route_critique(state: AgentState) -> str:
    if state.get("error"):
        return "finalize"
    return "model" if isinstance(state["messages"][-1], ToolMessage) else "commit"


def build_graph(model: BaseChatModel | None = None, settings: Settings | None = None, checkpointer=None,
                review_model: BaseChatModel | None = None):
    settings = settings or Settings()
    base = model or make_model(settings)
    if review_model is None and settings.backend != "offline" and model is None:
        review_model = base  # an LLM also reviews its own graph with the critique prompt
    nodes = make_nodes(base, settings, review_model)
    g = StateGraph(AgentState)
    for name, fn in nodes.items():
        g.add_node(name, fn)
    g.add_edge(START, "start")
    g.add_edge("start", "model")
    g.add_conditional_edges("model", route_model, ["model", "tools", "critique", "finalize"])
    g.add_conditional_edges("critique", route_critique, ["model", "commit", "finalize"])
    g.add_edge("commit", "tools")
    g.add_edge("tools", "model")
    g.add_edge("finalize", END)
    return g.compile(checkpointer=checkpointer)


def run_question(question: str, settings: Settings | None = None, app=None, thread_id: str | None = None) -> dict[str, Any]:
    """Answer one question (on a new or existing thread). Never raises for bad input or a failing backend."""
    settings = settings or Settings()
    thread_id = thread_id or uuid.uuid4().hex[:12]
    try:
        app = app or build_graph(settings=settings)
    except Exception as e:  # noqa: BLE001 - e.g. a backend that cannot be configured
        msg = str(e)
        return {"thread_id": thread_id, "question": question, "trace": [], "messages": [],
                "answer": _error_answer(msg), "outcome": "error"}
    config = {"configurable": {"thread_id": thread_id}, "recursion_limit": settings.recursion_limit}
    try:
        state = app.invoke({"messages": [HumanMessage(content=question)]}, config=config)
    except GraphRecursionError:
        msg = f"stopped after {settings.recursion_limit} steps without an answer (the recursion limit)"
        state = {"question": question, "trace": [], "messages": []}
        if app.checkpointer is not None:
            snap = app.get_state(config)
            state = dict(snap.values)
            app.update_state(config, {"error": msg, "outcome": "error", "answer": _error_answer(msg)})
        state.update({"answer": _error_answer(msg), "outcome": "error"})
    return {**state, "thread_id": thread_id}


def _error_answer(msg: str) -> dict[str, Any]:
    return {"text": msg, "answer": None, "value": None, "estimand": None, "method": None, "graph": None,
            "error": msg, "assumptions": [], "critique_rounds": 0, "warnings": [], "images": None,
            "counterfactual_values": None}


__all__ = ["build_graph", "run_question", "final_answer", "route_model", "route_critique"]
