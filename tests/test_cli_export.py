"""`main.py export`: every figure of every tab as PNG, SVG, PDF and CSV, with no Qt at all.

One export of the ``high-lr-kills`` preset (4000 steps probed every 10) is shared by the
checks: each SVG rendered by librsvg matches its PNG, no SVG holds text as bitmaps, the
history CSVs hold one row per probe, files carry the user's umask, and the folder says how
to regenerate itself.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.headless import run_without_qt

TABS = ("networks", "sweep", "neuron", "theory")
EXPECTED = {
    "networks": ["networks_grid", "loss_all_cells", "dead_fraction_all_cells",
                 "cell-relu@6/loss", "cell-relu@6/dead_fraction_per_layer",
                 "cell-relu@6/kymograph", "cell-relu@6/output"],
    "sweep": ["sweep_dead_fraction_heatmap", "sweep_final_loss_heatmap",
              "sweep_dead_fraction_vs_lr"],
    "neuron": ["currents", "voltage", "raster", "population_rate", "fi_curve", "alpha_scan",
               "response_gain", "response_phase"],
    "theory": ["gradients", "propagation_forward", "propagation_backward", "born_dead",
               "pruning_units", "pruning_outputs", "sigmoid"],
}
# figures drawn with heatmap images: (images) = heatmaps + their one colour bar
IMAGES = {"networks_grid": 9, "kymograph": 2, "output": 2, "sweep_dead_fraction_heatmap": 2,
          "sweep_final_loss_heatmap": 2}
PER_PROBE = ["networks/loss_all_cells", "networks/dead_fraction_all_cells",
             "networks/cell-relu@6/loss", "networks/cell-relu@6/dead_fraction_per_layer",
             "networks/cell-relu@6/kymograph"]
UNIT_SUFFIX = re.compile(r"_(hz|na|mv|ms|s|deg|pf|ns|hz_per_na|nats|logit|y_squared)\b")
DIMENSIONLESS = ("fraction", "probability", "step", "lr", "loss", "alpha", "activation",
                 "layer", "unit", "neuron", "init", "depth", "width", "seed", "dead",
                 "diverged", "trials", "samples", "logit", "difference", "factor", "mean",
                 "var", "sparsity", "rms", "spike", "bound", "stderr", "x1", "x2", "status",
                 "message", "measured", "predicted", "count", "points", "seeds", "output",
                 "x", "units", "noise_mv", "params", "hash",  # config_hash: an identifier
                 "section", "quantity", "formula", "relation", "tolerance", "agrees",
                 "reason")  # verdicts.csv: theory quantities are dimensionless


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "figs"
    result = run_without_qt("export", "--preset", "high-lr-kills", "--cell", "relu@6", "--out",
                            str(out), timeout=1500, umask=0o022)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return out


def stems(out: Path) -> list[str]:
    return [f"{tab}/{name}" for tab, names in EXPECTED.items() for name in names]


VIEW_BLOCK = 6  # compare at 50 dpi (300 / 6): as a reader sees the figure, not anti-aliasing


def rsvg_png(svg: Path, dpi: int = 300) -> bytes:
    """Render `svg` with librsvg at `dpi` on white."""
    return subprocess.run(["rsvg-convert", "--dpi-x", str(dpi), "--dpi-y", str(dpi),
                           "--background-color", "white", str(svg)], capture_output=True,
                          check=True).stdout


def view_correlation(drawn: np.ndarray, written: np.ndarray, block: int = VIEW_BLOCK) -> float:
    """Correlation of grey levels averaged over `block` x `block` pixel squares.

    Glyph hinting and anti-aliasing differ between librsvg and Agg pixel by pixel (a
    legend's rows can sit 2-4 px apart at 300 dpi); a curve drawn as a filled polygon,
    data shifted from its axes or text turned to blurred bitmaps differ at any scale.
    """
    h, w = (s // block * block for s in drawn.shape)

    def pool(a):
        return a[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))

    return float(np.corrcoef(pool(drawn).ravel(), pool(written).ravel())[0, 1])


def grey(png: bytes | Path) -> np.ndarray:
    from PIL import Image

    image = Image.open(io.BytesIO(png) if isinstance(png, bytes) else png)
    return np.asarray(image.convert("L"), float)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_every_figure_of_every_tab_in_every_format(exported):
    for stem in stems(exported):
        for ext in ("png", "svg", "pdf", "csv"):
            assert (exported / f"{stem}.{ext}").is_file(), f"{stem}.{ext} missing"
        levels = grey(exported / f"{stem}.png")
        assert levels.shape[1] == 2100 and levels.std() > 5, f"{stem}.png is blank"
        assert (exported / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_svg_rendered_by_librsvg_matches_its_png(exported):
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert (librsvg2-bin) is not installed; .ci/run installs it")
    for stem in stems(exported):
        drawn = grey(rsvg_png(exported / f"{stem}.svg"))
        written = grey(exported / f"{stem}.png")
        assert drawn.shape == written.shape, f"{stem}: {drawn.shape} vs {written.shape}"
        r = view_correlation(drawn, written)
        assert r >= 0.9, f"{stem}.svg drawn by librsvg differs from its PNG (r = {r:.3f})"


def test_the_svg_comparison_catches_filled_curves_and_shifted_data(tmp_path):
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert (librsvg2-bin) is not installed")
    from figures.render import render_formats
    from figures.spec import Axis, Figure, Line, Panel, Table

    x = np.linspace(0, 6.28, 300)
    panel = Panel("", Axis("x"), Axis("y"), [Line("s", x, np.sin(x), "sine"),
                                             Line("c", x, np.cos(3 * x), "cosine")])
    data = render_formats(Figure("f", "Waves", [panel], Table(["x"], [[0.0]])),
                          ("png", "svg"))
    svg = tmp_path / "f.svg"
    svg.write_bytes(data["svg"])
    written = grey(data["png"])
    assert view_correlation(grey(rsvg_png(svg)), written) >= 0.9
    text = data["svg"].decode()
    filled = re.sub(r"fill: none", "fill: #0072b2", text)  # curves become filled polygons
    svg.write_text(filled)
    assert view_correlation(grey(rsvg_png(svg)), written) < 0.9
    shifted = text.replace('<g id="line2d_', '<g transform="translate(0 40)" id="line2d_')
    svg.write_text(shifted)  # every curve 40 pt off its axes
    assert view_correlation(grey(rsvg_png(svg)), written) < 0.9


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_no_svg_embeds_text_as_bitmaps(exported):
    for stem in stems(exported):
        text = (exported / f"{stem}.svg").read_text(encoding="utf-8")
        name = stem.rsplit("/", 1)[-1]
        assert text.count("<image") == IMAGES.get(name, 0), stem
        labels = re.findall(r"<text[^>]*>([^<]+)", text)
        assert len(labels) >= 5, f"{stem}.svg: its labels are not text"


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_history_csvs_hold_one_row_per_probe(exported):
    for stem in PER_PROBE:
        with open(exported / f"{stem}.csv", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        assert header[0] == "step"
        assert len(body) == 401, f"{stem}.csv: {len(body)} rows"
        steps = [r[0] for r in body]
        assert steps == [str(10 * i) for i in range(401)], f"{stem}.csv: steps not integers"
    with open(exported / "networks/cell-relu@6/loss.csv", newline="") as handle:
        assert next(csv.reader(handle)) == ["step", "loss_nats", "test_loss_nats",
                                            "train_accuracy_fraction", "test_accuracy_fraction"]


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_csv_columns_carry_units_and_layers_count_from_one(exported):
    for path in exported.rglob("*.csv"):
        with open(path, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(reader)
        for column in header:
            name = column.lower()
            assert UNIT_SUFFIX.search(name) or any(w in name for w in DIMENSIONLESS), \
                f"{path.name}: column {column!r} names no unit"
        if "layer" in header and path.parent.name != "sweep":
            layers = {int(r[header.index("layer")]) for r in rows}
            assert min(layers) == 1, f"{path.name}: layers from {min(layers)}"
    with open(exported / "networks/networks_grid.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["activation"] for r in rows} == {"relu", "leaky_relu"}
    assert {r["layer"] for r in rows} == {"1", "2", "3"}


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_files_follow_the_umask_and_the_folder_says_how_to_regenerate_it(exported):
    for path in exported.rglob("*"):
        if path.is_file() and path.suffix in (".png", ".svg", ".pdf", ".csv"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    readme = (exported / "README.txt").read_text()
    assert "ReLU Lab 0.1.0" in readme
    script = (exported / "reproduce.sh").read_text()
    assert 'main.py export --config "$here"/config.json --out "$here"' in script
    assert "--cell relu@6" in script
    assert os.access(exported / "reproduce.sh", os.X_OK)
    import json

    document = json.loads((exported / "config.json").read_text())
    assert document["networks"]["config"]["steps"] == 4000
    assert document["networks"]["config"]["log_every"] == 10


@pytest.mark.parametrize("args, needle", [
    (["--preset", "nope"], "--preset: unknown preset 'nope'"),
    (["--session", "missing.json"], "--session: missing.json: cannot read"),
    (["--preset", "high-lr-kills", "--steps", "20", "--tabs", "networks", "--cell", "relu@9"],
     "--cell: 'relu@9' is not a cell of the grid"),
    (["--tabs", "networks,plots"], "--tabs: unknown tab 'plots'"),
    (["--style", "missing.mplstyle"], "--style: missing.mplstyle: no such file"),
])
def test_export_bad_input_is_one_line(run_main, tmp_path, args, needle):
    result = run_main("export", "--out", str(tmp_path / "o"), *args)
    assert result.returncode == 2, result.stderr
    assert not (tmp_path / "o").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
