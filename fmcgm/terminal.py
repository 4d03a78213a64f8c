"""Text that came from a person or a model, made safe to print in a terminal.

Control characters and escape sequences (ANSI CSI/OSC, C1 controls) could move
the cursor, rewrite earlier lines or set the window title; they are shown as
visible ``\\xNN`` escapes instead, and rich markup is escaped.
"""

from __future__ import annotations

import re

from rich.markup import escape

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def plain(text: object, limit: int | None = None) -> str:
    """The text with every control character (but newline and tab) replaced by a visible escape."""
    s = str(text if text is not None else "")
    s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", s)
    return s if limit is None or len(s) <= limit else s[: limit - 1] + "…"


def safe(text: object, limit: int | None = None) -> str:
    """:func:`plain`, then escaped for rich markup."""
    return escape(plain(text, limit))
