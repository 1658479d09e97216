"""The Neuron tab offscreen: inline validation, worker runs, cache, figures, shutdown."""

import time

import numpy as np
import pytest

pytestmark = pytest.mark.gui

SMALL = {"n_neurons": 40, "duration_s": 0.4, "noise_mv": 3.0}


@pytest.fixture
def tab(qtbot):
    from gui.neuron_tab import NeuronTab

    widget = NeuronTab(autorun=False)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    assert widget.shutdown()


def type_into(tab, name, text):
    edit = tab.edits[name]
    edit.setText(text)
    edit.editingFinished.emit()


@pytest.mark.parametrize("name, text, message", [
    ("v_reset_mv", "-40", "v_reset_mv (-40) must be below v_th_mv (-50)"),
    ("c_m_pf", "-1", "c_m_pf (-1) must be greater than 0"),
    ("currents", "x", "currents: 'x' is not a number"),
    ("n_neurons", "2.5", "n_neurons ('2.5') must be an integer"),
])
def test_bad_value_shows_message_inline_and_keeps_state(tab, name, text, message):
    before = tab.settings()
    type_into(tab, name, text)
    error = tab.errors[name]
    assert error.isVisible() and error.text() == message
    assert tab.settings() == before
    with pytest.raises(ValueError, match=name):
        tab.apply_settings({**before, "parameters": {**before["parameters"],
                                                     **({name: float(text)} if name in
                                                        ("v_reset_mv", "c_m_pf") else {})},
                            **({"currents": text} if name == "currents" else {}),
                            **({"parameters": {"n_neurons": 2.5}} if name == "n_neurons"
                               else {})})
    assert tab.settings() == before
    type_into(tab, name, {"currents": "", "n_neurons": "1000"}.get(name, str(
        before["parameters"].get(name, ""))).replace(".0", ""))
    assert not tab.errors[name].isVisible()


@pytest.mark.slow
def test_run_fills_every_figure_and_cache_makes_going_back_instant(tab, qtbot, tmp_path):
    from gui.figure_export import export_figure

    settings = {"parameters": SMALL, "currents": "0:0.6:7", "freqs": "5, 50",
                "scan": "noise_mv"}
    tab.apply_settings(settings)
    tab.run()
    assert tab.cancel_button.isEnabled()
    assert tab.wait_until_idle(120)
    figures = tab.figures()
    assert [f.name for f in figures] == ["currents", "voltage", "raster", "population_rate",
                                         "fi_curve", "response_gain", "response_phase",
                                         "alpha_scan"]
    for figure in figures:
        header, rows = figure.table()
        assert len(rows) > 0, figure.name
        assert all("_" in column or column in ("neuron", "spike", "alpha")
                   for column in header), header
        assert figure.item.titleLabel.text
    assert tab.fit_label.text().startswith("alpha = ")
    written = export_figure(figures[4], tmp_path)
    assert all(path.stat().st_size > 0 for path in written)
    first = np.array(figures[3].table()[1])

    tab.apply_settings({**settings, "parameters": {**SMALL, "noise_mv": 5.0}})
    tab.apply_settings(settings)  # back: shown from the cache, nothing submitted
    tab.run()
    assert not tab._pending and tab.status.text() == "shown from cache"
    np.testing.assert_array_equal(np.array(tab.figures()[3].table()[1]), first)


def test_presets_load_and_apply(tab):
    names = set(tab.presets)
    assert {"noiseless", "noisy", "near-rheobase", "perfect-integrator", "fast-drive"} <= names
    for index in range(1, tab.preset_box.count()):
        tab._on_preset(index)
        name = tab.preset_box.itemText(index)
        for key, value in tab.presets[name]["parameters"].items():
            assert tab.settings()["parameters"][key] == value


def test_closing_mid_simulation_leaves_no_thread_running(qtbot):
    from gui.neuron_tab import NeuronTab

    widget = NeuronTab(autorun=True)
    qtbot.addWidget(widget)
    widget.apply_settings({"parameters": {"duration_s": 30.0, "n_neurons": 2000}})
    widget.show()  # first show starts the runs by itself
    qtbot.waitUntil(lambda: widget.progress_bar.value() > 0, timeout=30000)
    assert widget.runner.thread.isRunning()
    start = time.perf_counter()
    widget.close()
    assert time.perf_counter() - start < 2.0
    assert not widget.runner.thread.isRunning()
