"""diffusers' classes, imported by one thread at a time.

diffusers resolves its names lazily (a module ``__getattr__`` that imports the submodule on first use), and that
is not safe from two threads at once: the app's warm-up loading one world's model while a turn loaded another's
raised "cannot import name 'UNet2DConditionModel' from 'diffusers'" in one of them, every time on the 2-core
machine, and the app declined the picture (tests/test_startup.py).  Every place that builds a model or a scheduler
takes its classes from here.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.RLock()


def diffusers_classes(*names: str) -> tuple[Any, ...]:
    """The named diffusers classes, the lazy import finished before any other thread may start one."""
    with _LOCK:
        import diffusers

        return tuple(getattr(diffusers, name) for name in names)
