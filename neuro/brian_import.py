"""Import Brian2 from any thread (its import installs a Ctrl-C handler, main thread only)."""

from __future__ import annotations

import contextlib
import importlib
import signal
import sys
import threading

_LOCK = threading.Lock()


def import_brian2():
    """Return the ``brian2`` module, importing it if needed, from any thread.

    ``import brian2`` calls ``signal.signal(SIGINT, ...)``, which Python allows only in
    the main thread. Off the main thread (a GUI worker), that one call is skipped for the
    duration of the import: Brian2 then simply lacks its "Ctrl-C stops the run" nicety.
    Either way Brian2 is imported without ``pylab`` (see `_without_pylab`).

    Returns
    -------
    module
        The imported ``brian2`` package.
    """
    module = sys.modules.get("brian2")
    if module is not None:
        return module
    if threading.current_thread() is threading.main_thread():
        with _without_pylab():
            return importlib.import_module("brian2")
    with _LOCK, _without_pylab():
        original = signal.signal

        def main_thread_only(signalnum, handler):
            if threading.current_thread() is threading.main_thread():
                return original(signalnum, handler)
            return signal.getsignal(signalnum)

        signal.signal = main_thread_only
        try:
            return importlib.import_module("brian2")
        finally:
            signal.signal = original


@contextlib.contextmanager
def _without_pylab():
    """Let ``import brian2`` skip its ``from pylab import *`` while it runs.

    That line imports ``matplotlib.pyplot`` and a plotting backend (about 0.6 s; seconds
    on a fresh machine, which first builds matplotlib's font cache), which no simulation
    uses; when it fails, Brian2 imports numpy's names itself, as it does where matplotlib
    is missing. ``pylab`` stays importable afterwards.
    """
    if "pylab" in sys.modules:
        yield
        return
    sys.modules["pylab"] = None  # an import of it now raises ImportError
    try:
        yield
    finally:
        if "pylab" in sys.modules and sys.modules["pylab"] is None:
            del sys.modules["pylab"]
