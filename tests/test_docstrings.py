"""Module docstrings name what exists (issue 19: reader.py named a ``read(text)`` and a ``Reading`` that did not).

Read from the source: every ``name(`` and every :func:/:class:/:meth: reference in a module's docstring must be
defined or imported in that module, or, written with its module (``os.replace``), importable from it.  A library's
own method named after its owner ("LangGraph's ``stream(...)``") is the library's, not the module's."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "agent", "tools")
REF = re.compile(r"(?<!'s )``(\w+)\(|:(?:func|class|meth):`~?([\w.]+)`")


def _defined(tree: ast.Module) -> set[str]:
    names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    names |= {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    names |= {a.asname or a.name.split(".")[-1] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
              for a in n.names}
    return names


def _exists(dotted: str) -> bool:
    module, _, attr = dotted.rpartition(".")
    while module:
        try:
            obj = importlib.import_module(module)
        except ImportError:
            module, _, head = module.rpartition(".")
            attr = f"{head}.{attr}"
            continue
        for part in attr.split("."):
            if not hasattr(obj, part):
                return False
            obj = getattr(obj, part)
        return True
    return False


def missing_names(source: str) -> list[str]:
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    defined = _defined(tree)
    out = []
    classes = {n.name: {c.name for c in n.body if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef))}
               for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    for m in REF.finditer(doc):
        name = m.group(1) or m.group(2)
        head, _, rest = name.partition(".")
        if not rest:
            ok = name in defined or name in dir(__builtins__)
        elif head in classes:  # a method of a class of this module
            ok = rest in classes[head]
        else:  # an imported name's attribute, or a module path
            ok = head in defined or _exists(name)
        if not ok:
            out.append(name)
    return out


def test_the_check_sees_a_name_that_does_not_exist():
    src = '"""``read(text)`` returns a :class:`Reading`; ``decide(r)``, :meth:`Box.open`, :func:`os.replace` exist; ' \
          ':meth:`Box.shut` does not."""\nfrom os import replace\n\ndef decide(r): ...\n\nclass Box:\n    def open(self): ...\n'
    assert missing_names(src) == ["read", "Reading", "Box.shut"]


def test_module_docstrings_name_what_exists():
    bad = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            bad += [f"{path.relative_to(ROOT)}: {n}" for n in missing_names(path.read_text(encoding="utf-8"))]
    assert not bad, "module docstrings naming what the module does not have:\n" + "\n".join(bad)
