"""Compute the theory sections off the UI thread; results come back as signals with a request id."""

from __future__ import annotations

import threading

from PySide6 import QtCore

from models.theory.sections import SECTIONS, compute_section

__all__ = ["SECTIONS", "TheoryRunner", "compute_section"]


class TheoryRunner(QtCore.QObject):
    """Compute sections in a Python thread; emit each result as it is ready.

    Signals carry the request id so results of a superseded request are dropped.
    """

    section_done = QtCore.Signal(int, str, object)  # request id, section, result
    finished = QtCore.Signal(int)
    failed = QtCore.Signal(int, str)
    cancelled = QtCore.Signal(int)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._request = 0

    def start(self, settings: dict, sections=SECTIONS) -> int:
        """Start computing `sections` (cancelling a running request); return the request id."""
        self.cancel()
        self.join(2.0)
        self._request += 1
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"theory-{self._request}",
                                        args=(self._request, dict(settings), tuple(sections),
                                              self._cancel))
        self._thread.start()
        return self._request

    def _run(self, request, settings, sections, cancel) -> None:
        from models.blas import single_thread_blas

        try:
            with single_thread_blas():
                for name in sections:
                    if cancel.is_set():
                        self.cancelled.emit(request)
                        return
                    self.section_done.emit(request, name, compute_section(name, settings))
        except Exception as exc:  # noqa: BLE001 - reported as one line
            self.failed.emit(request, " ".join(f"{exc.__class__.__name__}: {exc}".split()))
            return
        self.finished.emit(request)

    def cancel(self) -> None:
        """Stop after the section being computed."""
        self._cancel.set()

    def join(self, timeout: float = 2.0) -> bool:
        """Wait for the thread; return True when it has ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
