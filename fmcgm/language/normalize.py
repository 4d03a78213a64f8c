"""One normal form for every text the readers see: invisible characters out, look-alike signs unified.

A zero-width space inside "smo\u200bking" must never end up inside a variable's name, a Unicode minus
must read as a minus (and then be refused as a probability), and a reply typed without a final period
must not be glued to the next one.
"""

from __future__ import annotations

import re
import unicodedata

# dashes and minus signs that people (and word processors) type for "-"
_DASHES = dict.fromkeys(map(ord, "\u2212\u2012\u2013\u2014\u2015\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u2032"), "'") | dict.fromkeys(map(ord, "\u201c\u201d\u201f"), '"')


def normalize(text: str) -> str:
    """NFKC, format characters (zero-width, soft hyphen, BOM) removed, dashes and quotes unified, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text)
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Cf")
    t = t.translate(_DASHES).translate(_QUOTES)
    return " ".join(t.split())


def join_turns(parts: list[str]) -> str:
    """Turns of a conversation as one text: each ends a sentence, so no reply runs into the next."""
    out = []
    for p in parts:
        p = normalize(p)
        if p and p[-1] not in ".?!;:":
            p += "."
        if p:
            out.append(p)
    return " ".join(out)


# "Compute E[Y|do(X=1)] - E[Y|do(X=0)]." is a question said as a request: the verbs that ask for a quantity
_ASKING = re.compile(r"^(?:please\s+)?(?:compute|calculate|find|determine|evaluate|estimate|work out|tell me)\b", re.I)
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!])\s+)(?=[A-Z(])")


def as_question(text: str) -> str:
    """A text without a question mark whose last sentence asks for a quantity (``Compute …``) ends with '?'."""
    if "?" in text:
        return text
    starts = [m.start() for m in _LAST_SENTENCE.finditer(text)]
    last = text[starts[-1]:].strip() if starts else text.strip()
    if not _ASKING.match(last):
        return text
    return text.rstrip().rstrip(".!").rstrip() + "?"
