"""Benchmark the Neuron mode: Brian2 run per target, f-I curve, frequency response, UI lateness.

``python benchmarks/neuro.py`` prints everything as JSON; ``--event-loop-only`` measures only
the event loop's lateness (process worker against an in-process thread); ``--crossing-only``
only the threshold-crossing correction's convergence in dt (correction on and off);
``--stalls-only`` only the Neuron tab's GUI-thread stalls (`neuron_tab_stalls`).
"""

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


# A control: a separate, idle Python process ticking every 10 ms. Its lateness is what the
# machine's load (the OS scheduler) costs anyone, whatever this process does.
_CONTROL = """
import json, select, sys, time
late, last = [], time.perf_counter()
while True:
    ready = select.select([sys.stdin], [], [], 0.010)[0]
    now = time.perf_counter()
    late.append(1000 * (now - last - 0.010))
    last = now
    if ready:
        break
late.sort()
print(json.dumps({"worst_ms": round(late[-2] if len(late) > 1 else 0, 1),
                  "p95_ms": round(late[int(0.95 * (len(late) - 1))], 1)}))
"""


def _lateness_while(app, start_job, is_done) -> dict:
    """Tick a 10 ms QTimer while a job runs; return its worst and p95 lateness (ms).

    ``control`` is the lateness of an idle separate process over the same interval.
    """
    import subprocess

    import numpy as np
    from PySide6 import QtCore

    control = subprocess.Popen([sys.executable, "-c", _CONTROL], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)

    last = [time.perf_counter()]
    lateness = []

    def tick():
        now = time.perf_counter()
        lateness.append(now - last[0] - 0.010)
        last[0] = now

    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    began = time.perf_counter()
    start_job()
    while not is_done():
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
    timer.stop()
    control_out, _ = control.communicate("stop\n", timeout=30)
    late = 1000.0 * np.array(lateness or [0.0])
    return {"worst_ms": round(float(late.max()), 1),
            "p95_ms": round(float(np.percentile(late, 95)), 1),
            "wall_s": round(time.perf_counter() - began, 2), "ticks": len(lateness),
            "control": json.loads(control_out)}


def event_loop_lateness() -> dict:
    """Lateness of a 10 ms timer during a 1000-neuron, 2 s noisy drive run.

    ``idle_no_job_5s`` is the same timer with nothing running: what the machine's load
    alone costs.
    ``process_worker`` is the tab's worker (a persistent spawn child; its first run
    includes starting the child and importing Brian2 there). ``in_process_thread`` runs
    the same job in a thread of this interpreter, as the tab did before, for comparison.
    """
    import threading

    from gui.headless import ensure_app
    from gui.neuron.worker import NeuronRunner
    from neuro.jobs import run_job
    from neuro.parameters import LifParameters

    app = ensure_app()
    payload = {"params": LifParameters(n_neurons=1000, duration_s=2.0, noise_mv=3.0)}
    out = {}
    idle_until = time.perf_counter() + 5.0
    out["idle_no_job_5s"] = _lateness_while(app, lambda: None,
                                            lambda: time.perf_counter() > idle_until)

    runner = NeuronRunner()
    runs = []
    for k in range(REPEATS):
        done = []
        runner.runner.finished.connect(lambda *a, d=done: d.append(1))
        runner.runner.failed.connect(lambda i, m, d=done: d.append(m))
        result = _lateness_while(app, lambda: runner.run({"drive": payload}),
                                 lambda d=done: bool(d))
        result["child_started_in_this_run"] = k == 0
        runs.append(result)
    start = time.perf_counter()
    clean = runner.shutdown()
    out["process_worker"] = {"runs": runs, "shutdown_s": round(time.perf_counter() - start, 3),
                             "shutdown_clean": clean}

    runs = []
    for _ in range(REPEATS):
        thread = threading.Thread(target=run_job, args=("drive", payload))
        runs.append(_lateness_while(app, thread.start, lambda t=thread: not t.is_alive()))
        thread.join()
    out["in_process_thread"] = {"runs": runs}
    for mode in ("process_worker", "in_process_thread"):
        worst = [r["worst_ms"] for r in out[mode]["runs"]]
        p95 = [r["p95_ms"] for r in out[mode]["runs"]]
        out[mode]["worst_ms_max"] = max(worst)
        out[mode]["p95_ms_median"] = statistics.median(p95)
    return out


SUB_TABS = (("Drive", "drive"), ("Drive: intervals", "drive"), ("f-I curve", "fi"),
            ("f-I curve", "scan"), ("Frequency response", "response"))


