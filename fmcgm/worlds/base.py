"""Procedural causal worlds: an SCM over named concepts, a renderer, and a geometric measurer.

A world's SCM is an :class:`fmcgm.causal.scm.AdditiveSCM` (mechanisms plus
additive exogenous noise), so counterfactual concept values come from exact
abduction–action–prediction; the oracle counterfactual image is the renderer
applied to them.  Renderers draw at 4× and downsample (anti-aliasing), a few ms
per image.  Measurers read concept values back from pixels with geometry only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from fmcgm.causal.graph import CausalGraph, descendants
from fmcgm.causal.scm import AdditiveSCM
from fmcgm.errors import QueryError, UnknownVariableError

# "%" or "percent" after a number: that share of the concept's range
PERCENT = re.compile(r"(?:%|percent|per cent|pct)(?: of (?:the|its) range)?")
# the words that name each unit a concept is given in
UNIT_WORDS = {"degrees": ("degrees", "degree", "deg", "°"),
              "scene units": ("scene units", "scene unit", "units", "unit", "u"),
              "units": ("units", "unit", "u")}


def unit_words(unit: str) -> tuple[str, ...]:
    """The spellings accepted after a number for a concept measured in ``unit``."""
    return UNIT_WORDS.get(unit, (unit,))


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    unit: str
    low: float
    high: float
    synonyms: tuple[str, ...] = ()
    value_words: Mapping[str, float] = field(default_factory=dict)

    @property
    def span(self) -> float:
        return self.high - self.low


@dataclass
class World:
    name: str
    concepts: list[Concept]
    scm: AdditiveSCM
    noise_scale: dict[str, float]  # std of additive noise per concept (0 = deterministic)
    sample_roots: Callable[[np.random.Generator], dict[str, float]]
    draw: Callable[[Mapping[str, float], int], np.ndarray]
    read: Callable[[np.ndarray], dict[str, float]]
    # how many of each drawn object an image shows (a scene has exactly one of each: two is a ghost)
    count: Callable[[np.ndarray], dict[str, int]]
    # -- the world's settings (the registry in fmcgm/worlds/__init__.py lists the worlds; nothing else names one)
    label: str = ""  # how a person writes the name ("water flow"); the name when empty
    words: tuple[str, ...] = ()  # words of a question that point to this world ("shadow", "sun", ...)
    scene_objects: str = "its objects"  # what a right picture shows, said when a picture is refused
    # the share of the frame the white background covers, at least, in a right picture (vision/scene.py)
    background_share: float = 0.6
    # parts a scene must show that the ghost count does not track: name -> 1 when present (vision/scene.py)
    parts: Callable[[np.ndarray], dict[str, int]] | None = None
    train_noise: float = 0.5  # std of additive noise on non-root mechanisms in the training set (units)
    # share of training scenes in which each non-root concept is redrawn over its whole range (vision/train.py)
    decouple: float = 0.0

    @property
    def title(self) -> str:
        """The world's name as a person writes it."""
        return self.label or self.name

    # -- structure ------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [c.name for c in self.concepts]

    def concept(self, name: str) -> Concept:
        key = name.strip().lower().replace(" ", "_")
        for c in self.concepts:
            if key == c.name or key in (s.replace(" ", "_") for s in c.synonyms):
                return c
        raise UnknownVariableError(name, self.names)

    def graph(self) -> CausalGraph:
        return CausalGraph.build([(p, v) for v in self.scm.order for p in self.scm.parents[v]], nodes=self.scm.order)

    def descendants(self, names) -> set[str]:
        return descendants(self.graph(), names)

    # -- sampling and counterfactuals ------------------------------------------------
    def sample(self, rng: np.random.Generator, noise: bool = True) -> dict[str, float]:
        roots = self.sample_roots(rng)
        eps = {v: (rng.normal(0, self.noise_scale.get(v, 0.0)) if noise else 0.0) for v in self.scm.order}
        eps.update({k: v for k, v in roots.items()})  # roots are their own noise (f = 0)
        return self.scm.solve(eps)

    def counterfactual(self, factual: Mapping[str, float], intervention: Mapping[str, float]) -> dict[str, float]:
        for k, v in intervention.items():
            c = self.concept(k)
            if not c.low - 1e-9 <= v <= c.high + 1e-9:
                raise QueryError(f"{c.name} = {v:g} is outside its range [{c.low:g}, {c.high:g}] {c.unit}",
                                 f"choose a value between {c.low:g} and {c.high:g}, or a value word: "
                                 + ", ".join(c.value_words))
        return self.scm.counterfactual(factual, {self.concept(k).name: v for k, v in intervention.items()})

    def parse_value(self, concept: str, text: str | float) -> float:
        """A number in the concept's unit, a share of its range ("10%", "10 percent"), or a value word such as
        "far left". Any other unit after a number is refused, naming the accepted ones (never dropped)."""
        c = self.concept(concept)
        if isinstance(text, (int, float)):
            return float(text)
        t = re.sub(r"\s+", " ", text.strip().lower()).replace("\u2212", "-")
        if t in c.value_words:
            return c.value_words[t]
        m = re.fullmatch(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)", t)
        if m:
            v, unit = float(m.group(1)), m.group(2).strip()
            if PERCENT.fullmatch(unit):
                return c.low + v / 100 * c.span
            if not unit or unit in unit_words(c.unit):
                return v
            raise QueryError(f"cannot read {text!r} as a value of {c.name}: {unit!r} is not a unit of {c.name}",
                             f"give a number in {c.unit} ({c.low:g}..{c.high:g}), a share of its range "
                             "(\"10%\" or \"10 percent\"), or one of: " + ", ".join(c.value_words))
        raise QueryError(f"cannot read {text!r} as a value of {c.name}",
                         f"use a number in {c.unit} ({c.low:g}..{c.high:g}), a share of its range (\"10%\" or "
                         "\"10 percent\"), or one of: " + ", ".join(c.value_words))

    # -- pixels ------------------------------------------------------------------------
    def render(self, values: Mapping[str, float], size: int = 64) -> np.ndarray:
        return self.draw(values, size)

    def measure(self, image: np.ndarray) -> dict[str, float]:
        return self.read(image)

    def objects(self, image: np.ndarray) -> dict[str, int]:
        """Visible copies of each object (exactly 1 each in a right picture)."""
        return self.count(image)


