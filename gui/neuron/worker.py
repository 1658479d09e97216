"""Neuron jobs run in a child process; a `gui.runner.Runner` job submits them and relays replies."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6 import QtCore

from gui.runner import Runner, Task
from neuro.job_process import JobProcess

__all__ = ["NeuronRunner"]


class NeuronRunner(QtCore.QObject):
    """The Neuron tab's background work: one `Runner` in front of one persistent child process.

    ``run({"drive": payload, ...})`` starts one runner request that submits every job to
    the child (``multiprocessing`` spawn context; Brian2 never runs in this process) and
    polls its replies until each job has finished, failed or been cancelled. Its
    ``progress`` payloads are ``("progress", job, fraction)``, ``("finished", job, result)``
    and ``("failed", job, message)``; its ``finished`` value is the dict of results. The
    child starts on the first run (or `start`) and serves every run of the tab.

    Attributes
    ----------
    runner : Runner
        Connect to its ``progress``, ``finished``, ``cancelled`` and ``failed`` signals.
    """

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobProcess()
        self.runner = Runner("neuron", self)
        self._closing = threading.Event()

    @property
    def child_pid(self) -> int | None:
        """Process id of the simulation process, or None if none is running."""
        return self.jobs.pid

    @property
    def busy(self) -> bool:
        """True while a run is going (or waiting for the previous one to wind down)."""
        return self.runner.busy

    def is_running(self) -> bool:
        """True while the runner's thread is alive."""
        return self.runner.is_running()

    def start(self) -> None:
        """Start the simulation process now, so Brian2 is imported before the first run."""
        if not self._closing.is_set():
            self.jobs.start()

    def run(self, specs: dict[str, dict]) -> int:
        """Run the jobs ``{kind: payload}`` (cancelling a current run); return the request id."""
        return self.runner.start(self._job(dict(specs)))

    def cancel(self) -> None:
        """Cancel the current run (its jobs in the child, running or queued)."""
        self.runner.cancel()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the runner's thread and the child process; return True if both ended in time."""
        self._closing.set()
        deadline = time.monotonic() + timeout_ms / 1000.0
        thread_done = self.runner.shutdown(0.5)
        process_done = self.jobs.shutdown(max(0.3, deadline - time.monotonic() - 0.05))
        if not thread_done:  # a loaded machine: the rest of the budget is the thread's
            thread_done = self.runner.shutdown(max(0.05, deadline - time.monotonic()))
        return thread_done and process_done

    def _job(self, specs: dict[str, dict]) -> Callable[[Task], dict]:
        jobs, closing = self.jobs, self._closing

        def job(task: Task) -> dict:
            if closing.is_set():
                return {}
            waiting = {jobs.submit(kind, payload): kind for kind, payload in specs.items()}
            results, told = {}, False
            while waiting and not closing.is_set():
                if task.cancelled() and not told:
                    jobs.cancel()  # the child stops them; poll kills it if one does not
                    told = True
                for message in jobs.poll(0.05):
                    kind = waiting.get(message[1])
                    if kind is None:
                        continue  # a reply to an earlier, cancelled run
                    if message[0] == "progress":
                        task.report(("progress", kind, message[2]))
                        continue
                    del waiting[message[1]]
                    if message[0] == "finished":
                        results[kind] = message[3]
                        task.report(("finished", kind, message[3]))
                    elif message[0] == "failed":
                        task.report(("failed", kind, message[2]))
            return results

        return job
