"""Pictures people can see: 32-pixel scenes upscaled smoothly, with the values written under each panel.

:func:`counterfactual_figure` is the one figure of a counterfactual — ``fmcgm render``, the render tool behind the
chat answer and the app's image strip all show the panels it draws: the values under each panel, the changed
concepts marked (an asterisk, in blue, with what the picture measures), the self-check's verdict on the picture
(green when it passed, red with its problems when not) and the edit mask with the intervention."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PANEL = 256  # display side of one scene, pixels
LINE = 17  # text line height
TEXT = (40, 40, 40)
CHANGED = (20, 70, 200)  # the changed concepts' lines
PASSED = (0, 120, 40)  # the self-check's verdict: passed
FAILED = (190, 20, 20)  # ... and not
FIGURE_PANELS = ("factual", "counterfactual", "mask")


@dataclass(frozen=True)
class Line:
    """A caption line in a colour (plain strings are drawn in ``TEXT``)."""
    text: str
    colour: tuple[int, int, int] = TEXT


def caption_lines(world) -> int:
    """Lines left under every panel of a counterfactual figure: one per concept and the verdict (the panels of a
    row line up; ``fmcgm.vision.scene`` finds the scene in a panel read back by this layout)."""
    return len(world.concepts) + 1


def panel(image: np.ndarray, title: str, lines: Sequence[str | Line] = (), side: int = PANEL,
          n_lines: int | None = None, title_colour: tuple[int, int, int] = (0, 0, 0)) -> np.ndarray:
    """One scene upscaled to ``side`` (bicubic: smooth edges, not blocks), a title above, text lines below.

    A line wider than the panel is wrapped (continuations indented), never cut off at the edge; the panel grows to
    hold every line (``n_lines`` is the least number of lines to leave room for, so panels in a row line up)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=13)
    bold = ImageFont.load_default(size=15)
    styled = [line if isinstance(line, Line) else Line(line) for line in lines]
    text = [Line(w, line.colour) for line in styled for w in wrap(line.text, font, side - 8)]
    n = max(len(text), n_lines or 0)
    canvas = Image.new("RGB", (side, side + LINE + 6 + LINE * n + 6), (255, 255, 255))
    canvas.paste(Image.fromarray(image).resize((side, side), Image.Resampling.BICUBIC), (0, LINE + 6))
    d = ImageDraw.Draw(canvas)
    d.text((4, 2), title, fill=title_colour, font=bold)
    for i, line in enumerate(text):
        d.text((4, side + LINE + 8 + i * LINE), line.text, fill=line.colour, font=font)
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


def value_lines(values: Mapping[str, float], world, mark: Sequence[str] = ()) -> list[str]:
    """"name  value unit" per concept, the changed ones marked with an asterisk."""
    return [f"{'*' if c.name in mark else ' '} {c.name.replace('_', ' ')}: {values[c.name]:.3g} {_short(c.unit)}"
            for c in world.concepts if c.name in values]


def verdict(check: Mapping) -> Line:
    """The self-check's verdict on the picture as one caption line: what it counted when it passed, its problems
    when not."""
    if check.get("ok"):
        objects = ", ".join(f"{n} {k}" for k, n in (check.get("objects") or {}).items())
        return Line(f"check: ok ({objects})" if objects else "check: ok", PASSED)
    return Line("check: OFF: " + "; ".join(check.get("problems") or ["no verdict"]), FAILED)


@dataclass(frozen=True)
class CounterfactualFigure:
    """The panels of one counterfactual (uint8 RGB) and the text written under each."""
    panels: dict[str, np.ndarray]  # factual, counterfactual, mask, side_by_side (the three in a row)
    captions: dict[str, list[str]]  # factual, counterfactual, mask: the title first, then the lines

    def save(self, folder: str | Path, stem: str) -> dict[str, str]:
        """Each panel as ``folder/STEM_KIND.png``; the paths by kind."""
        paths = {k: str(Path(folder) / f"{stem}_{k}.png") for k in self.panels}
        for k, img in self.panels.items():
            save(img, paths[k])
        return paths


def counterfactual_figure(world, factual_image: np.ndarray, counterfactual_image: np.ndarray, mask: np.ndarray | None,
                          factual: Mapping[str, float], counterfactual: Mapping[str, float], changed: Sequence[str],
                          measured: Mapping[str, float], check: Mapping, intervention: Mapping[str, float]
                          ) -> CounterfactualFigure:
    """The figure of a counterfactual: factual | counterfactual | edit mask, the values under each panel, the
    changed concepts marked (with what the picture measures), the check's verdict under the counterfactual."""
    n = caption_lines(world)
    cf_lines: list[str | Line] = []
    for c, line in zip(world.concepts, value_lines(counterfactual, world, changed), strict=True):
        if c.name in changed:
            seen = f"  (image {measured[c.name]:.3g})" if c.name in measured else ""
            cf_lines.append(Line(line + seen, CHANGED))
        else:
            cf_lines.append(line)
    ok = verdict(check)
    cf_lines.append(ok)
    do = ", ".join(f"{k.replace('_', ' ')} = {v:.3g} {_short(world.concept(k).unit)}" for k, v in intervention.items())
    names = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    mask_lines: list[str | Line] = [f"do({do})", Line(f"* changed: {names}", CHANGED)]
    mask_img = (np.zeros_like(factual_image) if mask is None
                else np.repeat((np.clip(mask, 0, 1) * 255).astype(np.uint8)[..., None], 3, -1))
    cf_title = "counterfactual" if check.get("ok") else "counterfactual (OFF, see check)"
    panels = {"factual": panel(factual_image, "factual", value_lines(factual, world), n_lines=n),
              "counterfactual": panel(counterfactual_image, cf_title, cf_lines, n_lines=n,
                                      title_colour=(0, 0, 0) if check.get("ok") else FAILED),
              "mask": panel(mask_img, "edit mask", mask_lines, n_lines=n)}
    panels["side_by_side"] = row([panels[k] for k in FIGURE_PANELS])
    text = lambda lines: [ln.text if isinstance(ln, Line) else ln for ln in lines]  # noqa: E731
    captions = {"factual": ["factual", *value_lines(factual, world)], "counterfactual": [cf_title, *text(cf_lines)],
                "mask": ["edit mask", *text(mask_lines)]}
    return CounterfactualFigure(panels, captions)


def _short(unit: str) -> str:
    return {"degrees": "°", "scene units": "u", "units": "u"}.get(unit, unit)


def save(image: np.ndarray, path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path)
