"""The gate before abduction: a picture given as the factual scene must show the world.

A person's picture is read only when it is a scene of the world: square and at least as large as the
model's input, in colour, on the world's white background, with every object of the world exactly once,
nothing else drawn in it (text, marks, a second scene), and the concept extractor's values consistent
with the geometric measurer's.  Anything else is refused with one sentence saying what is wrong — a
blank picture, noise, a line, a greyscale picture, another world — never guessed.

fmcgm's own pictures are recognised by their layout: a panel (a scene with its title above and its
values below, e.g. ``…_factual.png``) is cropped to its scene; the side-by-side strip holds several
scenes and is refused, naming the single-scene files written beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fmcgm.errors import ErrorCode, ParseError

MIN_SIDE = 32  # the model's input side: a smaller picture holds less than the model reads
SQUARE_TOLERANCE = 0.02  # a scene is square: sides may differ by this share (rounding of a resize)
# the extractor against the geometric measurer, % of the range: each reader is off by up to a few % (the
# measurer reads the stream's reach in whole pixels, 7 % of its range at 32 px), so two readings of a right
# picture differ by at most 14.6 % (measured on 600 rendered scenes a world, PNG and JPEG, 32 to 256 px)
CONSISTENCY_PCT = 20.0
# marks no part of the world's own drawing of the values read: /255 in one channel outside the range that
# drawing takes within one pixel; right pictures have at most one such pixel (160 rendered scenes a world,
# PNG and JPEG, 32 to 256 px), a title written over a scene has 6, a line of values 4 to 13 (pendulum)
STRAY_LEVEL = 48
STRAY_PIXELS = 2
GREY_SPREAD = 12  # a picture whose channels never differ by more than this has no colour


class NotAScene(ParseError, code=ErrorCode.NOT_A_SCENE):
    """The picture does not show a scene of the world (or shows more than one): the caller's input."""


@dataclass
class Picture:
    image: np.ndarray  # the scene at the model's size, RGB uint8
    notes: list[str] = field(default_factory=list)


def hint(world) -> str:
    return (f"give a colour picture of the {world.name} world alone: square, at least {MIN_SIDE}×{MIN_SIDE} pixels, "
            f"a white background with {world.scene_objects} (the factual or counterfactual PNG fmcgm writes is read too)")


def open_picture(path: str | Path, world, size: int, max_bytes: int, max_side: int) -> Picture:
    """Read a picture file as the world's scene at ``size`` pixels, or refuse it (NotAScene / ParseError)."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise ParseError(f"no image at {p}", "give the path of a PNG or JPEG file")
    if p.stat().st_size > max_bytes:
        raise ParseError(f"{p} is {p.stat().st_size // 1024 // 1024} MB, over the {max_bytes // 1024 // 1024} MB limit",
                         "use a smaller image")
    try:
        with Image.open(p) as im:
            if max(im.size) > max_side:
                raise ParseError(f"{p} is {im.size[0]}×{im.size[1]} pixels, over the {max_side} limit",
                                 "use a smaller image")
            rgb = on_white(im)
    except Image.DecompressionBombError:
        raise ParseError(f"{p} declares more pixels than is safe to decode (a decompression bomb)",
                         f"use an image of at most {max_side}×{max_side} pixels") from None
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise ParseError(f"cannot read {p} as an image ({e})", "give a PNG or JPEG file") from None
    notes: list[str] = []
    layout = own_layout(rgb, world)
    if layout is not None:
        kind, box = layout
        if kind == "strip":
            stem = p.name.removesuffix("_side_by_side.png")
            files = (f"{stem}_factual.png or {stem}_counterfactual.png beside it" if stem != p.name
                     else "the factual or counterfactual PNG written beside it")
            raise NotAScene(f"{p.name} is fmcgm's side-by-side picture (factual | counterfactual | edit mask), "
                            "not one scene", f"give one scene: {files} (their title and caption are cut off), "
                            "or the scene alone")
        top, bottom, left, right = box
        rgb = rgb[top:bottom, left:right]
        if _grey(rgb) and p.name.endswith("_mask.png"):
            raise NotAScene(f"{p.name} is fmcgm's edit-mask panel, not a scene",
                            "give the factual or counterfactual PNG written beside it")
        if _grey(rgb):  # a panel of ours turned greyscale (or a mask renamed): the colours that tell objects apart are gone
            raise NotAScene(f"{p.name} is an fmcgm panel in greyscale: the {world.name} world's objects are told apart "
                            "by their colours", f"give the colour picture fmcgm wrote, or {hint(world)}")
        notes.append(f"{p.name} is an fmcgm panel: its scene was read, the title and the values written under it "
                     "were cut off")
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise NotAScene(f"{p.name} is {w}×{h} pixels: a {world.name} scene is square and at least {MIN_SIDE}×{MIN_SIDE}",
                        hint(world))
    if abs(w - h) > SQUARE_TOLERANCE * max(w, h):
        raise NotAScene(f"{p.name} is {w}×{h} pixels, not square: a {world.name} scene is square (nothing is "
                        "stretched or guessed)", "crop the picture to the scene, " + hint(world))
    if int(np.ptp(rgb.reshape(-1, 3).astype(np.int16), axis=0).max()) <= GREY_SPREAD:
        raise NotAScene(f"{p.name} is blank: one colour all over, no scene in it", hint(world))
    if _grey(rgb):
        raise NotAScene(f"{p.name} has no colour (greyscale): the {world.name} world's objects are told apart by "
                        "their colours", hint(world))
    # box filter: averages every source pixel, the way the worlds anti-alias their scenes
    small = np.asarray(Image.fromarray(rgb).resize((size, size), Image.Resampling.BOX), dtype=np.uint8)
    return Picture(small, notes)


def on_white(im) -> np.ndarray:
    """RGB uint8 of a PIL image; transparent parts on the worlds' white background (not on black)."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        back = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(back, rgba).convert("RGB"), dtype=np.uint8)
    return np.asarray(im.convert("RGB"), dtype=np.uint8)


