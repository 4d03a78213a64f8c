"""Guards against runaway models, as small pure functions of the state's counters."""

from __future__ import annotations

import json
from typing import Any

from tools.registry import decode_arguments


def call_signature(name: str, args: Any) -> str:
    decoded, _ = decode_arguments(args)
    return name + json.dumps(decoded if decoded is not None else str(args)[:2000], sort_keys=True, default=str)


def count_calls(counts: dict[str, int], calls: list[Any], limit: int) -> tuple[dict[str, int], str | None]:
    """Updated identical-call counts, and a stop message when one call repeats more than ``limit`` times."""
    counts = dict(counts)
    err = None
    for tc in calls:
        sig = call_signature(tc["name"], tc.get("args"))
        counts[sig] = counts.get(sig, 0) + 1
        if counts[sig] > limit:
            err = (f"the model repeated the same call to {tc['name']} {counts[sig]} times without progress; "
                   "stopping")
    return counts, err


def empty_reply_error(seen: int, limit: int) -> str | None:
    return f"the model returned {seen} empty replies; stopping" if seen > limit else None


def may_nudge(nudges: int, limit: int) -> bool:
    """Whether a model that ended a turn without a computed answer is sent back to the tools once more."""
    return nudges < limit
