"""Causal tools for the FM-CGM agent (LangChain tools over the causal core)."""

from tools.registry import get_tool, get_tools, register

__all__ = ["get_tool", "get_tools", "register"]
