"""The offline reasoning backend: a LangChain chat model that needs no network and no weights.

It speaks the tool-calling protocol exactly like an LLM: it reads the
conversation, emits ``propose_edges`` → ``check_acyclicity`` →
``estimate_effect`` tool calls, and finally an answer.  Reading the question
is done by :mod:`fmcgm.language` (story parsing and phrase grounding), which
also asks the causal engine whether a reading can be answered in order to pick
between readings; the answer itself comes from the ``estimate_effect`` tool's
result, and the closing text is written from that result.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from typing import Any, Sequence

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool

from fmcgm.errors import FMCGMError
from fmcgm.language.understand import Problem, understand
from agent.answer import result_text
from fmcgm.vocabulary import Claim, QueryKind
from prompts import load
from tools.schemas import EstimateEffectArgs, GraphSpec, MechanismSpec, ProbabilityStatement, QuerySpec


@lru_cache(maxsize=512)
def _read(question: str) -> Problem | FMCGMError:
    try:
        return understand(question)
    except FMCGMError as e:
        return e


def problem_arguments(p: Problem) -> dict[str, Any]:
    """estimate_effect arguments for a structured problem, through the tools' own argument model."""
    graph = GraphSpec.of(p.graph)
    if p.kind == "det_counterfactual":
        assert p.outcome is not None, "a deterministic counterfactual problem names its outcome"
        (x, xv), = p.intervention.items()
        args = EstimateEffectArgs(
            graph=graph,
            query=QuerySpec(kind=QueryKind.DET_COUNTERFACTUAL, treatment=x, treatment_value=xv,
                            outcome=p.outcome[0], outcome_value=p.outcome[1]),
            mechanisms=[MechanismSpec.of(m) for m in p.mechanisms], observations=p.observations,
            factual={x: 1 - xv}, claim=Claim.HOLDS)
    else:
        assert p.query is not None, "a probabilistic problem carries its query"
        args = EstimateEffectArgs(graph=graph, query=QuerySpec.of(p.query),
                                  statements=[ProbabilityStatement.of(s) for s in p.statements], claim=p.claim)
    return args.model_dump(mode="json")


def _call(name: str, args: dict) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}",
                                              "type": "tool_call"}])


def _final(text: str) -> AIMessage:
    return AIMessage(content=text)


def _failure(prefix: str, res: dict) -> AIMessage:
    err = res.get("error") or {}
    return _final(f"{prefix}: {err.get('message', res.get('summary', 'tool error'))}. {err.get('hint', '')}".strip())


@lru_cache(maxsize=512)
def _visual(question: str):
    from fmcgm.language.visual import parse_visual

    try:
        return parse_visual(question)
    except FMCGMError:
        return None


class OfflineReasoner(BaseChatModel):
    """Deterministic, offline tool-calling model for structured causal questions."""

    @property
    def _llm_type(self) -> str:
        return "fmcgm-offline"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any):
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _visual_turn(self, visual, results) -> AIMessage:
        """propose_edges → check_acyclicity → apply_do → render_image → answer, for a world image question."""
        graph = _visual_graph(visual.world)
        if not results:
            return _call("propose_edges", {"edges": graph["edges"]})
        name, res = results[-1]
        if not res.get("ok", False):
            return _failure("I could not render the counterfactual", res)
        if name == "propose_edges":
            return _call("check_acyclicity", {"graph": res["data"]["graph"]})
        if name == "check_acyclicity":
            from fmcgm.worlds import get_world

            world = get_world(visual.world)
            do = {k: world.parse_value(k, v) for k, v in visual.intervention.items()}
            return _call("apply_do", {"graph": graph, "intervention": do})
        if name == "apply_do":
            return _call("render_image", {"world": visual.world, "intervention": visual.intervention})
        return _final(_visual_answer(res))

    def _decline(self, err: FMCGMError, results: list) -> AIMessage:
        """Ask the user for what is missing (request_clarification), then close the turn with the same words."""
        if not results:
            return _call("request_clarification", {
                "understood": "", "unreadable": [], "missing": [f"{err.message}"],
                "example": err.hint or "state the causal graph ('X has a direct effect on Y.') and the probabilities"})
        return _final(load("not_understood").format(message=err.message, hint=err.hint).strip())

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.next_message(messages))])

    def next_message(self, messages: list[BaseMessage]) -> AIMessage:
        start = max((i for i, m in enumerate(messages)
                     if isinstance(m, HumanMessage) and not m.additional_kwargs.get("fmcgm_nudge")), default=None)
        if start is None:
            return _final("Ask me a causal question.")
        question = str(messages[start].content)
        results = [(m.name, _json(m.content)) for m in messages[start + 1:] if isinstance(m, ToolMessage)]
        visual = _visual(question)
        if visual is not None:
            return self._visual_turn(visual, results)
        plan = _read(question)
        if isinstance(plan, FMCGMError):
            return self._decline(plan, results)
        if not results:
            spec = GraphSpec.of(plan.graph)
            return _call("propose_edges", {"edges": [list(e) for e in spec.edges], "latent": spec.latent})
        name, res = results[-1]
        if not res.get("ok", False):
            return _failure("I could not answer", res)
        if name == "propose_edges":
            return _call("check_acyclicity", {"graph": res["data"]["graph"]})
        if name == "check_acyclicity":
            if not res["data"]["acyclic"]:
                return _final(f"The causal graph is not valid: {res['summary']}.")
            return _call("estimate_effect", problem_arguments(plan))
        if name == "estimate_effect":
            return _final(result_text(res))
        return _final(res.get("summary", ""))


def _visual_graph(world_name: str) -> dict:
    from fmcgm.worlds import get_world

    return GraphSpec.of(get_world(world_name).graph()).model_dump(mode="json")


def _visual_answer(res: dict) -> str:
    d = res.get("data", {})
    fv, cv = d.get("factual_values", {}), d.get("counterfactual_values", {})
    lines = [f"In the {d.get('world')} world, do({', '.join(f'{k}={v:.3g}' for k, v in d.get('intervention', {}).items())}) "
             f"changes {', '.join(d.get('changed', []))}; everything else stays."]
    for c in d.get("changed", []):
        lines.append(f"- {c}: {fv.get(c, float('nan')):.3g} -> {cv.get(c, float('nan')):.3g} "
                     f"(measured in the generated image: {d.get('measured', {}).get(c, float('nan')):.3g})")
    lines.append(f"Counterfactual image: {d.get('paths', {}).get('side_by_side')} (factual | counterfactual | mask)")
    return "\n".join(lines)


def _json(content: Any) -> dict:
    if isinstance(content, dict):
        return content
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return {"ok": False, "summary": str(content)}
