"""A table of concept values read from images of a world, for discovery.

The world's SCM draws a scene, its renderer makes the image, and the concept extractor
(the geometric measurer by default, or the trained CNN) reads the values back; only the
read values reach the search, so the extractor's errors are part of what is tested.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from tqdm import tqdm

from fmcgm.discovery.table import Table, from_frame

Extractor = Literal["geometric", "cnn"]


def world_images(world: str, n: int, seed: int = 0, noise: float = 0.3, size: int = 64):
    """(images, true concept values) of ``n`` scenes sampled from the world's SCM."""
    from fmcgm.worlds import get_world

    w = get_world(world, noise=noise)
    rng = np.random.default_rng(seed)
    values = [w.sample(rng) for _ in range(n)]
    return w, [w.render(v, size=size) for v in values], values


def image_table(world: str, n: int, seed: int = 0, noise: float = 0.3, extractor: Extractor = "geometric",
                progress: bool = False) -> Table:
    from fmcgm.vision.extractor import CNNExtractor, GeometricExtractor

    w, images, _ = world_images(world, n, seed, noise, size=64 if extractor == "geometric" else 32)
    ex = GeometricExtractor(w) if extractor == "geometric" else CNNExtractor.load(w)
    rows = [ex.extract(img) for img in tqdm(images, desc=f"{world}: reading concepts", disable=not progress)]
    df = pd.DataFrame(rows)[w.names].dropna()
    return from_frame(df, f"{n} {world} images read by the {extractor} extractor")


def world_edges(world: str) -> list[tuple[str, str]]:
    from fmcgm.worlds import get_world

    return sorted(get_world(world).graph().edges)
