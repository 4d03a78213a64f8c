"""Render a counterfactual image for a world (or an input image) and save the PNGs.

This is the side-effecting edge behind the ``render_image`` tool and
``fmcgm render``: it validates input, runs the counterfactual pipeline (or the
oracle renderer), measures the result geometrically, and writes factual,
counterfactual, mask and side-by-side PNGs inside the output folder only.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

import numpy as np

from fmcgm.errors import ErrorCode, FMCGMError, QueryError, UnknownVariableError
from fmcgm.outputs import OutputError
from fmcgm.worlds import DEFAULT_WORLD, get_world

if TYPE_CHECKING:
    from fmcgm.vision.check import CheckResult
    from fmcgm.vision.pipeline import CounterfactualOptions, CounterfactualOutput, CounterfactualPipeline
    from fmcgm.worlds.base import World
    from fmcgm.worlds.user_scm import UserSCM

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIDE = 4096


def output_root() -> Path:
    """Where images are written: FMCGM_OUTPUT_DIR, else ./fmcgm_output."""
    return Path(os.environ.get("FMCGM_OUTPUT_DIR", "fmcgm_output"))


class RenderFailure(FMCGMError, code=ErrorCode.RENDER_FAILED):
    """The picture could not be produced (missing weights): not the caller's input."""


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
    factual_source: str  # "sampled", "given", or which extractor read them from the image
    check: dict  # the final picture's self-check (CheckResult as a dict)
    attempts: list[dict]  # every try: its settings and its check
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.check.get("ok"))

    def steps(self) -> list[str]:
        """The self-check, one line per attempt (shown under the tool's trace step)."""
        return [f"check {i} ({a['settings']}): {_check_line(a['check'])}" for i, a in enumerate(self.attempts, 1)]

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "steps": self.steps()}


def _check_line(check: dict) -> str:
    def one(c: dict) -> str:
        if c["measured"] is None:
            return f"{c['concept']} not found (expected {c['expected']:.3g})"
        seen = f", {c['visible']:.3g} of it in view" if c.get("visible") is not None else ""
        return f"{c['concept']} {c['measured']:.3g} vs {c['expected']:.3g}{seen} ({c['error_pct']:.1f}% of range)"

    objects = ", ".join(f"{n} {k}" for k, n in check["objects"].items())
    stayed = ", ".join(f"{u['concept']} {u['measured']:.3g} ({u['error_pct']:.1f}% of range)" for u in check.get("unchanged", []))
    verdict = "ok" if check["ok"] else "off: " + "; ".join(check["problems"])
    return (f"measured {', '.join(one(c) for c in check['concepts']) or 'no changed concept'}; "
            + (f"unchanged {stayed}; " if stayed else "")
            + f"objects: {objects}; stray pixels: {check.get('stray_pixels', 0)} → {verdict}")


def safe_out_dir(out_dir: str | Path | None, root: Path | None = None) -> Path:
    """The output folder, which must lie inside the configured output root."""
    root = (root or output_root()).resolve()
    target = (root / out_dir).resolve() if out_dir and not Path(out_dir).is_absolute() else Path(out_dir or root).resolve()
    if target != root and root not in target.parents:
        raise OutputError(f"output path {out_dir!r} is outside the output folder {root}",
                         "give a folder name inside the output folder (set FMCGM_OUTPUT_DIR to move the folder)")
    if target.exists() and not target.is_dir():
        raise OutputError(f"output path {target} is an existing file, not a folder",
                         "give a new or existing folder name with --out")
    existing = next(p for p in (target, *target.parents) if p.exists())  # checked now, created when saving: a
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):  # refused render leaves no folder
        raise OutputError(f"cannot create the output folder {target} ({existing} is not a folder you can write to)",
                          "give a folder you can write to")
    return target


