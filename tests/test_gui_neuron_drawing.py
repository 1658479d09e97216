"""Neuron results reach the window without a long stall: drawn an item per turn, first visit."""

import numpy as np
import pyqtgraph as pg
import pytest

from tests.test_gui_neuron_tab import fake_fi, fake_response, note_text
from tests.waiting import HANG_MS

pytestmark = pytest.mark.gui

MAX_ITEMS_PER_TURN = 2  # plot items one event-loop turn may add (a curve, or a curve's legend)


def fake_drive(params):
    """A DriveResult of made-up traces and Poisson spikes (no simulation): drawing only."""
    from neuro.drive import DriveResult
    from neuro.lif_simulation import SpikeRun

    rng = np.random.default_rng(3)
    duration = 1000.0 * params.duration_s
    t = np.arange(0.0, duration, params.dt_ms)
    drive = params.i0_na + params.i1_na * np.sin(2 * np.pi * params.freq_hz * t / 1000.0)
    count = rng.poisson(20.0 * params.n_neurons * duration / 1000.0)
    spikes_t = np.sort(rng.uniform(0.0, duration, count))
    run = SpikeRun(t_ms=t, i_in_na=drive[None], i_leak_na=0.8 * drive[None],
                   v_mv=-60.0 + 5.0 * np.sin(t / 7.0)[None], recorded=np.array([0]),
                   spike_neuron=rng.integers(0, params.n_neurons, count), spike_t_ms=spikes_t,
                   n_neurons=params.n_neurons, duration_ms=duration, target="numpy")
    bins = np.arange(0.5, duration, 1.0)
    rate = 20.0 + 5.0 * np.sin(2 * np.pi * params.freq_hz * bins / 1000.0)
    return DriveResult(run=run, rate_t_ms=bins, rate_hz=rate, rate_leaky_hz=rate + 1.0,
                       bin_ms=1.0, fit=fake_fi().fit, kernel_ms=5.0, params=params)


@pytest.fixture
def tab(qtbot):
    from gui.neuron.tab import NeuronTab

    widget = NeuronTab(autorun=False)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    assert widget.shutdown()


@pytest.fixture
def items_per_turn(tab, monkeypatch):
    """Count the plot items added in each of the drawer's turns."""
    counts, added = [], [0]
    add_item = pg.PlotItem.addItem

    def counting_add(self, item, *args, **kwargs):
        added[0] += 1
        return add_item(self, item, *args, **kwargs)

    step = type(tab.drawer)._step

    def counting_step(drawer):
        added[0] = 0
        step(drawer)
        counts.append(added[0])

    monkeypatch.setattr(pg.PlotItem, "addItem", counting_add)
    monkeypatch.setattr(type(tab.drawer), "_step", counting_step)
    return counts


@pytest.mark.parametrize("job, result", [("response", fake_response()), ("fi", fake_fi())])
def test_a_result_is_drawn_over_several_turns_a_few_items_each(tab, qtbot, items_per_turn,
                                                               job, result):
    from gui.neuron import figures as neuron_figures

    shown = []
    tab.result_shown.connect(shown.append)
    tab._show(job, result)
    assert not shown and tab.drawer.busy()  # nothing drawn inside the call itself
    qtbot.waitUntil(lambda: shown == [job], timeout=HANG_MS)
    assert len(items_per_turn) >= 5
    assert 0 < max(items_per_turn) <= MAX_ITEMS_PER_TURN, items_per_turn
    # the stepped drawing ends where the one-go drawing does
    names = {name: [c.name() for c in tab.plots[name].listDataItems()]
             for name in ("response_gain", "response_phase", "fi_curve")}
    notes = {name: note_text(tab.plots[name]) for name in names}
    if job == "response":
        tables = neuron_figures.fill_response(tab.plots, result, True)
    else:
        tables = neuron_figures.fill_fi(tab.plots, result, True, False)
    for name in tables:
        assert [c.name() for c in tab.plots[name].listDataItems()] == names[name]
        assert note_text(tab.plots[name]) == notes[name]
        np.testing.assert_array_equal(tab._tables[name][1], tables[name][1])


