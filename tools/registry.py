"""The tool registry: LangChain tools built from the pydantic schemas, by name.

Tool descriptions come from the implementations' docstrings and the argument
schemas, so a model sees one source of truth.  Other capabilities plug in
with :func:`register`, which also records what the agent needs to know of each
tool (:class:`ToolMeta`: does it run on the committed graph, answer, ask the user
...), so the agent reads that instead of keeping lists of names.  The arguments
the agent supplies rather than the model (the committed graph, the attached data
file, its time budget, a knowledge model) are declared in the tools' schemas with
LangChain's ``InjectedToolArg`` (``tools.schemas.InjectedState``, LangGraph's
shape, for a value read from the turn's state): a model is never
shown them, and :func:`injected_args` tells the agent what to fill in.
:func:`call_tool` is the one executor: it decodes the arguments as a model sent
them, validates them once against the tool's schema and never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool, InjectedToolArg, StructuredTool
from pydantic import BaseModel, ValidationError

from fmcgm.errors import ErrorCode
from tools.causal_tools import (
    apply_do,
    check_acyclicity,
    error_result,
    estimate_effect,
    propose_edges,
    request_clarification,
    run_impl,
    safe,
)
from tools.discovery_tools import DiscoverGraphArgs, EstimateFromDataArgs, discover_graph, estimate_from_data
from tools.independence_tools import InferFromIndependencesArgs, infer_from_independences
from tools.render_tool import RenderImageArgs, render_image
from tools.schemas import (
    ApplyDoArgs,
    CheckAcyclicityArgs,
    EstimateEffectArgs,
    InjectedState,
    ProposeEdgesArgs,
    RequestClarificationArgs,
    ToolResult,
)

INVALID_JSON = "__invalid_json__"  # marker for arguments a model sent that are not JSON (see agent.parsing)
MAX_DEPTH = 32  # no tool schema nests deeper; deeper input is refused before it can exhaust the stack
MAX_ARG_CHARS = 1_000_000
COMMITTED = "committed_graph"  # the state key of the graph frozen after the critique



@dataclass(frozen=True)
class ToolMeta:
    """What the agent needs to know of a tool, declared once where the tool is registered."""

    consumes_graph: bool = False  # runs on the committed graph (InjectedState): held for the critique first
    answers: bool = False  # its ok result is the turn's computed answer
    asks_user: bool = False  # its ok result ends the turn with a question back to the user
    input_step: bool = False  # a failure of its ends the turn as the answer's reason (the user's input is unusable)
    builds_graph: bool = False  # its ok result is the graph proposed so far

    @property
    def ends_search(self) -> bool:
        """Its result ends the turn's search for an answer (an answer, or a question to the user)."""
        return self.answers or self.asks_user


_REGISTRY: dict[str, BaseTool] = {}
_SCHEMAS: dict[str, type[BaseModel]] = {}
_META: dict[str, ToolMeta] = {}
_IMPLS: dict[str, Callable[..., ToolResult]] = {}
_INJECTED: dict[str, dict[str, Injected]] = {}
NO_META = ToolMeta()  # an unknown tool: nothing special


@dataclass(frozen=True)
class Injected:
    """An argument the agent fills in: from the turn's state (``state_key``) or from the run (``None``)."""

    state_key: str | None
    shown: bool  # logged with the call in the trace (a chat model is not)


def _injections(schema: type[BaseModel]) -> dict[str, Injected]:
    """The schema's fields annotated InjectedToolArg / InjectedState: LangChain leaves exactly these out of the
    schema a model is shown (``tool_call_schema``)."""
    out = {}
    for name, f in schema.model_fields.items():
        mark = next((m for m in f.metadata if isinstance(m, InjectedToolArg)
                     or (isinstance(m, type) and issubclass(m, InjectedToolArg))), None)
        if mark is not None:
            key = mark.field if isinstance(mark, InjectedState) else None
            out[name] = Injected(key, not f.exclude)
    return out


def register(impl: Callable[..., ToolResult], schema: type[BaseModel], name: str | None = None,
             meta: ToolMeta = NO_META) -> BaseTool:
    tool = StructuredTool.from_function(func=safe(impl, schema), name=name or impl.__name__,
                                        description=(impl.__doc__ or "").strip(), args_schema=schema)
    injected = _injections(schema)
    if meta.consumes_graph != any(i.state_key == COMMITTED for i in injected.values()):
        raise ValueError(f"tool {tool.name}: consumes_graph must go with a field annotated InjectedState({COMMITTED!r})")
    _REGISTRY[tool.name] = tool
    _SCHEMAS[tool.name] = schema
    _META[tool.name] = meta
    _IMPLS[tool.name] = impl
    _INJECTED[tool.name] = injected
    return tool


def injected_args(name: str | None) -> dict[str, Injected]:
    """The arguments of a tool the agent supplies, by field name (none for an unknown tool)."""
    return _INJECTED.get(name or "", {})


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


def call_tool(name: str, args: Any, injected: dict[str, Any] | None = None) -> dict:
    """Execute one tool call as a model sent it; every failure becomes an error result, never an exception.
    ``injected``: values of the tool's injected arguments (they replace what the call carried); the arguments are
    validated once, here, and the implementation gets the validated model."""
    if name not in _REGISTRY:
        return ToolResult.failure(ErrorCode.UNKNOWN_TOOL, f"there is no tool named {str(name)[:80]!r}",
                                  f"use one of: {', '.join(_REGISTRY)}").model_dump()
    decoded, err = decode_arguments(args)
    if err is not None or decoded is None:
        return (err or _too_deep()).model_dump()
    try:
        validated = _SCHEMAS[name].model_validate({**decoded, **(injected or {})})
    except ValidationError as e:
        return error_result(e).model_dump()
    try:
        return run_impl(_IMPLS[name], validated)
    except Exception as e:  # noqa: BLE001 - nothing may escape into the chat as a traceback
        return ToolResult.failure(ErrorCode.TOOL_FAILED, str(e)[:500],
                                  "check the arguments against the tool's schema").model_dump()


register(propose_edges, ProposeEdgesArgs, meta=ToolMeta(builds_graph=True))
register(check_acyclicity, CheckAcyclicityArgs)
register(apply_do, ApplyDoArgs)
register(estimate_effect, EstimateEffectArgs, meta=ToolMeta(consumes_graph=True, answers=True))
register(render_image, RenderImageArgs, meta=ToolMeta(consumes_graph=True, answers=True))
register(request_clarification, RequestClarificationArgs, meta=ToolMeta(asks_user=True))
register(discover_graph, DiscoverGraphArgs, meta=ToolMeta(input_step=True, builds_graph=True))
register(estimate_from_data, EstimateFromDataArgs, meta=ToolMeta(consumes_graph=True, answers=True))
register(infer_from_independences, InferFromIndependencesArgs, meta=ToolMeta(answers=True))