def make_out_dir(target: Path) -> Path:
    """The checked output folder, created just before the pictures are written."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # a parent that is a file, a read-only folder
        raise OutputError(f"cannot create the output folder {target} ({e.strerror})",
                         "give a folder you can write to") from None
    return target


def load_image(path: str | Path, size: int, world_name: str = DEFAULT_WORLD) -> np.ndarray:
    """A picture file as a scene of the world at ``size`` pixels (fmcgm's own panels cropped to their scene), or
    a refusal saying why it is not one (see ``fmcgm.vision.scene``)."""
    from fmcgm.vision.scene import open_picture

    return open_picture(path, get_world(world_name), size, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE).image


_LOAD_LOCKS: dict[tuple[str, str | None], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def pipeline_for(world_name: str, weights: str | None = None):
    """The world's diffusion pipeline, loaded once per process and reused by every render (CLI, agent, app).
    One load per model at a time: a render that arrives while the app's warm-up is loading the same model waits
    for that load instead of starting a second one (a model being loaded for another world does not hold it up)."""
    with _LOCKS_GUARD:
        lock = _LOAD_LOCKS.setdefault((world_name, weights), threading.Lock())
    with lock:
        return _loaded_pipeline(world_name, weights)


@lru_cache(maxsize=4)
def _loaded_pipeline(world_name: str, weights: str | None):
    """torch and diffusers load with the first pipeline, the garbage collector paused meanwhile (fmcgm.loading)."""
    from fmcgm.loading import loading

    with loading():
        from fmcgm.vision.model import WEIGHTS_DIR, ConceptDiffusion
        from fmcgm.vision.pipeline import CounterfactualPipeline

        path = Path(weights or WEIGHTS_DIR / f"{world_name}.pt")
        if not path.is_file():
            raise RenderFailure(f"no model weights at {path}", f"train them with `fmcgm train-world {world_name}`")
        return CounterfactualPipeline(ConceptDiffusion.load(path), get_world(world_name))


class Retry(TypedDict):
    strength: float | Literal["+0.2"]  # an inversion depth, or "+0.2": 0.2 deeper than an earlier attempt (at most 1)
    guidance_scale: float


# bounded retries, each stronger: deeper inversion (less of the factual image kept inside the mask), more guidance
RETRIES: tuple[Retry, ...] = ({"strength": "+0.2", "guidance_scale": 5.0}, {"strength": 1.0, "guidance_scale": 6.0})


def retry_strength(retry: Retry, previous: float) -> float:
    """The inversion depth of ``retry`` after an attempt at depth ``previous``."""
    strength = retry["strength"]
    return min(1.0, previous + 0.2) if isinstance(strength, str) else strength


def render_counterfactual(world_name: str, intervention: Mapping[str, str | float], *, image: str | None = None,
                          factual: Mapping[str, float] | None = None, seed: int = 0, steps: int = 50,
                          guidance: bool = True, method: str = "diffusion", out_dir: str | None = None,
                          size: int = 32, graph: Mapping | None = None, retries: int = len(RETRIES),
                          scm: str | Path | Mapping | None = None) -> RenderResult:
    """``scm``: the user's own causal model over the world's concepts (a JSON/TOML file or its parsed content,
    see :mod:`fmcgm.worlds.user_scm`): abduction, action and prediction on it, the same generator.

    Four steps, diffusers-style: 1. ``check_inputs``, 2. ``prepare``, 3. ``attempt`` up to ``1 + retries``
    times (or the oracle renderer), 4. ``save``."""
    from fmcgm.vision.cores import mark

    mark()  # the cores are watched while the model loads: the thread count costs no waiting (fmcgm.vision.cores)
    # 1. the caller's input, refused before any work
    request = check_inputs(world_name, intervention, steps=steps, graph=graph, scm=scm, out_dir=out_dir)
    # 2. the factual picture and values, and the counterfactual values (abduction, action, prediction)
    scene = prepare(request, image=image, factual=factual, seed=seed, size=size)
    # 3. draw: the exact renderer, or the generator tried with ever stronger settings until its picture passes
    if method == "oracle":
        drawn = [oracle_attempt(request, scene, size)]
    else:
        drawn = attempt_until_checked(request, scene, steps=steps, guidance=guidance, seed=seed, retries=retries)
    # 4. measure, write the pictures, and say what was done
    return save(request, scene, drawn, seed=seed, steps=steps, guidance=guidance, method=method)


@dataclass
class RenderRequest:
    """What the caller asked for, checked: the world (under the user's SCM), the intervention, the folder."""
    world: World
    user: UserSCM | None
    do: dict[str, float]
    folder: Path


@dataclass
class Scene:
    """The factual picture and values, and the counterfactual values the picture must show."""
    image: np.ndarray
    factual: dict[str, float]
    source: str  # "sampled", "given", or which extractor read them from the image
    counterfactual: dict[str, float]
    notes: list[str]


@dataclass
class Attempt:
    """One drawn counterfactual picture and its self-check."""
    image: np.ndarray
    mask: np.ndarray | None  # where the edit acted (None: no mask was formed, the whole picture was free)
    changed: list[str]
    check: CheckResult
    settings: str
    seconds: float
    strength: float = 0.0  # the inversion depth (0 for the oracle renderer)


def check_inputs(world_name: str, intervention: Mapping[str, str | float], *, steps: int, graph: Mapping | None,
                 scm: str | Path | Mapping | None, out_dir: str | None) -> RenderRequest:
    """Step 1: the world, the user's SCM, the steps, the graph, the intervention and the folder, or QueryError."""
    world = get_world(world_name)
    user = None
    if scm is not None:
        from fmcgm.worlds.user_scm import parse_scm, read_scm_file, with_scm

        user = parse_scm(scm, world) if isinstance(scm, Mapping) else read_scm_file(scm, world)
        world = with_scm(world, user)
    if not 1 <= steps <= MAX_STEPS:
        raise QueryError(f"steps must be between 1 and {MAX_STEPS}, got {steps}", "50 is the default")
    if graph is not None:
        check_graph(world, graph)
    if not intervention:
        raise QueryError("no intervention given", "say what to change, e.g. light_position=far left")
    do = {world.concept(k).name: world.parse_value(k, v) for k, v in intervention.items()}
    folder = safe_out_dir(out_dir)  # before the work: a bad folder is the caller's input
    return RenderRequest(world, user, do, folder)


def prepare(request: RenderRequest, *, image: str | None, factual: Mapping[str, float] | None, seed: int,
            size: int) -> Scene:
    """Step 2: the factual picture (read, or drawn from given or sampled values) and the counterfactual values."""
    world, user = request.world, request.user
    notes: list[str] = []
    if user is not None:
        notes.append(f"counterfactual under {user.source}: " + "; ".join(user.describe())
                     + " (other concepts: the world's own mechanisms)")
    if image:
        from fmcgm.vision.scene import check_scene, open_picture

        picture = open_picture(image, world, size, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE)
        img = picture.image
        notes += picture.notes
        if factual is None:
            factual, source = _extract(world, img)
            notes.append(f"factual values read from {image} by the {source}: "
                         + ", ".join(f"{k}={v:.3g}" for k, v in factual.items()))
        else:
            source = "given"
    else:
        source = "sampled" if factual is None else "given"
        if factual is None and user is not None:
            from fmcgm.worlds.user_scm import sample_in_range

            factual = sample_in_range(world, np.random.default_rng(seed))
        factual = world.sample(np.random.default_rng(seed)) if factual is None else factual
    values = validate_factual(world, factual)
    if image:  # before abduction: the picture must be a scene of the world, as read
        check_scene(world, img, values, "given values" if source == "given" else source, Path(image).name)
    else:
        img = world.render(values, size)
    cf_values = world.counterfactual(values, request.do)  # validates ranges
    if user is not None:
        notes += _noise_notes(world, user, values)
    return Scene(img, values, source, cf_values, notes)


def oracle_attempt(request: RenderRequest, scene: Scene, size: int) -> Attempt:
    """Step 3 without a model: the world's exact renderer applied to the counterfactual values, checked."""
    from fmcgm.vision.check import check_counterfactual

    world = request.world
    out = world.render(scene.counterfactual, size)
    mask = np.any(out != scene.image, axis=-1).astype(float)
    changed = [c for c in world.names if abs(scene.counterfactual[c] - scene.factual[c]) > 1e-9]
    chk = check_counterfactual(world, out, scene.counterfactual, changed, factual_image=scene.image)
    return Attempt(out, mask, changed, chk, "oracle renderer", 0.0)


def attempt_until_checked(request: RenderRequest, scene: Scene, *, steps: int, guidance: bool, seed: int,
                          retries: int) -> list[Attempt]:
    """Step 3: ``attempt`` with the default settings, then each of ``RETRIES`` (stronger) until one passes."""
    world, user = request.world, request.user
    pipe = pipeline_for(world.name) if user is None else pipeline_for(world.name).for_world(world)
    from fmcgm.vision.pipeline import CounterfactualOptions  # loaded with the pipeline above

    done: list[Attempt] = []
    tries: tuple[Retry | None, ...] = (None, *RETRIES[:max(0, retries)])
    for k, retry in enumerate(tries):
        opts = CounterfactualOptions(steps=steps, csg=guidance, seed=seed)
        if retry:  # stronger than the best attempt so far
            prev = best_attempt(done).strength
            opts = CounterfactualOptions(steps=steps, csg=guidance, seed=seed + k, strength=retry_strength(retry, prev),
                                         guidance_scale=retry["guidance_scale"])
        done.append(attempt(pipe, request, scene, opts))
        if done[-1].check.ok:
            break
    return done


def best_attempt(drawn: list[Attempt]) -> Attempt:
    """The attempt with the fewest problems, then the smallest worst error (the earliest on a tie)."""
    return min(drawn, key=lambda a: _badness(a.check))


def attempt(pipe: CounterfactualPipeline, request: RenderRequest, scene: Scene, opts: CounterfactualOptions) -> Attempt:
    """One try: the generator edits the factual picture under ``opts``; the picture is checked."""
    from fmcgm.vision.check import check_counterfactual

    with idle_torch_threads():
        res: CounterfactualOutput = pipe.counterfactual(scene.image, scene.factual, request.do, opts)
    chk = check_counterfactual(request.world, res.image, scene.counterfactual, res.changed, factual_image=scene.image)
    return Attempt(res.image, res.mask, res.changed, chk,
                   f"inversion depth {res.strength:.2f}, guidance {opts.guidance_scale:g}, seed {opts.seed}",
                   res.seconds, res.strength)


def save(request: RenderRequest, scene: Scene, drawn: list[Attempt], *, seed: int, steps: int, guidance: bool,
         method: str) -> RenderResult:
    """Step 4: the best attempt measured, written as PNGs under a tag of the request, and the result."""
    world, user, do = request.world, request.user, request.do
    best = best_attempt(drawn)
    chk, cf_values, notes = best.check, scene.counterfactual, list(scene.notes)
    measured = world.measure(best.image)
    err = {c: abs(measured.get(c, float("nan")) - cf_values[c]) / world.concept(c).span * 100 for c in best.changed}
    if not chk.ok:
        notes.append(f"after {len(drawn)} attempt(s) the picture is still off: " + "; ".join(chk.problems))
    tag = hashlib.sha1(json.dumps([world.name, scene.factual, do, seed, steps, guidance, method]
                                  + ([user.to_spec()] if user is not None else []), sort_keys=True,
                                  default=str).encode()).hexdigest()[:10]
    paths = _save_pictures(world, make_out_dir(request.folder), tag, scene.image, best.image, best.mask, scene.factual,
                           cf_values, best.changed, measured, chk.model_dump(), do)
    attempts_made = [{"settings": a.settings, "check": a.check.model_dump()} for a in drawn]
    return RenderResult(world.name, do, scene.factual, cf_values, best.changed, measured, err, paths, method,
                        sum(a.seconds for a in drawn), scene.source, chk.model_dump(), attempts_made, notes)


MAX_STEPS = 200


def _noise_notes(world, user, factual: Mapping[str, float]) -> list[str]:
    """Abduction under the user's SCM: where the factual values sit far from a stated mechanism, the difference
    is this scene's noise (said, as the picture may not be what the mechanism would draw)."""
    noise = world.scm.abduct(factual)
    out = []
    for c, m in user.mechanisms.items():
        if m.kind in ("root", "world"):
            continue
        span = world.concept(c).span
        if abs(noise[c]) > max(3 * m.noise, 0.02 * span):
            out.append(f"the factual {c} = {factual[c]:.3g} is {noise[c]:+.3g} {world.concept(c).unit} off "
                       f"{user.source}'s mechanism ({m.describe()}): abduction keeps that as this scene's noise")
    return out


@contextmanager
def idle_torch_threads():
    """Use only the cores that are idle (fmcgm.vision.cores says how many, and why)."""
    import torch

    from fmcgm.vision.cores import torch_threads

    before = torch.get_num_threads()
    torch.set_num_threads(torch_threads(before))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _badness(chk) -> tuple[int, float]:
    """Order attempts: fewer problems first, then the smaller worst error."""
    worst = max((c.error_pct if c.error_pct is not None else 100.0 for c in chk.concepts), default=0.0)
    return len(chk.problems), worst


def validate_factual(world, factual: Mapping[str, float]) -> dict[str, float]:
    """Every concept's factual value, finite and inside (a margin around) its range; names may be synonyms."""
    out: dict[str, float] = {}
    for k, v in factual.items():
        try:
            c = world.concept(k)
        except UnknownVariableError:
            raise UnknownVariableError(k, world.names) from None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise QueryError(f"the factual {c.name} is {v!r}, not a number", f"give a number in {c.unit}")
        if not math.isfinite(v):
            raise QueryError(f"the factual {c.name} is {v}, not a finite number",
                             f"give a number in {c.unit} between {c.low:g} and {c.high:g}")
        margin = 0.1 * c.span  # the non-root concepts carry additive noise, which may step a little outside
        if not c.low - margin <= v <= c.high + margin:
            raise QueryError(f"the factual {c.name} = {v:g} is outside its range [{c.low:g}, {c.high:g}] {c.unit}",
                             f"give a value between {c.low:g} and {c.high:g}")
        out[c.name] = float(v)
    missing = [c for c in world.names if c not in out]
    if missing:
        raise QueryError(f"factual values missing for {', '.join(missing)}",
                         f"give every concept of the {world.name} world: {', '.join(world.names)} "
                         "(or leave the factual values out to sample a scene)")
    return out


def check_graph(world, graph: Mapping) -> None:
    """Refuse a committed graph that contradicts the world's mechanisms, naming the edge."""
    def name(v: str) -> str:
        try:
            return world.concept(v).name
        except UnknownVariableError:
            raise QueryError(f"the committed graph's variable {v!r} is not a concept of the {world.name} world",
                             "concepts: " + ", ".join(world.names)) from None

    edges = {(name(a), name(b)) for a, b in graph.get("edges", [])}
    truth = set(world.graph().edges)
    extra, missing = sorted(edges - truth), sorted(truth - edges)
    if extra:
        a, b = extra[0]
        raise QueryError(f"the committed graph has the edge {a} → {b}, which the {world.name} world's mechanisms "
                         "do not have", "the world's edges: " + ", ".join(f"{x} → {y}" for x, y in sorted(truth)))
    if missing:
        a, b = missing[0]
        raise QueryError(f"the committed graph lacks the edge {a} → {b} of the {world.name} world's mechanisms",
                         "the world's edges: " + ", ".join(f"{x} → {y}" for x, y in sorted(truth)))


def _save_pictures(world, folder: Path, tag: str, img, out, mask, factual, cf, changed, measured, check: dict,
                   do: Mapping[str, float]) -> dict[str, str]:
    from fmcgm.vision import figures  # the one figure every surface shows (the CLI, the chat answer, the app)

    fig = figures.counterfactual_figure(world, img, out, mask, factual, cf, changed, measured, check, do)
    return fig.save(folder, f"{world.name}_{tag}")


@lru_cache(maxsize=4)
def _cnn_extractor(world_name: str):
    """The CNN extractor of a world, loaded once per process (it holds no state between pictures); a missing
    weights file raises, and is not remembered, so weights trained later are found."""
    from fmcgm.vision.extractor import CNNExtractor

    return CNNExtractor.load(get_world(world_name))


def _extract(world, img: np.ndarray) -> tuple[dict[str, float], str]:
    """Factual values from an image: the CNN extractor when its weights are shipped, else the geometric measurer."""
    from fmcgm.vision.extractor import GeometricExtractor

    try:
        values, source = _cnn_extractor(world.name).extract(img), "CNN concept extractor"
    except FMCGMError:
        values, source = GeometricExtractor(world).extract(img), "geometric measurer"
    return {c.name: float(np.clip(values.get(c.name, (c.low + c.high) / 2), c.low, c.high)) for c in world.concepts}, source
