"""`main.py theory`: each section writes its CSV with unit-bearing columns and its figures."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def theory(*args, timeout=120):
    return subprocess.run([sys.executable, "main.py", "theory", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_born_dead_csv_and_figures(tmp_path):
    result = theory("born-dead", "--widths", "2,3,5", "--depths", "4,9", "--trials", "400",
                    "--init", "he", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    header, rows = read(tmp_path / "born_dead.csv")
    assert header == ["width", "depth", "init", "trials", "p_born_dead", "p_single_point_bound"]
    assert len(rows) == 6
    for width, depth, init, trials, p, bound in rows:
        assert init == "he" and trials == "400"
        assert float(bound) == pytest.approx(1 - (1 - 2.0 ** -int(width)) ** int(depth))
        assert 0 <= float(p) < float(bound)
    for ext in ("png", "svg"):
        assert (tmp_path / f"born_dead.{ext}").stat().st_size > 1000
    assert json.loads(result.stdout)["born-dead"]["below_bound"] is True


def test_all_sections(tmp_path):
    result = theory("all", "--trials", "200", "--depths", "2,6", "--widths", "2,4",
                    "--depth", "20", "--points", "1024", "--alphas", "0,0.1,0.5",
                    "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["pruning"]["max_abs_output_difference"] <= 1e-12
    assert summary["sigmoid"]["max_sigmoid_derivative"] == pytest.approx(0.25)
    assert summary["propagation"]["factors"]["he_leaky"]["predicted"] == pytest.approx(1.0)
    for name in ("gradients", "propagation", "born_dead", "pruning", "sigmoid"):
        header, rows = read(tmp_path / f"{name}.csv")
        assert rows
    header, rows = read(tmp_path / "gradients.csv")
    assert "mean_g_measured" in header and "var_g_predicted" in header
    for stem in ("gradients", "propagation_forward", "propagation_backward", "born_dead",
                 "pruning_units", "pruning_outputs", "sigmoid"):
        assert (tmp_path / f"{stem}.png").exists() and (tmp_path / f"{stem}.svg").exists()


@pytest.mark.parametrize("args,needle", [
    (["born-dead", "--init", "xavier"], "--init"),
    (["born-dead", "--trials", "0"], "--trials"),
    (["born-dead", "--widths", "0"], "--widths"),
    (["gradients", "--alphas", "2"], "--alphas"),
    (["nonsense"], "section"),
])
def test_bad_inputs_one_line(tmp_path, args, needle):
    result = theory(*args, "--out", str(tmp_path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr
