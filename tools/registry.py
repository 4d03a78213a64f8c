"""The tool registry: LangChain tools built from the pydantic schemas, by name.

Tool descriptions come from the implementations' docstrings and the argument
schemas, so a model sees one source of truth.  Other capabilities plug in
with :func:`register`, which also records what the agent needs to know of each
tool (:class:`ToolMeta`: does it run on the committed graph, answer, read the
attached data ...), so the agent reads that instead of keeping lists of names.
:func:`call_tool` is the one executor: it decodes the arguments as a model sent
them and never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ValidationError

from fmcgm.errors import ErrorCode
from tools.causal_tools import (
    apply_do,
    check_acyclicity,
    error_result,
    estimate_effect,
    propose_edges,
    request_clarification,
    safe,
)
from tools.discovery_tools import DiscoverGraphArgs, EstimateFromDataArgs, discover_graph, estimate_from_data
from tools.independence_tools import InferFromIndependencesArgs, infer_from_independences
from tools.render_tool import RenderImageArgs, render_image
from tools.schemas import (
    ApplyDoArgs,
    CheckAcyclicityArgs,
    EstimateEffectArgs,
    ProposeEdgesArgs,
    RequestClarificationArgs,
    ToolResult,
)

INVALID_JSON = "__invalid_json__"  # marker for arguments a model sent that are not JSON (see agent.parsing)
MAX_DEPTH = 32  # no tool schema nests deeper; deeper input is refused before it can exhaust the stack
MAX_ARG_CHARS = 1_000_000



@dataclass(frozen=True)
class ToolMeta:
    """What the agent needs to know of a tool, declared once where the tool is registered."""

    consumes_graph: bool = False  # runs on the committed graph: held for the critique, then given the frozen graph
    answers: bool = False  # its ok result is the turn's computed answer
    asks_user: bool = False  # its ok result ends the turn with a question back to the user
    reads_data: bool = False  # reads the attached data file (given its path and the data budget)
    input_step: bool = False  # a failure of its ends the turn as the answer's reason (the user's input is unusable)
    builds_graph: bool = False  # its ok result is the graph proposed so far
    uses_knowledge: bool = False  # takes a chat model as a knowledge source (``knowledge_model=``) when there is one

    @property
    def ends_search(self) -> bool:
        """Its result ends the turn's search for an answer (an answer, or a question to the user)."""
        return self.answers or self.asks_user


_REGISTRY: dict[str, BaseTool] = {}
_SCHEMAS: dict[str, type[BaseModel]] = {}
_META: dict[str, ToolMeta] = {}
_IMPLS: dict[str, Callable[..., ToolResult]] = {}
NO_META = ToolMeta()  # an unknown tool: nothing special


def register(impl: Callable[..., ToolResult], schema: type[BaseModel], name: str | None = None,
             meta: ToolMeta = NO_META) -> BaseTool:
    tool = StructuredTool.from_function(func=safe(impl, schema), name=name or impl.__name__,
                                        description=(impl.__doc__ or "").strip(), args_schema=schema)
    _REGISTRY[tool.name] = tool
    _SCHEMAS[tool.name] = schema
    _META[tool.name] = meta
    _IMPLS[tool.name] = impl
    return tool


def get_tools() -> list[BaseTool]:
    return list(_REGISTRY.values())


def get_tool(name: str) -> BaseTool | None:
    return _REGISTRY.get(name)


def tool_meta(name: str | None) -> ToolMeta:
    """The registered metadata of a tool (an unknown name: a tool with none of the properties)."""
    return _META.get(name or "", NO_META)


