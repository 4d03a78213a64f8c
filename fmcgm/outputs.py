"""Files a long run writes (reports, grids): checked before the work starts, written atomically, never over an input.

A run that takes minutes must not lose its results to an output path that could never be written (a folder, a
missing folder, a file where a folder should be) — so the path is checked first, in :func:`check_output`, and the
command stops at once with a usage error (exit code 2).  The file is then written to a temporary file beside it and
moved into place with :func:`os.replace` (:func:`write_atomic`), so a reader never sees half a report and a failed
write leaves the old file as it was.  An output path that is one of the run's own inputs is refused, and so is an
existing file that is not a report of the same kind (``marker`` keys): a mistyped ``--json`` must not destroy data.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fmcgm.errors import ErrorCode, FMCGMError


class OutputError(FMCGMError, code=ErrorCode.INVALID_OUTPUT):
    """An output path the run cannot write (a folder, the input file itself, no parent folder)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(path: str | Path, option: str = "--json", inputs: Iterable[str | Path] = (),
                 marker: Iterable[str] = ()) -> Path:
    """The output path, if a run can write it; otherwise an :class:`OutputError` naming the path and the fix.

    ``inputs`` are files the run reads (never overwritten); ``marker`` are keys a JSON report of this kind has: an
    existing non-empty file is replaced only when it is such a report."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{option} {p} is a folder, not a file", f"pass a file path, e.g. {p / 'report.json'}")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"{option} {p}: the folder {parent} does not exist", "create the folder first or pass another path")
    if not parent.is_dir():
        raise OutputError(f"{option} {p}: {parent} is a file, not a folder", "pass a path whose folders are folders")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {p}: the folder {parent} is not writable", "pass a path in a writable folder")
    for inp in inputs:
        if _same_file(p, Path(inp)):
            raise OutputError(f"{option} {p} is the run's own input file {inp}; it would be overwritten",
                              "pass another path for the output")
    keys = set(marker)
    if keys and p.is_file() and p.stat().st_size > 0 and not _is_report(p, keys):
        raise OutputError(f"{option} {p} exists and is not a report of this command; it would be overwritten",
                          "pass a new path, or move the file away first")
    return p


def _is_report(p: Path, keys: set[str]) -> bool:
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and keys <= set(doc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to a temporary file in the same folder, then move it over ``path`` in one step."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(dir=p.parent if str(p.parent) else ".", prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, p.stat().st_mode & 0o777 if p.is_file() else 0o666 & ~_umask())  # mkstemp makes it 0600
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
