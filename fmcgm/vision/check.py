"""The self-check of a counterfactual image: measure the picture against the SCM's counterfactual values.

A picture is right when every changed concept measures (with the world's
geometric measurer) within ``tolerance`` of its range of the SCM's
counterfactual value, and the scene shows exactly one of each object (a second,
faded copy at the old place is a ghost).  Where an object reaches past the frame
(a long shadow at the edge), the value compared is what the renderer's own picture
of the counterfactual shows.  Pure: image and values in, verdict out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel

TOLERANCE_PCT = 10.0  # of the concept's range


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

    def summary(self) -> str:
        if self.ok:
            worst = max((c.error_pct or 0.0 for c in self.concepts), default=0.0)
            return f"checked: every changed concept within {worst:.1f}% of its range, one of each object"
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


def check_counterfactual(world, image: np.ndarray, expected: Mapping[str, float], changed: list[str],
                         tolerance_pct: float = TOLERANCE_PCT) -> CheckResult:
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
    objects = world.objects(image)
    for obj, n in objects.items():
        if n != 1:
            problems.append(f"{'no' if n == 0 else n} {obj}{'' if n == 1 else 's'} in the image (a scene has one"
                            + (", the extra one is a ghost)" if n > 1 else ")"))
    return CheckResult(ok=not problems, concepts=rows, objects=objects, problems=problems, tolerance_pct=tolerance_pct,
                       notes=notes)
