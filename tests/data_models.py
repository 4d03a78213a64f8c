"""Simulated tables with a known causal structure for the data path's tests (generators only, no assertions).

Every generator takes the number of rows, a seed and the column names, so a test can vary all three.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SPRINKLER = ("dry_season", "sprinkler", "rain", "wet_pavement", "slippery")


def _p_wet(s: float, r: float, wet: tuple[float, float, float, float]) -> float:
    """P(wet) when the sprinkler is on with probability s and it rains with probability r (independently)."""
    w11, w10, w01, w00 = wet
    return s * r * w11 + s * (1 - r) * w10 + (1 - s) * r * w01 + (1 - s) * (1 - r) * w00


def sprinkler_frame(n: int = 5000, seed: int = 0, names: tuple[str, ...] = SPRINKLER, shuffle: int | None = 0,
                    sprinkler: tuple[float, float] = (0.6, 0.2), rain_wet_season: float = 0.6,
                    wet: tuple[float, float, float, float] = (0.95, 0.8, 0.8, 0.05),
                    slippery: tuple[float, float] = (0.8, 0.1), offset: float = 0.0) -> pd.DataFrame:
    """The textbook sprinkler: season -> sprinkler, season -> rain, sprinkler -> wet <- rain, wet -> slippery.

    The season is the dry one or not.  The sprinkler runs mostly in the dry season and it rains mostly in the
    other, so the season's two paths to the pavement (more sprinkling, less rain) cancel: P(rain | dry season)
    is solved so that P(wet | dry) = P(wet | not dry) + ``offset``.  That is the textbook case's trap (the season
    looks independent of the wet pavement), not a contrivance: any sprinkler schedule that makes up for the
    rain has it.  ``shuffle`` is the seed of the column order (None: the order of ``names``).
    """
    s1, s0 = sprinkler
    target = _p_wet(s0, rain_wet_season, wet) + offset
    # P(wet | s1, r) is linear in r: solve for the rain probability of the dry season
    a, b = _p_wet(s1, 0.0, wet), _p_wet(s1, 1.0, wet) - _p_wet(s1, 0.0, wet)
    r1 = float(np.clip((target - a) / b, 0.01, 0.99))
    rng = np.random.default_rng(seed)
    dry = rng.random(n) < 0.5
    spr = rng.random(n) < np.where(dry, s1, s0)
    rain = rng.random(n) < np.where(dry, r1, rain_wet_season)
    w11, w10, w01, w00 = wet
    wet_ = rng.random(n) < np.select([spr & rain, spr & ~rain, ~spr & rain], [w11, w10, w01], w00)
    slip = rng.random(n) < np.where(wet_, slippery[0], slippery[1])
    df = pd.DataFrame(dict(zip(names, (dry, spr, rain, wet_, slip), strict=True))).astype(int)
    cols = list(df.columns)
    if shuffle is not None:
        np.random.default_rng(shuffle).shuffle(cols)
    return df[cols]


def sprinkler_truth(names: tuple[str, ...] = SPRINKLER) -> set[tuple[str, str]]:
    season, spr, rain, wet, slip = names
    return {(season, spr), (season, rain), (spr, wet), (rain, wet), (wet, slip)}


CONFOUNDED = ("a", "b", "c", "x", "y")


def confounded_frame(n: int = 3000, seed: int = 0, names: tuple[str, ...] = CONFOUNDED, ate: float = 0.10,
                     causes: tuple[float, float] = (0.15, 0.15), confounding: tuple[float, float] = (0.3, 0.3),
                     base: tuple[float, float] = (0.2, 0.2)) -> pd.DataFrame:
    """Causally sufficient: two causes a, b of the treatment x, a confounder c of x and the outcome y, x -> y.

    All binary; P(y = 1 | do(x = 1)) - P(y = 1 | do(x = 0)) = ``ate`` exactly (the outcome is linear in x and c).
    """
    a_, b_, c_, x_, y_ = names
    rng = np.random.default_rng(seed)
    a, b, c = rng.random((3, n)) < 0.5
    x = rng.random(n) < base[0] + causes[0] * a + causes[1] * b + confounding[0] * c
    y = rng.random(n) < base[1] + ate * x + confounding[1] * c
    return pd.DataFrame({a_: a, b_: b, c_: c, x_: x, y_: y}).astype(int)


def four_cycle_frame(n: int = 5000, seed: int = 0, names: tuple[str, ...] = ("a", "b", "c", "d"),
                     coupling: float = 0.8) -> pd.DataFrame:
    """Binary data from an undirected 4-cycle a - b - c - d - a (an Ising model): a ⫫ c | b, d and b ⫫ d | a, c
    hold, and no DAG over these four variables implies both.  Sampled exactly from the 16 states."""
    states = np.array([[(k >> i) & 1 for i in range(4)] for k in range(16)])
    spins = 2 * states - 1
    energy = sum(spins[:, i] * spins[:, (i + 1) % 4] for i in range(4))
    p = np.exp(coupling * energy)
    rows = np.random.default_rng(seed).choice(16, size=n, p=p / p.sum())
    return pd.DataFrame(states[rows], columns=list(names))
