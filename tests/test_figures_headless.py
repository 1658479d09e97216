"""Every command-line subcommand runs, and writes its figures, with PySide6 unimportable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_QT = "import sys; sys.modules['PySide6'] = None; sys.modules['pyqtgraph'] = None; "


def run_without_qt(args: list[str], timeout: float = 600):
    code = NO_QT + f"import main; sys.exit(main.main({args!r}))"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_qt_really_is_unimportable_in_the_subprocess():
    result = run_without_qt(["gui", "--help"])
    assert result.returncode == 0  # --help needs no Qt
    result = subprocess.run([sys.executable, "-c", NO_QT + "import PySide6"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "PySide6" in result.stderr


def figures_in(folder: Path, names: list[str]) -> None:
    for name in names:
        for ext in ("png", "svg", "pdf"):
            path = folder / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > 1000, path


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_grid_without_qt(tmp_path):
    out = tmp_path / "g"
    result = run_without_qt(["grid", "--steps", "50", "--out", str(out)])
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(out, ["activity_grid", "loss", "dead_fraction"])
    assert (out / "grid.csv").is_file()


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_sweep_without_qt(tmp_path):
    out = tmp_path / "s" / "sweep.csv"
    out.parent.mkdir()
    result = run_without_qt(["sweep", "--activations", "relu,leaky_relu", "--lrs", "0.1,3",
                             "--seeds", "2", "--steps", "20", "--samples", "64",
                             "--batch-size", "16", "--width", "8", "--depth", "2",
                             "--workers", "1", "--out", str(out)])
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(out.parent / "sweep_figures", ["sweep_dead_fraction_heatmap",
                                              "sweep_final_loss_heatmap",
                                              "sweep_dead_fraction_vs_lr"])


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_neuron_fi_without_qt(tmp_path):
    result = run_without_qt(["neuron", "fi", "--currents", "0.1,0.2,0.3,0.4,0.5",
                             "--duration-s", "0.3", "--n-neurons", "5", "--out",
                             str(tmp_path)])
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(tmp_path, ["fi_curve"])


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_theory_all_without_qt(tmp_path):
    result = run_without_qt(["theory", "all", "--trials", "50", "--points", "64", "--width",
                             "16", "--depth", "6", "--widths", "2,3", "--depths", "1,2,4",
                             "--prune-steps", "30", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(tmp_path, ["gradients", "propagation_forward", "propagation_backward",
                          "born_dead", "pruning_units", "pruning_outputs", "sigmoid"])


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_export_without_qt(tmp_path):
    result = run_without_qt(["export", "--preset", "high-lr-kills", "--steps", "30",
                             "--tabs", "networks", "--cell", "leaky_relu@0.3", "--size",
                             "slide", "--dpi", "100", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(tmp_path / "networks", ["networks_grid", "loss_all_cells"])
    figures_in(tmp_path / "networks" / "cell-leaky_relu@0.3", ["loss", "kymograph", "output",
                                                               "dead_fraction_per_layer"])
    assert (tmp_path / "reproduce.sh").is_file() and (tmp_path / "README.txt").is_file()
    from PIL import Image

    with Image.open(tmp_path / "networks" / "loss_all_cells.png") as image:
        assert image.width == round(40 / 3 * 100)  # a 13 1/3 in slide at --dpi 100
