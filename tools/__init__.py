"""Causal tools for the FM-CGM agent (LangChain tools over the causal core)."""

from tools.registry import ToolMeta, call_tool, get_tool, get_tools, register, tool_meta

__all__ = ["ToolMeta", "call_tool", "get_tool", "get_tools", "register", "tool_meta"]
