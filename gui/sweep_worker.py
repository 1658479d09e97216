"""Run a sweep off the UI thread; report progress and results as signals with a request id."""

from __future__ import annotations

import threading

from PySide6 import QtCore

from models.sweep.executor import iter_sweep


class SweepRunner(QtCore.QObject):
    """Drive `models.sweep.executor.iter_sweep` in a Python thread; never touches widgets.

    Signals carry the request id of the run that produced them, so the owner can drop
    reports of a run it has since cancelled or replaced.
    """

    progress = QtCore.Signal(int, object)   # request id, SweepProgress (copied)
    finished = QtCore.Signal(int, object)   # request id, list of rows
    failed = QtCore.Signal(int, str)        # request id, one-line message
    cancelled = QtCore.Signal(int, object)  # request id, list of rows kept

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._request = 0

    @property
    def busy(self) -> bool:
        """True while a sweep thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, spec, out, **options) -> int:
        """Start a sweep (cancelling any running one); return its request id.

        Parameters
        ----------
        spec : models.sweep.spec.SweepSpec
            The grid.
        out : path-like
            Result CSV.
        **options
            Passed to `iter_sweep` (workers, resume, overwrite, executor ...).
        """
        self.cancel()
        self.join(2.0)
        self._request += 1
        request = self._request
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sweep-{request}",
                                        args=(request, spec, out, self._cancel, options),
                                        daemon=True)
        self._thread.start()
        return request

    def _run(self, request, spec, out, cancel, options) -> None:
        progress = None
        try:
            for progress in iter_sweep(spec, out, cancel=cancel, **options):
                snapshot = type(progress)(**{**progress.__dict__, "rows": list(progress.rows)})
                self.progress.emit(request, snapshot)
        except Exception as exc:  # noqa: BLE001 - reported to the view as one line
            self.failed.emit(request, " ".join(f"{exc.__class__.__name__}: {exc}".split()))
            return
        rows = list(progress.rows) if progress is not None else []
        if progress is not None and progress.cancelled:
            self.cancelled.emit(request, rows)
        else:
            self.finished.emit(request, rows)

    def cancel(self) -> None:
        """Ask the running sweep to stop (it ends its workers and keeps finished rows)."""
        self._cancel.set()

    def join(self, timeout: float = 2.0) -> bool:
        """Wait for the sweep thread; return True when it has ended."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()