def _depth(obj: Any, limit: int) -> int:
    """Nesting depth of a JSON value, iteratively (a recursive walk would hit the stack on hostile input)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        o, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values())
        elif isinstance(o, (list, tuple)):
            stack.extend((v, d + 1) for v in o)
    return deepest


def decode_arguments(args: Any) -> tuple[dict[str, Any] | None, ToolResult | None]:
    """Tool-call arguments as a dict, or the precise error a model gets back. The one place JSON strings,
    invalid-JSON markers, non-objects and hostile nesting are handled."""
    if isinstance(args, str):  # some models send the arguments as a JSON string
        if len(args) > MAX_ARG_CHARS:
            return None, ToolResult.failure(ErrorCode.INVALID_ARGUMENTS, f"tool arguments are too long ({len(args)} characters)",
                                            "send a smaller JSON object")
        try:
            args = json.loads(args) if args.strip() else {}
        except RecursionError:
            return None, _too_deep()
        except ValueError:
            return None, ToolResult.failure(ErrorCode.INVALID_ARGUMENTS, "tool arguments are not valid JSON",
                                            "send the arguments as a JSON object")
    if isinstance(args, dict) and INVALID_JSON in args:
        raw = args[INVALID_JSON]
        return None, ToolResult.failure(ErrorCode.INVALID_ARGUMENTS,
                                        f"tool arguments are not valid JSON: {str(raw)[:200]}",
                                        "send the arguments as a JSON object")
    if not isinstance(args, dict):
        return None, ToolResult.failure(ErrorCode.INVALID_ARGUMENTS,
                                        f"tool arguments must be an object, got {type(args).__name__}",
                                        "send the arguments as a JSON object")
    if _depth(args, MAX_DEPTH) > MAX_DEPTH:
        return None, _too_deep()
    return args, None


def _too_deep() -> ToolResult:
    return ToolResult.failure(ErrorCode.INVALID_ARGUMENTS, f"tool arguments are nested deeper than {MAX_DEPTH} levels",
                              "send the flat JSON object the tool's schema describes")


def call_tool(name: str, args: Any, knowledge_model: Any = None) -> dict:
    """Execute one tool call as a model sent it; every failure becomes an error result, never an exception.
    ``knowledge_model``: a chat model for a tool that uses one as a knowledge source (ignored by the others)."""
    tool = _REGISTRY.get(name)
    if tool is None:
        return ToolResult.failure(ErrorCode.UNKNOWN_TOOL, f"there is no tool named {str(name)[:80]!r}",
                                  f"use one of: {', '.join(_REGISTRY)}").model_dump()
    decoded, err = decode_arguments(args)
    if err is not None or decoded is None:
        return (err or _too_deep()).model_dump()
    try:
        _SCHEMAS[name].model_validate(decoded)
    except ValidationError as e:
        return error_result(e).model_dump()
    try:
        if knowledge_model is not None and _META[name].uses_knowledge:
            impl = _IMPLS[name]

            def with_knowledge(a: Any) -> ToolResult:
                return impl(a, knowledge_model=knowledge_model)

            return safe(with_knowledge, _SCHEMAS[name])(**decoded)
        return tool.invoke(decoded)
    except Exception as e:  # noqa: BLE001 - nothing may escape into the chat as a traceback
        return ToolResult.failure(ErrorCode.TOOL_FAILED, str(e)[:500],
                                  "check the arguments against the tool's schema").model_dump()


register(propose_edges, ProposeEdgesArgs, meta=ToolMeta(builds_graph=True))
register(check_acyclicity, CheckAcyclicityArgs)
register(apply_do, ApplyDoArgs)
register(estimate_effect, EstimateEffectArgs, meta=ToolMeta(consumes_graph=True, answers=True))
register(render_image, RenderImageArgs, meta=ToolMeta(consumes_graph=True, answers=True))
register(request_clarification, RequestClarificationArgs, meta=ToolMeta(asks_user=True))
register(discover_graph, DiscoverGraphArgs, meta=ToolMeta(reads_data=True, input_step=True, uses_knowledge=True))
register(estimate_from_data, EstimateFromDataArgs, meta=ToolMeta(consumes_graph=True, answers=True, reads_data=True))
register(infer_from_independences, InferFromIndependencesArgs, meta=ToolMeta(answers=True))
