"""The import layers of ../shared/notes/layers.md, checked on the source: every ``import`` and
``from … import`` of every module (at module level, inside functions, under ``if TYPE_CHECKING``).

Imports run downward only: the causal core imports nothing of the project above it, the app never
imports the CLI, the product never imports ``evals``, and the packages form no cycle.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "agent", "tools", "prompts")
PACKAGES = (*PRODUCT, "evals")
CORE_MAY_IMPORT = ("fmcgm.causal", "fmcgm.errors", "fmcgm.vocabulary")
# the units that must not form an import cycle
UNITS = ("fmcgm.causal", "fmcgm.discovery", "fmcgm.critique", "fmcgm.language", "fmcgm.vision", "tools", "agent",
         "fmcgm.app", "fmcgm.cli")
# The one module that may reach evals, and only by name (importlib.import_module), for `fmcgm eval …`.
EVALS_BY_NAME = frozenset({"fmcgm.cli"})

# Edges another engineer is removing right now. They are left out of the checks below and asserted
# still present by an xfail(strict=True) test: when they are gone that test passes, strict turns it
# red, and the entry here and the mark are removed together.
PENDING: dict[tuple[str, str], str] = {}  # none now: estimation over a discovered class lives in fmcgm/discovery/


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


@cache
def imports() -> dict[str, frozenset[tuple[str, int]]]:
    """module -> (imported name, line): ``from a.b import c`` counts as ``a.b.c`` (c may be a module)."""
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module(path)
            found[module]  # a module that imports nothing is still a module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.Import):
                    found[module] |= {(a.name, node.lineno) for a in node.names}
                elif isinstance(node, ast.ImportFrom):
                    base = _resolve(module, path.name == "__init__.py", node)
                    found[module] |= {(f"{base}.{a.name}" if base else a.name, node.lineno) for a in node.names}
    return {m: frozenset(v) for m, v in found.items()}


@cache
def evals_named() -> dict[str, frozenset[tuple[str, int]]]:
    """module -> (name, line) for every string in the product that is a module path under evals
    ("evals.cladder_eval"): what ``importlib.import_module`` or a registry of commands would load."""
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and re.fullmatch(r"evals(\.\w+)*", node.value):
                    found[_module(path)].add((node.value, node.lineno))
    return {m: frozenset(v) for m, v in found.items()}


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _project(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def _pending(module: str, target: str) -> bool:
    return any(_under(module, m) and _under(target, t) for m, t in PENDING)


def _edges() -> list[tuple[str, str, int]]:
    return [(m, t, line) for m, targets in imports().items() for t, line in sorted(targets)
            if _project(t) and not _pending(m, t)]


def _show(bad: list[tuple[str, str, int]]) -> str:
    return "\n".join(f"{m} (line {line}) imports {t}" for m, t, line in bad)


def test_the_scan_sees_the_project():
    mods = imports()
    assert {"fmcgm.causal.graph", "fmcgm.cli", "agent.nodes", "tools.schemas", "evals.cladder_eval"} <= set(mods)
    # imports inside functions count: `fmcgm ask` imports the agent in its body
    assert any(t == "agent.graph.run_question" for t, _ in mods["fmcgm.cli"])


def test_the_causal_core_imports_nothing_above_it():
    bad = [(m, t, line) for m, t, line in _edges()
           if _under(m, "fmcgm.causal") and not any(_under(t, ok) for ok in CORE_MAY_IMPORT)]
    assert not bad, "the causal core (layer 2) imports from above it:\n" + _show(bad)


def test_the_app_never_imports_the_cli():
    bad = [(m, t, line) for m, t, line in _edges() if _under(m, "fmcgm.app") and _under(t, "fmcgm.cli")]
    assert not bad, "the app imports the CLI (the CLI imports the app):\n" + _show(bad)


def test_the_product_never_imports_evals():
    bad = [(m, t, line) for m, t, line in _edges() if m.split(".")[0] in PRODUCT and _under(t, "evals")]
    assert not bad, "the product imports evals statically:\n" + _show(bad)


def test_evals_are_reached_by_name_only_from_the_cli():
    assert any(t.startswith("evals.") for t, _ in evals_named().get("fmcgm.cli", ())), "the scan sees the eval commands"
    bad = [(m, t, line) for m, names in evals_named().items() for t, line in sorted(names) if m not in EVALS_BY_NAME]
    assert not bad, "evals reached by name outside the eval command:\n" + _show(bad)


# the table of layers.md; a module may import its own layer or any below (longest prefix wins)
LAYERS = {
    "fmcgm": 1, "fmcgm.errors": 1, "fmcgm.vocabulary": 1, "fmcgm.terminal": 1, "fmcgm.jsonscan": 1,
    "fmcgm.examples": 1, "fmcgm.weights": 1, "prompts": 1,
    "fmcgm.causal": 2,
    "fmcgm.language": 3, "fmcgm.discovery": 3, "fmcgm.vision": 3, "fmcgm.worlds": 3, "fmcgm.critique": 3,
    "tools": 4,
    "agent": 5,
    "fmcgm.cli": 6, "fmcgm.app": 6,
}


def _layer(name: str) -> int | None:
    best = max((p for p in LAYERS if _under(name, p)), key=len, default=None)
    return LAYERS[best] if best is not None else None


def test_every_product_module_has_a_layer():
    assert not [m for m in imports() if m.split(".")[0] in PRODUCT and _layer(m) is None]


def test_imports_run_downward():
    bad = [(m, t, line) for m, t, line in _edges() if m.split(".")[0] in PRODUCT and _layer(t) is not None
           and _layer(t) > _layer(m)]  # type: ignore[operator]
    assert not bad, "imports from a higher layer:\n" + _show(bad)


def _import_time(tree: ast.AST) -> list[tuple[str, int]]:
    """Names imported when the module is imported: everything but the bodies of functions."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            out.append((node.module or "", node.lineno))
        todo.extend(ast.iter_child_nodes(node))
    return out


def test_layers_below_the_tools_do_not_need_langchain_to_import():
    """Agent messages and answer text belong to the agent: the core and the capabilities import without
    LangChain or LangGraph (an LLM they may consult is reached inside the function that asks it)."""
    bad = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module(path)
            if (_layer(module) or 9) > 3:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            bad += [(module, t, line) for t, line in _import_time(tree) if t.split(".")[0] in ("langchain_core", "langgraph")]
    assert not bad, "LangChain at import time below the tools:\n" + _show(bad)


def _unit(name: str) -> str | None:
    return next((u for u in UNITS if _under(name, u)), None)


def test_no_cycle_among_the_packages():
    graph: dict[str, set[str]] = defaultdict(set)
    why: dict[tuple[str, str], tuple[str, str, int]] = {}
    for m, t, line in _edges():
        a, b = _unit(m), _unit(t)
        if a and b and a != b:
            graph[a].add(b)
            why.setdefault((a, b), (m, t, line))
    cycles = [c for c in _components(graph) if len(c) > 1]
    detail = [why[(a, b)] for c in cycles for a in c for b in c if (a, b) in why]
    assert not cycles, f"import cycles among {cycles}:\n" + _show(detail)


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out
