"""A user's own causal model over a world's concepts, for the same frozen image generator.

The file (JSON, or TOML by its ``.toml`` suffix) names, per concept, a mechanism from a fixed menu of
monotone ones, its parents and its additive noise; concepts it leaves out keep the world's own mechanism
(a root of the world stays a root).  Example (TOML)::

    world = "pendulum"

    [concepts.light_position]          # the light follows the pendulum: 60° more than its angle
    mechanism = "copy"
    parent = "pendulum_angle"
    offset = 60
    noise = 1.0                        # std of the additive noise, in the concept's unit

    [concepts.shadow_length]           # a longer shadow when the sun sits low on either side... here: linear
    mechanism = "linear"
    weights = { light_position = 0.1 }
    intercept = -2

The menu (every output clipped to the concept's range, then the noise added):

* ``root``: no parents; values drawn uniformly over ``range`` (default: the concept's whole range);
* ``linear``: ``intercept + Σ weights[p] · p``;
* ``threshold``: ``below`` when ``parent < at``, else ``above`` (a step, monotone);
* ``copy``: ``parent + offset`` (parent and concept in the same unit);
* ``world``: the world's own mechanism (what a concept left out gets).

The graph (the user's edges together with the world's mechanisms kept) must be acyclic; every number is
checked against the ranges of the concepts it concerns.  A mistake is a :class:`QueryError` that names the
key (``concepts.light_position.offset``), so ``fmcgm render --scm`` exits 2 with one line.
Abduction–action–prediction then runs on this SCM: exact, as the mechanisms are additive in their noise.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from fmcgm.causal.scm import AdditiveSCM
from fmcgm.errors import QueryError, UnknownVariableError
from fmcgm.worlds.base import Concept, World

MECHANISMS = ("root", "linear", "threshold", "copy", "world")
KEYS = {"root": {"range"}, "linear": {"weights", "intercept"}, "threshold": {"parent", "at", "below", "above"},
        "copy": {"parent", "offset"}, "world": set()}
COMMON = {"mechanism", "parents", "noise"}
MAX_NOISE = 0.25  # of the concept's range
MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Mechanism:
    """One concept's mechanism, as read and checked."""
    concept: str
    kind: str
    parents: tuple[str, ...]
    noise: float = 0.0
    weights: tuple[tuple[str, float], ...] = ()
    intercept: float = 0.0
    at: float = 0.0
    below: float = 0.0
    above: float = 0.0
    offset: float = 0.0
    range: tuple[float, float] | None = None

    def describe(self) -> str:
        n = f" + noise (std {self.noise:.3g})" if self.noise else ""
        if self.kind == "root":
            lo, hi = self.range or (float("nan"), float("nan"))
            return f"{self.concept}: a root, uniform over [{lo:g}, {hi:g}]"
        if self.kind == "linear":
            terms = "".join(f" {'−' if w < 0 else '+'} {abs(w):.3g}·{p}" for p, w in self.weights)
            return f"{self.concept} = clip({self.intercept:.4g}{terms}){n}"
        if self.kind == "threshold":
            return (f"{self.concept} = ({self.below:.4g} if {self.parents[0]} < {self.at:.4g} else {self.above:.4g})"
                    f"{n}")
        if self.kind == "copy":
            return f"{self.concept} = clip({self.parents[0]} {'+' if self.offset >= 0 else '−'} {abs(self.offset):.4g}){n}"
        return f"{self.concept}: the world's own mechanism ({', '.join(self.parents) or 'a root'})"


@dataclass(frozen=True)
class UserSCM:
    world: str
    mechanisms: dict[str, Mechanism]  # every concept stated in the file
    source: str = "the SCM"

    def describe(self) -> list[str]:
        return [m.describe() for m in self.mechanisms.values()]

    def to_spec(self) -> dict[str, Any]:
        """The file's content (JSON form) that reads back to this SCM."""
        out: dict[str, Any] = {}
        for name, m in self.mechanisms.items():
            d: dict[str, Any] = {"mechanism": m.kind}
            if m.noise:
                d["noise"] = m.noise
            if m.kind == "root" and m.range:
                d["range"] = list(m.range)
            elif m.kind == "linear":
                d.update(weights=dict(m.weights), intercept=m.intercept)
            elif m.kind == "threshold":
                d.update(parent=m.parents[0], at=m.at, below=m.below, above=m.above)
            elif m.kind == "copy":
                d.update(parent=m.parents[0], offset=m.offset)
            out[name] = d
        return {"world": self.world, "concepts": out}


