"""The pendulum world (the CausalVAE benchmark world, Yang et al. 2021).

Its concepts and ranges follow CausalVAE's generator: the pendulum angle in
[-40π/200, 43π/200] and the light angle in [60π/200, 147π/200] (radians, here
in degrees); the shadow's position and length are the projections of the
pendulum by the light onto the ground.  Scene window x, y in [-1, 21].  Pivot (10, 10.5); ball centre at distance 8
along the pendulum angle θ (0 = straight down, positive to the right), radius
1.5; a sun of radius 3 at (10 + 10 / tan φ, 20.5) casts parallel light of
slope tan φ; the shadow on the ground line y = -0.5 spans the projections of
the pivot and of the ball's far edge (length at least 3).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from fmcgm.causal.scm import AdditiveSCM
from fmcgm.worlds.base import Concept, World, blobs, color_weight, colourful, pixel_to_scene, supersampled

PIVOT = (10.0, 10.5)
ROD, RADIUS, SUN_R, SUN_Y, GROUND = 8.0, 1.5, 3.0, 20.5, -0.5
RED, ORANGE, BLACK = (178, 34, 34), (255, 165, 0), (0, 0, 0)
SHADOW_THICK = 0.6

ANGLE_LO, ANGLE_HI = math.degrees(-40 * math.pi / 200), math.degrees(43 * math.pi / 200)
LIGHT_LO, LIGHT_HI = math.degrees(60 * math.pi / 200), math.degrees(147 * math.pi / 200)


def _project(x: float, y: float, phi: float) -> float:
    return x + (GROUND - y) / math.tan(phi)


def shadow(angle_deg: float, light_deg: float) -> tuple[float, float]:
    """(position, length) of the shadow, noise-free."""
    th, phi = math.radians(angle_deg), math.radians(light_deg)
    p0 = _project(*PIVOT, phi)
    far = (PIVOT[0] + (ROD + RADIUS) * math.sin(th), PIVOT[1] - (ROD + RADIUS) * math.cos(th))
    p1 = _project(*far, phi)
    return (p0 + p1) / 2, max(3.0, abs(p0 - p1))


CONCEPTS = [
    Concept("pendulum_angle", "angle of the pendulum from vertical (positive swings right)", "degrees",
            ANGLE_LO, ANGLE_HI, ("angle", "pendulum", "pendulum angle"),
            {"far left": ANGLE_LO, "left": -20.0, "center": 0.0, "straight down": 0.0, "vertical": 0.0,
             "right": 20.0, "far right": ANGLE_HI}),
    Concept("light_position", "elevation angle of the light; large angles put the sun on the left", "degrees",
            LIGHT_LO, LIGHT_HI, ("light", "sun", "light angle", "light position", "lamp"),
            {"far left": LIGHT_HI, "left": 115.0, "center": 90.0, "overhead": 90.0, "middle": 90.0,
             "right": 65.0, "far right": LIGHT_LO}),
    Concept("shadow_position", "horizontal position of the shadow's centre on the ground", "scene units",
            2.0, 19.6, ("shadow position", "shadow location"),
            {"far left": 2.0, "left": 6.0, "center": 10.0, "right": 14.0, "far right": 19.6}),
    Concept("shadow_length", "length of the shadow on the ground (at least 3)", "scene units",
            3.0, 12.6, ("shadow length", "shadow size"),
            {"short": 3.0, "medium": 7.0, "long": 12.0}),
]


def _draw(values: Mapping[str, float], size: int) -> np.ndarray:
    th = math.radians(values["pendulum_angle"])
    phi = math.radians(values["light_position"])
    ball = (PIVOT[0] + ROD * math.sin(th), PIVOT[1] - ROD * math.cos(th))
    sun_x = PIVOT[0] + 10.0 / math.tan(phi)
    pos, length = values["shadow_position"], max(0.1, values["shadow_length"])

    def paint(d, px):
        def circle(c, r, color):
            (x0, y0), (x1, y1) = px(c[0] - r, c[1] + r), px(c[0] + r, c[1] - r)
            d.ellipse([x0, y0, x1, y1], fill=color)

        circle((sun_x, SUN_Y), SUN_R, ORANGE)
        (a, b), (c, e) = px(pos - length / 2, GROUND + SHADOW_THICK / 2), px(pos + length / 2, GROUND - SHADOW_THICK / 2)
        d.rectangle([a, b, c, e], fill=BLACK)
        w = max(1, int(round(0.3 / 22 * size * 4)))
        d.line([px(*PIVOT), px(*ball)], fill=BLACK, width=w)
        circle(ball, RADIUS, RED)

    return supersampled(size, paint)


def _measure(img: np.ndarray) -> dict[str, float]:
    size = img.shape[0]
    unit = 22.0 / size  # scene units per pixel
    ys, xs = np.mgrid[0:size, 0:size]
    out: dict[str, float] = {}
    red = color_weight(img, RED)
    if (red > 0.5).any():
        # centroid of the ball's blob only: anti-aliased edges of the rod and shadow leak faint weight, and a
        # second (ghost) ball is not averaged in: the strongest core blob is the ball
        from scipy import ndimage

        labels, n = ndimage.label(red > 0.5, structure=np.ones((3, 3)))
        core = labels == 1 + int(np.argmax(ndimage.sum(red, labels, np.arange(1, n + 1))))
        cx0, cy0 = xs[core].mean(), ys[core].mean()
        near = (xs - cx0) ** 2 + (ys - cy0) ** 2 <= ((RADIUS + 1.0) / unit) ** 2
        w = red * near
        bx, by = pixel_to_scene(float((w * xs).sum() / w.sum()), float((w * ys).sum() / w.sum()), size)
        out["pendulum_angle"] = math.degrees(math.atan2(bx - PIVOT[0], PIVOT[1] - by))
    orange = color_weight(img, ORANGE)
    if orange.sum() > 0:
        out["light_position"] = math.degrees(math.atan2(10.0, _sun_x(orange, size, unit) - PIVOT[0]))
    black = color_weight(img, BLACK, tol=80)
    band = np.array([pixel_to_scene(0, r, size)[1] < GROUND + 1.0 for r in range(size)])
    col = black[band].sum(0)
    if col.sum() > 0:
        # fraction of each column the bar covers, against the bar's own drawn thickness
        col = np.clip(col / np.percentile(col[col > 0.05 * col.max()], 90), 0, 1)
        cx = np.array([pixel_to_scene(c, 0, size)[0] for c in range(size)])
        out["shadow_length"] = float(col.sum() * unit)
        out["shadow_position"] = float((col * cx).sum() / col.sum())
    return out


def _count(img: np.ndarray) -> dict[str, int]:
    size = img.shape[0]
    band = np.array([pixel_to_scene(0, r, size)[1] < GROUND + 1.0 for r in range(size)])
    black = color_weight(img, BLACK, tol=80) * band[:, None]
    # the ball never reaches the ground band, where a dark shadow with a reddish cast would pass for red
    # (the rod's grey edge is not red: see ``colourful``)
    red = colourful(img, color_weight(img, RED), RED) * ~band[:, None]
    return {"sun": blobs(color_weight(img, ORANGE)), "ball": blobs(red), "shadow": blobs(black)}


def _sun_x(orange: np.ndarray, size: int, unit: float) -> float:
    """The sun's centre from its widest visible row, correcting for clipping at a side of the frame."""
    widths = orange.sum(1)
    r = int(np.argmax(widths))
    row = orange[r]
    cols = np.nonzero(row > 0.02)[0]
    cx = np.array([pixel_to_scene(c, 0, size)[0] for c in range(size)])
    yrow = pixel_to_scene(0, r, size)[1]
    half = math.sqrt(max(SUN_R ** 2 - (yrow - SUN_Y) ** 2, 0.0))
    left_edge = cx[cols[0]] - unit / 2 + (1 - row[cols[0]]) * unit
    right_edge = cx[cols[-1]] + unit / 2 - (1 - row[cols[-1]]) * unit
    if cols[0] == 0 and cols[-1] < size - 1:
        return right_edge - half
    if cols[-1] == size - 1 and cols[0] > 0:
        return left_edge + half
    return float((row * cx).sum() / row.sum())


