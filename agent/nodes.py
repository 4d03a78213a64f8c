"""The agent's nodes, one job each: start, model turn, nudge, critique, commit, tools, finalize.

Each node is a module-level function of the state and the run's dependencies
(:class:`Deps`, bound in :mod:`agent.graph`); it returns a partial state
update and appends its step to the trace.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from pydantic import ValidationError

from agent.answer import turn_answer
from agent.backends import BackendUnavailable, Invokable, invoke_with_retries
from agent.configuration import Settings
from agent.data_support import DATA_CONFLICT, dag_member, data_note, discovered_findings
from agent.guards import count_calls, empty_reply_error, limit_message, model_route, out_of_steps
from agent.parsing import is_empty, normalize_reply
from agent.state import AgentState, TurnResult
from fmcgm.critique import Finding, review
from fmcgm.errors import ContextOverflowError, ErrorCode, FMCGMError
from fmcgm.language.names import mentions
from fmcgm.language.normalize import normalize
from prompts import load
from tools import call_tool, tool_meta
from tools.registry import decode_arguments, injected_args
from tools.schemas import EstimateEffectArgs, FindingsData, GraphData, GraphSpec, ToolResult

if TYPE_CHECKING:  # types only: the offline path imports neither (chat_models alone costs seconds of start-up)
    import numpy as np
    from langchain_core.language_models.chat_models import BaseChatModel

    from fmcgm.discovery.table import Table

NUDGE = "fmcgm_nudge"  # marks messages the agent itself adds to the conversation
NUMBER_CODES = frozenset({ErrorCode.INVALID_PROBABILITY, ErrorCode.INCONSISTENT_INPUT})  # findings fixed by correcting a number


@dataclass(frozen=True)
class Deps:
    """What the nodes need besides the state: the tool-bound model, the settings, the attached data."""

    model: Invokable  # a tool-bound LangChain chat model, or the offline reasoner
    settings: Settings
    tool_names: frozenset[str]
    review_model: BaseChatModel | None = None
    table: Table | None = None  # the attached observations, read once when the agent is built
    max_nudges: int = 2  # times a model that ended without a computed answer is sent back (0 for the offline reasoner)

    @property
    def data(self) -> dict[str, np.ndarray] | None:
        return self.table.columns if self.table is not None else None


def _step(node: str, t0: float, tool: str | None = None, args: Any = None, result: Any = None,
          tokens: dict | None = None) -> dict:
    return {"node": node, "tool": tool, "args": args or {}, "result": result,
            "seconds": round(time.perf_counter() - t0, 6), "tokens": tokens}


def last_question(messages: list) -> str:
    for m in reversed(messages):
        if isinstance(m, HumanMessage) and not m.additional_kwargs.get(NUDGE):
            return str(m.content)
    return ""


def start(state: AgentState, deps: Deps) -> dict:
    """Reset every per-turn field: nothing of an earlier turn can leak into this turn's answer."""
    t0 = time.perf_counter()
    q = normalize(last_question(state.get("messages", [])))  # invisible characters never reach a name
    return {"question": q, "backend": deps.settings.backend, "started_at": datetime.now(UTC).isoformat(),
            "proposed_graph": None, "committed_graph": None, "critique_rounds": 0, "critiques": [],
            "call_counts": {}, "empty_replies": 0, "nudges": 0, "error": None, "error_kind": None, "out_of_steps": False,
            "turn_result": None, "answer": None, "outcome": "running",
            "trace": [_step("start", t0, result={"question": q})]}


def call_model(state: AgentState, deps: Deps, config: RunnableConfig) -> dict:
    """The model's turn.  The recursion limit is kept here, with LangGraph's ``RemainingSteps``: when the way the
    reply leads (the critique, the tools, a nudge) would leave no step for the turn to end on, the turn ends now with
    the limit's error instead of running into GraphRecursionError outside the graph."""
    update = _model_turn(state, deps)
    merged = {**state, **update, "messages": [*state["messages"], *update.get("messages", [])]}
    if not out_of_steps(state.get("remaining_steps"), model_route(merged, deps.max_nudges)):
        return update
    msg = limit_message((config or {}).get("recursion_limit"))
    return {"error": msg, "error_kind": "limit", "out_of_steps": True, "trace": update.get("trace", [])}


def _model_turn(state: AgentState, deps: Deps) -> dict:
    t0 = time.perf_counter()
    msgs = [SystemMessage(content=load("system")), *state["messages"]]
    if deps.table is not None:  # the model learns that observations are attached
        msgs.insert(1, data_note(deps.settings.data_path, deps.table))
    try:
        reply = invoke_with_retries(deps.model, msgs, deps.settings)
    except FMCGMError as e:
        kind = ("backend" if isinstance(e, BackendUnavailable)
                else "limit" if isinstance(e, ContextOverflowError) else "internal")
        return {"error": str(e), "error_kind": kind, "trace": [_step("model", t0, result={"error": str(e)})]}
    reply = normalize_reply(reply, set(deps.tool_names))
    usage = dict(reply.usage_metadata) if reply.usage_metadata else None
    step = _step("model", t0, result={"content": reply.content, "tool_calls": [tc["name"] for tc in reply.tool_calls]},
                 tokens=usage)
    if is_empty(reply):
        n = state.get("empty_replies", 0) + 1
        err = empty_reply_error(n, deps.settings.max_empty_replies)
        if err:
            return {"error": err, "error_kind": "limit", "trace": [step]}
        nudge_msg = HumanMessage(content=load("nudge_empty").strip(), additional_kwargs={NUDGE: True})
        return {"messages": [nudge_msg], "empty_replies": n, "trace": [step]}
    counts, err = count_calls(state.get("call_counts", {}), list(reply.tool_calls), deps.settings.max_repeated_calls)
    return {"messages": [reply], "call_counts": counts, "error": err, "error_kind": "limit" if err else None,
            "trace": [step]}


def nudge(state: AgentState, deps: Deps) -> dict:
    """Send a model that ended without a computed answer back to the tools (bounded by the router)."""
    t0 = time.perf_counter()
    msg = HumanMessage(content=load("nudge_uncomputed").strip(), additional_kwargs={NUDGE: True})
    n = state.get("nudges", 0) + 1
    return {"messages": [msg], "nudges": n, "trace": [_step("nudge", t0, result={"nudges": n})]}


def critique(state: AgentState, deps: Deps) -> dict:
    t0 = time.perf_counter()
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    consumer = next(tc for tc in last.tool_calls if tool_meta(tc["name"]).consumes_graph)
    args, bad = decode_arguments(consumer.get("args"))
    graph = (args or {}).get("graph") or state.get("proposed_graph")
    findings = ([Finding("error", "invalid_arguments",
                         f"the model's request to compute the answer was malformed: {bad.error.message}")]
                if bad is not None and bad.error is not None
                else review_call(consumer["name"], args or {}, graph, state.get("question", ""), deps.table))
    if deps.review_model is not None and graph and not any(f.severity == "error" for f in findings):
        findings.append(model_review(deps.review_model, graph, findings, state.get("question", "")))
    rounds = state.get("critique_rounds", 0) + 1
    previous = state.get("critiques", [])
    record = {"round": rounds, "graph": graph, "findings": [f.to_dict() for f in findings],
              "changed": graph_diff(previous[-1]["graph"] if previous else None, graph)}
    errors = [f for f in findings if f.severity == "error"]
    step = _step("critique", t0, args={"graph": graph}, result=record)
    update: dict[str, Any] = {"critique_rounds": rounds, "critiques": [*previous, record], "trace": [step]}
    if not errors:
        return update
    text = "; ".join(f.message for f in errors)
    if rounds >= deps.settings.max_critique_rounds:
        return {**update, "error": f"the critique rejected the graph {rounds} time(s), the limit: {text}",
                "error_kind": "limit"}
    reply = ToolResult.failure(ErrorCode.CRITIQUE_REJECTED, text, user_hint(errors), repair_hint(errors))
    reply.summary = f"critique rejected the graph: {text}"
    reply.data = FindingsData(findings=record["findings"])
    result = reply.model_dump()
    msgs = [ToolMessage(content=json.dumps(result), tool_call_id=tc["id"], name=tc["name"]) for tc in last.tool_calls]
    return {**update, "messages": msgs, "turn_result": TurnResult(tool=consumer["name"], result=result)}


