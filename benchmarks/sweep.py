"""Sweep throughput: runs/s of a 64-run sweep on 1 and 2 local workers, and the Dask overhead.

Prints JSON. Each figure is the median of ``--repeats`` runs of the whole sweep (pool start-up
included). The Dask path runs the same sweep on a ``LocalCluster`` of two single-threaded
worker processes on loopback; its overhead is its time over the 2-worker local pool's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.config import ExperimentConfig  # noqa: E402
from models.sweep.executor import run_sweep  # noqa: E402
from models.sweep.spec import SweepSpec  # noqa: E402


def make_spec(steps: int) -> SweepSpec:
    """Return the 64-run benchmark sweep: 4 activations x 4 lrs x 4 seeds, default net."""
    base = ExperimentConfig(dataset="spiral", n_samples=512, width=64, depth=3,
                            batch_size=128)
    return SweepSpec(activations=("relu", "leaky_relu", "elu", "tanh"),
                     lrs=(0.003, 0.03, 0.3, 3.0), seeds=4, steps=steps, probe_every=25,
                     base=base)


def timed(spec: SweepSpec, folder: Path, **options) -> float:
    """Return the wall time of one whole sweep."""
    out = folder / f"s{time.perf_counter_ns()}.csv"
    start = time.perf_counter()
    rows = run_sweep(spec, out, **options)
    elapsed = time.perf_counter() - start
    assert len(rows) == len(spec) and all(r["status"] == "ok" for r in rows)
    out.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=800, help="steps per run (default 800)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per figure (default 5)")
    args = parser.parse_args()
    spec = make_spec(args.steps)
    result = {"runs": len(spec), "steps_per_run": args.steps, "net": "2-64-64-64-1, batch 128",
              "cores": os.cpu_count(), "repeats": args.repeats}
    try:
        from distributed import LocalCluster
    except ImportError:
        LocalCluster = None  # noqa: N806
        result["dask"] = "dask[distributed] not installed"
    samples: dict[str, list[float]] = {"1": [], "2": [], "dask": []}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        cluster = None
        if LocalCluster is not None:
            start = time.perf_counter()
            cluster = stack.enter_context(LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0"))
            result["dask_cluster_startup_s"] = round(time.perf_counter() - start, 2)
        # Interleave the three ways so a change in the machine's load hits them alike.
        for _ in range(args.repeats):
            samples["1"].append(timed(spec, folder, workers=1))
            samples["2"].append(timed(spec, folder, workers=2))
            if cluster is not None:
                samples["dask"].append(timed(spec, folder,
                                             scheduler=cluster.scheduler_address))
    t1, t2 = statistics.median(samples["1"]), statistics.median(samples["2"])
    result["runs_per_s_1_worker"] = round(len(spec) / t1, 2)
    result["runs_per_s_2_workers"] = round(len(spec) / t2, 2)
    result["speedup_2_vs_1"] = round(t1 / t2, 3)
    result["speedup_target"] = 1.7
    if samples["dask"]:
        td = statistics.median(samples["dask"])
        result["runs_per_s_dask_2_workers"] = round(len(spec) / td, 2)
        result["dask_overhead_vs_local_2_workers"] = round(td / t2 - 1, 3)
    result["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
