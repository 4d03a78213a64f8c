"""The tool registry: LangChain tools built from the pydantic schemas, by name.

Tool descriptions come from the implementations' docstrings and the argument
schemas, so a model sees one source of truth.  Later capabilities (the
``render_image`` tool of the image issue) plug in with :func:`register`.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ValidationError

from tools.causal_tools import apply_do, check_acyclicity, error_result, estimate_effect, propose_edges, safe
from tools.render_tool import RenderImageArgs, render_image
from tools.schemas import ApplyDoArgs, CheckAcyclicityArgs, EstimateEffectArgs, ProposeEdgesArgs, ToolResult

_REGISTRY: dict[str, BaseTool] = {}
_SCHEMAS: dict[str, type[BaseModel]] = {}


def register(impl: Callable[[BaseModel], ToolResult], schema: type[BaseModel], name: str | None = None) -> BaseTool:
    tool = StructuredTool.from_function(func=safe(impl, schema), name=name or impl.__name__,
                                        description=(impl.__doc__ or "").strip(), args_schema=schema)
    _REGISTRY[tool.name] = tool
    _SCHEMAS[tool.name] = schema
    return tool


def get_tools() -> list[BaseTool]:
    return list(_REGISTRY.values())


def get_tool(name: str) -> BaseTool | None:
    return _REGISTRY.get(name)


def _error(code: str, message: str, hint: str) -> dict:
    return {"ok": False, "summary": f"error: {message}", "data": {},
            "error": {"code": code, "message": message, "hint": hint}}


def call_tool(name: str, args: Any) -> dict:
    """Execute one tool call as a model sent it; every failure becomes an error result, never an exception."""
    tool = _REGISTRY.get(name)
    if tool is None:
        return _error("unknown_tool", f"there is no tool named {name!r}", f"use one of: {', '.join(_REGISTRY)}")
    if isinstance(args, str):  # some models send the arguments as a JSON string
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            return _error("invalid_arguments", "tool arguments are not valid JSON", "send the arguments as a JSON object")
    if isinstance(args, dict) and "__invalid_json__" in args:
        return _error("invalid_arguments", f"tool arguments are not valid JSON: {args['__invalid_json__'][:200]}",
                      "send the arguments as a JSON object")
    if not isinstance(args, dict):
        return _error("invalid_arguments", f"tool arguments must be an object, got {type(args).__name__}",
                      "send the arguments as a JSON object")
    try:
        _SCHEMAS[name].model_validate(args)
    except ValidationError as e:
        return error_result(e).model_dump()
    try:
        return tool.invoke(args)
    except Exception as e:  # noqa: BLE001 - nothing may escape into the chat as a traceback
        return _error("tool_failed", str(e), "check the arguments against the tool's schema")


register(propose_edges, ProposeEdgesArgs)
register(check_acyclicity, CheckAcyclicityArgs)
register(apply_do, ApplyDoArgs)
register(estimate_effect, EstimateEffectArgs)
register(render_image, RenderImageArgs)
