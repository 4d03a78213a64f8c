"""Procedural causal worlds (pendulum, water flow): SCM, renderer, geometric measurer."""

from fmcgm.errors import QueryError
from fmcgm.worlds.base import Concept, World


def get_world(name: str, noise: float = 0.0) -> World:
    from fmcgm.worlds.pendulum import make_pendulum
    from fmcgm.worlds.waterflow import make_waterflow

    makers = {"pendulum": make_pendulum, "waterflow": make_waterflow, "water_flow": make_waterflow}
    if name not in makers:
        raise QueryError(f"unknown world {name!r}; worlds: pendulum, waterflow", "choose one of these worlds")
    return makers[name](noise)


__all__ = ["Concept", "World", "get_world"]
