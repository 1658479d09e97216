"""The Sweep tab offscreen: settings, a run with progress, heatmaps, hover, cancel, export."""

import concurrent.futures as cf

import numpy as np
import pyqtgraph as pg
import pytest

from tests.waiting import HANG_MS

pytestmark = pytest.mark.gui

SMALL = {"activations": ["relu", "leaky_relu"], "lrs": [0.01, 3.0], "seeds": 2, "steps": 40,
         "probe_every": 10, "widths": [8], "depths": [2], "n_samples": 128, "batch_size": 32,
         "workers": 1}


@pytest.fixture
def tab(qtbot):
    from gui.sweep.tab import SweepTab

    widget = SweepTab()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    assert widget.shutdown()  # ended within its own 2 s budget (timed in benchmarks/gui.py)


@pytest.mark.parametrize("key,value", [("lrs", [0.0]), ("seeds", 0), ("activations", ["x"]),
                                       ("widths", "a"), ("nonsense", 1), ("noise", -1.0)])
def test_apply_settings_rejects_and_keeps_state(tab, key, value):
    before = tab.settings()
    with pytest.raises(ValueError, match=key):
        tab.apply_settings({key: value})
    assert tab.settings() == before


def test_settings_round_trip_and_inline_error(tab):
    tab.apply_settings(SMALL)
    assert tab.settings()["lrs"] == [0.01, 3.0]
    assert tab.edits["lrs"].text() == "0.01,3"  # the field's own format, as on the command line
    before = tab.settings()
    tab.edits["lrs"].setText("0, 1")
    tab.edits["lrs"].editingFinished.emit()
    assert "lrs" in tab.error_label.text()
    assert tab.settings() == before


def test_form_comes_from_the_field_tables(tab):
    from models.config import FIELDS as CONFIG_FIELDS
    from models.sweep.executor import MAX_WORKERS
    from models.sweep.settings import FIELDS as SWEEP_FIELDS

    for name, spec in SWEEP_FIELDS.items():
        assert tab.edits[name].spec is spec or tab.edits[name].spec == spec
    for name in ("activations", "lrs", "seed", "steps", "dataset", "batch_size"):
        assert tab.edits[name].spec == CONFIG_FIELDS[name]
    assert SWEEP_FIELDS["workers"].high == MAX_WORKERS == 64
    before = tab.settings()
    tab.edits["workers"].setText("256")  # the command line caps 64: so does the window
    tab.edits["workers"].editingFinished.emit()
    assert "workers" in tab.error_label.text() and "1 to 64" in tab.error_label.text()
    assert tab.settings() == before
    with pytest.raises(ValueError, match="workers"):
        tab.apply_settings({"workers": 65})
    tab.apply_settings({"workers": 64})
    assert tab.settings()["workers"] == 64


def test_seeds_start_at_the_seed_setting_as_on_the_command_line(tab):
    from cli.registry import build_parser
    from cli.sweep_command import build_spec
    from gui.sweep.settings import validate_settings

    tab.apply_settings({**SMALL, "seed": 41, "seeds": 3})
    assert tab.edits["seed"].text() == "41"
    _, window = validate_settings(tab.settings())
    assert window.seeds == (41, 42, 43)
    args = build_parser().parse_args([
        "sweep", "--out", "unused", "--activations", "relu,leaky_relu", "--lrs", "0.01,3",
        "--seed", "41", "--seeds", "3", "--steps", "40", "--probe-every", "10", "--widths", "8",
        "--depths", "2", "--samples", "128", "--batch-size", "32", "--workers", "1"])
    command_line = build_spec(args)
    assert command_line.seeds == window.seeds
    assert command_line.to_dict() == window.to_dict()
    with pytest.raises(ValueError, match="seeds"):  # past the largest seed, as on the CLI
        tab.apply_settings({"seed": 2**32 - 2, "seeds": 3})


@pytest.mark.slow
def test_run_draws_heatmaps_hover_and_exports(tab, tmp_path, qtbot):
    from gui.figure_export import export_figure

    out = tmp_path / "s.csv"
    tab.apply_settings({**SMALL, "inits": ["he", "xavier"], "out": str(out)})
    seen = []
    tab.runner.progress.connect(lambda req, p: seen.append(p.done))
    with cf.ThreadPoolExecutor(2) as pool:
        request = tab.run(executor=pool)
        assert request > 0 and not tab.run_button.isEnabled()
        assert tab.wait_until_idle(60)
    assert tab.progress_bar.value() == tab.progress_bar.maximum() == 16
    assert seen[-1] == 16 and seen == sorted(seen)
    assert len(tab.rows) == 16 and out.exists()
    # one panel per init, in both heatmaps
    assert len(tab.summaries) == 2 and len(tab.dead_plots) == 2 and len(tab.loss_plots) == 2
    s = tab.summaries[0]
    assert s.count.sum() == 8 and s.mean["dead_fraction"].shape == (2, 2)
    # hover a cell: spread over seeds
    plot = tab.dead_plots[0]
    # the heatmap is laid out: the cell's centre maps inside the plot's view box
    qtbot.waitUntil(lambda: plot.vb.sceneBoundingRect().contains(
        plot.vb.mapViewToScene(pg.Point(1.5, 0.5))), timeout=HANG_MS)
    pos = plot.vb.mapViewToScene(pg.Point(1.5, 0.5))  # column lr 3.0, row relu
    tab._on_hover(tab.dead_view, pos)
    assert "seeds" in tab.hover_label.text() and "relu" in tab.hover_label.text()
    assert "lr 3" in tab.hover_label.text()
    # titles, axis labels, legend; export writes PNG, SVG, CSV
    assert "learning rate" in tab.curve_plot.getAxis("bottom").labelText
    assert len(tab.curve_plot.legend.items) == 4  # 2 activations x 2 panels
    tab.apply_settings({"out": ""})
    names = []
    for figure in tab.figures():
        files = export_figure(figure, tmp_path)
        names.append(figure.name)
        assert all(f.stat().st_size > 200 for f in files)
    header = (tmp_path / "sweep_dead_fraction_heatmap.csv").read_text().splitlines()[0]
    assert "dead_fraction_std_over_seeds" in header
    # reload from the file: the same summaries
    assert tab.load_results(out) == 16
    np.testing.assert_array_equal(tab.summaries[0].count, s.count)


