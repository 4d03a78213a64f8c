"""Loading the agent's libraries without the cyclic garbage collector scanning them again and again.

Importing LangGraph, LangChain and pydantic creates a few hundred thousand long-lived objects (classes, schemas,
validators); each generation-0 collection along the way re-walks the survivors, about a tenth of `fmcgm ask`'s
start-up on the 2-core machine.  They live as long as the process, so the collector is paused while they load and
then told to leave them alone (:func:`gc.freeze`); it runs as usual for everything the command does afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """Pause the cyclic collector for a block of imports and set-up; afterwards what was loaded is frozen (never
    scanned again) and the collector is back in the state it was in."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
