"""The Theory tab offscreen: settings, computing every section, the table, export, shutdown."""

import pytest

from tests.waiting import HANG_MS

pytestmark = pytest.mark.gui

FAST = {"alphas": [0.0, 0.1, 0.5], "points": 1024, "width": 256, "depth": 20,
        "bd_widths": [2, 3], "bd_depths": [2, 6, 12], "trials": 400, "prune_steps": 200}


@pytest.fixture
def tab(qtbot):
    from gui.theory.tab import TheoryTab

    widget = TheoryTab(autorun=False)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    assert widget.shutdown()  # ended within its own 2 s budget (timed in benchmarks/gui.py)


@pytest.mark.parametrize("key,value", [("alphas", [2.0]), ("trials", 0), ("bd_init", "x"),
                                       ("depth", 1.5), ("unknown", 1), ("bd_widths", "a,b")])
def test_apply_settings_rejects_and_keeps_state(tab, key, value):
    before = tab.settings()
    with pytest.raises(ValueError, match=key):
        tab.apply_settings({key: value})
    assert tab.settings() == before


def test_inline_error_keeps_state(tab):
    before = tab.settings()
    tab.edits["trials"].setText("-3")
    tab.edits["trials"].editingFinished.emit()
    assert "trials" in tab.error_label.text()
    assert tab.settings() == before


@pytest.mark.slow
def test_compute_all_sections_table_and_export(tab, tmp_path):
    from gui.figure_export import export_figure
    from gui.theory.worker import SECTIONS

    tab.apply_settings(FAST)
    states = []
    tab.computed.connect(states.append)
    tab.run()
    assert tab.wait_until_idle(60)
    assert states == ["finished"]
    assert set(tab.results) == set(SECTIONS)
    rows = tab.table_rows()
    assert rows and all(row[4] for row in rows), [r for r in rows if not r[4]]
    assert tab.table.rowCount() == len(rows)
    assert any("sparsity" in row[0] for row in rows)
    assert any("born dead" in row[0] for row in rows)
    for figure in tab.figures():
        title = figure.item.titleLabel.text
        assert title and "not computed" not in title
        assert figure.item.getAxis("bottom").labelText
        assert figure.item.getAxis("left").labelText
        header, data = figure.table()
        assert len(data) > 0
        for path in export_figure(figure, tmp_path):
            assert path.stat().st_size > (1000 if path.suffix != ".csv" else 40)
    assert (tmp_path / "theory_born_dead.csv").read_text().startswith(
        "width,depth,init,trials,p_born_dead,p_single_point_bound")

    # a new run shows nothing of the last settings; a cancelled one says what it lacks
    from gui.figure_view import figure_spec
    from gui.theory.figures import section_of

    tab.apply_settings({"trials": 300})
    tab.run()
    assert tab.table.rowCount() == 0
    for figure in tab.figures():
        assert figure.item.titleLabel.text.endswith("(computing…)")
        assert not any(item.isVisible() for item in figure.item.items)
        assert not figure.item.legend.items and figure.table()[1] == []
        assert all(not panel.series for panel in figure_spec(figure).panels)
    tab.cancel()
    assert tab.wait_until_idle(60)
    # figures are named "theory_<plot>"; a section computed before the cancel landed is drawn
    computed = {True: [], False: []}
    for figure in tab.figures():
        plot = figure.name.removeprefix("theory_")
        computed[section_of(plot) in tab.results].append(figure)
    assert computed[False]  # cancelled before the last section
    for figure in computed[False]:
        assert figure.item.titleLabel.text.endswith("(not computed: cancelled)")
        assert all(not panel.series for panel in figure_spec(figure).panels)
    for figure in computed[True]:
        assert "not computed" not in figure.item.titleLabel.text
        assert any(panel.series for panel in figure_spec(figure).panels)
    assert tab.table.rowCount() == len(tab.table_rows())


def test_stale_results_dropped_and_cancel(tab, qtbot):
    tab.apply_settings(FAST)
    first = tab.run()
    second = tab.run()  # supersedes the first: its results must not land
    assert second == first + 1
    tab._on_section(first, "sigmoid", object())
    assert "sigmoid" not in tab.results
    tab.cancel()
    assert tab.wait_until_idle(HANG_MS / 1000)
    assert tab.run_button.isEnabled()
    # the first run's thread ends after the section it is in (if any): the tab is idle at
    # once, the thread a moment later; the fixture's shutdown then has nothing to wait for
    qtbot.waitUntil(lambda: not tab.runner.busy, timeout=HANG_MS)
