"""Where the app may listen and where it may write: checked before Gradio is imported, because
Gradio reads its cache folder (GRADIO_TEMP_DIR) from the environment."""

from __future__ import annotations

import os
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def prepare_output(output_dir: Path) -> Path:
    """Make the output folder the one place files are written to and served from: rendered images
    (FMCGM_OUTPUT_DIR) and Gradio's own cache (GRADIO_TEMP_DIR) both go inside it."""
    out = output_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    os.environ["FMCGM_OUTPUT_DIR"] = str(out)
    os.environ["GRADIO_TEMP_DIR"] = str(out / "gradio")
    return out
