"""The answer of one turn: a typed object built only from this turn's tool result.

``computed`` is true only when an answering tool (``estimate_effect``,
``render_image``, ``estimate_from_data``, ``infer_from_independences``) returned a
result in this very turn; whatever a model wrote in prose is kept in
``model_text`` and never becomes ``answer`` or ``value``.
The same object is what ``fmcgm ask --json``, the chat and the traces show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, assert_never

from pydantic import BaseModel, Field

from fmcgm.errors import ErrorCode
from fmcgm.vocabulary import Outcome, QueryKind
from prompts import load
from tools.registry import tool_meta
from tools.schemas import (
    AnswerData,
    ClarificationData,
    DataEffectData,
    EffectData,
    GraphSpec,
    ImageData,
    IndependenceData,
    ToolResult,
)

ErrorKind = Literal["backend", "limit", "input", "internal"]


class Answer(BaseModel):
    thread_id: str | None = None
    question: str = ""
    outcome: Outcome = Outcome.ERROR
    computed: bool = False
    answer: Literal["yes", "no"] | None = None
    value: float | None = None
    bounds: list[float] | None = None
    estimand: str | None = None
    method: str | None = None
    graph: GraphSpec | None = None
    graph_committed: bool | None = None  # False: the graph understood so far, shown but never used for an answer
    error: str | None = None
    error_kind: ErrorKind | None = None
    assumptions: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    critique_rounds: int = 0
    text: str = ""  # what the user reads: from the tool result, or the model's words labelled not computed
    model_text: str = ""  # the model's own closing words, verbatim
    images: dict[str, str] | None = None
    counterfactual_values: dict[str, float] | None = None

    @property
    def exit_code(self) -> int:
        """0 answered (an honest "not identifiable" too), 1 no computed answer, 2 bad input, 3 backend unreachable."""
        if self.outcome in (Outcome.ANSWERED, Outcome.NOT_IDENTIFIABLE):
            return 0
        return {"backend": 3, "input": 2}.get(self.error_kind or "", 1)


def turn_answer(state: Mapping[str, Any]) -> Answer:
    """The structured answer of the turn that just ended, from the per-turn fields of the state only."""
    turn = state.get("turn_result") or {}
    tool, result = turn.get("tool"), ToolResult.read(turn.get("result"))
    meta = tool_meta(tool)
    model_text = _last_ai_text(state.get("messages", []))
    data = result.data
    graph = state.get("committed_graph") or state.get("proposed_graph") or (
        data.graph if meta.asks_user and isinstance(data, ClarificationData) else None)
    base = {"thread_id": state.get("thread_id"), "question": state.get("question", ""),
            "graph": GraphSpec.known(graph) if graph else None, "model_text": model_text,
            "graph_committed": bool(state.get("committed_graph")) if graph else None,
            "critique_rounds": state.get("critique_rounds", 0), "warnings": _critique_warnings(state)}
    if state.get("error"):
        text = state["error"] if state.get("out_of_steps") else _labelled(model_text, state["error"])
        return Answer(**base, outcome=Outcome.ERROR, error=state["error"], error_kind=state.get("error_kind") or "internal",
                      text=text)
    if meta.asks_user and result.ok and isinstance(data, ClarificationData):
        return Answer(**base, outcome=Outcome.DECLINED, missing=data.missing, text=clarification_text(data))
    if meta.answers and result.ok and isinstance(data, AnswerData):
        return Answer(**base, outcome=Outcome.ANSWERED, computed=True, text=result_text(result), **answer_fields(data))
    if meta.answers or (meta.input_step and not result.ok):
        err = result.error
        msg = (err.message if err else result.summary or "the tool failed") + (
            f" ({err.hint})" if err and err.hint else "")
        code = _code(err.code if err else None)
        if code == ErrorCode.NOT_IDENTIFIABLE:
            return Answer(**base, outcome=Outcome.NOT_IDENTIFIABLE, computed=True, error=None,
                          text=f"Not identifiable: {msg}")
        need = [err.message] if err and code == ErrorCode.MISSING_QUANTITY else []
        kind = decline_kind(code)
        return Answer(**base, outcome=Outcome.DECLINED, error=msg, error_kind=kind, missing=need,
                      text=_labelled(model_text, msg))
    return Answer(**base, outcome=Outcome.DECLINED, text=_labelled(model_text, "no tool computed an answer"))


def answer_fields(data: AnswerData) -> dict[str, Any]:
    """The answer's fields a computed result fills, by the type of the result."""
    match data:
        case ImageData():
            return {"estimand": data.estimand, "method": data.method, "assumptions": data.assumptions,
                    "images": data.paths, "counterfactual_values": data.counterfactual_values}
        case EffectData():
            return {"answer": data.answer, "value": data.value, "bounds": data.bounds, "estimand": data.estimand,
                    "method": data.method, "assumptions": data.assumptions}
        case DataEffectData() | IndependenceData():
            value = data.value if isinstance(data, DataEffectData) else None
            return {"answer": data.answer, "value": value, "estimand": data.estimand, "method": data.method,
                    "assumptions": data.assumptions}
        case _:
            assert_never(data)


