"""The diagnose command end to end and its one-line errors; the diagnostic figures' tables."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli.diagnose_command import diagnostic_figures, parse_cell, parse_unit
from cli.errors import UsageError
from models.config import ExperimentConfig
from models.experiment import Experiment

ROOT = Path(__file__).resolve().parent.parent


def run_process(*args, timeout=300):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


SMALL = ("--dataset", "spiral", "--samples", "128", "--width", "8", "--depth", "2",
         "--activations", "relu,leaky_relu", "--lrs", "0.01,3", "--steps", "40",
         "--log-every", "10", "--batch-size", "32")


@pytest.mark.slow
def test_diagnose_writes_every_figure_and_csv(tmp_path):
    out = tmp_path / "diag"
    result = run_process("diagnose", *SMALL, "--cell", "relu@3", "--unit", "L2:3", "--out",
                         str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("preactivation_drift", "update_sizes", "update_ratio_grid", "plateau"):
        for ext in ("png", "svg", "pdf", "csv"):
            assert (out / f"{name}.{ext}").stat().st_size > 0
    with open(out / "preactivation_drift.csv") as handle:
        rows = list(csv.DictReader(handle))
    steps = sorted({int(r["step"]) for r in rows})
    assert steps == [0, 10, 20, 30, 40]
    for step in steps:  # counts of every layer sum to probe points x units
        for layer in ("1", "2"):
            total = sum(int(r["count_points_x_units"]) for r in rows
                        if int(r["step"]) == step and r["layer"] == layer)
            assert total == 128 * 8
    with open(out / "plateau.csv") as handle:
        header = next(csv.reader(handle))
    assert header == ["bias_z_units", "weight_norm", "training_loss_nats", "flat"]
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("option, value, message", [
    ("--cell", "relu@5", "--cell: 'relu@5' is not in the grid; choose from relu@0.01"),
    ("--cell", "relu", "--cell: 'relu' is not ACTIVATION@LR"),
    ("--unit", "L3:1", "--unit: layer 3 is not in 1..2"),
    ("--unit", "L1:9", "--unit: unit 9 is not in 1..8"),
    ("--unit", "2:17", "--unit: '2:17' is not LLAYER:UNIT"),
])
def test_diagnose_bad_cell_or_unit_is_one_line(tmp_path, option, value, message, run_main):
    args = {"--cell": "relu@3", "--unit": "L1:1", option: value}
    out = tmp_path / "diag"
    result = run_main("diagnose", *SMALL, "--cell", args["--cell"], "--unit", args["--unit"],
                      "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists()


def test_parsers():
    labels = [("relu", 0.01), ("relu", 6.0)]
    assert parse_cell("relu@6", labels) == 1 and parse_cell("relu@1e-2", labels) == 0
    assert parse_unit("L2:17", 3, 48) == (1, 16)
    with pytest.raises(UsageError, match="--unit"):
        parse_unit("L0:1", 3, 48)


def test_figure_tables_carry_the_recorded_numbers():
    e = Experiment(ExperimentConfig(dataset="spiral", n_samples=128, width=8, depth=2,
                                    activations=("relu",), lrs=(0.01, 3.0), steps=30,
                                    log_every=10, batch_size=32))
    e.run(30)
    drift, updates, strip, plateau = diagnostic_figures(e, 1, 0, 2)
    assert drift.table.header[2:5] == ["z_bin_low_input_units", "z_bin_high_input_units",
                                       "count_points_x_units"]
    rows = np.array([r[:5] for r in updates.table.rows], float)
    ratio = e.history.extra("update_ratio")[:, 1]
    np.testing.assert_allclose(rows[rows[:, 0] == 30, 2], ratio[-1], rtol=1e-6)
    assert len(strip.panels) == 2 and len(strip.table) == 2 * 4 * 3
    surface_rows = np.asarray(plateau.table.rows, float)
    assert surface_rows.shape == (33 * 33, 4)
    image = plateau.panels[0].series[0]
    assert image.mask is not None and image.mask.shape == (33, 33)


def test_diagnose_refuses_a_file_as_out_folder(tmp_path, run_main):
    target = tmp_path / "a_file"
    target.write_text("keep me\n")
    result = run_main("diagnose", *SMALL, "--cell", "relu@3", "--out", str(target))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--out" in lines[0], result.stderr
    assert target.read_text() == "keep me\n"