def repair_hint(errors: list[Finding]) -> str:
    """What the model should do next (never shown to the user): a wrong number is fixed in the statements, not
    by revising the graph; a discovered graph the data contradict is reported, not revised by hand."""
    if any(f.code in NUMBER_CODES for f in errors):
        return "correct the probability statements (every probability is a number between 0 and 1, and the numbers " \
               "must agree with each other), then call the tool again"
    if any(f.code == DATA_CONFLICT for f in errors):
        return "the discovery already searched again under the rejected independences; do not revise the graph: " \
               "report the conflict and what would settle it"
    if any(f.code == ErrorCode.INVALID_ARGUMENTS for f in errors):
        return "fix the arguments to match the tool's schema, then call the tool again"
    if any(f.code == "no_graph" for f in errors):
        return "build the graph first (propose_edges, or discover_graph when data are attached), then call the tool"
    return "revise the graph (propose_edges) and call the tool again"


def user_hint(errors: list[Finding]) -> str:
    """What the user can do about the findings (their own hints; no instruction to the agent's model)."""
    hints = list(dict.fromkeys(f.hint for f in errors if f.hint))
    if hints:
        return "; ".join(hints)
    if any(f.code in NUMBER_CODES for f in errors):
        return "correct the probabilities: each is a number between 0 and 1, and they must agree with each other"
    return ""


def commit(state: AgentState, deps: Deps) -> dict:
    t0 = time.perf_counter()
    graph = state["critiques"][-1]["graph"]
    return {"committed_graph": graph, "trace": [_step("commit", t0, result={"graph": graph})]}


def call_tools(state: AgentState, deps: Deps) -> dict:
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    out, steps = [], []
    proposed = state.get("proposed_graph")
    turn: TurnResult | None = None
    for tc in last.tool_calls:
        t0 = time.perf_counter()
        meta = tool_meta(tc["name"])
        args, _ = decode_arguments(tc.get("args"))
        injected = _injected(tc["name"], state, deps)
        result = call_tool(tc["name"], args if args is not None else tc.get("args"), injected)
        typed = ToolResult.read(result)
        if meta.builds_graph and typed.ok and isinstance(typed.data, GraphData):
            proposed = typed.data.graph
        if meta.ends_search or (meta.input_step and not typed.ok):
            turn = TurnResult(tool=tc["name"], result=result)
        out.append(ToolMessage(content=json.dumps(result, default=str), tool_call_id=tc["id"], name=tc["name"]))
        hidden = {k for k, i in injected_args(tc["name"]).items() if not i.shown}
        shown = ({**args, **{k: v for k, v in injected.items() if k not in hidden}} if args is not None
                 else {"raw": str(tc.get("args"))[:500]})
        steps.append(_step("tools", t0, tool=tc["name"], args=shown, result=result))
    update: dict[str, Any] = {"messages": out, "trace": steps, "proposed_graph": proposed}
    if turn is not None:
        update["turn_result"] = turn
    return update


def _injected(tool: str, state: AgentState, deps: Deps) -> dict[str, Any]:
    """The values of a tool's injected arguments (declared in its schema): the frozen graph from the state; the
    attached data file and its budget, never a path a model made up; an LLM backend's model as a knowledge source.
    An argument with no value here (no data attached, no graph committed) is left as the call carried it."""
    run = {"data_path": deps.settings.data_path or None,
           "budget_s": deps.settings.data_budget_s if deps.settings.data_path else None,
           "knowledge_model": deps.review_model if deps.settings.backend != "offline" else None}
    values = {name: state.get(i.state_key) if i.state_key else run.get(name)
              for name, i in injected_args(tool).items()}
    return {k: v for k, v in values.items() if v is not None}


def finalize(state: AgentState, deps: Deps) -> dict:
    t0 = time.perf_counter()
    answer = turn_answer(state)
    return {"answer": answer.model_dump(mode="json"), "outcome": answer.outcome.value,
            "trace": [_step("finalize", t0, result={"outcome": answer.outcome.value, "computed": answer.computed,
                                                     "answer": answer.answer, "error": answer.error})]}


