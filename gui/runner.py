"""One way to run background work: a callable in a thread, reported by signals with request ids."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtWidgets

__all__ = ["Runner", "Task", "one_line", "wait_until"]


def one_line(exc: BaseException) -> str:
    """Return ``"ErrorType: message"`` squeezed onto one line (for a status label)."""
    return " ".join(f"{exc.__class__.__name__}: {exc}".split())


class Task:
    """What a running callable sees: its request id, a cancel flag, and a way to report.

    Parameters
    ----------
    request : int
        Request id of this run.
    emit : callable
        ``emit(payload)`` sends one progress report to the GUI thread.
    """

    def __init__(self, request: int, emit: Callable[[Any], None]) -> None:
        self.request = request
        self.cancel_event = threading.Event()
        self._emit = emit

    def cancelled(self) -> bool:
        """Return True once the owner has asked this run to stop."""
        return self.cancel_event.is_set()

    def report(self, payload: Any) -> None:
        """Send `payload` to the owner as ``Runner.progress(request, payload)``."""
        self._emit(payload)


class Runner(QtCore.QObject):
    """Run one callable at a time off the UI thread; the latest request wins.

    ``start(work)`` runs ``work(task)`` in a fresh daemon thread and returns its request id
    (a daemon thread, not a ``QThread``: one still finishing a long step when the window
    goes cannot abort the process, it ends with the interpreter).
    The callable reports with ``task.report(payload)``, checks ``task.cancelled()`` (or
    hands ``task.cancel_event`` to code that takes a ``threading.Event``) and returns its
    result. Starting while a run is going cancels it and defers the new one until the old
    thread has ended, so two runs never overlap. Every signal carries the request id, and
    reports of any request but the latest are dropped here, so receivers only see the
    current run. The callable must not touch widgets.

    Signals
    -------
    progress(int, object)
        A ``task.report`` payload.
    finished(int, object)
        The callable's return value.
    cancelled(int, object)
        The return value of a run that was cancelled (partial results, or None).
    failed(int, str)
        One-line message of the exception the callable raised.
    """

    progress = QtCore.Signal(int, object)
    finished = QtCore.Signal(int, object)
    cancelled = QtCore.Signal(int, object)
    failed = QtCore.Signal(int, str)
    _report = QtCore.Signal(int, str, object)  # from the run's thread: request, kind, payload

    def __init__(self, name: str = "runner", parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._request = 0
        self._thread: threading.Thread | None = None
        self._task: Task | None = None
        self._next: tuple[int, Callable[[Task], Any]] | None = None
        self._report.connect(self._on_report, QtCore.Qt.ConnectionType.QueuedConnection)

    @property
    def request(self) -> int:
        """Request id of the latest `start` (0 before the first)."""
        return self._request

    @property
    def busy(self) -> bool:
        """True while a run is going or waiting to start."""
        return self._thread is not None or self._next is not None

    def is_running(self) -> bool:
        """True while a run's thread is alive (a deferred run does not count)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, work: Callable[[Task], Any]) -> int:
        """Run ``work(task)`` off the UI thread (cancelling any current run); return its id.

        Parameters
        ----------
        work : callable
            Takes a `Task`, returns the result; may raise (reported through `failed`).

        Returns
        -------
        int
            The request id that this run's signals will carry.
        """
        self._request += 1
        self._next = (self._request, work)
        if self._task is not None:
            self._task.cancel_event.set()
        else:
            self._launch()
        return self._request

    def cancel(self) -> None:
        """Ask the current run to stop, and drop a deferred one; both report `cancelled`."""
        if self._next is not None:
            request = self._next[0]
            self._next = None
            QtCore.QTimer.singleShot(0, self, lambda: self._on_report(request, "cancelled", None))
        if self._task is not None:
            self._task.cancel_event.set()

    def join(self, timeout: float = 2.0) -> bool:
        """Block up to `timeout` seconds for the current thread; return True if none runs."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(max(0.0, timeout))
        return not thread.is_alive()

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Cancel, and wait up to `timeout` seconds for the thread; return True if it ended."""
        self.cancel()
        ended = self.join(timeout)
        if ended:
            self._thread = self._task = None
        return ended

    # ----- internals ---------------------------------------------------------------------
    def _launch(self) -> None:
        request, work = self._next
        self._next = None
        emit = self._emit
        task = Task(request, lambda payload: emit(request, "progress", payload))
        thread = threading.Thread(target=self._run, args=(task, work), daemon=True,
                                  name=f"{self.name}-{request}")
        self._thread, self._task = thread, task
        thread.start()

    def _emit(self, request: int, kind: str, payload: object) -> None:
        """Post one report to the GUI thread (from the run's thread)."""
        try:
            self._report.emit(request, kind, payload)
        except RuntimeError:
            pass  # the runner was deleted with its window: nobody is listening

    def _run(self, task: Task, work: Callable[[Task], Any]) -> None:
        request = task.request
        try:
            value = work(task)
        except Exception as exc:  # noqa: BLE001 - reported to the view as one line
            self._emit(request, "failed", one_line(exc))
        else:
            self._emit(request, "cancelled" if task.cancelled() else "finished", value)
        finally:
            self._emit(request, "ended", task)

    @QtCore.Slot(int, str, object)
    def _on_report(self, request: int, kind: str, payload: object) -> None:
        if kind == "ended":
            self._on_ended(payload)
            return
        if request != self._request:
            return  # stale: cancelled or superseded
        getattr(self, kind).emit(request, payload)

    def _on_ended(self, task: Task) -> None:
        if task is not self._task:
            return  # a run already let go of by `shutdown`
        if self._thread is not None:
            self._thread.join(2.0)  # it has only to return from `_run`
        self._thread = self._task = None
        if self._next is not None:
            self._launch()


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Process Qt events until `condition()` is true or `timeout_s` passes; return condition().

    The one place that spins the event loop by hand (headless export waits for a tab to
    finish with it; tests use ``qtbot.waitUntil``).
    """
    app = QtWidgets.QApplication.instance()
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QtCore.QThread.msleep(5)
    return bool(condition())
