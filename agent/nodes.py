"""The agent's nodes, one job each: start, model turn, critique, commit, tools, finalize.

Nodes are built by :func:`make_nodes` around a bound chat model and the
settings; each returns a partial state update and appends its step to the trace.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Callable

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.backends import is_transient
from agent.configuration import Settings
from agent.parsing import INVALID_JSON, is_empty, normalize_reply
from agent.state import AgentState
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.critique import Finding, load_csv, review
from fmcgm.errors import FMCGMError
from prompts import load
from tools import call_tool, get_tools

GRAPH_CONSUMERS = {"estimate_effect", "render_image"}  # tools that must run on the committed graph


def _step(node: str, t0: float, tool: str | None = None, args: Any = None, result: Any = None,
          tokens: dict | None = None) -> dict:
    return {"node": node, "tool": tool, "args": args or {}, "result": result,
            "seconds": round(time.perf_counter() - t0, 6), "tokens": tokens}


def _args(tc: dict) -> dict:
    a = tc.get("args")
    if isinstance(a, str):
        try:
            a = json.loads(a)
        except ValueError:
            return {}
    return a if isinstance(a, dict) else {}


def _last_question(state: AgentState) -> str:
    for m in reversed(state.get("messages", [])):
        if isinstance(m, HumanMessage) and not m.additional_kwargs.get("fmcgm_nudge"):
            return str(m.content)
    return ""


def make_nodes(model: BaseChatModel, settings: Settings, review_model: BaseChatModel | None = None) -> dict[str, Callable]:
    tool_names = {t.name for t in get_tools()}
    bound = model.bind_tools(get_tools())
    data = load_csv(settings.data_path) if settings.data_path else None

    def start(state: AgentState) -> dict:
        t0 = time.perf_counter()
        q = _last_question(state)
        return {"question": q, "backend": settings.backend, "started_at": datetime.now(timezone.utc).isoformat(),
                "proposed_graph": None, "committed_graph": None, "critique_rounds": 0, "critiques": [],
                "call_counts": {}, "empty_replies": 0, "error": None, "answer": None, "outcome": "running",
                "trace": [_step("start", t0, result={"question": q})]}

    def call_model(state: AgentState) -> dict:
        t0 = time.perf_counter()
        msgs = [SystemMessage(content=load("system")), *state["messages"]]
        reply, err = None, None
        for attempt in range(settings.max_retries + 1):
            try:
                reply = bound.invoke(msgs)
                break
            except Exception as e:  # noqa: BLE001 - any client failure becomes a clear message
                if is_transient(e) and attempt < settings.max_retries:
                    time.sleep(settings.retry_backoff * 2 ** attempt)
                    continue
                where = settings.server_url() or "the model"
                err = (f"the {settings.backend} server at {where} did not answer after {attempt + 1} attempt(s) "
                       f"({type(e).__name__}: {str(e)[:200]}); check that it is running and reachable, "
                       f"and that --base-url and --model are right") if is_transient(e) else \
                      f"the {settings.backend} model call failed ({type(e).__name__}: {str(e)[:300]})"
                break
        if reply is None:
            return {"error": err, "trace": [_step("model", t0, result={"error": err})]}
        reply = normalize_reply(reply, tool_names)
        usage = dict(reply.usage_metadata) if getattr(reply, "usage_metadata", None) else None
        result = {"content": reply.content, "tool_calls": [tc["name"] for tc in reply.tool_calls]}
        if is_empty(reply):
            n = state.get("empty_replies", 0) + 1
            if n > settings.max_empty_replies:
                err = f"the model returned {n} empty replies; stopping"
                return {"error": err, "trace": [_step("model", t0, result={"error": err}, tokens=usage)]}
            nudge = HumanMessage(content="Your reply was empty. Call one of the tools, or give your final answer.",
                                 additional_kwargs={"fmcgm_nudge": True})
            return {"messages": [nudge], "empty_replies": n, "trace": [_step("model", t0, result=result, tokens=usage)]}
        counts = dict(state.get("call_counts", {}))
        err = None
        for tc in reply.tool_calls:
            sig = tc["name"] + json.dumps(_args(tc), sort_keys=True, default=str)
            counts[sig] = counts.get(sig, 0) + 1
            if counts[sig] > settings.max_repeated_calls:
                err = (f"the model repeated the same call to {tc['name']} {counts[sig]} times without progress; "
                       "stopping")
        return {"messages": [reply], "call_counts": counts, "error": err,
                "trace": [_step("model", t0, result=result, tokens=usage)]}

    def critique(state: AgentState) -> dict:
        t0 = time.perf_counter()
        last: AIMessage = state["messages"][-1]
        consumer = next(tc for tc in last.tool_calls if tc["name"] in GRAPH_CONSUMERS)
        args = _args(consumer)
        graph = args.get("graph") or state.get("proposed_graph")
        findings = _review(graph, args, state.get("question", ""), data)
        if review_model is not None and graph and not any(f.severity == "error" for f in findings):
            findings.append(_model_review(review_model, graph, findings, state.get("question", "")))
        rounds = state.get("critique_rounds", 0) + 1
        previous = state.get("critiques", [])
        changed = _diff(previous[-1]["graph"] if previous else None, graph)
        record = {"round": rounds, "graph": graph, "findings": [f.to_dict() for f in findings], "changed": changed}
        errors = [f for f in findings if f.severity == "error"]
        step = _step("critique", t0, args={"graph": graph}, result=record)
        if not errors:
            return {"critique_rounds": rounds, "critiques": [*previous, record], "trace": [step]}
        text = "; ".join(f.message for f in errors)
        if rounds >= settings.max_critique_rounds:
            return {"critique_rounds": rounds, "critiques": [*previous, record], "trace": [step],
                    "error": f"the critique rejected the graph {rounds} time(s), the limit: {text}"}
        reply = {"ok": False, "summary": f"critique rejected the graph: {text}", "data": {"findings": record["findings"]},
                 "error": {"code": "critique_rejected", "message": text,
                           "hint": "revise the graph (propose_edges) and call estimate_effect again"}}
        msgs = [ToolMessage(content=json.dumps(reply), tool_call_id=tc["id"], name=tc["name"]) for tc in last.tool_calls]
        return {"messages": msgs, "critique_rounds": rounds, "critiques": [*previous, record], "trace": [step]}

    def commit(state: AgentState) -> dict:
        t0 = time.perf_counter()
        graph = state["critiques"][-1]["graph"]
        return {"committed_graph": graph, "trace": [_step("commit", t0, result={"graph": graph})]}

    def call_tools(state: AgentState) -> dict:
        last: AIMessage = state["messages"][-1]
        out, steps, proposed = [], [], state.get("proposed_graph")
        committed = state.get("committed_graph")
        for tc in last.tool_calls:
            t0 = time.perf_counter()
            args = tc.get("args")
            if tc["name"] == "estimate_effect" and committed is not None and isinstance(args, dict):
                args = {**args, "graph": committed}  # the frozen graph, whatever the call carried
            result = call_tool(tc["name"], args)
            if tc["name"] == "propose_edges" and result.get("ok"):
                proposed = result["data"]["graph"]
            out.append(ToolMessage(content=json.dumps(result, default=str), tool_call_id=tc["id"], name=tc["name"]))
            steps.append(_step("tools", t0, tool=tc["name"], args=args if isinstance(args, dict) else {"raw": args},
                               result=result))
        return {"messages": out, "trace": steps, "proposed_graph": proposed}

    def finalize(state: AgentState) -> dict:
        t0 = time.perf_counter()
        answer = final_answer(state)
        return {"answer": answer, "outcome": "error" if answer["error"] else "answered",
                "trace": [_step("finalize", t0, result={"answer": answer.get("answer"), "error": answer["error"]})]}

    return {"start": start, "model": call_model, "critique": critique, "commit": commit, "tools": call_tools,
            "finalize": finalize}


def _review(graph: dict | None, args: dict, question: str, data) -> list[Finding]:
    if INVALID_JSON in args:
        return [Finding("error", "invalid_arguments",
                        f"the estimate_effect arguments are not valid JSON: {args[INVALID_JSON][:200]}")]
    if not graph or not isinstance(graph, dict) or "edges" not in graph:
        return [Finding("error", "no_graph", "no causal graph to review: call propose_edges first")]
    named, said_latent = _story_names(question)
    try:
        statements = [Statement.of(s.get("event", {}), s.get("given", {}), s.get("p", -1)) for s in args.get("statements", [])]
        q = args.get("query") or {}
        query = Query(q["kind"], q["outcome"], q.get("treatment"), q.get("treatment_value", 1), q.get("control_value", 0),
                      q.get("outcome_value", 1), tuple(q.get("mediators", [])), tuple((q.get("condition") or {}).items()),
                      tuple(tuple(s) for s in q.get("adjustment_sets", []))) if q.get("kind") and q.get("outcome") else None
    except (TypeError, AttributeError, KeyError, ValueError) as e:
        return [Finding("error", "invalid_arguments", f"the estimate_effect arguments are malformed: {e}")]
    edges = [tuple(e) for e in graph.get("edges", []) if isinstance(e, (list, tuple)) and len(e) == 2]
    return review(edges, list(graph.get("latent", [])), named=named, said_latent=said_latent,
                  statements=statements, query=query, data=data)


def _story_names(question: str) -> tuple[list[str], list[str]]:
    """Variables and unobserved variables the question itself declares (when it has a readable background)."""
    from fmcgm.language.story import parse_background, sentences

    try:
        bg, _ = parse_background(sentences(question))
    except (FMCGMError, ValueError):
        return [], []
    return bg.names if bg.edges else [], bg.latent


def _model_review(review_model: BaseChatModel, graph: dict, findings: list[Finding], question: str) -> Finding:
    prompt = load("critique").format(question=question, graph=json.dumps(graph),
                                     findings="\n".join(f"- {f.severity}: {f.message}" for f in findings) or "- none")
    try:
        text = str(review_model.invoke([SystemMessage(content=prompt)]).content).strip()
    except Exception as e:  # noqa: BLE001 - a failed review must not sink the run
        return Finding("warning", "review_failed", f"the model's own review failed: {e}")
    if text.upper().startswith("REVISE"):
        return Finding("error", "model_review", text[:500])
    return Finding("info", "model_review", text[:500] or "APPROVE")


def _diff(old: dict | None, new: dict | None) -> dict:
    if not old or not new:
        return {}
    oe = {tuple(e) for e in old.get("edges", [])}
    ne = {tuple(e) for e in new.get("edges", [])}
    return {"added_edges": sorted(list(e) for e in ne - oe), "removed_edges": sorted(list(e) for e in oe - ne),
            "latent_added": sorted(set(new.get("latent", [])) - set(old.get("latent", []))),
            "latent_removed": sorted(set(old.get("latent", [])) - set(new.get("latent", [])))}


def final_answer(state: AgentState) -> dict[str, Any]:
    """The structured answer: the last estimate_effect result plus the model's closing text."""
    msgs = state.get("messages", [])
    text = str(msgs[-1].content) if msgs and isinstance(msgs[-1], AIMessage) else ""
    result: dict[str, Any] = {}
    for step in reversed(state.get("trace", [])):
        if step.get("tool") in ("estimate_effect", "render_image"):
            result = step["result"] or {}
            break
    data = result.get("data", {}) if result.get("ok") else {}
    images = data.get("paths") if isinstance(data.get("paths"), dict) else None
    error = state.get("error")
    if not error and result and not result.get("ok"):
        error = (result.get("error") or {}).get("message")
    if not error and not result:
        error = text or "no answer"
    warnings = [f["message"] for c in state.get("critiques", [])[-1:] for f in c["findings"] if f["severity"] == "warning"]
    return {"text": text or (error or ""), "answer": data.get("answer"), "value": data.get("value"),
            "estimand": data.get("estimand"), "method": data.get("method"),
            "graph": state.get("committed_graph") or state.get("proposed_graph"), "error": error,
            "assumptions": data.get("assumptions", []), "critique_rounds": state.get("critique_rounds", 0),
            "warnings": warnings, "images": images,
            "counterfactual_values": data.get("counterfactual_values") if images else None}
