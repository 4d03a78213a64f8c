"""NLTK's Porter stemmer, loaded without NLTK's package ``__init__``.

``import nltk`` (which ``from nltk.stem import PorterStemmer`` runs first) imports the whole toolkit —
collocations, metrics, SciPy's statistics — about 4 s of start-up for one class of 700 lines.  The
stemmer itself needs three small modules (``nltk.redos``, ``nltk.stem.api``, ``nltk.termsec``), so they
are loaded from NLTK's own files under bare stand-in packages, and the stand-ins are removed again:
afterwards ``import nltk`` anywhere in the process is the ordinary, complete import.  The class is
NLTK's own (same code, same version, same stems); when NLTK is already imported, or its layout has
changed so that this load fails, the ordinary import is used.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def _load_light() -> Any:
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    before = set(sys.modules)
    try:
        for name, folder in (("nltk", root), ("nltk.stem", root / "stem")):
            stand_in = types.ModuleType(name)
            stand_in.__path__ = [str(folder)]  # type: ignore[attr-defined]
            sys.modules[name] = stand_in
        return importlib.import_module("nltk.stem.porter").PorterStemmer
    finally:  # the stand-ins and what was loaded under them go; the class keeps its own module's globals
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


def porter_stemmer_class() -> Any:
    """``nltk.stem.porter.PorterStemmer``, without importing the rest of NLTK when it is not loaded yet."""
    with _LOCK:
        if "nltk" not in sys.modules:
            try:
                return _load_light()
            except Exception:  # noqa: BLE001 - any surprise in NLTK's layout: the ordinary import below
                pass
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer


PorterStemmer = porter_stemmer_class()
