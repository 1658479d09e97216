"""Sweep and Theory results are drawn over several event-loop turns into reused plot items."""

import concurrent.futures as cf

import numpy as np
import pytest

from tests.waiting import HANG_MS

pytestmark = pytest.mark.gui

SWEEP = {"activations": ["relu", "leaky_relu"], "lrs": [0.01, 3.0], "seeds": 2, "steps": 40,
         "probe_every": 10, "widths": [8], "depths": [2], "n_samples": 128, "batch_size": 32,
         "workers": 1, "inits": ["he", "xavier"]}
THEORY = {"alphas": [0.0, 0.1, 0.5], "points": 256, "width": 64, "depth": 8,
          "bd_widths": [2, 3], "bd_depths": [2, 6, 12], "trials": 100, "prune_steps": 50}


def _items(plots) -> set[int]:
    """Ids of every plot and every item in it (what a drawing turn may have made)."""
    return {id(p) for p in plots} | {id(item) for p in plots for item in p.items}


def _record_turns(drawer, plots_fn) -> list[int]:
    """After each drawing turn, append how many plot items that turn made."""
    made = []
    seen = {"ids": _items(plots_fn())}

    def after_turn():
        now = _items(plots_fn())
        made.append(len(now - seen["ids"]))
        seen["ids"] = now

    drawer._timer.timeout.connect(after_turn)  # runs right after the drawer's own step
    return made


@pytest.fixture
def sweep(qtbot, tmp_path):
    from gui.sweep.tab import SweepTab

    tab = SweepTab()
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    tab.apply_settings({**SWEEP, "out": str(tmp_path / "s.csv")})
    yield tab
    assert tab.shutdown()


def _sweep_plots(tab):
    return [*tab.dead_plots, *tab.loss_plots, tab.curve_plot]


def test_sweep_rows_drawn_over_turns_into_reused_items(sweep, qtbot):
    from gui.sweep import plots as sweep_plots

    panel0 = sweep.dead_plots[0]
    with cf.ThreadPoolExecutor(2) as pool:
        sweep.run(executor=pool)
        assert sweep.wait_until_idle(60)
    rows = list(sweep.rows)
    assert len(rows) == 16 and len(sweep.summaries) == 2
    assert sweep.dead_plots[0] is panel0  # the panel made at start-up is kept
    # a new run empties the plots but keeps every item; its first report redraws them
    kept = {id(item) for p in _sweep_plots(sweep) for item in p.items}
    plots_before = list(_sweep_plots(sweep))
    sweep._draw_empty()
    assert "no results yet" in panel0.titleLabel.text
    # nothing of the last run is left on screen: no curve, legend or tick names a result
    assert "no results yet" in sweep.curve_plot.titleLabel.text
    for curve, bars in sweep.curve_plot._dead_vs_lr:
        assert curve.xData is None or curve.xData.size == 0
        assert bars.opts["x"].size == 0
    assert not sweep.curve_plot.legend.items
    assert sweep.hover_label.text().startswith("no results yet")
    for plot in _sweep_plots(sweep):
        assert plot.getAxis("bottom")._tickLevels == [[]]
    made = _record_turns(sweep.drawer, lambda: _sweep_plots(sweep))
    sweep.show_rows(rows)
    assert sweep.drawer.busy()  # nothing drawn in the call itself
    qtbot.waitUntil(lambda: not sweep.drawer.busy(), timeout=HANG_MS)
    assert len(made) >= 6  # 2 panels x 2 heatmaps, then 4 curves: several turns
    assert sum(made) == 0  # every item reused: same plots, images, labels, curves
    assert sweep.hover_label.text().startswith("hover a heatmap cell")
    assert _sweep_plots(sweep) == plots_before
    assert {id(item) for p in _sweep_plots(sweep) for item in p.items} == kept
    # the drawn data are the results
    for plot, summary in zip(sweep.dead_plots, sweep.summaries):
        image = plot._heatmap_items["image"]
        assert image.isVisible()
        np.testing.assert_array_equal(image.image, sweep_plots.heatmap_rgba(
            summary.mean["dead_fraction"], 0.0, 1.0))
        texts = sorted(label.toPlainText() for label in plot._heatmap_items["labels"]
                       if label.isVisible())
        expected = sorted(f"{v:.2f}" for v in summary.mean["dead_fraction"].ravel())
        assert texts == expected
    curves = sweep.curve_plot._dead_vs_lr
    assert len(curves) == 4 and len(sweep.curve_plot.legend.items) == 4
    k = 0
    for summary in sweep.summaries:
        for i in range(len(summary.activations)):
            _, y = curves[k][0].getData()
            np.testing.assert_allclose(y, summary.mean["dead_fraction"][i])
            k += 1


def test_sweep_first_report_makes_a_bounded_number_of_items_per_turn(sweep, qtbot):
    from gui.sweep.plots import LABELS_PER_STEP

    with cf.ThreadPoolExecutor(2) as pool:
        sweep.run(executor=pool)
        assert sweep.wait_until_idle(60)
    rows = list(sweep.rows)
    fresh = type(sweep)()  # a tab that has drawn nothing yet: every item is made
    qtbot.addWidget(fresh)
    fresh.resize(1280, 760)
    fresh.show()
    made = _record_turns(fresh.drawer, lambda: _sweep_plots(fresh))
    fresh.show_rows(rows)
    qtbot.waitUntil(lambda: not fresh.drawer.busy(), timeout=HANG_MS)
    assert sum(made) > 20  # images, 32 labels, a second panel per heatmap, 4 x 2 curve items
    assert max(made) <= LABELS_PER_STEP + 1, made
    assert len(fresh.dead_plots) == len(fresh.loss_plots) == 2
    assert fresh.shutdown()


@pytest.fixture
def theory(qtbot):
    from gui.theory.tab import TheoryTab

    tab = TheoryTab(autorun=False)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    tab.apply_settings(THEORY)
    yield tab
    assert tab.shutdown()


def test_theory_results_drawn_over_turns_into_reused_curves(theory, qtbot):
    from gui.theory.worker import SECTIONS

    theory.run()
    assert theory.wait_until_idle(120)
    results = dict(theory.results)
    assert set(results) == set(SECTIONS)
    plots = list(theory.plots.values())
    curves = {name: list(p._theory_curves) for name, p in theory.plots.items()}
    made = _record_turns(theory.drawer, lambda: plots)
    for name in SECTIONS:  # the same results arrive again, as in a second run
        theory._on_section(theory._request, name, results[name])
    assert theory.drawer.busy()
    qtbot.waitUntil(lambda: not theory.drawer.busy(), timeout=HANG_MS)
    assert len(made) > 2 * len(SECTIONS)  # each section over several turns
    assert max(made) <= 2, made  # one curve (with its legend sample) or one band a turn
    for name, p in theory.plots.items():
        assert p._theory_curves == curves[name]  # the same curve objects, data set again
        assert "not computed" not in p.titleLabel.text
    # the drawn data are the results
    sigmoid = results["sigmoid"]
    curve = theory.plots["sigmoid"]._theory_curves[0]  # on a log axis: the data, not its log
    np.testing.assert_allclose(curve.yData, sigmoid.grad_rms)
    stats = results["gradients"]
    measured = [c for c in theory.plots["gradients"]._theory_curves
                if c.opts["name"].startswith("measured E[G]")]
    assert len(measured) == 1
    np.testing.assert_allclose(measured[0].yData, [s.mean for s in stats])
    legend = [label.text for _, label in theory.plots["sigmoid"].legend.items]
    assert legend == ["measured (Xavier weights)", "bound: 0.25 x ||W||_2 per layer",
                      "0.25 per layer (norm-1 weights)"]
    assert theory.table.rowCount() == len(theory.table_rows()) > 0