def make_pendulum(noise: float = 0.0) -> World:
    """The pendulum world; ``noise`` is the std of additive noise on the shadow mechanisms (scene units)."""
    scm = AdditiveSCM(
        order=["pendulum_angle", "light_position", "shadow_position", "shadow_length"],
        parents={"pendulum_angle": (), "light_position": (),
                 "shadow_position": ("pendulum_angle", "light_position"),
                 "shadow_length": ("pendulum_angle", "light_position")},
        functions={"pendulum_angle": lambda p: 0.0, "light_position": lambda p: 0.0,
                   "shadow_position": lambda p: shadow(p["pendulum_angle"], p["light_position"])[0],
                   "shadow_length": lambda p: shadow(p["pendulum_angle"], p["light_position"])[1]},
    )

    def roots(rng: np.random.Generator) -> dict[str, float]:
        return {"pendulum_angle": float(rng.uniform(ANGLE_LO, ANGLE_HI)),
                "light_position": float(rng.uniform(LIGHT_LO, LIGHT_HI))}

    return World("pendulum", CONCEPTS, scm, {"shadow_position": noise, "shadow_length": noise}, roots, _draw, _measure,
                 _count, label="pendulum", words=("pendulum", "shadow", "sun", "light", "lamp"),
                 scene_objects="one sun, one pendulum (a rod and a red ball) and one shadow",
                 # a right picture's white background covers at least 0.88 of the frame; required: 0.85 of that
                 background_share=0.75,
                 # with ±0.5 units of noise alone the pendulum model could not draw a shadow far from where the
                 # light puts it: do(shadow_position = far left) succeeded in 31 % of large moves; the model must
                 # see every concept anywhere in its range, independently of its parents
                 train_noise=0.5, decouple=0.3)
