"""Neuron jobs run in a child process; a QThread forwards its messages to the view as signals."""

from __future__ import annotations

import threading
import time

from PySide6 import QtCore

from neuro.job_process import JobProcess


class NeuronWorker(QtCore.QObject):
    """Listens to the job process in its own thread and re-emits its messages; no widgets.

    Signals carry the request id so the owner can drop stale results. The simulation
    itself runs in the child process, so nothing here holds the GUI's GIL for long.
    """

    progress = QtCore.Signal(int, float)
    finished = QtCore.Signal(int, str, object)
    failed = QtCore.Signal(int, str)
    cancelled = QtCore.Signal(int)

    def __init__(self, jobs: JobProcess) -> None:
        super().__init__()
        self.jobs = jobs
        self._stop = threading.Event()

    @QtCore.Slot()
    def listen(self) -> None:
        """Forward the job process's messages until `stop` is called."""
        while not self._stop.is_set():
            for message in self.jobs.poll(0.05):
                if self._stop.is_set():
                    break
                kind = message[0]
                if kind == "progress":
                    self.progress.emit(message[1], message[2])
                elif kind == "finished":
                    self.finished.emit(message[1], message[2], message[3])
                elif kind == "failed":
                    self.failed.emit(message[1], message[2])
                elif kind == "cancelled":
                    self.cancelled.emit(message[1])

    def stop(self) -> None:
        """Ask `listen` to return (within about 50 ms)."""
        self._stop.set()


class NeuronRunner(QtCore.QObject):
    """Owns the job process and the listener thread: submit, cancel, shut down in 2 s.

    The child process (``multiprocessing`` spawn context) starts on the first `submit`
    or on `start`, imports Brian2 once and then serves every job of the tab.
    """

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobProcess()
        self.thread = QtCore.QThread()
        self.thread.setObjectName("neuron-listener")
        self.worker = NeuronWorker(self.jobs)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.listen)
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.start()
        self._closed = False

    @property
    def child_pid(self) -> int | None:
        """Process id of the simulation process, or None if none is running."""
        return self.jobs.pid

    def start(self) -> None:
        """Start the simulation process now, so Brian2 is imported before the first run."""
        if not self._closed:
            self.jobs.start()

    def submit(self, kind: str, payload: dict) -> int:
        """Queue a job; return its request id (jobs run serially, in order)."""
        return self.jobs.submit(kind, payload)

    def cancel(self) -> None:
        """Cancel every job submitted so far (running or queued)."""
        self.jobs.cancel()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the listener thread and the child process; return True if both ended in time."""
        if self._closed:
            return not self.thread.isRunning() and self.jobs.pid is None
        self._closed = True
        start = time.monotonic()
        self.worker.stop()
        self.thread.quit()
        thread_done = bool(self.thread.wait(500))
        left = max(0.3, timeout_ms / 1000.0 - (time.monotonic() - start) - 0.05)
        process_done = self.jobs.shutdown(left)
        return thread_done and process_done
