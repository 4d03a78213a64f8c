"""Warming the app up: what a first turn would otherwise wait for, loaded in the background once the server is up.

Every world's diffusion model (torch, diffusers and the weights: about 3 s of CPU on the 2-core machine) loads on
a background thread that :func:`fmcgm.app.web.serve` starts right after the server launches; the default world's
model first, which the example questions need.  A turn that arrives before its model is loaded waits for that one
load (``pipeline_for`` loads each model once per process).  Anything missing (weights, torch) is left to the turn
that needs it, which says so.  ``FMCGM_WARM_UP=0`` turns this off.

Why not earlier, beside Gradio's import: two threads importing at once were slower than one after the other (each
file one of them opens hands the interpreter lock to the other, and getting it back waits a switch interval), and
`/` then answered later.  Measured on the 2-core machine at load 2-2.5, three runs each: with the warm-up started
with the process, Gradio and the agent were imported after 2.8-4.8 s and the models loaded after 5.4-8.1 s;
started after that import, 2.2-2.3 s and 5.0-6.5 s; started before the launch, `/` answered after 6.5-8.3 s
against 4.0-4.5 s when it starts after (load 3.2-3.9, five runs).
"""

from __future__ import annotations

import os
import threading


def warm_up() -> None:
    """Load every world's diffusion model, the default world first (the agent is loaded with the page)."""
    from fmcgm.vision.render import pipeline_for
    from fmcgm.worlds import DEFAULT_WORLD, WORLD_NAMES

    for world in dict.fromkeys((DEFAULT_WORLD, *WORLD_NAMES)):
        try:
            pipeline_for(world)
        except Exception:  # noqa: BLE001 - the render that needs it reports the failure
            return


def start_warm_up() -> threading.Thread | None:
    """The warm-up on a daemon thread (None when FMCGM_WARM_UP=0)."""
    if os.environ.get("FMCGM_WARM_UP", "1") == "0":
        return None
    thread = threading.Thread(target=warm_up, name="fmcgm-warm-up", daemon=True)
    thread.start()
    return thread