def _code(value: Any) -> ErrorCode | None:
    try:
        return ErrorCode(value)
    except ValueError:  # a code no error of the product carries (e.g. a stored trace of an older version)
        return None


def decline_kind(code: ErrorCode | None) -> ErrorKind | None:
    """Why a failed answering tool gave no answer, from its code's flags: the user's input file is unusable
    ("input", exit 2); something else the user can fix (None: a plain decline, exit 1); else "internal"."""
    if code is not None and code.bad_input:
        return "input"
    return None if code is not None and code.user_fixable else "internal"


def result_text(result: ToolResult | dict[str, Any]) -> str:
    """The answer as a person reads it, written from the tool result (never from a model's prose)."""
    res = ToolResult.read(result)
    data = res.data
    match data:
        case DataEffectData():
            from agent.data_support import data_answer_text

            return data_answer_text(data)
        case IndependenceData():  # a verdict over a class: the derivation is the answer's body
            lines = [f"{'Yes.' if data.implied else 'No.'} {res.summary}.", "", *data.derivation]
            return "\n".join(lines + ([f"Assumptions: {'; '.join(data.assumptions)}"] if data.assumptions else [])).strip()
        case ImageData():  # a counterfactual image: the tool's own summary says what changed and what it measured
            return res.summary
        case EffectData():
            return _effect_text(res.summary, data)
    return res.summary


def _effect_text(summary: str, data: EffectData) -> str:
    verdict = {"yes": "Yes.", "no": "No."}.get(data.answer or "", "")
    value, bounds = data.value, data.bounds
    value_line = (f"Value: {value:.4f}\n" if value is not None and data.kind != QueryKind.DET_COUNTERFACTUAL
                  else f"Value lies in [{bounds[0]:.4f}, {bounds[1]:.4f}]\n" if bounds else "")
    text = load("answer").format(
        verdict=verdict, summary=summary, method=data.method, estimand=data.estimand or "", value_line=value_line,
        assumption_line=("Assumptions: " + "; ".join(data.assumptions)) if data.assumptions else "",
    ).strip()
    if data.corrections:
        text += "\nChanged since the earlier turn: " + "; ".join(data.corrections)
    return text


def clarification_text(data: ClarificationData) -> str:
    lines = []
    if data.understood:
        lines.append(f"What I understood: {data.understood}")
    for s in data.unreadable:
        lines.append(f"I could not read: \u201c{s}\u201d")
    if data.missing:
        lines.append("To compute an answer I need: " + "; ".join(data.missing) + ".")
    if data.example:
        lines.append(f"For example: {data.example}")
    lines.append("Reply on this thread with the missing piece and I will continue.")
    return "\n".join(lines)


def _labelled(model_text: str, reason: str) -> str:
    words = model_text.strip()
    head = f"NOT COMPUTED ({reason})"
    return f"{head}\nThe model said: {words}" if words else head


def _last_ai_text(messages: list[Any]) -> str:
    from langchain_core.messages import AIMessage, HumanMessage

    for m in reversed(messages):
        if isinstance(m, HumanMessage) and not m.additional_kwargs.get("fmcgm_nudge"):
            return ""  # this turn has no closing model text
        if isinstance(m, AIMessage) and not m.tool_calls:
            return m.content if isinstance(m.content, str) else str(m.content)
    return ""


def _critique_warnings(state: Mapping[str, Any]) -> list[str]:
    return [f["message"] for c in (state.get("critiques") or [])[-1:] for f in c["findings"]
            if f["severity"] == "warning"]
