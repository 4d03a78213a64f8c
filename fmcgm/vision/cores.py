"""How many threads torch may use for a picture: the cores other processes leave free, now.

torch's worker threads spin while they wait; sharing a core with another busy process they made a 50-step render
take 42-100 s against 6 s on one thread (the 2-core machine, before fused attention), and at a load of 1.9-2.4 a
process's first render still took 18-25 s on two threads against 2.3-2.5 s on one.  On an idle machine two
threads draw it in 1.7-1.8 s.  The 1-minute load average is a cheap first look, but it lags and counts this
command's own start-up (the start-up benchmark's previous cases left it at 0.5-0.9 on a machine otherwise idle); so
when it says a core may be free, the cores busy right now are measured (Linux ``/proc/stat``, less this process's
own CPU time): since the render started (:func:`mark`; the model loads meanwhile, so the look costs nothing), or
over a tenth of a second.
"""

from __future__ import annotations

import math
import os
import time

WINDOW_S = 0.1  # long enough for 10 clock ticks per core at the usual 100 Hz
FRESH_S = 10.0  # a mark older than this says little about now

_mark: tuple[int, float, float] | None = None  # (busy ticks, own CPU s, monotonic s) when a render started


def spare_threads(load: float, cpus: int, most: int) -> int:
    """Threads for torch: the cores other processes leave free (a core counts when at most half busy), at least
    one, at most ``most``. On the 2-core machine: two only below a load of 0.5."""
    return max(1, min(most, math.floor(cpus - load + 0.5)))


def _busy_ticks() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot, from /proc/stat's first line."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and waiting for I/O
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal (guest time is inside user)
    return total - idle, total


def _snapshot() -> tuple[int, float, float]:
    return _busy_ticks()[0], time.process_time(), time.monotonic()


def mark() -> None:
    """A render starts: the next :func:`torch_threads` looks at the cores from here (nothing if /proc/stat is not
    there)."""
    global _mark
    try:
        _mark = _snapshot()
    except (OSError, ValueError, IndexError):
        _mark = None


def busy_elsewhere(window: float = WINDOW_S, since: tuple[int, float, float] | None = None) -> float | None:
    """Cores other processes kept busy since ``since`` (at least ``window`` seconds, waiting for the rest), or over
    the next ``window`` seconds; None where /proc/stat is not there."""
    try:
        busy0, mine0, t0 = since or _snapshot()
        left = window - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
        busy1, mine1, t1 = _snapshot()
    except (OSError, ValueError, IndexError):
        return None
    seconds = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") - (mine1 - mine0)
    return max(0.0, seconds / max(t1 - t0, 1e-6))


def torch_threads(most: int) -> int:
    """Threads for the next picture, at most ``most``."""
    global _mark
    cpus = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    since, _mark = _mark, None
    if load >= cpus - 0.5:
        return 1  # the last minute kept every core busy: no need to look closer
    if since is not None and time.monotonic() - since[2] > FRESH_S:
        since = None
    now = busy_elsewhere(since=since)
    return spare_threads(load if now is None else now, cpus, most)
