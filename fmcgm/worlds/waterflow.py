"""The water-flow world: ball size → water level; water level and hole height → the stream's reach.

The mechanisms follow CausalVAE's flow world (Yang et al. 2021): level h = ball³ + h0 (h0, the
base level, is the level's exogenous noise, uniform in [0.5, 3.9]; the ball's radius is uniform in
[5/30, 34/30] and the hole height in [2, 14/3]); the reach is Torricelli's
sqrt(2 · 0.98 · h · (d − 0.5)).
Scene on [0, 20]²: a water column between walls at x = 3 and x = 8, the ball in
it, a gap in the right wall at the hole height, the stream from the hole to the
ground.  Heights in the scene are 0.5 + 2.5 · (value).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from fmcgm.causal.scm import AdditiveSCM
from fmcgm.worlds.base import Concept, World, blobs, color_weight, colourful, pixel_to_scene, supersampled

WINDOW = (0.0, 20.0, 0.0, 20.0)
LEFT, RIGHT, FLOOR, TOP = 3.0, 8.0, 0.5, 16.5
BLUE_WATER, BALL, STREAM, WALL = (120, 170, 230), (150, 40, 160), (0, 60, 200), (0, 0, 0)
GAP = 1.4  # height of the hole in the wall, scene units
WALL_W = 0.35
REACH_SCALE = 1.75


def scene_y(v: float) -> float:
    return FLOOR + 2.5 * v


def reach(level: float, hole: float) -> float:
    return math.sqrt(max(2 * 0.98 * level * (hole - 0.5), 0.0))


CONCEPTS = [
    Concept("ball_size", "radius of the ball in the water", "units", 5 / 30, 34 / 30,
            ("ball", "ball size", "ball radius"), {"small": 0.25, "medium": 0.65, "large": 1.1, "big": 1.1}),
    Concept("water_level", "height of the water surface", "units", 0.5 + (5 / 30) ** 3, 3.9 + (34 / 30) ** 3,
            ("water level", "level", "water"), {"low": 1.2, "medium": 3.0, "high": 5.0}),
    Concept("hole_height", "height of the hole in the right wall", "units", 2.0, 14 / 3,
            ("hole", "hole height", "hole position"), {"low": 2.0, "middle": 3.3, "high": 4.6}),
    Concept("flow", "horizontal reach of the stream from the hole", "units", 1.7, 6.7,
            ("stream", "reach", "water flow", "flow"), {"short": 2.0, "medium": 4.0, "long": 6.5}),
]


def _draw(values: Mapping[str, float], size: int) -> np.ndarray:
    b, h, d, f = values["ball_size"], values["water_level"], values["hole_height"], values["flow"]
    r = 2.0 * b  # ball radius in the scene
    yh, yw = scene_y(d), scene_y(h)
    x_end = RIGHT + REACH_SCALE * max(f, 0.0)

    def paint(dr, px):
        (a, c), (e, g) = px(LEFT, min(yw, TOP)), px(RIGHT, FLOOR)
        dr.rectangle([a, c, e, g], fill=BLUE_WATER)
        (a, c), (e, g) = px((LEFT + RIGHT) / 2 - r, FLOOR + 2 * r), px((LEFT + RIGHT) / 2 + r, FLOOR)
        dr.ellipse([a, c, e, g], fill=BALL)
        w = max(1, int(round(WALL_W / 20 * size * 4)))
        dr.line([px(LEFT, FLOOR), px(LEFT, TOP)], fill=WALL, width=w)
        dr.line([px(RIGHT, FLOOR), px(RIGHT, yh - GAP / 2)], fill=WALL, width=w)
        dr.line([px(RIGHT, yh + GAP / 2), px(RIGHT, TOP)], fill=WALL, width=w)
        dr.line([px(LEFT - 1, FLOOR), px(RIGHT + 12, FLOOR)], fill=WALL, width=max(1, w // 2))
        pts = [px(RIGHT + (x_end - RIGHT) * t, yh - (yh - FLOOR) * t * t) for t in np.linspace(0, 1, 40)]
        dr.line(pts, fill=STREAM, width=max(1, int(round(0.4 / 20 * size * 4))))

    return supersampled(size, paint, window=WINDOW)


def _measure(img: np.ndarray) -> dict[str, float]:
    size = img.shape[0]
    unit = 20.0 / size
    sx = np.array([pixel_to_scene(c, 0, size, WINDOW)[0] for c in range(size)])
    sy = np.array([pixel_to_scene(0, r, size, WINDOW)[1] for r in range(size)])
    out: dict[str, float] = {}
    ball = np.maximum(color_weight(img, BALL, tol=40), color_weight(img, BALL, tol=40, background=BLUE_WATER))
    centre = np.abs(sx - (LEFT + RIGHT) / 2) < 1.0
    diameter = float(ball[:, centre].sum(0).max()) * unit if centre.any() else 0.0  # the longest vertical chord
    if diameter > 0:
        out["ball_size"] = diameter / 4.0
    water = color_weight(img, BLUE_WATER, tol=50)
    inside = (sx > LEFT + WALL_W) & (sx < RIGHT - WALL_W)
    water_area = float(water[:, inside].sum()) * unit ** 2
    out["water_level"] = (_surface(water_area, diameter / 2) - FLOOR) / 2.5 if water_area > 0 else 0.0
    wall = color_weight(img, WALL, tol=90)
    col = int(np.argmin(np.abs(sx - RIGHT)))
    strip = wall[:, max(col - 1, 0):col + 2].max(1)
    rows = np.nonzero((sy > scene_y(1.8)) & (sy < scene_y(4.9)))[0]
    r0 = rows[int(np.argmin(strip[rows]))]  # the hole: where the wall is missing
    near = rows[np.abs(rows - r0) <= 2]
    w = np.clip(1 - strip[near] / max(strip[rows].max(), 1e-6), 0, 1) ** 2
    out["hole_height"] = (float((w * sy[near]).sum() / max(w.sum(), 1e-9)) - FLOOR) / 2.5
    px = img.astype(float)
    blueish = (px[..., 2] - px[..., 0] > 50) & (px[..., 2] - px[..., 1] > 40)
    low = sy < FLOOR + 1.5
    cols = np.nonzero(blueish[low].any(0) & (sx > RIGHT + 0.5))[0]
    if len(cols):
        out["flow"] = (float(sx[cols.max()]) + unit / 2 - RIGHT) / REACH_SCALE
    return out


def _surface(water_area: float, r: float) -> float:
    """The water surface's height: the water seen plus the ball's submerged part fill the column to it
    (only the part below the surface is submerged when the level is low)."""
    width = RIGHT - LEFT - 2 * WALL_W

    def below(y: float) -> float:  # area of the ball (resting on the floor) below height y
        if r <= 0:
            return 0.0
        d = min(max(y - (FLOOR + r), -r), r)
        return math.pi * r * r - (r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d))

    lo, hi = FLOOR, TOP + 2.0
    for _ in range(40):  # width·(y − floor) − submerged(y) grows with y: bisection
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if width * (mid - FLOOR) - below(mid) < water_area else (lo, mid)
    return (lo + hi) / 2


def _count(img: np.ndarray) -> dict[str, int]:
    size = img.shape[0]
    sx = np.array([pixel_to_scene(c, 0, size, WINDOW)[0] for c in range(size)])
    inside = np.abs(sx - (LEFT + RIGHT) / 2) < (RIGHT - LEFT) / 2 - WALL_W  # the ball sits between the walls
    # neither the walls' grey edges nor a pale water surface is purple (see ``colourful`` and ``cos_min``)
    ball = np.maximum(color_weight(img, BALL, tol=40, cos_min=0.95),
                      color_weight(img, BALL, tol=40, background=BLUE_WATER, cos_min=0.95))
    ball = colourful(img, ball, BALL) * inside
    stream = color_weight(img, STREAM, tol=60) * (sx > RIGHT + 0.5)
    # a ball a few pixels wide peaks low at 32 px: a lower peak still tells a ball from a fringe; the thin
    # stream breaks into pieces at 32 px, joined by one pixel of dilation; a ball is round (the tinted edge
    # of a water surface, one pixel high and the column wide, is not a second ball)
    return {"ball": blobs(ball, peak=0.2, max_aspect=2.5), "stream": blobs(stream, peak=0.3, join=1)}


def make_waterflow(noise: float = 0.0) -> World:
    """The water-flow world; ``noise`` is the std of additive noise on the flow mechanism."""
    scm = AdditiveSCM(
        order=["ball_size", "hole_height", "water_level", "flow"],
        parents={"ball_size": (), "hole_height": (), "water_level": ("ball_size",),
                 "flow": ("water_level", "hole_height")},
        functions={"ball_size": lambda p: 0.0, "hole_height": lambda p: 0.0,
                   "water_level": lambda p: p["ball_size"] ** 3,
                   "flow": lambda p: reach(p["water_level"], p["hole_height"])},
    )

    def roots(rng: np.random.Generator) -> dict[str, float]:
        # the base level h0 is the water level's exogenous noise
        return {"ball_size": float(rng.uniform(5 / 30, 34 / 30)), "hole_height": float(rng.uniform(2.0, 14 / 3)),
                "water_level": float(rng.uniform(0.5, 3.9))}

    return World("waterflow", CONCEPTS, scm, {"flow": noise}, roots, _draw, _measure, _count, label="water flow",
                 words=("water", "ball", "hole", "stream", "flow", "container"),
                 scene_objects="one water column between two walls with one ball in it and one stream",
                 # at least 0.73 in a right picture (the water column can fill a quarter of the frame); 0.85 of that
                 background_share=0.62, parts=_parts, train_noise=0.5, decouple=0.0)


def _parts(img: np.ndarray) -> dict[str, int]:
    """The water column, which the ghost count does not track: 1 when at least 3 pixels are water."""
    return {"water column": int(float((color_weight(img, BLUE_WATER, tol=50) > 0.5).sum()) >= 3)}
