"""Window export through figures/: every plot's right-click menu, the four files, the clipboard."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtWidgets

pytestmark = pytest.mark.gui

MENU_TEXTS = ["Export PNG…", "Export SVG…", "Export PDF…", "Export CSV…", "Copy image",
              "Copy data"]


@pytest.fixture
def figure(qtbot):
    from gui.figures import Figure

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot(title="A straight line")
    plot.setLabel("bottom", "step")
    plot.setLabel("left", "loss")
    x = np.arange(5.0)
    plot.plot(x, 2 * x + 1, name="loss")
    table = (["step", "loss_bce"], np.column_stack([x, 2 * x + 1]))
    yield Figure("line", plot, lambda: table)


def texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_menu_replaces_pyqtgraph_developer_items(figure):
    from gui.figure_view import install_figure_menu, menu_at

    menu = install_figure_menu(figure)
    assert texts(menu) == MENU_TEXTS
    plot = figure.item
    assert not plot.vb.menuEnabled()  # the ViewBox's own menu (View All, axes...) is gone
    assert not plot.menuEnabled()  # so is "Plot options"
    assert plot.scene().contextMenu == []  # and the "Export..." dialog
    assert install_figure_menu(figure) is menu  # twice: still one menu
    view = plot.scene().views()[0]
    centre = view.mapFromScene(plot.vb.sceneBoundingRect().center())
    assert menu_at(view, centre) is menu


def test_export_writes_four_files_with_matplotlib(figure, tmp_path):
    from gui.figure_export import export_figure

    files = export_figure(figure, tmp_path)
    assert sorted(p.suffix for p in files) == [".csv", ".pdf", ".png", ".svg"]
    assert (tmp_path / "line.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "line.pdf").read_bytes()[:5] == b"%PDF-"
    svg = (tmp_path / "line.svg").read_text()
    assert "<text" in svg and "A straight line" in svg  # real text, not outlines
    lines = (tmp_path / "line.csv").read_text().splitlines()
    assert lines[0] == "step,loss_bce" and lines[3] == "2,5.0" and len(lines) == 6
    with pytest.raises(ValueError, match="jpg"):
        export_figure(figure, tmp_path, ("jpg",))


def test_png_is_300_dpi(figure, tmp_path):
    from PIL import Image

    from gui.figure_export import export_figure

    export_figure(figure, tmp_path, ("png",))
    with Image.open(tmp_path / "line.png") as image:
        dpi = image.info.get("dpi", (0, 0))
        assert round(dpi[0]) == 300 and image.size[0] >= 7 * 300 - 5


def test_copy_puts_image_and_csv_on_the_clipboard(figure):
    from gui.figure_view import copy_data, copy_image

    clipboard = QtWidgets.QApplication.clipboard()
    clipboard.clear()
    image = copy_image(figure)
    assert not image.isNull() and not clipboard.image().isNull()
    assert clipboard.image().width() == image.width()
    text = copy_data(figure)
    assert clipboard.text() == text and text.startswith("step,loss_bce\n0,1.0")


def test_spec_wins_over_the_plot_read_back(figure, tmp_path):
    from figures.spec import Axis, Figure, Line, Panel, Table
    from gui.figure_export import export_figure

    built = Figure("other", "Built from results", [Panel("", Axis("x"), Axis("y"), [
        Line("a", np.arange(3.0), np.arange(3.0))])], Table(["x_unit", "y_unit"], [[7, 8]]))
    figure.spec = lambda: built
    export_figure(figure, tmp_path, ("csv", "svg"))
    assert (tmp_path / "line.csv").read_text() == "x_unit,y_unit\n7,8\n"
    assert "Built from results" in (tmp_path / "line.svg").read_text()


def every_plot_has_the_menu(window):
    from gui.figure_view import MENU_ATTRIBUTE, figure_menu, plot_items

    checked = 0
    for tab in window.tab_widgets():
        for figure in tab.figures():
            assert texts(figure_menu(figure)) == MENU_TEXTS, figure.name
            for view in figure.item.scene().views():
                assert figure.name in [f.name for f in view.__dict__[MENU_ATTRIBUTE]]
            for plot in plot_items(figure.item):
                assert not plot.vb.menuEnabled() and not plot.menuEnabled(), figure.name
            checked += 1
    return checked


def test_every_plot_of_every_tab_has_the_menu(make_window):
    window = make_window()
    names = [f.name for tab in window.tab_widgets() for f in tab.figures()]
    assert "networks_grid" in names and "selected_loss" in names
    assert "fi_curve" in names and "sweep_final_loss_heatmap" in names
    assert every_plot_has_the_menu(window) == len(names)
