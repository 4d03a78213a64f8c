"""Prompt files of the agent, loaded by name (the prompts are the .md files beside this module)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of prompts/NAME.md."""
    return resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8")
