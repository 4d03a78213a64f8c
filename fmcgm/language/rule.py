"""A reading rule as data: its name and the pattern it reads.  The readers that keep their rules as tables
(number refusals, mechanism words) extend it with what a match means and an example it must read (tested)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PatternRule:
    name: str
    pattern: re.Pattern[str]
