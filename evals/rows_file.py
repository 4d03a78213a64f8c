"""A benchmark's rows and the conditions they ran under, written where the user asked (atomically)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console


def save_rows(json_out: Path, rows: list[Any], meta: dict[str, Any], console: Console) -> None:
    """``{"rows": [...], **meta}`` as JSON at ``json_out``; the rows are dataclasses."""
    from fmcgm.outputs import write_atomic

    write_atomic(json_out, json.dumps({"rows": [asdict(r) for r in rows], **meta}, indent=2))
    console.print(f"wrote {json_out}")
