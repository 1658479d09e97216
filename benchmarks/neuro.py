"""Benchmark the Neuron mode: Brian2 run per target, f-I curve, frequency response, UI lateness."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPEATS = 3


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sinusoid_run(target: str) -> dict:
    from neuro.lif_simulation import simulate
    from neuro.parameters import LifParameters

    params = LifParameters(n_neurons=1000, duration_s=1.0)
    first = timed(lambda: simulate(params, target=target, record=3))
    cached = [timed(lambda: simulate(params, target=target, record=3)) for _ in range(REPEATS)]
    return {"first_s": round(first, 3), "cached_median_s": round(statistics.median(cached), 3)}


def event_loop_lateness() -> dict:
    from PySide6 import QtCore

    from gui.headless import ensure_app
    from gui.neuron_worker import NeuronRunner
    from neuro.parameters import LifParameters

    app = ensure_app()
    runner = NeuronRunner()
    worst, samples = [], []
    for _ in range(REPEATS):
        done = []
        runner.worker.finished.connect(lambda *a, d=done: d.append(1))
        runner.worker.failed.connect(lambda i, m, d=done: d.append(m))
        last = [time.perf_counter()]
        lateness = []

        def tick(last=last, lateness=lateness):
            now = time.perf_counter()
            lateness.append(now - last[0] - 0.010)
            last[0] = now

        timer = QtCore.QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        runner.submit("drive", {"params": LifParameters(n_neurons=1000, duration_s=2.0,
                                                        noise_mv=3.0)})
        while not done:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        timer.stop()
        worst.append(max(lateness))
        samples.append(len(lateness))
    runner.shutdown()
    return {"worst_ms_median": round(1000 * statistics.median(worst), 1),
            "worst_ms_each": [round(1000 * w, 1) for w in worst],
            "ticks_per_run": samples}


def main() -> None:
    from neuro.brian_import import import_brian2

    out: dict = {}
    out["import_brian2_s"] = round(timed(import_brian2), 3)
    out["sinusoid_1000_neurons_1s"] = {"numpy": sinusoid_run("numpy")}
    from neuro.targets import choose_target, cython_available

    probe = timed(cython_available)
    choice = choose_target("cython")
    if choice.target == "cython":
        result = sinusoid_run("cython")
        result["compiler_probe_s"] = round(probe, 3)
        result["note"] = ("first_s includes compiling (cached in ~/.cython across runs; "
                          "a fresh cache takes 10 s or more)")
        out["sinusoid_1000_neurons_1s"]["cython"] = result
    else:
        out["sinusoid_1000_neurons_1s"]["cython"] = {"skipped": choice.reason}

    from neuro.fi_curve import default_currents_na, simulate_fi_curve
    from neuro.frequency_response import DEFAULT_FREQS_HZ, simulate_frequency_response
    from neuro.parameters import LifParameters

    noisy = LifParameters(noise_mv=5.0)
    currents = default_currents_na(noisy, 40)
    fi = [timed(lambda: simulate_fi_curve(noisy, currents)) for _ in range(REPEATS)]
    out["fi_curve_40_points_noisy_s"] = {"median": round(statistics.median(fi), 3),
                                         "neurons": 1000, "duration_s": noisy.duration_s}
    resp = [timed(lambda: simulate_frequency_response(noisy, DEFAULT_FREQS_HZ))
            for _ in range(REPEATS)]
    out["frequency_response_10_freqs_s"] = {"median": round(statistics.median(resp), 3),
                                            "neurons": 1000 * len(DEFAULT_FREQS_HZ),
                                            "duration_s": noisy.duration_s}
    out["event_loop_lateness_during_drive"] = event_loop_lateness()
    out["cores"] = os.cpu_count()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
