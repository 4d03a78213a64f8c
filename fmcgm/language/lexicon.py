"""The reader's word lists, loaded once from ``data/lexicon.toml`` (data with an example each, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Entry:
    words: frozenset[str]  # Porter stems; multi-word entries as space-separated stems
    example: str


@cache
def lexicon() -> dict[str, Entry]:
    raw = tomllib.loads(resources.files("fmcgm.language").joinpath("data/lexicon.toml").read_text(encoding="utf-8"))
    return {name: Entry(frozenset(sec.get("words", sec.get("phrases", ()))), sec["example"]) for name, sec in raw.items()}


def words(name: str) -> frozenset[str]:
    return lexicon()[name].words