@pytest.mark.slow
def test_cancel_keeps_rows_and_stale_reports_are_dropped(qtbot, tab, tmp_path):
    out = tmp_path / "c.csv"
    # 200 runs of 2000 steps: far more than can finish before the first row is seen and
    # cancelled, even on a loaded machine
    tab.apply_settings({**SMALL, "seeds": 50, "steps": 2000, "out": str(out)})
    states = []
    tab.sweep_done.connect(states.append)
    with cf.ThreadPoolExecutor(1) as pool:
        tab.run(executor=pool)
        # the window sees the first rows while the sweep runs: redrawing never starves its
        # event loop (how promptly is measured by benchmarks/gui.py)
        qtbot.waitUntil(lambda: len(tab.rows) > 0, timeout=HANG_MS)
        tab.cancel()
        assert tab.wait_until_idle(HANG_MS / 1000)
    assert states == ["cancelled"]
    assert 1 <= len(tab.rows) < 200
    assert tab.run_button.isEnabled()
    tab._on_progress(tab._request - 1, None)  # a stale id: ignored without touching it


def test_local_worker_process_run(tab, tmp_path, monkeypatch):
    import threading
    from multiprocessing import forkserver

    on_main_thread = []  # who made sure the forkserver runs, in order

    def ensure_running(original=forkserver.ensure_running):
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        original()

    monkeypatch.setattr(forkserver, "ensure_running", ensure_running)
    tab.apply_settings({**SMALL, "out": str(tmp_path / "p.csv")})
    tab.run()
    assert tab.wait_until_idle(60)
    assert len(tab.rows) == 8 and {r["status"] for r in tab.rows} == {"ok"}
    # first from the main thread, where SIGINT can be ignored while the server starts (a
    # server started from the sweep's thread gave its workers Python's Ctrl-C handler)
    assert on_main_thread and on_main_thread[0], on_main_thread


def test_use_dataset_csv(tab, tmp_path):
    data = tmp_path / "d.csv"
    rng = np.random.default_rng(0)
    lines = ["x1,x2,label"] + [f"{a:.3f},{b:.3f},{int(a * b > 0)}"
                               for a, b in rng.normal(size=(64, 2))]
    data.write_text("\n".join(lines) + "\n")
    tab.use_dataset(str(data))
    assert tab.settings()["dataset"] == "csv" and tab.settings()["csv_path"] == str(data)
    with pytest.raises(ValueError, match="csv_path"):
        tab.apply_settings({"csv_path": ""})
    tab.apply_settings({**SMALL, "seeds": 1, "out": str(tmp_path / "r.csv")})
    with cf.ThreadPoolExecutor(1) as pool:
        tab.run(executor=pool)
        assert tab.wait_until_idle(60)
    assert len(tab.rows) == 4 and {r["status"] for r in tab.rows} == {"ok"}


def test_default_is_never_a_temporary_folder_shown_as_saved(tab, tmp_path):
    """With no file chosen the tab asks; a headless temporary run never names its path."""
    tab.apply_settings({**SMALL, "seeds": 1, "out": ""})
    asked = []
    tab.ask_save_path = lambda parent: asked.append(parent) or None  # the user cancels
    assert tab.run() == 0 and asked and "choose where to save" in tab.status.text()
    with cf.ThreadPoolExecutor(1) as pool:
        assert tab.run(executor=pool, temporary_ok=True) > 0
        assert tab.wait_until_idle(60)
    assert tab.temporary and str(tab._tmpdir) not in tab.status.text()
    assert "not saved" in tab.status.text() and "saved in" not in tab.status.text()
    chosen = tmp_path / "mine.csv"
    tab.ask_save_path = lambda parent: chosen  # the user picks a file
    with cf.ThreadPoolExecutor(1) as pool:
        assert tab.run(executor=pool) > 0
        assert tab.wait_until_idle(60)
    assert chosen.exists() and f"saved in {chosen}" in tab.status.text()
    assert not tab.temporary and tab.settings()["out"] == str(chosen)


def test_a_sweep_over_the_memory_budget_is_refused_before_any_run(tab, monkeypatch, tmp_path):
    """The window checks the command line's budget before starting (one estimator for both)."""
    out = tmp_path / "runs.csv"
    tab.apply_settings({**SMALL, "workers": 2, "out": str(out)})
    monkeypatch.setenv("RELU_LAB_MEMORY_LIMIT_MB", "150")  # below the interpreter's own share
    assert tab.run() == 0
    assert tab.status.text().startswith("memory:") and "workers" in tab.status.text()
    assert not out.exists() and tab.run_button.isEnabled()
    monkeypatch.delenv("RELU_LAB_MEMORY_LIMIT_MB")
    with cf.ThreadPoolExecutor(1) as pool:  # the same settings run once the limit allows them
        assert tab.run(executor=pool) > 0
        assert tab.wait_until_idle(60)
    assert len(tab.rows) == 8
