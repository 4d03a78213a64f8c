"""The self-check of a counterfactual image: measure the picture against the SCM's counterfactual values.

A picture is right when every changed concept measures (with the world's
geometric measurer) within ``tolerance`` of its range of the SCM's
counterfactual value, every unchanged concept measures where it was (in the
factual picture when it is given: a pendulum that moved when only the light was
changed is wrong), the scene shows exactly one of each object anywhere in the
frame (a second copy — faded at the old place, or cut off at an edge — is a
ghost), and nothing else is drawn (remnants of text, marks: pixels the world's
own drawing of the values measured does not explain).  Where an object reaches
past the frame (a long shadow at the edge), the value compared is what the
renderer's own picture of the counterfactual shows.  Pure: images and values in,
verdict out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel

TOLERANCE_PCT = 10.0  # of the concept's range
# a mark is a pixel with a channel more than STRAY_LEVEL/255 outside the range the world's drawing of the measured
# values takes within one pixel; on 80 model outputs (40 a world, 20 steps) right pictures have at most one such
# pixel, the pictures the model drew from a panel read whole (text remnants, a second sun and ball) 60 to 80
STRAY_LEVEL = 48
STRAY_PIXELS = 3


class ConceptCheck(BaseModel):
    concept: str
    expected: float
    measured: float | None  # None: the measurer found no such object
    error_pct: float | None  # |measured − target| in % of the range
    # what a right picture shows when the object reaches past the frame (None: all of it is in view)
    visible: float | None = None

    @property
    def ok(self) -> bool:
        return self.error_pct is not None and self.error_pct <= TOLERANCE_PCT


class CheckResult(BaseModel):
    ok: bool
    concepts: list[ConceptCheck]
    objects: dict[str, int]  # copies of each object seen (1 is right)
    problems: list[str]  # plain sentences, empty when ok
    tolerance_pct: float = TOLERANCE_PCT
    notes: list[str] = []  # e.g. an object partly outside the frame
    # the concepts that must not change: measured against the factual picture (or their value)
    unchanged: list[ConceptCheck] = []
    stray_pixels: int = 0  # pixels that are no part of the scene (text, marks)

    def summary(self) -> str:
        if self.ok:
            worst = max((c.error_pct or 0.0 for c in self.concepts), default=0.0)
            return (f"checked: every changed concept within {worst:.1f}% of its range, the unchanged ones where "
                    "they were, one of each object, nothing else in the frame")
        return "the picture is off: " + "; ".join(self.problems)


def in_view(world, values: Mapping[str, float], size: int, tolerance_pct: float) -> dict[str, float]:
    """The concepts a right picture cannot show whole: where the renderer's own picture of ``values`` measures
    more than ``tolerance_pct`` of the range away from them (e.g. a long shadow reaching past the frame's
    edge), the value that picture shows."""
    if not all(n in values for n in world.names):
        return {}
    seen = world.measure(world.render(values, size))
    return {n: float(v) for n, v in seen.items()
            if math.isfinite(v) and abs(v - values[n]) / world.concept(n).span * 100 > tolerance_pct}


def stray_pixels(world, image: np.ndarray, values: Mapping[str, float], level: float = STRAY_LEVEL) -> np.ndarray:
    """Pixels the world's own drawing of ``values`` does not explain: a channel more than ``level`` outside the
    range that drawing takes within one pixel (partly covered pixels at an edge lie inside that range)."""
    ref = world.render(values, image.shape[0]).astype(np.int16)
    x = image.astype(np.int16)
    pad = np.pad(ref, ((1, 1), (1, 1), (0, 0)), mode="edge")
    shifts = [pad[dy:dy + x.shape[0], dx:dx + x.shape[1]] for dy in range(3) for dx in range(3)]
    lo, hi = np.min(shifts, axis=0), np.max(shifts, axis=0)
    return np.maximum(lo - x, x - hi).max(-1) > level


def unexplained(world, image: np.ndarray, values: Mapping[str, float], measured: Mapping[str, float],
                level: float = STRAY_LEVEL) -> np.ndarray:
    """Stray pixels against the drawing of ``values`` or of what the measurer reads (where it reads a value near
    the concept's range), whichever explains the picture better."""
    near = {k: float(v) for k, v in measured.items() if math.isfinite(v)
            and world.concept(k).low - world.concept(k).span <= v <= world.concept(k).high + world.concept(k).span}
    return min((stray_pixels(world, image, v, level) for v in (dict(values), {**values, **near})),
               key=lambda m: int(m.sum()))


def where(mask: np.ndarray) -> str:
    """A region of the frame in words ("at the top left") for a boolean mask."""
    ys, xs = np.nonzero(mask)
    h, w = mask.shape
    row = ("top", "middle", "bottom")[min(2, int(3 * ys.mean() / h))]
    col = ("left", "centre", "right")[min(2, int(3 * xs.mean() / w))]
    return "in the middle" if (row, col) == ("middle", "centre") else f"at the {row} {col}".replace("middle ", "")


def check_counterfactual(world, image: np.ndarray, expected: Mapping[str, float], changed: list[str],
                         tolerance_pct: float = TOLERANCE_PCT, factual_image: np.ndarray | None = None) -> CheckResult:
    """``expected``: every concept's counterfactual value; ``changed``: the concepts the intervention changes;
    ``factual_image``: the picture the counterfactual was made from (its unchanged concepts must stay)."""
    measured = world.measure(image)
    visible = in_view(world, expected, image.shape[0], tolerance_pct)
    rows, problems, notes = [], [], []
    for name in changed:
        c = world.concept(name)
        m = measured.get(name)
        if m is None or not math.isfinite(m):
            rows.append(ConceptCheck(concept=name, expected=float(expected[name]), measured=None, error_pct=None))
            problems.append(f"{name}: no {name.replace('_', ' ')} found in the image (expected {expected[name]:.3g} {c.unit})")
            continue
        target = visible.get(name, expected[name])
        if name in visible:
            notes.append(f"{name} = {expected[name]:.3g} {c.unit} reaches past the frame: the part in view "
                         f"measures {target:.3g} in a right picture, and that is what is compared")
        err = abs(m - target) / c.span * 100
        rows.append(ConceptCheck(concept=name, expected=float(expected[name]), measured=float(m), error_pct=float(err),
                                 visible=visible.get(name)))
        if err > tolerance_pct:
            problems.append(f"{name} measures {m:.3g} where the counterfactual is {expected[name]:.3g} {c.unit}"
                            + (f" ({target:.3g} of it in view)" if name in visible else "")
                            + f" ({err:.1f}% of its range, tolerance {tolerance_pct:g}%)")
    # where an unchanged concept was: as the factual picture measures, or as a right picture of the counterfactual
    # measures (the measurer reads some concepts a little differently in another context: the ball in low water)
    before = world.measure(factual_image) if factual_image is not None else {}
    right = world.measure(world.render(expected, image.shape[0])) if all(n in expected for n in world.names) else {}
    stay: list[ConceptCheck] = []
    for c in world.concepts:
        if c.name in changed or c.name not in expected:
            continue
        m = measured.get(c.name)
        if m is None or not math.isfinite(m):
            continue  # an object not found: the object count says so
        refs = [float(v) for v in (before.get(c.name), right.get(c.name)) if v is not None and math.isfinite(v)]
        was = min(refs or [float(expected[c.name])], key=lambda v: abs(m - v))
        err = abs(m - was) / c.span * 100
        stay.append(ConceptCheck(concept=c.name, expected=float(expected[c.name]), measured=float(m),
                                 error_pct=float(err), visible=visible.get(c.name)))
        if err > tolerance_pct:
            where_from = "in the factual picture" if c.name in before else "in a right picture"
            problems.append(f"{c.name} moved: it measures {m:.3g} {c.unit} here and {was:.3g} {where_from}, but only "
                            f"{', '.join(changed) or 'nothing'} should change ({err:.1f}% of its range, tolerance "
                            f"{tolerance_pct:g}%)")
    objects = world.objects(image)
    for obj, n in objects.items():
        if n != 1:
            problems.append(f"{'no' if n == 0 else n} {obj}{'' if n == 1 else 's'} in the image (a scene has one"
                            + (", the extra one is a ghost)" if n > 1 else ")"))
    marks = unexplained(world, image, expected, measured)
    if marks.sum() >= STRAY_PIXELS:
        problems.append(f"{int(marks.sum())} pixels {where(marks)} are no part of the scene (remnants of text, marks "
                        "or a second object)")
    return CheckResult(ok=not problems, concepts=rows, objects=objects, problems=problems, tolerance_pct=tolerance_pct,
                       notes=notes, unchanged=stay, stray_pixels=int(marks.sum()))
