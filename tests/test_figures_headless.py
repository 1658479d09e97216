"""The command line runs, and writes its figures, with PySide6 unimportable.

Every end-to-end command test (`grid`, `sweep`, `neuron`, `theory`, `export`) runs its
command through `tests.headless.run_without_qt`; this file proves that runner really has no
Qt, and exports one slide-sized figure set at a chosen resolution.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.headless import NO_QT, ROOT, run_without_qt


def test_qt_really_is_unimportable_in_the_subprocess():
    result = run_without_qt("gui", "--help")
    assert result.returncode == 0  # --help needs no Qt
    result = subprocess.run([sys.executable, "-c", NO_QT + "import PySide6"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "PySide6" in result.stderr
    result = subprocess.run([sys.executable, "-c", NO_QT + "import pyqtgraph"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "pyqtgraph" in result.stderr


def figures_in(folder, names: list[str]) -> None:
    for name in names:
        for ext in ("png", "svg", "pdf"):
            path = folder / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > 1000, path


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_export_without_qt(tmp_path):
    result = run_without_qt("export", "--preset", "high-lr-kills", "--steps", "30",
                            "--tabs", "networks", "--cell", "leaky_relu@0.3", "--size",
                            "slide", "--dpi", "100", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    figures_in(tmp_path / "networks", ["networks_grid", "loss_all_cells"])
    figures_in(tmp_path / "networks" / "cell-leaky_relu@0.3", ["loss", "kymograph", "output",
                                                               "dead_fraction_per_layer"])
    assert (tmp_path / "reproduce.sh").is_file() and (tmp_path / "README.txt").is_file()
    from PIL import Image

    with Image.open(tmp_path / "networks" / "loss_all_cells.png") as image:
        assert image.width == round(40 / 3 * 100)  # a 13 1/3 in slide at --dpi 100
