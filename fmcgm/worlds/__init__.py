"""Procedural causal worlds (pendulum, water flow): SCM, renderer, geometric measurer.

The one list of worlds: ``MAKERS`` names each world and the function that builds it. Everything else about a
world (how a person names it, how its pictures are checked, how its model is trained) lives on the
:class:`World` it builds, so adding a world here is the only change the rest of the product needs. Naming the
worlds imports nothing heavy (``fmcgm --help`` lists them); a world's module is imported when it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from fmcgm.errors import QueryError

if TYPE_CHECKING:
    from fmcgm.worlds.base import Concept, World


def _lazy(module: str, function: str) -> Callable[[float], World]:
    def make(noise: float = 0.0) -> World:
        return getattr(import_module(module), function)(noise)

    return make


MAKERS: dict[str, Callable[[float], World]] = {
    "pendulum": _lazy("fmcgm.worlds.pendulum", "make_pendulum"),
    "waterflow": _lazy("fmcgm.worlds.waterflow", "make_waterflow"),
}
# other spellings of a registered name ("flow": the discovery benchmark's network name)
ALIASES = {"water_flow": "waterflow", "flow": "waterflow"}
WORLD_NAMES: tuple[str, ...] = tuple(MAKERS)
DEFAULT_WORLD = WORLD_NAMES[0]


def world_name(name: str) -> str:
    """The registered name of ``name`` (or one of its aliases); QueryError naming the worlds otherwise."""
    key = ALIASES.get(name, name)
    if key not in MAKERS or key not in WORLD_NAMES:
        raise QueryError(f"unknown world {name!r}; worlds: {', '.join(WORLD_NAMES)}", "choose one of these worlds")
    return key


def get_world(name: str, noise: float = 0.0) -> World:
    return MAKERS[world_name(name)](noise)


def all_worlds(noise: float = 0.0) -> list[World]:
    """Every registered world, in the registry's order."""
    return [get_world(n, noise) for n in WORLD_NAMES]


def __getattr__(name: str) -> Any:
    # Concept and World come from base.py, imported only when asked for (it pulls numpy and the causal core)
    if name in ("Concept", "World"):
        from fmcgm.worlds import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ALIASES", "DEFAULT_WORLD", "MAKERS", "WORLD_NAMES", "Concept", "World", "all_worlds", "get_world",
           "world_name"]
