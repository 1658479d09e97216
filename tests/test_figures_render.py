"""figures/: tables, file writing and the matplotlib renderer, without any Qt."""

from __future__ import annotations

import os
import re
import stat

import numpy as np
import pytest

from figures import export_figure
from figures.files import write_bytes, write_provenance
from figures.render import SIZES, build, check_style, render
from figures.spec import Axis, ErrorBars, Figure, Image, Line, Note, Panel, Table
from figures.tables import csv_text


def line_figure(note: str | None = None) -> Figure:
    x = np.linspace(0.0, 10.0, 200)
    panel = Panel("", Axis("time", "ms"), Axis("rate", "Hz"),
                  [Line("rise", x, x, "rising"), Line("flat", x, np.full_like(x, 9.5), "high")])
    if note:
        panel.notes.append(Note("n", note))
    return Figure("lines", "Two lines", [panel],
                  Table(["t_ms", "rate_hz"], np.column_stack([x, x])))


def heatmap_figure() -> Figure:
    values = np.arange(12.0).reshape(3, 4) / 11
    mask = np.zeros((3, 4), bool)
    mask[1, 2] = True
    image = Image("img", values, (0, 4, 0, 3), levels=(0, 1), colorbar="activity", mask=mask,
                  mask_label="dead unit")
    panel = Panel("", Axis("unit"), Axis("layer", inverted=True), [image])
    return Figure("heat", "A heatmap", [panel], Table(["step"], [[1.0]]))


def test_csv_writes_integers_as_integers_and_nan_empty():
    table = Table(["step", "layer", "loss_nats", "lr"],
                  np.array([[4000.0, 1.0, 0.5, 3.0], [10.0, 2.0, np.nan, 0.3]]))
    lines = csv_text(table).splitlines()
    assert lines[0] == "step,layer,loss_nats,lr"
    assert lines[1] == "4000,1,0.5,3.0"
    assert lines[2] == "10,2,,0.3"


def test_files_get_the_umask_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_bytes(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


@pytest.mark.parametrize("kind", ["dir", "fifo", "symlink"])
def test_writing_refuses_to_replace_what_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "fig.png"
    if kind == "dir":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "real").write_text("keep")
        target.symlink_to(tmp_path / "real")
    with pytest.raises(OSError, match="not a regular file"):
        write_bytes(target, b"new")
    if kind == "symlink":
        assert (tmp_path / "real").read_text() == "keep"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("points", [1, 3])
def test_error_bars_render_without_a_numpy_deprecation(points):
    """One point or several: matplotlib is given a (2, N) spread, never a list of arrays."""
    import warnings

    x = np.arange(float(points))
    bars = ErrorBars("se", x, x, np.full(points, 0.1), np.full(points, 0.2))
    figure = Figure("bars", "Error bars", [Panel("", Axis("x"), Axis("y"), [bars])],
                    Table(["x"], x[:, None]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert render(figure, "svg", dpi=50).startswith(b"<?xml")


def test_png_width_follows_the_size_preset():
    import io

    from PIL import Image as PilImage

    for size, (inches, _, _) in SIZES.items():
        data = render(line_figure(), "png", size=size, dpi=100)
        width, _ = PilImage.open(io.BytesIO(data)).size
        assert width == round(inches * 100), size


def test_svg_keeps_text_as_text_and_embeds_only_heatmap_images():
    svg = render(line_figure(), "svg").decode()
    assert "<image" not in svg
    texts = re.findall(r"<text[^>]*>([^<]*)", svg)
    assert any("Two lines" in t for t in texts) and any("rate (Hz)" in t for t in texts)
    heat = render(heatmap_figure(), "svg").decode()
    # the heatmap and the colour bar's gradient (matplotlib rasterises a smooth bar); every
    # tick label, title and the colour bar's label stay text
    assert heat.count("<image") == 2
    assert any("activity" in t for t in re.findall(r"<text[^>]*>([^<]*)", heat))


def test_note_is_placed_where_it_covers_no_data():
    fig = build(line_figure(note="a note about the data"), "page")
    ax = fig.axes[0]
    notes = [t for t in ax.texts if t.get_text().startswith("a note")]
    renderer = fig.canvas.get_renderer()
    if notes:  # inside the axes: no data point under it
        box = notes[0].get_window_extent(renderer)
        x = np.linspace(0, 10, 200)
        for y in (x, np.full_like(x, 9.5)):
            pts = ax.transData.transform(np.column_stack([x, y]))
            inside = ((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0)
                      & (pts[:, 1] <= box.y1))
            assert not inside.any()
    else:  # no free corner: it went above the axes
        assert ax.get_title(loc="left").startswith("a note")


def test_legend_never_covers_the_data():
    fig = build(line_figure(), "column")
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend()
    if legend is None:
        assert fig.legends, "the legend went missing"
        return
    box = legend.get_window_extent(renderer)
    x = np.linspace(0, 10, 200)
    pts = ax.transData.transform(np.column_stack([x, x]))
    assert not ((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0)
                & (pts[:, 1] <= box.y1)).any()


def test_a_user_style_replaces_the_house_style(tmp_path):
    style = tmp_path / "dark.mplstyle"
    style.write_text("axes.facecolor: 102030\nsvg.fonttype: none\n")
    svg = render(line_figure(), "svg", style=style).decode()
    assert "#102030" in svg
    assert "#102030" not in render(line_figure(), "svg").decode()
    with pytest.raises(ValueError, match="--style"):
        check_style(tmp_path / "missing.mplstyle")


def test_export_writes_every_format_and_provenance(tmp_path):
    written = export_figure(line_figure(), tmp_path, prefix="t-")
    assert sorted(p.name for p in written) == ["t-lines.csv", "t-lines.pdf", "t-lines.png",
                                               "t-lines.svg"]
    assert (tmp_path / "t-lines.pdf").read_bytes().startswith(b"%PDF")
    readme, script = write_provenance(tmp_path, ["export", "--config", "$here/config.json",
                                                 "--out", "$here"], "what")
    text = script.read_text()
    assert 'export --config "$here"/config.json --out "$here"' in text
    assert os.access(script, os.X_OK)
    assert "ReLU Lab 0.1.0" in readme.read_text()
