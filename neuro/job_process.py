"""A persistent child process that runs neuron jobs, so Brian2 never holds the caller's GIL."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import sys
import threading
import time
import traceback
import types

CANCEL_GRACE_S = 1.0  # a cancelled job that has not stopped after this is killed


def _exit_with_parent() -> None:
    """End this child as soon as its parent is gone (even if the parent was killed).

    A parent killed by a signal runs no clean-up, and the child, blocked on its job queue
    (whose write end it also holds), would otherwise live on as an orphan.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(jobs, results, cancelled_up_to) -> None:
    """Child main loop: import Brian2 once, then run ``(id, kind, payload)`` jobs in order.

    Every request id ``<= cancelled_up_to.value`` is cancelled: a queued one is skipped,
    a running one stops at its next progress report. ``None`` on `jobs` ends the loop.
    Messages put on `results`: ``("ready", pid)``, ``("started", id)``,
    ``("progress", id, fraction)``, ``("finished", id, kind, result)``,
    ``("failed", id, message)`` and ``("cancelled", id)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    results.cancel_join_thread()  # never hang at exit on an unread message
    _exit_with_parent()
    from neuro.jobs import run_job
    from neuro.lif_simulation import SimulationCancelled

    try:
        from neuro.brian_import import import_brian2

        import_brian2()  # paid once per process; a failure shows up in the first job
    except Exception:  # noqa: BLE001 - reported by the job that needs Brian2
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Brian2's import installs its own handler
    results.put(("ready", os.getpid()))
    while True:
        try:
            item = jobs.get()
        except (EOFError, OSError):
            break
        if item is None:
            break
        request_id, kind, payload = item

        def should_stop(request_id=request_id) -> bool:
            return request_id <= cancelled_up_to.value

        if should_stop():
            results.put(("cancelled", request_id))
            continue
        results.put(("started", request_id))

        def report(fraction: float, request_id=request_id) -> None:
            results.put(("progress", request_id, float(fraction)))

        try:
            result = run_job(kind, payload, report, should_stop)
        except SimulationCancelled:
            results.put(("cancelled", request_id))
        except (ValueError, OSError) as exc:
            results.put(("failed", request_id, str(exc)))
        except Exception as exc:  # noqa: BLE001 - keep serving; show the cause
            traceback.print_exc()
            results.put(("failed", request_id, f"{type(exc).__name__}: {exc}"))
        else:
            if should_stop():
                results.put(("cancelled", request_id))
            else:
                results.put(("finished", request_id, kind, result))


@contextlib.contextmanager
def _main_module_hidden():
    """Hide ``__main__`` while a spawn child is prepared, so the child does not re-import it.

    The child only needs `_serve` and the `neuro` package; re-running the parent's script
    would start a second copy of a script that lacks an ``if __name__ == "__main__"`` guard.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class JobProcess:
    """Run neuron jobs serially in one persistent ``spawn`` child process, started lazily.

    `submit` queues a job and returns its request id; `poll` returns the child's messages
    ``("progress", id, fraction)``, ``("finished", id, kind, result)``, ``("failed", id,
    message)`` and ``("cancelled", id)``; `cancel` cancels everything submitted so far and
    kills the child if a cancelled job has not stopped within `cancel_grace_s` (checked in
    `poll`; jobs submitted after the cancel are re-queued in a fresh child). `shutdown` ends
    the child. `submit`, `cancel` and `shutdown` may be called from one thread while
    another calls `poll`. Nothing here imports Qt.

    Parameters
    ----------
    cancel_grace_s : float
        How long a cancelled job may keep running before the child is terminated.
    """

    def __init__(self, cancel_grace_s: float = CANCEL_GRACE_S) -> None:
        self.cancel_grace_s = float(cancel_grace_s)
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._last_id = 0
        self._cancelled_up_to = 0
        self._outstanding: dict[int, tuple[str, dict]] = {}
        self._process = None
        self._jobs = None
        self._results = None
        self._shared_cancel = None
        self._ready = False
        self._kill_deadline: float | None = None
        self._closed = False
        self.restarts = 0  # children killed after a cancel that did not stop in time

    # ----- caller side -------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """Process id of the live child, or None when none is running."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return self._process.pid
            return None

    def start(self) -> None:
        """Start the child now (it imports Brian2 while the caller carries on)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the job process has been shut down")
            if self._process is None or not self._process.is_alive():
                self._spawn()

    def submit(self, kind: str, payload: dict) -> int:
        """Queue one job for the child (starting it if needed); return its request id."""
        with self._lock:
            request_id = next(self._ids)
            self._last_id = request_id
            self._outstanding[request_id] = (kind, payload)
            self.start()
            self._jobs.put((request_id, kind, payload))
            return request_id

    def cancel(self) -> None:
        """Cancel every job submitted so far (running or queued); the child stays up."""
        with self._lock:
            self._cancelled_up_to = self._last_id
            if self._shared_cancel is not None:
                self._shared_cancel.value = self._cancelled_up_to
            if any(i <= self._cancelled_up_to for i in self._outstanding):
                self._kill_deadline = time.monotonic() + self.cancel_grace_s

    def poll(self, timeout: float = 0.05) -> list[tuple]:
        """Wait up to `timeout` seconds for the child's messages and return them in order.

        Also enforces the cancel deadline (terminating and replacing a child that did not
        stop) and reports the jobs of a child that died as failed.

        Returns
        -------
        list of tuple
            ``progress``, ``finished``, ``failed`` and ``cancelled`` messages.
        """
        with self._lock:
            results = self._results
        out, raw = [], []
        if results is None:
            time.sleep(timeout)
        else:
            try:
                raw.append(results.get(timeout=timeout))
                while True:
                    raw.append(results.get_nowait())
            except (queue.Empty, EOFError, OSError, ValueError):
                pass
        with self._lock:
            if results is not self._results:
                raw = []  # from a child that was replaced meanwhile
            for message in raw:
                out.extend(self._note(message))
            out.extend(self._check_child())
        return out

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Cancel everything and end the child: politely, then terminate, then kill.

        Parameters
        ----------
        timeout : float
            Seconds allowed in all.

        Returns
        -------
        bool
            True if no child is left running.
        """
        with self._lock:
            self._closed = True
            self._cancelled_up_to = self._last_id
            if self._shared_cancel is not None:
                self._shared_cancel.value = self._last_id
            self._outstanding.clear()
            return self._stop_child(timeout)

    # ----- internals (called with the lock held) -------------------------------------------
    def _spawn(self) -> None:
        self._jobs = self._ctx.Queue()
        self._results = self._ctx.Queue()
        self._shared_cancel = self._ctx.Value("q", self._cancelled_up_to)
        self._ready = False
        self._process = self._ctx.Process(
            target=_serve, args=(self._jobs, self._results, self._shared_cancel),
            name="relu-lab-neuron", daemon=True)
        with _main_module_hidden():
            self._process.start()

    def _stop_child(self, timeout: float) -> bool:
        # every object the child unpickles stays alive until the child is gone: a child still
        # starting up would otherwise find their semaphores unlinked (a SemLock traceback)
        process, jobs, results = self._process, self._jobs, self._results
        shared_cancel = self._shared_cancel  # noqa: F841 - held, see above
        self._process = self._jobs = self._results = self._shared_cancel = None
        self._ready = False
        self._kill_deadline = None
        if process is None:
            return True
        deadline = time.monotonic() + max(timeout, 0.3)
        try:
            if process.is_alive():
                jobs.put(None)
                process.join(max(0.0, min(deadline - time.monotonic() - 0.4,
                                          self.cancel_grace_s)))
            if process.is_alive():
                process.terminate()  # a stopped child only dies of the kill: leave it time
                process.join(max(0.1, deadline - time.monotonic() - 0.5))
            if process.is_alive():
                process.kill()  # immediate, but a large process takes a moment to go
                process.join(max(0.2, deadline - time.monotonic()))
        finally:
            for q in (jobs, results):
                q.cancel_join_thread()
                q.close()
        alive = process.is_alive()
        if not alive:
            process.close()
        return not alive

    def _note(self, message: tuple) -> list[tuple]:
        kind = message[0]
        if kind == "ready":
            self._ready = True
            if self._kill_deadline is not None:  # the import does not count against it
                self._kill_deadline = max(self._kill_deadline,
                                          time.monotonic() + self.cancel_grace_s)
            return []
        if kind == "started":
            return []
        request_id = message[1]
        if request_id not in self._outstanding:
            return []  # already settled (e.g. reported cancelled when its child was killed)
        if kind != "progress":
            del self._outstanding[request_id]
        return [message]

    def _check_child(self) -> list[tuple]:
        out = []
        if self._kill_deadline is not None:
            stuck = [i for i in self._outstanding if i <= self._cancelled_up_to]
            if not stuck:
                self._kill_deadline = None
            elif time.monotonic() > self._kill_deadline and self._ready:
                self._stop_child(0.5)
                self.restarts += 1
                for request_id in sorted(stuck):
                    del self._outstanding[request_id]
                    out.append(("cancelled", request_id))
                if self._outstanding and not self._closed:
                    self._spawn()
                    for request_id in sorted(self._outstanding):
                        kind, payload = self._outstanding[request_id]
                        self._jobs.put((request_id, kind, payload))
        if self._process is not None and not self._process.is_alive():
            code = self._process.exitcode
            self._stop_child(0.1)
            for request_id in sorted(self._outstanding):
                out.append(("failed", request_id,
                            f"the simulation process stopped unexpectedly (exit code {code})"))
            self._outstanding.clear()
        return out