def supersampled(size: int, paint: Callable[[object, Callable], None], scale: int = 4,
                 window: tuple[float, float, float, float] = (-1.0, 21.0, -1.0, 21.0)) -> np.ndarray:
    """Draw in scene coordinates on a big canvas, then downsample: anti-aliased RGB uint8."""
    from PIL import Image, ImageDraw

    big = size * scale
    x0, x1, y0, y1 = window
    img = Image.new("RGB", (big, big), (255, 255, 255))
    d = ImageDraw.Draw(img)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return ((x - x0) / (x1 - x0) * big, (y1 - y) / (y1 - y0) * big)

    paint(d, to_px)
    return np.asarray(img.resize((size, size), Image.Resampling.BOX), dtype=np.uint8)


def pixel_to_scene(px: float, py: float, size: int,
                   window: tuple[float, float, float, float] = (-1.0, 21.0, -1.0, 21.0)) -> tuple[float, float]:
    """Scene coordinates of a pixel centre (px, py) in an image of side ``size``."""
    x0, x1, y0, y1 = window
    return x0 + (px + 0.5) / size * (x1 - x0), y1 - (py + 0.5) / size * (y1 - y0)


def color_weight(img: np.ndarray, rgb: tuple[int, int, int], tol: float = 60.0,
                 background: tuple[int, int, int] = (255, 255, 255), cos_min: float | None = None) -> np.ndarray:
    """Soft membership of each pixel in a colour drawn on a background (coverage in [0, 1]). ``cos_min``: a
    pixel counts only when it differs from the background in the target's direction (the cosine of the angle
    between the two differences at least this): a pale pixel of another colour is close to the line in
    absolute terms, but points elsewhere."""
    x = img.astype(float)
    white = np.array(background, dtype=float)
    target = np.array(rgb, dtype=float)
    # project each pixel onto the white→target segment: the coverage of the target colour
    d = target - white
    t = np.clip(((x - white) @ d) / (d @ d), 0, 1)
    resid = np.linalg.norm(x - (white + t[..., None] * d), axis=-1)
    ok = resid < tol
    if cos_min is not None:
        dev = x - white
        ok &= (dev @ d) >= cos_min * np.linalg.norm(dev, axis=-1) * np.linalg.norm(d)
    return np.where(ok, t, 0.0)


def colourful(img: np.ndarray, weight: np.ndarray, rgb: tuple[int, int, int]) -> np.ndarray:
    """``weight`` where a pixel is as colourful as its coverage of ``rgb`` says (its channels spread at least half
    as far as that much of ``rgb`` over white would), else 0: grey anti-aliasing next to a black line lies close
    enough to the white→colour line to weigh up to ~0.45 in ``color_weight``, but has no colour."""
    x = img.astype(float)
    return weight * ((x.max(-1) - x.min(-1)) >= 0.5 * (max(rgb) - min(rgb)) * weight)


def blobs(weight: np.ndarray, peak: float = 0.35, share: float = 0.2, min_mass: float = 0.5, join: int = 0,
          max_aspect: float | None = None, solid: float = 0.6, solid_mass: float = 1.0) -> int:
    """Connected blobs of a soft colour map that a person would see as objects: a blob counts when its
    strongest pixel reaches ``peak`` and its mass (summed coverage) is at least ``share`` of the largest
    blob's and ``min_mass`` pixels — faint anti-aliasing fringes do not count, a half-faded ghost does.
    ``join`` pixels of dilation first join the pieces of a thin line that sampling broke apart.
    A blob whose strongest pixel reaches ``solid`` and whose mass is at least ``solid_mass`` counts whatever
    its share: a second copy cut off at the frame's edge (the arc of a second sun) is small but drawn in full
    colour; the faint blobs a right picture holds beside an object peak below 0.4 (80 model outputs).
    ``max_aspect`` (for round objects): a blob whose core is more than this many times longer than
    wide is a line — e.g. a tinted water surface one pixel high — not a second ball."""
    from scipy import ndimage

    support = weight > 0.1
    if join:
        support = ndimage.binary_dilation(support, np.ones((3, 3)), iterations=join)
    labels, n = ndimage.label(support, structure=np.ones((3, 3)))
    if n == 0:
        return 0
    idx = np.arange(1, n + 1)
    mass = np.asarray(ndimage.sum(weight, labels, idx))
    top = np.asarray(ndimage.maximum(weight, labels, idx))
    keep = ((top >= peak) & (mass >= max(min_mass, share * mass.max()))) | ((top >= solid) & (mass >= solid_mass))
    if max_aspect is not None:
        # the shape of each blob's core (its pixels of at least half its peak): a faint fringe joined to a
        # ball (a wall's anti-aliased edge) does not make the ball a line
        for i in np.nonzero(keep)[0]:
            ys, xs = np.nonzero((labels == i + 1) & (weight >= top[i] / 2))
            short, long_ = sorted((int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1))
            keep[i] = long_ <= max_aspect * short
    return int(keep.sum())