def test_a_drive_is_drawn_over_many_turns_and_the_intervals_after_it(tab, qtbot,
                                                                     items_per_turn):
    from neuro.parameters import LifParameters

    params = LifParameters(n_neurons=60, duration_s=0.3, noise_mv=0.0)
    tab.apply_settings({**tab.settings(), "parameters": params.to_dict()})
    shown = []
    tab.result_shown.connect(shown.append)
    tab._show("drive", fake_drive(params))
    qtbot.waitUntil(lambda: shown == ["drive"] and tab.is_idle(), timeout=HANG_MS)
    assert len(items_per_turn) >= 12  # four plots, then the two interval plots
    assert max(items_per_turn) <= MAX_ITEMS_PER_TURN, items_per_turn
    assert tab.plots["raster"].listDataItems() and tab.plots["isi"].listDataItems()
    assert set(tab._tables) >= {"currents", "voltage", "raster", "population_rate", "isi",
                                "cv_curve"}


def test_a_newer_result_of_the_same_job_replaces_one_being_drawn(tab, qtbot):
    shown = []
    tab.result_shown.connect(shown.append)
    tab._show("response", fake_response((1.0, 10.0, 100.0)))
    tab.drawer._step()  # half drawn
    tab._show("response", fake_response((2.0, 20.0)))
    qtbot.waitUntil(tab.is_idle, timeout=HANG_MS)
    assert shown == ["response"]
    np.testing.assert_array_equal(tab._tables["response_gain"][1][:, 0], [2.0, 20.0])


def test_first_visit_shows_starting_until_the_first_result_replaces_it(tab, qtbot,
                                                                       monkeypatch):
    from gui.neuron.preview import PREVIEW_NEURONS

    submitted = []
    monkeypatch.setattr(tab.runner, "run", lambda specs: submitted.append(specs) or 7)
    assert tab.run_preview()
    panel = tab.starting
    assert panel.isVisible() and panel.geometry() == tab.views.rect()
    assert "Starting the simulator" in panel.text() and str(PREVIEW_NEURONS) in panel.text()
    assert not tab.plots["raster"].listDataItems()  # the panel, not empty axes
    preview = submitted[0]["drive"]["params"]
    assert preview.n_neurons <= PREVIEW_NEURONS
    shown = []
    tab.result_shown.connect(lambda job: shown.append((job, panel.isVisible())))
    tab._on_report(tab._request, ("finished", "drive", fake_drive(preview)))
    assert panel.isVisible()  # until the preview is drawn
    qtbot.waitUntil(lambda: bool(shown), timeout=HANG_MS)
    assert shown == [("drive", False)] and not panel.isVisible()
    assert tab.plots["raster"].listDataItems()
    assert "quick preview" in tab.plots["raster"].titleLabel.text
    assert set(submitted[1]) == {"drive", "cv", "fi", "scan", "response"}  # the full run


def test_a_failed_first_run_takes_the_starting_panel_away(tab, monkeypatch):
    monkeypatch.setattr(tab.runner, "run", lambda specs: 3)
    tab.run_preview()
    assert tab.starting.isVisible()
    tab._on_report(tab._request, ("failed", "drive", "no Brian2"))
    assert not tab.starting.isVisible() and "no Brian2" in tab.status.text()


def test_the_drawer_runs_one_step_a_turn_and_drops_a_broken_drawing(qtbot):
    from gui.neuron.drawing import Drawer, finish, stepped

    @stepped
    def three(log):
        for k in range(3):
            log.append(k)
            yield
        return "done"

    log, done = [], []
    assert three(log) == "done" and log == [0, 1, 2]
    assert finish(three.steps([])) == "done"
    drawer = Drawer()
    log.clear()
    drawer.put("a", three.steps(log), done.append)
    drawer._step()
    assert log == [0] and drawer.busy()
    qtbot.waitUntil(lambda: done == ["done"], timeout=HANG_MS)
    assert drawer.turns == 4 and not drawer.busy()

    def broken():
        yield
        raise ValueError("bad data")

    drawer.put("b", broken(), done.append)
    drawer._step()
    with pytest.raises(ValueError):
        drawer._step()
    assert not drawer.busy()


