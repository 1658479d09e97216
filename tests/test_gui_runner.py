"""The one background-work runner: results, progress, stale drops, cancel, failure, no overlap."""

from __future__ import annotations

import threading

import pytest

from tests.waiting import HANG_MS

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):
    from gui.runner import Runner

    r = Runner("test")
    yield r
    assert r.shutdown(5.0)


def test_result_and_progress_arrive_in_order(qtbot, runner):
    seen = []
    runner.progress.connect(lambda req, p: seen.append(("progress", req, p)))
    runner.finished.connect(lambda req, v: seen.append(("finished", req, v)))

    def work(task):
        for k in range(3):
            task.report(k)
        return "done"

    with qtbot.waitSignal(runner.finished, timeout=HANG_MS):
        request = runner.start(work)
    assert seen == [("progress", request, 0), ("progress", request, 1),
                    ("progress", request, 2), ("finished", request, "done")]
    qtbot.waitUntil(lambda: not runner.busy, timeout=HANG_MS)


def test_superseded_run_is_cancelled_and_its_reports_dropped(qtbot, runner):
    gate, ended = threading.Event(), []
    seen = []
    for name in ("progress", "finished", "cancelled"):
        getattr(runner, name).connect(lambda req, v, n=name: seen.append((n, req, v)))

    def slow(task):
        gate.wait(10)
        task.report("late")  # the first run reports after it was superseded: dropped
        ended.append(task.cancelled())
        return "first"

    first = runner.start(slow)
    qtbot.waitUntil(runner.is_running, timeout=HANG_MS)
    running = []
    second = runner.start(lambda task: running.append(runner.request) or "second")
    assert second == first + 1
    assert runner.busy and not running  # deferred: never two runs at once
    gate.set()
    qtbot.waitUntil(lambda: ("finished", second, "second") in seen, timeout=HANG_MS)
    assert ended == [True]
    assert [s for s in seen if s[1] == first] == []
    assert seen == [("finished", second, "second")]


def test_cancel_reports_cancelled_with_partial_value(qtbot, runner):
    def work(task):
        done = 0
        while not task.cancel_event.wait(0.01):
            done += 1
        return done

    request = runner.start(work)
    qtbot.waitUntil(runner.is_running, timeout=HANG_MS)
    with qtbot.waitSignal(runner.cancelled, timeout=HANG_MS) as blocker:
        runner.cancel()
    assert blocker.args[0] == request and isinstance(blocker.args[1], int)


def test_cancel_of_a_deferred_run_still_reports_it(qtbot, runner):
    gate = threading.Event()
    runner.start(lambda task: gate.wait(10))
    qtbot.waitUntil(runner.is_running, timeout=HANG_MS)
    deferred = runner.start(lambda task: "never")
    cancelled = []
    runner.cancelled.connect(lambda req, v: cancelled.append(req))
    runner.cancel()
    gate.set()
    qtbot.waitUntil(lambda: deferred in cancelled and not runner.busy, timeout=HANG_MS)


def test_an_exception_becomes_one_line(qtbot, runner):
    def broken(task):
        raise ValueError("width: must be\n at least 1")

    with qtbot.waitSignal(runner.failed, timeout=HANG_MS) as blocker:
        request = runner.start(broken)
    assert blocker.args == [request, "ValueError: width: must be at least 1"]


def test_wait_until_returns_the_condition(qapp):
    from gui.runner import wait_until

    assert wait_until(lambda: True, 0.0)
    assert not wait_until(lambda: False, 0.0)


def test_a_run_outliving_its_runner_ends_quietly(qtbot, qapp, monkeypatch):
    from shiboken6 import isValid

    from gui.runner import Runner

    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    runner, gate = Runner("orphan"), threading.Event()
    runner.start(lambda task: gate.wait(10))
    qtbot.waitUntil(runner.is_running, timeout=HANG_MS)
    thread = runner._thread
    assert not runner.shutdown(0.0)  # still going: the window closes anyway
    runner.deleteLater()
    qtbot.waitUntil(lambda: not isValid(runner), timeout=HANG_MS)
    gate.set()
    thread.join(10)
    assert not thread.is_alive() and errors == []
