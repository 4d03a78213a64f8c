"""Render a counterfactual image for a world (or an input image) and save the PNGs.

This is the side-effecting edge behind the ``render_image`` tool and
``fmcgm render``: it validates input, runs the counterfactual pipeline (or the
oracle renderer), measures the result geometrically, and writes factual,
counterfactual, mask and side-by-side PNGs inside the output folder only.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import numpy as np

from fmcgm.errors import FMCGMError, ParseError, QueryError
from fmcgm.worlds import get_world

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIDE = 4096


def output_root() -> Path:
    """Where images are written: FMCGM_OUTPUT_DIR, else ./fmcgm_output."""
    return Path(os.environ.get("FMCGM_OUTPUT_DIR", "fmcgm_output"))


@dataclass
class RenderResult:
    world: str
    intervention: dict[str, float]
    factual_values: dict[str, float]
    counterfactual_values: dict[str, float]
    changed: list[str]
    measured: dict[str, float]
    effect_error_pct: dict[str, float]
    paths: dict[str, str]
    method: str
    seconds: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def safe_out_dir(out_dir: str | Path | None, root: Path | None = None) -> Path:
    """The output folder, which must lie inside the configured output root."""
    root = (root or output_root()).resolve()
    target = (root / out_dir).resolve() if out_dir and not Path(out_dir).is_absolute() else Path(out_dir or root).resolve()
    if target != root and root not in target.parents:
        raise FMCGMError(f"output path {out_dir!r} is outside the output folder {root}",
                         "give a folder name inside the output folder (set FMCGM_OUTPUT_DIR to move the folder)")
    target.mkdir(parents=True, exist_ok=True)
    return target


def load_image(path: str | Path, size: int) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise ParseError(f"no image at {p}", "give the path of a PNG or JPEG file")
    if p.stat().st_size > MAX_IMAGE_BYTES:
        raise ParseError(f"{p} is {p.stat().st_size // 1024 // 1024} MB, over the {MAX_IMAGE_BYTES // 1024 // 1024} MB limit",
                         "use a smaller image")
    try:
        with Image.open(p) as im:
            if max(im.size) > MAX_IMAGE_SIDE:
                raise ParseError(f"{p} is {im.size[0]}×{im.size[1]} pixels, over the {MAX_IMAGE_SIDE} limit",
                                 "use a smaller image")
            return np.asarray(im.convert("RGB").resize((size, size)), dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as e:
        raise ParseError(f"cannot read {p} as an image ({e})", "give a PNG or JPEG file") from None


@lru_cache(maxsize=4)
def pipeline_for(world_name: str, weights: str | None = None):

    from fmcgm.vision.model import ConceptDiffusion
    from fmcgm.vision.pipeline import CounterfactualPipeline
    from fmcgm.vision.train import WEIGHTS_DIR

    path = Path(weights or WEIGHTS_DIR / f"{world_name}.pt")
    if not path.is_file():
        raise FMCGMError(f"no model weights at {path}", f"train them with `fmcgm train-world {world_name}`")
    return CounterfactualPipeline(ConceptDiffusion.load(path), get_world(world_name))


def render_counterfactual(world_name: str, intervention: Mapping[str, str | float], *, image: str | None = None,
                          factual: Mapping[str, float] | None = None, seed: int = 0, steps: int = 50,
                          guidance: bool = True, method: str = "diffusion", out_dir: str | None = None,
                          size: int = 32) -> RenderResult:
    from PIL import Image

    from fmcgm.vision.pipeline import CounterfactualOptions

    world = get_world(world_name)
    if not intervention:
        raise QueryError("no intervention given", "say what to change, e.g. light_position=far left")
    do = {world.concept(k).name: world.parse_value(k, v) for k, v in intervention.items()}
    notes = []
    if image:
        img = load_image(image, size)
        if factual is None:
            factual = _extract(world, img, notes)
    else:
        if factual is None:
            factual = world.sample(np.random.default_rng(seed))
        img = world.render(factual, size)
    factual = {k: float(v) for k, v in factual.items()}
    missing = [c for c in world.names if c not in factual]
    if missing:
        raise QueryError(f"factual values missing for {', '.join(missing)}", "give every concept's factual value")
    cf_values = world.counterfactual(factual, do)  # validates ranges
    if method == "oracle":
        out = world.render(cf_values, size)
        mask = np.any(out != img, axis=-1).astype(float)
        changed = [c for c in world.names if abs(cf_values[c] - factual[c]) > 1e-9]
        seconds = 0.0
    else:
        pipe = pipeline_for(world.name)
        res = pipe.counterfactual(img, factual, do, CounterfactualOptions(steps=steps, csg=guidance, seed=seed))
        out, mask, changed, seconds = res.image, res.mask, res.changed, res.seconds
    measured = world.measure(out)
    err = {c: abs(measured.get(c, float("nan")) - cf_values[c]) / world.concept(c).span * 100 for c in changed}
    folder = safe_out_dir(out_dir)
    tag = hashlib.sha1(json.dumps([world.name, factual, do, seed, steps, guidance, method], sort_keys=True,
                                  default=str).encode()).hexdigest()[:10]
    paths = {}
    scale = 8
    big = lambda a: Image.fromarray(a).resize((a.shape[1] * scale, a.shape[0] * scale), Image.Resampling.NEAREST)  # noqa: E731
    paths["factual"] = str(folder / f"{world.name}_{tag}_factual.png")
    big(img).save(paths["factual"])
    paths["counterfactual"] = str(folder / f"{world.name}_{tag}_counterfactual.png")
    big(out).save(paths["counterfactual"])
    mask_img = np.zeros_like(img) if mask is None else np.repeat((np.clip(mask, 0, 1) * 255).astype(np.uint8)[..., None], 3, -1)
    paths["mask"] = str(folder / f"{world.name}_{tag}_mask.png")
    big(mask_img).save(paths["mask"])
    paths["side_by_side"] = str(folder / f"{world.name}_{tag}_side_by_side.png")
    big(np.concatenate([img, np.full((size, 2, 3), 255, np.uint8), out, np.full((size, 2, 3), 255, np.uint8), mask_img], 1)).save(paths["side_by_side"])
    return RenderResult(world.name, do, factual, cf_values, changed, measured, err, paths, method, seconds, notes)


def _extract(world, img: np.ndarray, notes: list[str]) -> dict[str, float]:
    from fmcgm.vision.extractor import CNNExtractor

    try:
        values = CNNExtractor.load(world).extract(img)
        notes.append("factual values read by the CNN concept extractor")
    except FMCGMError:
        values = world.measure(img)
        notes.append("factual values read by the geometric measurer (no extractor weights)")
    return {c.name: float(np.clip(values.get(c.name, (c.low + c.high) / 2), c.low, c.high)) for c in world.concepts}
