"""The LangGraph state machine.

    start → model ⇄ tools
              ↘ critique → commit → tools      (before the first graph-consuming call)
              ↘ nudge → model                  (an LLM ended in prose without a computed answer: back to the tools, bounded)
              ↘ finalize → END
    tools → finalize                           (the model asked the user back with request_clarification: the turn ends)

The offline reasoner is never nudged: its closing words are its decision (an answer, or a decline that says
what is missing), and sending a deterministic model back would only repeat them.

The model proposes and checks a graph with tools; the first call that needs a
graph (``estimate_effect``, ``render_image``) is held until the critique has
reviewed the graph — a rejection goes back to the model as a tool error it can
repair — and the graph is committed (frozen) before the call runs on it.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.graph import END, START, StateGraph

from agent import nodes as N
from agent.answer import Answer
from agent.backends import make_model
from agent.configuration import Settings
from agent.guards import ModelRoute, model_route
from agent.offline_model import OfflineReasoner
from agent.state import AgentState
from fmcgm.errors import FMCGMError
from fmcgm.vocabulary import Outcome
from tools import get_tools, tool_meta

if TYPE_CHECKING:  # the real-LLM backends' base class: its import alone costs seconds the offline path never needs
    from langchain_core.language_models.chat_models import BaseChatModel


def route_model(state: AgentState, max_nudges: int = 2) -> ModelRoute:
    return model_route(state, max_nudges)


def route_tools(state: AgentState) -> Literal["model", "finalize"]:
    """A successful request_clarification ends the turn at once: the question goes back to the user."""
    turn: dict[str, Any] = dict(state.get("turn_result") or {})
    if tool_meta(turn.get("tool")).asks_user and (turn.get("result") or {}).get("ok"):
        return "finalize"
    return "model"


def route_critique(state: AgentState) -> Literal["model", "commit", "finalize"]:
    if state.get("error"):
        return "finalize"
    return "model" if isinstance(state["messages"][-1], ToolMessage) else "commit"


def build_graph(model: BaseChatModel | OfflineReasoner | None = None, settings: Settings | None = None,
                checkpointer=None, review_model: BaseChatModel | None = None):
    """The compiled agent. Raises FMCGMError for a backend that cannot be configured or unreadable --data."""
    settings = settings or Settings()
    base = model or make_model(settings)
    if review_model is None and settings.backend != "offline" and model is None and not isinstance(base, OfflineReasoner):
        review_model = base  # an LLM also reviews its own graph with the critique prompt
    tools = get_tools()
    table = None
    if settings.data_path:  # the discovery package only for a question with data
        from fmcgm.discovery.table import load_table

        table = load_table(settings.data_path)
    max_nudges = 0 if isinstance(base, OfflineReasoner) else settings.max_uncomputed_nudges
    deps = N.Deps(model=base.bind_tools(tools), settings=settings, tool_names=frozenset(t.name for t in tools),
                  review_model=review_model, table=table,
                  max_nudges=max_nudges)
    g = StateGraph(AgentState)
    for name, fn in (("start", N.start), ("model", N.call_model), ("nudge", N.nudge), ("critique", N.critique),
                     ("commit", N.commit), ("tools", N.call_tools), ("finalize", N.finalize)):
        g.add_node(name, partial(fn, deps=deps))
    g.add_edge(START, "start")
    g.add_edge("start", "model")
    g.add_conditional_edges("model", partial(route_model, max_nudges=max_nudges),
                            ["model", "nudge", "tools", "critique", "finalize"])
    g.add_edge("nudge", "model")
    g.add_conditional_edges("critique", route_critique, ["model", "commit", "finalize"])
    g.add_edge("commit", "tools")
    g.add_conditional_edges("tools", route_tools, ["model", "finalize"])
    g.add_edge("finalize", END)
    return g.compile(checkpointer=checkpointer)


def run_question(question: str, settings: Settings | None = None, app=None, thread_id: str | None = None) -> dict[str, Any]:
    """Answer one question (on a new or existing thread). Never raises for bad input or a failing backend;
    ``state["answer"]`` is an :class:`~agent.answer.Answer` as a dict."""
    settings = settings or Settings()
    thread_id = thread_id or uuid.uuid4().hex[:12]
    try:
        app = app or build_graph(settings=settings)
    except FMCGMError as e:
        return error_state(question, thread_id, str(e), "input")
    except Exception as e:  # noqa: BLE001 - e.g. a client library that refuses its configuration
        return error_state(question, thread_id, f"the {settings.backend} backend cannot be set up: {e}", "input")
    config = {"configurable": {"thread_id": thread_id}, "recursion_limit": settings.recursion_limit}
    state = dict(app.invoke({"messages": [HumanMessage(content=question)]}, config=config))
    state["answer"] = {**state["answer"], "thread_id": thread_id}
    return {**state, "thread_id": thread_id}


def error_state(question: str, thread_id: str | None, msg: str, kind: str) -> dict[str, Any]:
    """A run that could not start: the same shape as a finished one."""
    answer = Answer(thread_id=thread_id, question=question, outcome=Outcome.ERROR, error=msg, error_kind=kind,  # type: ignore[arg-type]
                    text=msg)
    return {"thread_id": thread_id, "question": question, "trace": [], "messages": [],
            "answer": answer.model_dump(mode="json"), "outcome": "error"}


__all__ = ["build_graph", "run_question", "error_state", "route_model", "route_tools", "route_critique"]