def review_call(tool: str, args: dict, graph: Any, question: str, table: Table | None) -> list[Finding]:
    """The deterministic critique of a graph-consuming call, validated with the tools' own models.  With data
    attached, the graph's implied independences are tested with the table's tester: for a discovered graph the
    very test object (and rows) its search used, so the search and this critique cannot disagree on a test."""
    discovered = isinstance(graph, dict) and (graph.get("search") or graph.get("undirected") or graph.get("partial"))
    member = graph
    if discovered:
        member = {**graph, "edges": dag_member(graph) or []}  # a class: its members imply the same independences
    try:
        # a discovered class carries the search's own keys (open edges, sources): read what a graph names, the
        # rest as strictly as the tool will read it once the graph is frozen
        spec = GraphSpec.known(member) if discovered else GraphSpec.model_validate(member)
    except ValidationError as e:
        if not isinstance(member, dict):
            return [Finding("error", "no_graph", "no causal graph to review")]
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        return [Finding("error", ErrorCode.INVALID_GRAPH, f"the graph is malformed: {where}: {first['msg']}")]
    named, said_latent = question_names(question, [*spec.nodes, *(v for e in spec.edges for v in e), *spec.latent])
    statements, query = [], None
    if tool == "estimate_effect":
        try:
            call = EstimateEffectArgs.model_validate({**args, "graph": spec.model_dump()})
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            return [Finding("error", "invalid_arguments",
                            f"the model's request to compute the answer was malformed ({where}: {first['msg']})")]
        statements = [s.to_statement() for s in call.statements]
        query = call.query.to_query()
    if discovered and table is not None:
        found = review(list(spec.edges), list(spec.latent), named=named, said_latent=said_latent,
                       statements=statements, query=query, nodes=list(spec.nodes))
        return found + discovered_findings(graph, table)
    tester = None
    if table is not None:  # the discovery package (numpy, causal-learn) only for a question with data
        from fmcgm.discovery.search import tester_for

        tester = tester_for(table)
    return review(list(spec.edges), list(spec.latent), named=named, said_latent=said_latent,
                  statements=statements, query=query, data=table.columns if table is not None else None,
                  data_test=tester, nodes=list(spec.nodes))


SAID_UNOBSERVED = re.compile(r"\b(?:is|are)\s+(?:unobserved|not observed|latent|hidden|unmeasured)\b"
                             r"|\b(?:unobserved|latent|hidden|unmeasured)\s*$", re.I)


def question_names(question: str, nodes: list[str]) -> tuple[list[str], list[str]]:
    """The graph's variables the question names, and those it says are unobserved ('Z is unobserved', 'X and Y are
    not observed', 'U unobserved'): the question's words matched against the graph's own names, whichever backend
    built the graph.  The subject of 'is unobserved' is read from the last comma, so 'Z affects X, and Z is
    unobserved' marks Z alone."""
    names = list(dict.fromkeys(nodes))
    named = list(dict.fromkeys(m.node for m in mentions(question, names)))
    said_latent: list[str] = []
    for sentence in re.split(r"[.!?;\n]+", question):
        said = SAID_UNOBSERVED.search(sentence.strip())
        if said is None:
            continue
        subject = re.split(r"[,:]", sentence.strip()[:said.start()])[-1]
        said_latent += [m.node for m in mentions(subject, names) if m.node not in said_latent]
    return named, said_latent


def model_review(review_model: BaseChatModel, graph: dict, findings: list[Finding], question: str) -> Finding:
    prompt = load("critique").format(question=question, graph=json.dumps(graph),
                                     findings="\n".join(f"- {f.severity}: {f.message}" for f in findings) or "- none")
    try:
        text = str(review_model.invoke([SystemMessage(content=prompt)]).content).strip()
    except Exception as e:  # noqa: BLE001 - a failed review must not sink the run
        return Finding("warning", "review_failed", f"the model's own review failed: {e}")
    if text.upper().startswith("REVISE"):
        return Finding("error", "model_review", text[:500])
    return Finding("info", "model_review", text[:500] or "APPROVE")


def graph_diff(old: dict | None, new: dict | None) -> dict:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {}
    oe = {tuple(e) for e in old.get("edges", [])}
    ne = {tuple(e) for e in new.get("edges", [])}
    return {"added_edges": sorted(list(e) for e in ne - oe), "removed_edges": sorted(list(e) for e in oe - ne),
            "latent_added": sorted(set(new.get("latent", [])) - set(old.get("latent", []))),
            "latent_removed": sorted(set(old.get("latent", [])) - set(new.get("latent", [])))}
