"""Causal tools for the FM-CGM agent (LangChain tools over the causal core)."""

from tools.registry import call_tool, get_tool, get_tools, register

__all__ = ["call_tool", "get_tool", "get_tools", "register"]
