"""Probability terms over discrete variables: assignments, statements and their text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Assign = tuple[tuple[str, int], ...]
Key = tuple[Assign, Assign]  # (event, given), each sorted by variable


@dataclass(frozen=True)
class Statement:
    event: Assign
    given: Assign
    p: float

    @classmethod
    def of(cls, event: Mapping[str, int], given: Mapping[str, int] | None, p: float) -> Statement:
        return cls(tuple(sorted(event.items())), tuple(sorted((given or {}).items())), float(p))

    def text(self) -> str:
        return term_text(self.event, self.given) + f" = {self.p:g}"


def term_text(event: Assign, given: Assign) -> str:
    ev = ", ".join(f"{k}={v}" for k, v in event)
    gv = ", ".join(f"{k}={v}" for k, v in given)
    return f"P({ev} | {gv})" if gv else f"P({ev})"


def pct(p: float) -> str:
    return f"{p * 100:.4g}%"