def neuron_tab_stalls(repeats: int = REPEATS) -> dict:
    """GUI-thread stalls of the Neuron tab (see `benchmarks.stall`), median and max of runs.

    ``first_visit``: a fresh tab (and a fresh simulation process) shown on the ``noisy``
    preset until every job is drawn; with the seconds to the "starting" state, to the
    first result drawn and to all. ``results_arriving``: with each sub-tab on screen, a
    finished job's reply (the result the first visit computed) reaches the tab as the
    runner delivers it, until it is drawn.
    """
    from benchmarks.stall import StallMeter, aggregate, run_until
    from gui.headless import ensure_app
    from gui.neuron.tab import NeuronTab

    ensure_app()
    first, arriving = [], {f"{title} ({job})": [] for title, job in SUB_TABS}
    for k in range(repeats):
        tab = NeuronTab(autorun=True)
        tab.resize(1280, 800)
        idle = getattr(tab, "is_idle", lambda t=tab: not t._pending and not t.intervals.busy())
        panel = getattr(tab, "starting", None)
        shown: list[tuple[str, float]] = []
        began = time.perf_counter()
        tab.result_shown.connect(lambda job, s=shown: s.append((job, time.perf_counter())))
        with StallMeter() as meter:
            tab.show()
            starting = run_until(lambda t=tab, p=panel: p.isVisible() if p is not None
                                 else t.status.text().startswith("starting"), 10)
            run_until(lambda s=shown: bool(s), 300)
            run_until(idle, 600, settle_s=0.3)
        first.append({**meter.summary(), "starting_state_s": round(starting, 3),
                      "first_result_s": round(shown[0][1] - began, 3) if shown else None,
                      "all_results_s": round(time.perf_counter() - began - 0.3, 3)})
        if k == repeats - 1:
            titles = [tab.views.tabText(i) for i in range(tab.views.count())]
            for title, job in SUB_TABS:
                tab.views.setCurrentIndex(titles.index(title))
                run_until(lambda: False, 0.5)
                result = tab._cache[tab._key(job)]
                for _ in range(repeats):
                    tab._pending = {job: tab._key(job)}
                    tab._job_count, tab._done_jobs = 1, 0
                    with StallMeter() as meter:
                        tab.runner.runner.progress.emit(tab._request, ("finished", job, result))
                        run_until(idle, 120, settle_s=0.3)
                    arriving[f"{title} ({job})"].append(meter.summary())
        assert tab.shutdown()
        tab.close()
        tab.deleteLater()
    return {"first_visit": aggregate(first),
            "results_arriving": {name: aggregate(runs) for name, runs in arriving.items()},
            "target": "gap_ms_max < 50 (gui_cpu_ms_max: the GUI thread's own CPU in one gap)"}


def crossing_convergence(dts=(0.2, 0.1, 0.05, 0.025), multiples=(0.5, 1.0),
                         trials: int = 2000, duration_s: float = 2.0) -> dict:
    """Relative error of the simulated noisy rate against Siegert per dt, correction on/off.

    Noise 5 mV, default neuron; ``trials`` neurons per current. Without the correction the
    error shrinks like sqrt(dt); with it, it sits at the statistical error (~1/sqrt(spikes)).
    """
    import numpy as np

    from neuro.analytic import theory_rate_hz
    from neuro.fi_curve import simulate_fi_curve
    from neuro.parameters import LifParameters

    params = LifParameters(noise_mv=5.0, duration_s=duration_s, seed=7)
    currents = params.rheobase_na * np.asarray(multiples)
    rows = []
    for dt in dts:
        row: dict = {"dt_ms": dt}
        for flag in (True, False):
            start = time.perf_counter()
            curve = simulate_fi_curve(params.replace(dt_ms=dt), currents, trials=trials,
                                      crossing_correction=flag)
            key = "corrected" if flag else "plain"
            row[f"{key}_relative_error"] = {
                f"{m:g}x_rheobase": round(float(e), 4)
                for m, e in zip(multiples, curve.rate_sim_hz / curve.rate_theory_hz - 1)}
            row[f"{key}_s"] = round(time.perf_counter() - start, 2)
        rows.append(row)
    expected = [round(float(np.sqrt(1.0 / (r * trials * (duration_s - 0.1)))), 4)
                for r in theory_rate_hz(currents, params)]
    return {"noise_mv": 5.0, "trials_per_current": trials, "duration_s": duration_s,
            "poisson_relative_error": dict(zip((f"{m:g}x_rheobase" for m in multiples),
                                               expected)),
            "by_dt": rows}


def main() -> None:
    from neuro.brian_import import import_brian2

    out: dict = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    if "--crossing-only" in sys.argv:
        out["crossing_correction_convergence"] = crossing_convergence()
        out["load_average_1_5_15"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(out, indent=2))
        return
    if "--stalls-only" in sys.argv:
        out["neuron_tab_stalls"] = neuron_tab_stalls()
        out["load_average_1_5_15"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(out, indent=2))
        return
    if "--event-loop-only" in sys.argv:
        out["event_loop_lateness_during_drive"] = event_loop_lateness()
        out["load_average_1_5_15"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(out, indent=2))
        return
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

    from neuro.fi_curve import ACCURATE_FI_DT_MS, default_currents_na, simulate_fi_curve
    from neuro.frequency_response import DEFAULT_FREQS_HZ, simulate_frequency_response
    from neuro.parameters import LifParameters

    noisy = LifParameters(noise_mv=5.0)
    currents = default_currents_na(noisy, 40)
    fi = [timed(lambda: simulate_fi_curve(noisy, currents)) for _ in range(REPEATS)]
    fine = [timed(lambda: simulate_fi_curve(noisy, currents, dt_ms=ACCURATE_FI_DT_MS))
            for _ in range(REPEATS)]
    out["fi_curve_40_points_noisy_s"] = {"median": round(statistics.median(fi), 3),
                                         "dt_ms": noisy.dt_ms,
                                         f"median_at_dt_{ACCURATE_FI_DT_MS:g}":
                                             round(statistics.median(fine), 3),
                                         "neurons": 1000, "duration_s": noisy.duration_s}
    resp = [timed(lambda: simulate_frequency_response(noisy, DEFAULT_FREQS_HZ))
            for _ in range(REPEATS)]
    out["frequency_response_10_freqs_s"] = {"median": round(statistics.median(resp), 3),
                                            "neurons": 1000 * len(DEFAULT_FREQS_HZ),
                                            "duration_s": noisy.duration_s}
    out["crossing_correction_convergence"] = crossing_convergence()
    out["event_loop_lateness_during_drive"] = event_loop_lateness()
    out["neuron_tab_stalls"] = neuron_tab_stalls()
    out["cores"] = os.cpu_count()
    out["load_average_1_5_15"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
