"""`main.py export`: every figure of every tab as PNG (with content), SVG and CSV (with units)."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtGui

ROOT = Path(__file__).resolve().parent.parent
TABS = ("networks", "sweep", "neuron", "theory")
# A column is unit-bearing when it ends in an SI-prefixed unit, or declares a dimensionless
# quantity by name (fractions, probabilities, counts, indices, labels, ratios, losses).
UNIT_SUFFIX = re.compile(r"_(hz|na|mv|ms|s|deg|pf|ns|hz_per_na)$")
DIMENSIONLESS = ("fraction", "probability", "step", "lr", "loss", "alpha", "activation",
                 "layer", "unit", "neuron", "init", "depth", "width", "seed", "dead",
                 "diverged", "trials", "samples", "logit", "difference", "factor", "mean",
                 "var", "sparsity", "rms", "spike", "bound", "stderr", "x1", "x2", "status",
                 "message", "measured", "predicted", "count", "points")


def run_main(*args, timeout=600):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def png_has_content(path: Path) -> bool:
    image = QtGui.QImage(str(path))
    if image.isNull() or image.width() < 100 or image.height() < 100:
        return False
    small = image.scaled(64, 64)
    colours = {small.pixel(x, y) for x in range(64) for y in range(64)}
    return len(colours) > 8


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_export_writes_every_figure_of_every_tab(tmp_path, lab_app):
    out = tmp_path / "figs"
    result = run_main("export", "--preset", "high-lr-kills", "--steps", "300", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    stems = sorted({p.stem for p in out.iterdir()})
    for tab in TABS:
        assert any(s.startswith(f"{tab}-") for s in stems), f"no figure of the {tab} tab"
    for stem in stems:
        for ext in ("png", "svg", "csv"):
            assert (out / f"{stem}.{ext}").is_file(), f"{stem}.{ext} missing"
        assert png_has_content(out / f"{stem}.png"), f"{stem}.png is blank"
        assert (out / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        with open(out / f"{stem}.csv", newline="") as handle:
            header = next(csv.reader(handle))
        for column in header:
            name = column.lower()
            assert UNIT_SUFFIX.search(name) or any(w in name for w in DIMENSIONLESS), \
                f"{stem}.csv: column {column!r} names no unit"


@pytest.mark.parametrize("args, needle", [
    (["--preset", "nope"], "--preset: unknown preset 'nope'"),
    (["--session", "missing.json"], "--session: missing.json: cannot read"),
])
def test_export_bad_input_is_one_line(tmp_path, args, needle):
    result = run_main("export", "--out", str(tmp_path / "o"), *args, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
