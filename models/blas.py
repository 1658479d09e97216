"""Pin BLAS to one thread: small nets gain nothing from two, and lose a lot when cores are busy."""

from __future__ import annotations

from threadpoolctl import threadpool_limits


def single_thread_blas():
    """Return a context manager (also usable as a plain call) limiting BLAS to one thread."""
    return threadpool_limits(limits=1, user_api="blas")
