"""The tool registry: LangChain tools built from the pydantic schemas, by name.

Tool descriptions come from the implementations' docstrings and the argument
schemas, so a model sees one source of truth.  Later capabilities (the
``render_image`` tool of the image issue) plug in with :func:`register`.
"""

from __future__ import annotations

from typing import Callable

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel

from tools.causal_tools import apply_do, check_acyclicity, estimate_effect, propose_edges, safe
from tools.schemas import ApplyDoArgs, CheckAcyclicityArgs, EstimateEffectArgs, ProposeEdgesArgs, ToolResult

_REGISTRY: dict[str, BaseTool] = {}


def register(impl: Callable[[BaseModel], ToolResult], schema: type[BaseModel], name: str | None = None) -> BaseTool:
    tool = StructuredTool.from_function(func=safe(impl, schema), name=name or impl.__name__,
                                        description=(impl.__doc__ or "").strip(), args_schema=schema)
    _REGISTRY[tool.name] = tool
    return tool


def get_tools() -> list[BaseTool]:
    return list(_REGISTRY.values())


def get_tool(name: str) -> BaseTool | None:
    return _REGISTRY.get(name)


register(propose_edges, ProposeEdgesArgs)
register(check_acyclicity, CheckAcyclicityArgs)
register(apply_do, ApplyDoArgs)
register(estimate_effect, EstimateEffectArgs)
