"""Sweep throughput: runs/s of a 64-run sweep on 1 and 2 local workers, and the Dask overhead.

Prints JSON. Each figure is the median of ``--repeats`` runs of the whole sweep (pool start-up
included). The Dask path runs the same sweep on a ``LocalCluster`` of two single-threaded
worker processes on loopback; its overhead is its time over the 2-worker local pool's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.config import ExperimentConfig  # noqa: E402
from models.sweep_executor import run_sweep  # noqa: E402
from models.sweep_spec import SweepSpec  # noqa: E402


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
    parser.add_argument("--repeats", type=int, default=3, help="repeats per figure (default 3)")
    args = parser.parse_args()
    spec = make_spec(args.steps)
    result = {"runs": len(spec), "steps_per_run": args.steps, "net": "2-64-64-64-1, batch 128",
              "cores": os.cpu_count(), "repeats": args.repeats}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        times = {}
        for workers in (1, 2):
            times[workers] = statistics.median(timed(spec, folder, workers=workers)
                                               for _ in range(args.repeats))
            result[f"runs_per_s_{workers}_worker{'s' if workers > 1 else ''}"] = round(
                len(spec) / times[workers], 2)
        result["speedup_2_vs_1"] = round(times[1] / times[2], 3)
        result["speedup_target"] = 1.7
        try:
            from distributed import LocalCluster
        except ImportError:
            result["dask"] = "dask[distributed] not installed"
        else:
            start = time.perf_counter()
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=":0") as cluster:
                startup = time.perf_counter() - start
                dask_time = statistics.median(
                    timed(spec, folder, scheduler=cluster.scheduler_address)
                    for _ in range(args.repeats))
            result["dask_cluster_startup_s"] = round(startup, 2)
            result["runs_per_s_dask_2_workers"] = round(len(spec) / dask_time, 2)
            result["dask_overhead_vs_local_2_workers"] = round(dask_time / times[2] - 1, 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