def number(where: str, v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise QueryError(f"{where}: {v!r} is not a finite number", "give a number")
    return float(v)


def read_scm_file(path: str | Path, world: World) -> UserSCM:
    """Read and check a JSON or TOML file (see the module's docstring)."""
    p = Path(path)
    if not p.is_file():
        raise QueryError(f"--scm {p}: no such file", "give the path of a JSON or TOML file")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise QueryError(f"--scm {p}: {p.stat().st_size} bytes, too large for an SCM of a few concepts",
                         f"keep it under {MAX_FILE_BYTES // 1024} KiB")
    text = p.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        kind = "TOML" if p.suffix.lower() == ".toml" else "JSON"
        raise QueryError(f"--scm {p}: not valid {kind}: {e}",
                         "JSON unless the name ends in .toml; see `fmcgm render --help`") from None
    return parse_scm(data, world, source=f"--scm {p.name}")


def parse_scm(data: object, world: World, source: str = "the SCM") -> UserSCM:
    """Check a spec (the parsed file) against ``world`` and return it; errors name the key."""
    def err(key: str, msg: str, hint: str) -> QueryError:
        return QueryError(f"{source}: {key}: {msg}", hint)

    def _number(key: str, v: object) -> float:
        return number(f"{source}: {key}", v)

    if not isinstance(data, Mapping):
        raise err("(top level)", "not a table", 'write {"world": ..., "concepts": {CONCEPT: {...}}}')
    extra = sorted(set(data) - {"world", "concepts"})
    if extra:
        raise err(extra[0], "unknown key", "the top level has: world, concepts")
    if "world" in data and str(data["world"]).strip().lower().replace("_", "") != world.name:
        raise err("world", f"the file is for the {data['world']!r} world, not {world.name!r}",
                  f"pass --world {data['world']} or fix the file")
    concepts = data.get("concepts")
    if not isinstance(concepts, Mapping) or not concepts:
        raise err("concepts", "missing or empty", "give at least one concept's mechanism, e.g. "
                  '{"light_position": {"mechanism": "copy", "parent": "pendulum_angle", "offset": 60}}')

    def concept(key: str, name: object) -> Concept:
        try:
            return world.concept(str(name))
        except UnknownVariableError:
            raise err(key, f"{name!r} is not a concept of the {world.name} world",
                      "concepts: " + ", ".join(world.names)) from None

    def read_one(raw: str, spec: object) -> Mechanism:
        c = concept(f"concepts.{raw}", raw)
        key = f"concepts.{raw}"
        if not isinstance(spec, Mapping):
            raise err(key, "not a table", 'e.g. {"mechanism": "linear", "weights": {...}, "intercept": 0}')
        kind = str(spec.get("mechanism", "")).strip().lower()
        if kind not in MECHANISMS:
            raise err(f"{key}.mechanism", f"{spec.get('mechanism')!r} is not a mechanism of the menu",
                      "choose one of: " + ", ".join(MECHANISMS))
        unknown = sorted(set(spec) - COMMON - KEYS[kind])
        if unknown:
            raise err(f"{key}.{unknown[0]}", f"not a key of a {kind} mechanism",
                      f"a {kind} mechanism takes: " + ", ".join(sorted((COMMON | KEYS[kind]) - {"mechanism"})))
        noise = _number(f"{key}.noise", spec.get("noise", 0.0))
        if not 0 <= noise <= MAX_NOISE * c.span:
            raise err(f"{key}.noise", f"{noise:g} is outside [0, {MAX_NOISE * c.span:.3g}] {c.unit}",
                      f"the noise's std may be at most {MAX_NOISE:.0%} of {c.name}'s range")

        def parent(k: str) -> Concept:
            if k not in spec:
                raise err(f"{key}.{k}", "missing", f"a {kind} mechanism needs {k}")
            pc = concept(f"{key}.{k}", spec[k])
            if pc.name == c.name:
                raise err(f"{key}.{k}", f"{c.name} cannot be its own parent", "name another concept")
            return pc

        def in_range(k: str, target: Concept, default: float | None = None) -> float:
            if k not in spec and default is None:
                raise err(f"{key}.{k}", "missing", f"a {kind} mechanism needs {k}")
            v = _number(f"{key}.{k}", spec.get(k, default))
            if not target.low - 1e-9 <= v <= target.high + 1e-9:
                raise err(f"{key}.{k}", f"{v:g} is outside {target.name}'s range [{target.low:g}, {target.high:g}] "
                          f"{target.unit}", f"give a value between {target.low:g} and {target.high:g}")
            return v

        m: Mechanism
        if kind == "root":
            rng = spec.get("range", [c.low, c.high])
            if not isinstance(rng, (list, tuple)) or len(rng) != 2:
                raise err(f"{key}.range", f"{rng!r} is not a pair [low, high]", f"e.g. [{c.low:g}, {c.high:g}]")
            lo, hi = (_number(f"{key}.range", x) for x in rng)
            if not c.low - 1e-9 <= lo <= hi <= c.high + 1e-9:
                raise err(f"{key}.range", f"[{lo:g}, {hi:g}] is not inside {c.name}'s range [{c.low:g}, {c.high:g}]",
                          "give low ≤ high inside the concept's range")
            m = Mechanism(c.name, kind, (), noise=0.0, range=(lo, hi))
            if noise:
                raise err(f"{key}.noise", "a root has no additive noise (its value is its own noise)",
                          "leave noise out, or narrow its range")
        elif kind == "linear":
            w = spec.get("weights")
            if not isinstance(w, Mapping) or not w:
                raise err(f"{key}.weights", "missing or empty", 'give {"PARENT": weight, ...}')
            weights: list[tuple[str, float]] = []
            for pk, pv in w.items():
                pc = concept(f"{key}.weights.{pk}", pk)
                if pc.name == c.name:
                    raise err(f"{key}.weights.{pk}", f"{c.name} cannot be its own parent", "name another concept")
                weights.append((pc.name, _number(f"{key}.weights.{pk}", pv)))
            b = _number(f"{key}.intercept", spec.get("intercept", 0.0))
            lo = b + sum(min(x * world.concept(p).low, x * world.concept(p).high) for p, x in weights)
            hi = b + sum(max(x * world.concept(p).low, x * world.concept(p).high) for p, x in weights)
            if hi < c.low or lo > c.high:
                raise err(f"{key}.intercept", f"over its parents' ranges the mechanism gives {lo:.3g}..{hi:.3g}, "
                          f"never inside {c.name}'s range [{c.low:g}, {c.high:g}]",
                          "change the intercept or the weights")
            m = Mechanism(c.name, kind, tuple(p for p, _ in weights), noise, weights=tuple(weights), intercept=b)
        elif kind == "threshold":
            pc = parent("parent")
            m = Mechanism(c.name, kind, (pc.name,), noise, at=in_range("at", pc), below=in_range("below", c),
                          above=in_range("above", c))
        elif kind == "copy":
            pc = parent("parent")
            if pc.unit != c.unit:
                raise err(f"{key}.parent", f"{pc.name} is in {pc.unit} and {c.name} in {c.unit}: a copy needs one unit",
                          "use a linear mechanism with a weight between the two units")
            off = _number(f"{key}.offset", spec.get("offset", 0.0))
            if pc.high + off < c.low or pc.low + off > c.high:
                raise err(f"{key}.offset", f"{pc.name} + {off:g} ranges over {pc.low + off:.3g}..{pc.high + off:.3g}, "
                          f"never inside {c.name}'s range [{c.low:g}, {c.high:g}]", "choose a smaller offset")
            m = Mechanism(c.name, kind, (pc.name,), noise, offset=off)
        else:  # the world's own
            m = Mechanism(c.name, kind, tuple(world.scm.parents[c.name]), noise)
        if "parents" in spec:
            given = spec["parents"]
            names = [concept(f"{key}.parents", x).name for x in (given if isinstance(given, (list, tuple)) else [given])]
            if sorted(names) != sorted(m.parents):
                raise err(f"{key}.parents", f"{names} are not the parents the {kind} mechanism uses "
                          f"({list(m.parents) or 'none'})", "leave parents out, or list exactly those the mechanism names")
        return m

    mechs: dict[str, Mechanism] = {}
    for raw, spec in concepts.items():
        m = read_one(str(raw), spec)
        if m.concept in mechs:
            raise err(f"concepts.{raw}", f"{m.concept} is given twice", "give each concept one mechanism")
        mechs[m.concept] = m
    scm = UserSCM(world.name, mechs, source)
    topological_order(world, scm)  # refuses a cycle
    return scm


def parents_of(world: World, scm: UserSCM) -> dict[str, tuple[str, ...]]:
    return {c: (scm.mechanisms[c].parents if c in scm.mechanisms else tuple(world.scm.parents[c])) for c in world.names}


def topological_order(world: World, scm: UserSCM) -> list[str]:
    """The concepts in a causal order (the world's order where it is free); a cycle is refused, named."""
    parents = parents_of(world, scm)
    order: list[str] = []
    left = [c for c in world.scm.order]
    while left:
        ready = [c for c in left if all(p in order for p in parents[c])]
        if not ready:
            cycle = _cycle(parents, left)
            key = next((f"concepts.{c}" for c in cycle if c in scm.mechanisms), "concepts")
            raise QueryError(f"{scm.source}: {key}: the graph has a cycle: {' → '.join(cycle)}",
                             "a causal model must be acyclic: drop or change one of these mechanisms")
        order.append(ready[0])
        left.remove(ready[0])
    return order


def _cycle(parents: Mapping[str, tuple[str, ...]], left: list[str]) -> list[str]:
    """One cycle among ``left`` (each of which has a parent among them), as a path ending where it starts."""
    path = [left[0]]
    while True:
        nxt = next(p for p in parents[path[-1]] if p in left)
        if nxt in path:
            cyc = path[path.index(nxt):] + [nxt]
            return list(reversed(cyc))  # parent → child
        path.append(nxt)


def _function(world: World, m: Mechanism) -> Callable[[Mapping[str, float]], float]:
    c = world.concept(m.concept)

    def clip(v: float) -> float:
        return min(max(v, c.low), c.high)

    if m.kind == "root":
        return lambda p: 0.0
    if m.kind == "linear":
        w, b = m.weights, m.intercept
        return lambda p: clip(b + sum(x * p[k] for k, x in w))
    if m.kind == "threshold":
        par, at, lo, hi = m.parents[0], m.at, m.below, m.above
        return lambda p: lo if p[par] < at else hi
    if m.kind == "copy":
        par, off = m.parents[0], m.offset
        return lambda p: clip(p[par] + off)
    return world.scm.functions[m.concept]


def with_scm(world: World, scm: UserSCM) -> World:
    """The world with the user's mechanisms in place of its own (renderer, measurer and generator unchanged).
    Sampling draws a root uniformly over its range; a world mechanism kept keeps the world's noise."""
    order = topological_order(world, scm)
    parents = parents_of(world, scm)
    functions = {c: (_function(world, scm.mechanisms[c]) if c in scm.mechanisms else world.scm.functions[c])
                 for c in world.names}
    noise = {c: (scm.mechanisms[c].noise if c in scm.mechanisms else world.noise_scale.get(c, 0.0)) for c in world.names}
    roots = {c: (m.range or (world.concept(c).low, world.concept(c).high))
             for c, m in scm.mechanisms.items() if m.kind == "root"}
    # the world's own roots and root-like noise (the water's base level) where the world's mechanism is kept
    kept = [c for c in world.names if c not in scm.mechanisms or scm.mechanisms[c].kind == "world"]

    def sample_roots(rng: np.random.Generator) -> dict[str, float]:
        own = world.sample_roots(rng)
        out = {c: v for c, v in own.items() if c in kept}
        for c, (lo, hi) in roots.items():
            out[c] = float(rng.uniform(lo, hi))
        return out

    new = AdditiveSCM(order=order, parents={c: tuple(parents[c]) for c in world.names}, functions=functions)
    return replace(world, scm=new, noise_scale=noise, sample_roots=sample_roots)


def sample_in_range(world: World, rng: np.random.Generator, tries: int = 200) -> dict[str, float]:
    """A scene of the world's SCM whose every value lies inside its concept's range (noise can step out)."""
    v = world.sample(rng)
    for _ in range(tries):
        if all(c.low <= v[c.name] <= c.high for c in world.concepts):
            return v
        v = world.sample(rng)
    return {c.name: min(max(v[c.name], c.low), c.high) for c in world.concepts}
