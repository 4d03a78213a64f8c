"""Normalise what real models send: tool calls written as JSON in the message text.

Many local models answer with ``{"name": "...", "arguments": {...}}`` (or a list
of them, or inside a ```json fence) instead of native tool calls.  We decode
such JSON with the json module (never eval) and turn it into tool calls.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from langchain_core.messages import AIMessage

from fmcgm.jsonscan import json_objects
from tools.registry import INVALID_JSON


def _as_call(obj: Any) -> dict | None:
    if not isinstance(obj, dict):
        return None
    if "function" in obj and isinstance(obj["function"], dict):
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool") or obj.get("tool_name")
    args = obj.get("arguments", obj.get("args", obj.get("parameters", obj.get("input"))))
    if not isinstance(name, str) or args is None:
        return None
    if isinstance(args, str):  # arguments as a JSON string
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            pass  # left as a string: the tool executor reports it precisely
    return {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}


def tool_calls_in_text(text: str, known: set[str]) -> list[dict]:
    calls = []
    for obj in json_objects(text):
        for item in obj if isinstance(obj, list) else [obj]:
            call = _as_call(item)
            if call and call["name"] in known:
                calls.append(call)
    return calls


def normalize_reply(msg: AIMessage, known: set[str]) -> AIMessage:
    """The same reply, with JSON tool calls in its text turned into real tool calls."""
    if getattr(msg, "invalid_tool_calls", None) and not msg.tool_calls:
        # arguments that are not JSON: hand them to the executor, which answers with a precise error
        calls = [{"name": c.get("name") or "unknown", "args": {INVALID_JSON: str(c.get("args"))},
                  "id": c.get("id") or f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
                 for c in msg.invalid_tool_calls]
        return AIMessage(content=msg.content, tool_calls=calls, response_metadata=msg.response_metadata,
                         usage_metadata=msg.usage_metadata, id=msg.id)
    if msg.tool_calls or not isinstance(msg.content, str) or not msg.content.strip():
        return msg
    calls = tool_calls_in_text(msg.content, known)
    if not calls:
        return msg
    # the text stays: the model sees its own call in the history, and chat templates that know no tool
    # calls (SmolLM2's, as llama.cpp's server renders it) fail on an assistant message without content
    return AIMessage(content=msg.content, tool_calls=calls, response_metadata=msg.response_metadata,
                     usage_metadata=msg.usage_metadata, id=msg.id)


def is_empty(msg: AIMessage) -> bool:
    text = msg.content if isinstance(msg.content, str) else json.dumps(msg.content)
    return not msg.tool_calls and not text.strip()
