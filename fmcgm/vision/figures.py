"""Pictures people can see: 32-pixel scenes upscaled smoothly, with the values written under each panel."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PANEL = 256  # display side of one scene, pixels
LINE = 17  # text line height


def panel(image: np.ndarray, title: str, lines: Sequence[str] = (), side: int = PANEL, n_lines: int | None = None) -> np.ndarray:
    """One scene upscaled to ``side`` (bicubic: smooth edges, not blocks), a title above, text lines below.

    A line wider than the panel is wrapped (continuations indented), never cut off at the edge; the panel grows to
    hold every line (``n_lines`` is the least number of lines to leave room for, so panels in a row line up)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=13)
    bold = ImageFont.load_default(size=15)
    text = [w for line in lines for w in wrap(line, font, side - 8)]
    n = max(len(text), n_lines or 0)
    canvas = Image.new("RGB", (side, side + LINE + 6 + LINE * n + 6), (255, 255, 255))
    canvas.paste(Image.fromarray(image).resize((side, side), Image.Resampling.BICUBIC), (0, LINE + 6))
    d = ImageDraw.Draw(canvas)
    d.text((4, 2), title, fill=(0, 0, 0), font=bold)
    for i, line in enumerate(text):
        d.text((4, side + LINE + 8 + i * LINE), line, fill=(40, 40, 40), font=font)
    return np.asarray(canvas)


def wrap(line: str, font, width: int, indent: str = "    ") -> list[str]:
    """``line`` broken at spaces into lines at most ``width`` pixels wide in ``font`` (a word wider than that is
    broken between characters); lines after the first are indented."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else (indent + word if out else word)
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
            current = indent + word
        else:
            current = candidate
        while font.getlength(current) > width and len(current) > len(indent) + 1:  # one word too long for a line
            cut = len(current) - 1
            while cut > len(indent) + 1 and font.getlength(current[:cut]) > width:
                cut -= 1
            out.append(current[:cut])
            current = indent + current[cut:]
    if current or not out:
        out.append(current)
    return out


def row(panels: Sequence[np.ndarray], gap: int = 8) -> np.ndarray:
    """Panels side by side (padded to the tallest), white gaps between them."""
    h = max(p.shape[0] for p in panels)
    padded = [np.pad(p, ((0, h - p.shape[0]), (0, 0), (0, 0)), constant_values=255) for p in panels]
    out = [padded[0]]
    for p in padded[1:]:
        out += [np.full((h, gap, 3), 255, np.uint8), p]
    return np.concatenate(out, 1)


def column(rows: Sequence[np.ndarray], gap: int = 8) -> np.ndarray:
    w = max(r.shape[1] for r in rows)
    padded = [np.pad(r, ((0, 0), (0, w - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
    out = [padded[0]]
    for r in padded[1:]:
        out += [np.full((gap, w, 3), 255, np.uint8), r]
    return np.concatenate(out, 0)


def value_lines(values: dict[str, float], world, mark: Sequence[str] = ()) -> list[str]:
    """"name  value unit" per concept, the changed ones marked with an asterisk."""
    return [f"{'*' if c.name in mark else ' '} {c.name.replace('_', ' ')}: {values[c.name]:.3g} {_short(c.unit)}"
            for c in world.concepts if c.name in values]


def _short(unit: str) -> str:
    return {"degrees": "°", "scene units": "u", "units": "u"}.get(unit, unit)


def save(image: np.ndarray, path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path)
