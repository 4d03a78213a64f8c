"""One normal form for every text the readers see: invisible characters out, look-alike signs unified.

A zero-width space inside "smo\u200bking" must never end up inside a variable's name, a Unicode minus
must read as a minus (and then be refused as a probability), and a reply typed without a final period
must not be glued to the next one.
"""

from __future__ import annotations

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
