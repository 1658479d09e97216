"""Measure the Networks tab offscreen while the default 5 x 4 grid trains; print JSON.

Reports the median and 95th-percentile frame time (updating every changed heatmap and curve
plus the painting Qt then does for them), training steps per second with the window drawing
and headless (the same worker with no window), and the event loop's latency (how late a
10 ms timer fires, 95th percentile). Also how long closing takes mid-work (the window with
training and a Brian2 simulation running; the Sweep and Theory tabs mid-run) and how soon a
sweep's first rows reach the Sweep tab: the tests assert that these end, this says how fast.

GUI-thread stalls (`benchmarks.stall`: a 5 ms heartbeat's largest gap and the longest
event-loop turn) when a sweep starts and when Theory results arrive; ``--stalls-only``
measures only these (the Neuron tab's: ``benchmarks/neuro.py --stalls-only``).

Usage: ``QT_QPA_PLATFORM=offscreen python benchmarks/gui.py [--seconds 20] [--stalls-only]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import deque
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PySide6 import QtCore, QtWidgets  # noqa: E402

from gui.app import create_app  # noqa: E402
from gui.networks.layout import PACES  # noqa: E402
from gui.networks.training_worker import TrainingWorker  # noqa: E402
from models.blas import single_thread_blas  # noqa: E402
from models.config import ExperimentConfig  # noqa: E402
from models.experiment import Experiment  # noqa: E402

CONFIG = ExperimentConfig(steps=10_000_000)


def wait(seconds: float) -> None:
    """Run the Qt event loop for `seconds` (sleeping when idle, as the real app does)."""
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def engine_steps_per_s(seconds: float) -> float:
    """Return grid steps per second of the bare engine (no probes, no thread)."""
    with single_thread_blas():
        exp = Experiment(CONFIG)
        exp.run(20)
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            exp.run(CONFIG.log_every)
            steps += CONFIG.log_every
        return steps / (time.perf_counter() - start)


def worker_steps_per_s(app: QtWidgets.QApplication, seconds: float) -> tuple[float, int]:
    """Return steps per second of the worker with no window (frames acknowledged at once)."""
    worker = TrainingWorker()
    frames = []

    def on_frame(frame):
        worker.acknowledge()
        frames.append(frame.snapshot.step)

    worker.frame_ready.connect(on_frame)
    worker.start()
    worker.reset(Experiment(CONFIG))
    worker.play()
    wait(1.0)
    first, t0 = (frames[-1] if frames else 0), time.perf_counter()
    wait(seconds)
    rate = (frames[-1] - first) / (time.perf_counter() - t0)
    worker.stop()
    return rate, len(frames)


def window_run(app: QtWidgets.QApplication, seconds: float) -> dict:
    """Train in the real window; return frame times, steps per second and timer lateness."""
    from gui.main_window import MainWindow
    from gui.networks.tab import NetworksTab

    tab = NetworksTab(CONFIG)
    window = MainWindow(tab)
    window.show()
    lateness: list[float] = []
    state = {"due": 0.0}
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.setSingleShot(True)

    def tick():
        now = time.perf_counter()
        lateness.append(1000 * (now - state["due"]))
        state["due"] = time.perf_counter() + 0.010
        timer.start(10)

    timer.timeout.connect(tick)
    tab.set_pace_index(len(PACES) - 1)  # full speed: the benchmark measures the live frame
    tab.play()
    wait(1.5)
    tab.frame_times = deque(maxlen=100_000)
    tab.frame_cpu_times = deque(maxlen=100_000)
    frames0 = tab.frames_drawn
    step0, t0 = tab.shown_step, time.perf_counter()
    state["due"] = t0 + 0.010
    timer.start(10)
    wait(seconds)
    elapsed = time.perf_counter() - t0
    steps = tab.shown_step - step0
    timer.stop()
    frames = tab.frames_drawn - frames0
    frame_ms = [1000 * t for t in tab.frame_times]
    cpu_ms = [1000 * t for t in tab.frame_cpu_times]
    window.close()
    return {"frame_ms": frame_ms, "frame_cpu_ms": cpu_ms, "steps_per_s": steps / elapsed,
            "frames_per_s": frames / elapsed, "latency_ms": lateness[1:]}


def wait_for(condition, timeout_s: float) -> float:
    """Run the event loop until `condition()`; return the seconds it took (nan on timeout)."""
    from gui.runner import wait_until

    start = time.perf_counter()
    return time.perf_counter() - start if wait_until(condition, timeout_s) else float("nan")


def close_times(app: QtWidgets.QApplication) -> dict:
    """Return seconds to close mid-work, and to the first sweep rows on show."""
    import concurrent.futures as cf

    from gui.main_window import MainWindow
    from gui.networks.tab import NetworksTab
    from gui.sweep.tab import SweepTab
    from gui.theory.tab import TheoryTab

    out = {}
    window = MainWindow(NetworksTab(CONFIG))
    window.show()
    window.networks.set_pace_index(len(PACES) - 1)
    window.networks.play()
    window.neuron.apply_settings({"parameters": {"duration_s": 30.0, "n_neurons": 2000}})
    window.neuron.run()
    wait_for(lambda: window.neuron.progress_bar.value() > 0, 120)
    start = time.perf_counter()
    window.close()
    out["window_training_and_brian2_s"] = round(time.perf_counter() - start, 3)

    sweep = SweepTab()
    sweep.show()
    sweep.apply_settings({"activations": ["relu"], "lrs": [0.1], "seeds": 50, "steps": 2000})
    with cf.ThreadPoolExecutor(1) as pool:
        sweep.run(executor=pool)
        out["sweep_first_rows_s"] = round(wait_for(lambda: bool(sweep.rows), 60), 3)
        start = time.perf_counter()
        sweep.shutdown()
        out["sweep_shutdown_s"] = round(time.perf_counter() - start, 3)
    theory = TheoryTab(autorun=False)
    theory.show()
    theory.run()
    wait_for(lambda: bool(theory.results), 60)
    start = time.perf_counter()
    theory.shutdown()
    out["theory_shutdown_s"] = round(time.perf_counter() - start, 3)
    return out


def start_stalls(repeats: int = 3) -> dict:
    """GUI-thread stalls from a sweep's start to its first rows, and while Theory results arrive.

    The sweep runs on its real worker processes (the pool starts inside the measurement);
    Theory computes every section. Each tab is shown and painted before its measurement
    starts. Median and max over `repeats` runs each.
    """
    from benchmarks.stall import StallMeter, aggregate, run_until
    from gui.sweep.tab import SweepTab
    from gui.theory.tab import TheoryTab

    sweeps, theories = [], []
    for _ in range(repeats):
        sweep = SweepTab()
        sweep.show()
        sweep.apply_settings({"activations": ["relu"], "lrs": [0.1], "seeds": 4, "steps": 300})
        run_until(lambda: True, 5, settle_s=0.5)  # the tab's first paint is not the sweep's
        with StallMeter() as meter:
            sweep.run(temporary_ok=True)
            first = run_until(lambda s=sweep: bool(s.rows), 120, settle_s=0.2)
        sweeps.append({**meter.summary(), "first_rows_s": round(first, 3)})
        sweep.shutdown()
        sweep.close()
        theory = TheoryTab(autorun=False)
        theory.show()
        run_until(lambda: True, 5, settle_s=0.5)  # the tab's first paint is not the results'
        with StallMeter() as meter:
            theory.run()
            run_until(lambda t=theory: t._state != "running", 120, settle_s=0.2)
        theories.append(meter.summary())
        theory.shutdown()
        theory.close()
    return {"sweep_start": aggregate(sweeps), "theory_results": aggregate(theories),
            "target": "gap_ms_max < 50"}


def main() -> int:
    """Run the measurements and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each run")
    parser.add_argument("--stalls-only", action="store_true",
                        help="measure only the GUI-thread stalls")
    args = parser.parse_args()
    app = create_app()
    if args.stalls_only:
        print(json.dumps({"cores": os.cpu_count(), "stalls": start_stalls(),
                          "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]},
                         indent=2))
        return 0
    engine = engine_steps_per_s(min(args.seconds, 5.0))
    headless, headless_frames = worker_steps_per_s(app, args.seconds)
    run = window_run(app, args.seconds)
    closing = close_times(app)
    frame = np.array(run["frame_ms"]) if run["frame_ms"] else np.array([np.nan])
    latency = np.array(run["latency_ms"]) if run["latency_ms"] else np.array([np.nan])
    result = {
        "grid": f"{len(CONFIG.activations)} x {len(CONFIG.lrs)}",
        "network": f"2-{'-'.join([str(CONFIG.width)] * CONFIG.depth)}-1, batch "
                   f"{CONFIG.batch_size}, {CONFIG.dtype}",
        "cores": os.cpu_count(),
        "frame_ms_median": round(float(np.median(frame)), 2),
        "frame_ms_p95": round(float(np.percentile(frame, 95)), 2),
        "frame_cpu_ms_median": round(float(np.median(run["frame_cpu_ms"] or [np.nan])), 2),
        "frames_per_s": round(run["frames_per_s"], 1),
        "steps_per_s_engine_only": round(engine, 1),
        "steps_per_s_headless_worker": round(headless, 1),
        "steps_per_s_drawing": round(run["steps_per_s"], 1),
        "drawing_cost_fraction": round(1 - run["steps_per_s"] / headless, 3),
        "event_loop_latency_ms_median": round(float(np.median(latency)), 2),
        "event_loop_latency_ms_p95": round(float(np.percentile(latency, 95)), 2),
        "close_s": closing,
        "stalls": start_stalls(),
        "targets": {"frame_ms_median": "< 16", "event_loop_latency_ms_p95": "< 50",
                    "drawing_cost_fraction": "< 0.25", "close_s": "< 2 each",
                    "sweep_first_rows_s": "< 15"},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
