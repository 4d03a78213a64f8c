"""Warming the app up: what a first picture would otherwise wait for, loaded in the background once the server is up.

`fmcgm serve` imports torch and diffusers' core (its utilities and the DDIM schedulers) before Gradio, on its own
thread; right after the launch, :func:`fmcgm.app.web.serve` starts this warm-up on a background thread: diffusers'
UNet (which imports every model diffusers has) and the default world's diffusion model (the world of the example
questions; another world's model loads with its first picture, about 0.4 s once diffusers is in).  A turn
that arrives before the model is loaded waits for that one load (``pipeline_for`` loads each model once per
process).  Anything missing (weights, torch) is left to the turn that needs it, which says so.
``FMCGM_WARM_UP=0`` turns this off.

Why this split: two threads importing at once were slower than one after the other (each file one of them opens
hands the interpreter lock to the other, and getting it back waits a switch interval).  On the 2-core machine at
load 2-2.5, three runs each: with the warm-up started with the process, Gradio and the agent were imported after
2.8-4.8 s and the models loaded after 5.4-8.1 s; started after that import, 2.2-2.3 s and 5.0-6.5 s.  With the
question sent as soon as `/` answered (the start-up benchmark), at load 3.8-4.9, three rounds: warm-up after the
launch, every world: `/` 4.5-5.5 s, first picture 6.3-7.5 s; the default world only: 3.8-5.7 s, 5.9-7.1 s; that and
torch imported before Gradio: 4.4-6.0 s, 4.5-6.1 s; torch and all of diffusers imported before Gradio: `/` 7.4-13.1
s, first picture 3.2-4.3 s.  At load 1.8-2.0, three rounds: torch before Gradio, `/` 3.2-4.1 s and first picture
4.3-4.9 s; torch and diffusers' core (now), 4.6-5.1 s and 3.8-4.5 s.
"""

from __future__ import annotations

import os
import threading


def warm_up() -> None:
    """Load the default world's diffusion model (the agent is loaded with the page)."""
    from fmcgm.vision.render import pipeline_for
    from fmcgm.worlds import DEFAULT_WORLD

    try:
        pipeline_for(DEFAULT_WORLD)
    except Exception:  # noqa: BLE001 - the render that needs it reports the failure
        return


def start_warm_up() -> threading.Thread | None:
    """The warm-up on a daemon thread (None when FMCGM_WARM_UP=0)."""
    if os.environ.get("FMCGM_WARM_UP", "1") == "0":
        return None
    thread = threading.Thread(target=warm_up, name="fmcgm-warm-up", daemon=True)
    thread.start()
    return thread
