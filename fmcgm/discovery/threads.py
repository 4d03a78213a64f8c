"""One BLAS thread for the small dense algebra of discovery (GP fits and kernel tests on 800 rows).

OpenBLAS starts a thread per core for every product; on 800 × 800 matrices the threads wait on one another more
than they compute, and on a machine shared with other work they are descheduled: on the 2-core machine at a load
average near 2.5 the additive-noise step of a 4-column table took 69 s with two BLAS threads and 20 s with one.
threadpoolctl (a dependency of scikit-learn, which the GP fit uses) sets the limit for the block; without it the
block runs as before.  Libraries are limited only once loaded, so the caller imports what it uses first.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext


def one_blas_thread() -> AbstractContextManager:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings it
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
