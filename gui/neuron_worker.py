"""A QThread worker that runs neuron simulations one at a time and hands back plain results."""

from __future__ import annotations

import itertools
import traceback

from PySide6 import QtCore


class NeuronWorker(QtCore.QObject):
    """Runs jobs in its own thread; never touches widgets.

    Signals carry the request id so the owner can drop stale results.
    """

    progress = QtCore.Signal(int, float)
    finished = QtCore.Signal(int, str, object)
    failed = QtCore.Signal(int, str)
    cancelled = QtCore.Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.cancelled_up_to = 0  # every request id <= this is cancelled

    @QtCore.Slot(int, str, object)
    def run_job(self, request_id: int, kind: str, payload: dict) -> None:
        """Run one job (``drive``, ``fi``, ``response`` or ``scan``) and emit its outcome."""
        if request_id <= self.cancelled_up_to:
            self.cancelled.emit(request_id)
            return
        from neuro.lif_simulation import SimulationCancelled

        def should_stop() -> bool:
            return request_id <= self.cancelled_up_to

        def report(fraction: float) -> None:
            self.progress.emit(request_id, float(fraction))

        try:
            result = _JOBS[kind](payload, report, should_stop)
        except SimulationCancelled:
            self.cancelled.emit(request_id)
            return
        except (ValueError, OSError) as exc:
            self.failed.emit(request_id, str(exc))
            return
        except Exception as exc:  # keep the thread alive; show the cause
            traceback.print_exc()
            self.failed.emit(request_id, f"{type(exc).__name__}: {exc}")
            return
        if should_stop():
            self.cancelled.emit(request_id)
        else:
            self.finished.emit(request_id, kind, result)


def _drive(payload, report, should_stop):
    from neuro.drive import run_drive

    return run_drive(payload["params"], progress=report, should_stop=should_stop,
                     target=payload.get("target", "numpy"))


def _fi(payload, report, should_stop):
    from neuro.fi_curve import simulate_fi_curve

    return simulate_fi_curve(payload["params"], payload.get("currents"), progress=report,
                             should_stop=should_stop, target=payload.get("target", "numpy"))


def _response(payload, report, should_stop):
    from neuro.frequency_response import simulate_frequency_response

    return simulate_frequency_response(payload["params"], payload["freqs"], progress=report,
                                       should_stop=should_stop,
                                       target=payload.get("target", "numpy"))


def _scan(payload, report, should_stop):
    from neuro.alpha_scan import default_scan_values, scan_alpha
    from neuro.lif_simulation import SimulationCancelled

    values = default_scan_values(payload["scan"])
    parts = []
    for k, value in enumerate(values):
        if should_stop():
            raise SimulationCancelled("scan cancelled")
        parts.append(scan_alpha(payload["params"], payload["scan"], [value]))
        report((k + 1) / len(values))
    import numpy as np

    from neuro.alpha_scan import AlphaScan

    return AlphaScan(name=payload["scan"], values=values,
                     alpha=np.concatenate([p.alpha for p in parts]),
                     gain_hz_per_na=np.concatenate([p.gain_hz_per_na for p in parts]),
                     threshold_na=np.concatenate([p.threshold_na for p in parts]),
                     alpha_with_offset=np.concatenate([p.alpha_with_offset for p in parts]))


_JOBS = {"drive": _drive, "fi": _fi, "response": _response, "scan": _scan}


class NeuronRunner(QtCore.QObject):
    """Owns the worker thread: submit jobs, cancel them all, shut down within a deadline."""

    _submit = QtCore.Signal(int, str, object)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self.thread = QtCore.QThread()
        self.thread.setObjectName("neuron-worker")
        self.worker = NeuronWorker()
        self.worker.moveToThread(self.thread)
        self._submit.connect(self.worker.run_job, QtCore.Qt.ConnectionType.QueuedConnection)
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.start()
        self._last_id = 0

    def submit(self, kind: str, payload: dict) -> int:
        """Queue a job; return its request id (jobs run serially, in order)."""
        request_id = next(self._ids)
        self._last_id = request_id
        self._submit.emit(request_id, kind, payload)
        return request_id

    def cancel(self) -> None:
        """Cancel every job submitted so far (running or queued)."""
        self.worker.cancelled_up_to = self._last_id

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel, stop the thread and wait for it; return True if it ended in time."""
        if not self.thread.isRunning():
            return True
        self.cancel()
        self.thread.quit()
        return bool(self.thread.wait(timeout_ms))