def test_the_cv_theory_comes_from_the_simulation_process_not_a_thread(tab, qtbot,
                                                                       monkeypatch):
    from neuro.isi import cv_curve
    from neuro.jobs import run_job
    from neuro.parameters import LifParameters

    params = LifParameters(n_neurons=60, duration_s=0.3, noise_mv=4.0)
    curve = run_job("cv", {"params": params})  # what the simulation process returns
    np.testing.assert_allclose(curve.cv_theory, cv_curve(params).cv_theory)
    tab.apply_settings({**tab.settings(), "parameters": params.to_dict()})
    submitted = []
    monkeypatch.setattr(tab.runner, "run", lambda specs: submitted.append(specs) or 5)
    tab.run()
    assert list(submitted[0])[:2] == ["drive", "cv"]  # the theory right after the drive
    tab._request = 5
    tab._on_report(5, ("finished", "drive", fake_drive(params)))
    qtbot.waitUntil(lambda: "isi" in tab._tables, timeout=HANG_MS)
    assert tab.intervals._thread is None and tab.intervals.busy()  # waiting, no thread
    tab._on_report(5, ("finished", "cv", curve))
    qtbot.waitUntil(lambda: tab.intervals.cv is curve and not tab.intervals.busy(),
                    timeout=HANG_MS)
    assert tab.intervals._thread is None
    np.testing.assert_array_equal(tab._tables["cv_curve"][1][:, 1], curve.cv_theory)


def test_a_cancelled_cv_theory_is_computed_here_after_all(tab, qtbot, monkeypatch):
    from neuro.parameters import LifParameters

    params = LifParameters(n_neurons=60, duration_s=0.3, noise_mv=4.0)
    tab.apply_settings({**tab.settings(), "parameters": params.to_dict()})
    monkeypatch.setattr(tab.runner, "run", lambda specs: 6)
    tab.run()
    tab._on_report(6, ("finished", "drive", fake_drive(params)))
    qtbot.waitUntil(lambda: "isi" in tab._tables, timeout=HANG_MS)
    tab.cancel()  # the promised theory will not come: the helper thread computes it
    qtbot.waitUntil(lambda: tab.intervals.cv is not None and tab.is_idle(), timeout=HANG_MS)
    assert tab.intervals._thread is not None


@pytest.mark.slow
def test_the_grid_keeps_its_layout_while_a_result_is_drawn(tab, qtbot, monkeypatch):
    from neuro.parameters import LifParameters

    params = LifParameters(n_neurons=60, duration_s=2.0, noise_mv=0.0)
    tab._show("drive", fake_drive(params))  # the first result re-lays out the grid once
    qtbot.waitUntil(tab.is_idle, timeout=HANG_MS)
    names = ("currents", "voltage", "raster", "population_rate")
    seen = []
    step = type(tab.drawer)._step

    def recording_step(drawer):
        seen.append([tab.plots[name].geometry() for name in names])
        step(drawer)

    monkeypatch.setattr(type(tab.drawer), "_step", recording_step)
    # the next one: each plot is cleared (shorter titles, no legend) and refilled
    tab._show("drive", fake_drive(params.replace(n_neurons=80, i1_na=0.1)))
    assert tab.steady.held
    qtbot.waitUntil(tab.is_idle, timeout=HANG_MS)
    assert len(seen) > 10 and all(g == seen[0] for g in seen), "the grid moved mid-drawing"
    assert not tab.steady.held  # released: the grid takes its natural sizes again