def _grey(rgb: np.ndarray) -> bool:
    x = rgb.astype(np.int16)
    return bool((x.max(-1) - x.min(-1)).max() <= GREY_SPREAD)


WRAPPED_LINES = 8  # caption lines a panel of ours may add by wrapping


def own_layout(rgb: np.ndarray, world) -> tuple[str, tuple[int, int, int, int]] | None:
    """fmcgm's own picture layouts (``figures.panel`` and the side-by-side ``figures.row`` of three), at any
    scale: ("panel", scene box) or ("strip", first scene box); None for any other picture."""
    from fmcgm.vision.figures import LINE, PANEL, caption_lines

    h, w = rgb.shape[:2]
    tall = PANEL + LINE + 6 + LINE * caption_lines(world) + 6
    for kind, wide in (("panel", PANEL), ("strip", 3 * PANEL + 2 * 8)):
        scale = w / wide
        slack = max(2.0, 0.01 * h)
        # a caption may wrap onto more lines (a failed check's problems): up to WRAPPED_LINES more
        if scale <= 0 or not tall * scale - slack <= h <= (tall + LINE * WRAPPED_LINES) * scale + slack:
            continue
        top, side = round((LINE + 6) * scale), round(PANEL * scale)
        title, caption = rgb[:max(top - 1, 1), :side], rgb[top + side + 1:, :side]
        if _text_band(title) and _text_band(caption):
            return kind, (top, min(top + side, h), 0, min(side, w))
    return None


def _text_band(band: np.ndarray) -> bool:
    """A white band with a little writing in it (a panel's title or its values; black or in a colour: a failed
    check's title is red, a changed value blue)."""
    if band.size == 0:
        return False
    dark = band.astype(np.int16).min(-1) < 128
    white = band.astype(np.int16).min(-1) > 225
    return bool(dark.any()) and float(white.mean()) > 0.75


def scene_problems(world, img: np.ndarray, values: dict[str, float], source: str) -> list[str]:
    """Why ``img`` (at the model's size) is not a scene of ``world`` read as ``values`` by ``source``;
    empty when it is. Stops at the first kind of problem: objects, background, stray marks, readings."""
    objects = world.objects(img)
    objects.update(_parts(world, img))
    if any(n != 1 for n in objects.values()):
        found = ", ".join(f"{'no' if n == 0 else n} {k}{'' if n == 1 else 's'}" for k, n in objects.items())
        return [f"it shows {found} (a {world.name} scene has one of each)"]
    share = float((img.astype(np.int16).min(-1) > 235).mean())
    need = world.background_share
    if share < need:
        return [f"only {share:.0%} of it is the {world.name} world's white background (a scene has at least {need:.0%})"]
    from fmcgm.vision.check import unexplained, where

    measured = world.measure(img)
    # the drawing of the values read, or of the measurer's where it has them: whichever explains the picture
    stray = unexplained(world, img, values, measured, STRAY_LEVEL)
    if stray.sum() >= STRAY_PIXELS:
        return [f"{int(stray.sum())} pixels {where(stray)} are no part of a {world.name} scene at the values read "
                "from it (text, marks or a second scene)"]
    drawn = world.measure(world.render(values, img.shape[0]))  # the same measurer on a right picture of the values
    out = []
    for c in world.concepts:
        m, d = measured.get(c.name), drawn.get(c.name)
        if m is None or d is None or not (math.isfinite(m) and math.isfinite(d)):
            continue
        gap = abs(m - d) / c.span * 100
        if gap > CONSISTENCY_PCT:
            out.append(f"the {source} reads {c.name} = {values[c.name]:.3g} {c.unit} but the geometric measurer "
                       f"measures {m:.3g} ({gap:.0f}% of its range apart, tolerance {CONSISTENCY_PCT:g}%)")
    return out


def _parts(world, img: np.ndarray) -> dict[str, int]:
    """Parts a scene must show that the ghost count does not track (the water-flow world's water)."""
    return world.parts(img) if world.parts is not None else {}


def check_scene(world, img: np.ndarray, values: dict[str, float], source: str, name: str) -> None:
    """Refuse (NotAScene, one sentence) a picture that is not a scene of ``world`` as read."""
    problems = scene_problems(world, img, values, source)
    if problems:
        raise NotAScene(f"{name} does not show a {world.name} scene: " + "; ".join(problems), hint(world))
