"""A person's own image of a supported world: checked for type, size and dimensions, then kept as a
PNG in the app's output folder (the only folder the app serves files from)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fmcgm.errors import ParseError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_SIDE = 2048
ALLOWED_FORMATS = {"PNG", "JPEG"}


def accept_upload(path: str | Path, out_dir: Path) -> Path:
    """Check an uploaded file and store it as ``out_dir/upload_<hash>.png``; raise ParseError saying what is wrong."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    size = p.stat().st_size if p.is_file() else 0
    if size == 0:
        raise ParseError("the uploaded file is empty or missing", "upload a PNG or JPEG image")
    if size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 1024 // 1024
        raise ParseError(f"the uploaded file is {size / 1024 / 1024:.1f} MB, over the {limit} MB limit", "upload a smaller image")
    try:
        with Image.open(p) as im:
            fmt = im.format or "unknown"
            if fmt not in ALLOWED_FORMATS:  # the content decides, not the file name
                raise ParseError(f"the uploaded file is {fmt}, not PNG or JPEG", "upload a PNG or JPEG image")
            if max(im.size) > MAX_UPLOAD_SIDE:
                raise ParseError(f"the image is {im.size[0]}×{im.size[1]} pixels, over the {MAX_UPLOAD_SIDE} limit",
                                 "upload a smaller image")
            from fmcgm.vision.scene import on_white

            rgb = Image.fromarray(on_white(im))  # transparent parts on the worlds' white background, not black
    except (UnidentifiedImageError, OSError) as e:
        raise ParseError(f"the uploaded file is not a readable image ({type(e).__name__})",
                         "upload a PNG or JPEG image") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"upload_{hashlib.sha1(p.read_bytes()).hexdigest()[:12]}.png"
    rgb.save(target)
    return target


def with_image(question: str, image: Path | None) -> str:
    """The question as the agent gets it when the person has uploaded an image: for a question about a
    supported world, the path is named in the text, where the offline reasoner and an LLM (through
    render_image's ``image`` argument) both find it; other questions are left as they are."""
    from fmcgm.language.visual import parse_visual

    if image is None or parse_visual(question) is None:
        return question
    return f"{question.rstrip()} The factual image is {image}"
