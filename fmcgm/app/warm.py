"""Warming the app up: what a first turn would otherwise wait for, loaded in the background from the moment
`fmcgm serve` starts.

The agent's modules and every world's diffusion model (torch, diffusers and the weights: about 3-4 s of the
first picture on the 2-core machine) load on a background thread while Gradio is imported and the page comes up;
the model the example question needs (the default world's) comes first.  A turn that arrives before its model is
loaded waits for that one load (``pipeline_for`` loads each model once per process).  Anything missing
(weights, torch) is left to the turn that needs it, which says so.  ``FMCGM_WARM_UP=0`` turns this off.

No Gradio here: the thread starts before Gradio is imported.
"""

from __future__ import annotations

import os
import threading


def warm_up() -> None:
    """Load the agent and every world's diffusion model, the default world first."""
    from fmcgm.loading import loading

    with loading():
        import agent.graph  # noqa: F401 - the reader, the tools and the offline model
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
