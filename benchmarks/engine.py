"""Engine speed: steps/s of the default net and the default 5 x 4 grid, probe share, vs PyTorch.

Prints JSON. Every figure is the median of several repeats; ratios against PyTorch are
measured in the same run. BLAS is pinned to one thread, as in the app.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.config import ExperimentConfig  # noqa: E402
from models.experiment import Experiment  # noqa: E402
from models.network import Network  # noqa: E402

REPEATS = 5
BATCH = 128
WIDTHS = [64, 64, 64]


def median_rate(fn, steps: int, repeats: int = REPEATS) -> float:
    """Median of `repeats` measurements of steps per second of `fn(steps)`."""
    fn(max(steps // 10, 1))  # warm up
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(steps)
        rates.append(steps / (time.perf_counter() - start))
    return statistics.median(rates)


def batch(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, 2)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
    return x, y


def numpy_single(steps_per_repeat: int) -> float:
    x, y = batch()
    net = Network(2, WIDTHS, "relu", lr=0.01)

    def run(n):
        for _ in range(n):
            net.train_step(x, y)

    return median_rate(run, steps_per_repeat)


def numpy_grid(steps_per_repeat: int) -> tuple[float, float]:
    experiment = Experiment(ExperimentConfig(lrs=(0.003, 0.01, 0.03, 0.1)))
    grid_rate = median_rate(experiment.run, steps_per_repeat)
    # probe share at the default cadence: time in snapshots / total time of iterate()
    cadence = experiment.config.log_every
    probe_time = train_time = 0.0
    for _ in range(8):
        start = time.perf_counter()
        experiment.run(cadence)
        middle = time.perf_counter()
        experiment.snapshot()
        end = time.perf_counter()
        train_time += middle - start
        probe_time += end - middle
    return grid_rate, probe_time / (probe_time + train_time)


def probe_and_diagnostics_share(steps: int, repeats: int = 3) -> dict[str, float]:
    """Share of headless training time spent probing and recording the diagnostics.

    Runs the default 5 x 4 grid at the default probe interval and times, inside `run`, the
    per-probe recording (probe, diagnostics histograms and unit parameters, history) and the
    update-ratio measurement on probe steps, against the whole run.
    """
    shares, diag_shares = [], []
    for _ in range(repeats):
        experiment = Experiment(ExperimentConfig(lrs=(0.003, 0.01, 0.03, 0.1)))
        experiment.start()
        spent = {"record": 0.0, "diagnostics": 0.0}
        record, fields = experiment._record, experiment.diagnostics.fields
        note = experiment.diagnostics.note_step

        def timed(fn, *keys, spent=spent):
            def wrapper(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    for key in keys:
                        spent[key] += time.perf_counter() - start
            return wrapper

        experiment._record = timed(record, "record")
        experiment.diagnostics.fields = timed(fields, "diagnostics")
        experiment.diagnostics.note_step = timed(note, "record", "diagnostics")
        start = time.perf_counter()
        experiment.run(steps)
        total = time.perf_counter() - start
        shares.append(spent["record"] / total)
        diag_shares.append(spent["diagnostics"] / total)
    return {"probe_and_diagnostics_share_of_training_time": statistics.median(shares),
            "diagnostics_only_share_of_training_time": statistics.median(diag_shares)}


def torch_rates(steps_single: int, steps_grid: int, threads: int) -> dict[str, float]:
    import torch

    torch.set_num_threads(threads)
    x_np, y_np = batch()
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    acts = {"relu": torch.nn.ReLU, "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
            "elu": torch.nn.ELU, "gelu": lambda: torch.nn.GELU(approximate="tanh"),
            "tanh": torch.nn.Tanh}

    def make(act):
        layers, fan_in = [], 2
        for w in WIDTHS:
            layers += [torch.nn.Linear(fan_in, w), acts[act]()]
            fan_in = w
        layers.append(torch.nn.Linear(fan_in, 1))
        model = torch.nn.Sequential(*layers)
        return model, torch.optim.SGD(model.parameters(), lr=0.01)

    loss_fn = torch.nn.BCEWithLogitsLoss()

    def step(model, opt):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    single = make("relu")

    def run_single(n):
        for _ in range(n):
            step(*single)

    grid = [make(a) for a in ExperimentConfig().activations for _ in range(4)]

    def run_grid(n):
        for _ in range(n):
            for model, opt in grid:
                step(model, opt)

    return {"single_steps_per_s": median_rate(run_single, steps_single),
            "grid_steps_per_s": median_rate(run_grid, steps_grid)}


def main() -> None:
    result: dict = {"python": sys.version.split()[0], "numpy": np.__version__,
                    "blas": [{k: i.get(k) for k in ("internal_api", "version", "architecture")}
                             for i in threadpool_info() if i.get("user_api") == "blas"],
                    "cpu_count": os.cpu_count(), "repeats": REPEATS,
                    "net": "2-64-64-64-1, batch 128, float32, SGD, BCE",
                    "grid": "5 activations x 4 learning rates = 20 nets"}
    with threadpool_limits(1, user_api="blas"):
        result["numpy_single_steps_per_s"] = round(numpy_single(2000), 1)
        grid_rate, probe_share = numpy_grid(100)
        result["numpy_grid_steps_per_s"] = round(grid_rate, 1)
        result["numpy_grid_net_steps_per_s"] = round(grid_rate * 20, 1)
        result["probe_share_of_training_time"] = round(probe_share, 4)
        shares = probe_and_diagnostics_share(500)
        result.update({k: round(v, 4) for k, v in shares.items()})
    try:
        import torch  # noqa: F401
    except ImportError:
        result["torch"] = "not installed: ratios skipped (pip install torch==2.13.0 to compare)"
    else:
        for threads in (1, 2):
            rates = torch_rates(2000, 100, threads)
            key = f"torch_{threads}_thread"
            result[key] = {k: round(v, 1) for k, v in rates.items()}
            result[f"ratio_single_vs_{key}"] = round(
                result["numpy_single_steps_per_s"] / rates["single_steps_per_s"], 2)
            result[f"ratio_grid_vs_{key}"] = round(
                result["numpy_grid_steps_per_s"] / rates["grid_steps_per_s"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
