"""Progress of long data runs, said as it happens: one reporter per process (the CLI prints to stderr; by default
nothing is printed).  Discovery and its resamples call :func:`report` with one line each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Reporter = Callable[[str], None]
_reporter: Reporter | None = None


def report(message: str) -> None:
    if _reporter is not None:
        _reporter(message)


@contextmanager
def reporting(fn: Reporter | None) -> Iterator[None]:
    """Send progress lines to ``fn`` inside the block."""
    global _reporter
    previous, _reporter = _reporter, fn
    try:
        yield
    finally:
        _reporter = previous
