"""The worlds are listed once, in the registry (fmcgm/worlds/__init__.py); their settings live on the World
objects. Adding a world there is the only change the product needs: no other module names a world."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "tools", "agent")
# the registry's names and their spellings ("water flow" is how a person writes one)
WORLD_WORDS = {"pendulum", "waterflow", "water_flow", "water flow"}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def hard_coded_worlds(root: Path = ROOT) -> list[str]:
    """String literals (not docstrings) outside the registry that are a world's name, or list two worlds."""
    found = []
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("fmcgm/worlds/"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = _docstrings(tree)
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docs:
                    continue
                text = node.value.strip().lower()
                named = {w for w in WORLD_WORDS if w in text}
                if text in WORLD_WORDS or len({w.replace(" ", "").replace("_", "") for w in named}) >= 2:
                    found.append(f"{rel}:{node.lineno}: {node.value!r}")
    return found


def test_no_module_outside_the_registry_names_a_world():
    assert hard_coded_worlds() == []


def test_the_scan_finds_a_planted_world_list(tmp_path):
    (tmp_path / "fmcgm" / "vision").mkdir(parents=True)
    for p in ("tools", "agent"):
        (tmp_path / p).mkdir()
    (tmp_path / "fmcgm" / "vision" / "x.py").write_text('"""pendulum and waterflow in prose."""\n'
                                                        'SHARE = {"pendulum": 0.75}\nHELP = "pendulum or water flow"\n')
    assert sorted(h.split(": ", 1)[1] for h in hard_coded_worlds(tmp_path)) == ["'pendulum or water flow'", "'pendulum'"]


def test_the_registry_names_each_world_once_and_builds_it():
    from fmcgm.worlds import DEFAULT_WORLD, WORLD_NAMES, all_worlds, get_world

    assert len(set(WORLD_NAMES)) == len(WORLD_NAMES) and DEFAULT_WORLD in WORLD_NAMES
    assert [w.name for w in all_worlds()] == list(WORLD_NAMES)
    for w in all_worlds():
        assert get_world(w.name).name == w.name
        assert w.words and w.label and w.scene_objects and 0 < w.background_share < 1


def test_a_world_added_to_the_registry_reaches_every_place(monkeypatch):
    """A third world registered (here a renamed pendulum) is read, rendered as a tool argument, described and
    trained with its own settings, with no change anywhere else."""
    import dataclasses

    import fmcgm.worlds as worlds
    from fmcgm.language.visual import parse_visual
    from fmcgm.vision.scene import hint
    from fmcgm.vision.train import render_dataset
    from fmcgm.worlds.pendulum import make_pendulum
    from tools.render_tool import RenderImageArgs

    def make_orrery(noise: float = 0.0):
        return dataclasses.replace(make_pendulum(noise), name="orrery", label="orrery", words=("orrery",),
                                   scene_objects="one brass orrery", train_noise=0.25)

    monkeypatch.setitem(worlds.MAKERS, "orrery", make_orrery)
    monkeypatch.setattr(worlds, "WORLD_NAMES", (*worlds.WORLD_NAMES, "orrery"))
    assert parse_visual("What would the orrery look like if the angle were 10 degrees?").world == "orrery"
    assert RenderImageArgs(world="orrery", intervention={"light": "left"}).world == "orrery"
    assert "one brass orrery" in hint(worlds.get_world("orrery"))
    world, _, _ = render_dataset("orrery", 2, seed=0)
    assert world.noise_scale["shadow_position"] == 0.25


def test_an_unknown_world_is_refused_naming_the_registered_ones():
    from fmcgm.errors import QueryError
    from fmcgm.worlds import WORLD_NAMES, get_world

    with pytest.raises(QueryError) as e:
        get_world("mars")
    assert all(n in str(e.value) for n in WORLD_NAMES)
