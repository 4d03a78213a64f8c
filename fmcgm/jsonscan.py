"""Find the JSON values embedded in free text (model replies), with the json module — never eval."""

from __future__ import annotations

import json
from typing import Any


def json_objects(text: str) -> list[Any]:
    """Every JSON object or array that decodes, left to right."""
    dec, out, i = json.JSONDecoder(), [], 0
    while i < len(text):
        j = min((k for k in (text.find("{", i), text.find("[", i)) if k >= 0), default=-1)
        if j < 0:
            break
        try:
            obj, end = dec.raw_decode(text, j)
            out.append(obj)
            i = end
        except ValueError:
            i = j + 1
    return out
