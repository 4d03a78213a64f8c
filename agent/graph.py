"""The LangGraph state machine: question → model ⇄ tools → final answer.

Nodes have one job each: ``model`` asks the reasoning model for its next
message, ``tools`` validates and executes its tool calls (errors go back to
the model as messages it can repair), ``finalize`` turns the run into a
structured answer.  Every node appends to the trace.
"""

from __future__ import annotations

import json
import time
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph

from agent.configuration import Settings
from agent.offline_model import OfflineReasoner
from agent.state import AgentState
from prompts import load
from tools import call_tool, get_tools


def make_model(settings: Settings) -> BaseChatModel:
    return OfflineReasoner()


def build_graph(model: BaseChatModel | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    bound = (model or make_model(settings)).bind_tools(get_tools())

    def call_model(state: AgentState) -> dict:
        t0 = time.perf_counter()
        msgs = list(state["messages"])
        if not msgs or not isinstance(msgs[0], SystemMessage):
            msgs = [SystemMessage(content=load("system")), *msgs]
        reply = bound.invoke(msgs)
        step = {"node": "model", "tool": None, "args": {},
                "result": {"content": reply.content, "tool_calls": [tc["name"] for tc in reply.tool_calls]},
                "seconds": time.perf_counter() - t0}
        return {"messages": [reply], "trace": [step]}

    def call_tools(state: AgentState) -> dict:
        last = state["messages"][-1]
        out, steps, graph = [], [], state.get("graph")
        for tc in last.tool_calls:
            t0 = time.perf_counter()
            result = call_tool(tc["name"], tc.get("args"))
            if tc["name"] == "propose_edges" and result.get("ok"):
                graph = result["data"]["graph"]
            out.append(ToolMessage(content=json.dumps(result), tool_call_id=tc["id"], name=tc["name"]))
            steps.append({"node": "tools", "tool": tc["name"], "args": tc.get("args") or {}, "result": result,
                          "seconds": time.perf_counter() - t0})
        return {"messages": out, "trace": steps, "graph": graph}

    def finalize(state: AgentState) -> dict:
        return {"answer": final_answer(state), "trace": [{"node": "finalize", "tool": None, "args": {},
                                                          "result": None, "seconds": 0.0}]}

    def route(state: AgentState) -> str:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls else "finalize"

    g = StateGraph(AgentState)
    g.add_node("model", call_model)
    g.add_node("tools", call_tools)
    g.add_node("finalize", finalize)
    g.add_edge(START, "model")
    g.add_conditional_edges("model", route, {"tools": "tools", "finalize": "finalize"})
    g.add_edge("tools", "model")
    g.add_edge("finalize", END)
    return g.compile()


def final_answer(state: AgentState) -> dict[str, Any]:
    """The structured answer: the last estimate_effect result plus the model's closing text."""
    msgs = state["messages"]
    text = str(msgs[-1].content) if msgs else ""
    result: dict[str, Any] = {}
    for step in reversed(state.get("trace", [])):
        if step["tool"] == "estimate_effect":
            result = step["result"]
            break
    data = result.get("data", {}) if result.get("ok") else {}
    error = None
    if result and not result.get("ok"):
        error = (result.get("error") or {}).get("message")
    elif not result:
        error = text if text else "no answer"
    return {"text": text, "answer": data.get("answer"), "value": data.get("value"), "estimand": data.get("estimand"),
            "method": data.get("method"), "graph": state.get("graph"), "error": error,
            "assumptions": data.get("assumptions", [])}


def run_question(question: str, settings: Settings | None = None, app=None) -> dict[str, Any]:
    """Answer one question; returns the final state (answer, trace, messages). Never raises for bad input."""
    settings = settings or Settings()
    app = app or build_graph(settings=settings)
    try:
        return app.invoke({"messages": [HumanMessage(content=question)], "question": question, "trace": []},
                          config={"recursion_limit": settings.recursion_limit})
    except GraphRecursionError:
        msg = f"stopped after {settings.recursion_limit} steps without an answer (recursion limit)"
        return {"messages": [], "question": question, "trace": [],
                "answer": {"text": msg, "answer": None, "value": None, "estimand": None, "method": None,
                           "graph": None, "error": msg, "assumptions": []}}
