"""Every field of every tab with a bad value: an inline message naming it, nothing lost."""

from __future__ import annotations

import math
import time

import pytest

from models.config import ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

SMALL = ExperimentConfig(width=8, depth=2, activations=("relu", "tanh"), lrs=(0.03, 3.0),
                         log_every=10, n_samples=64, batch_size=16, steps=10_000_000)


def _idle(app, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


# One tab of each kind for the whole module (building one costs seconds on a loaded machine);
# every test leaves it as it found it: fields re-filled from its settings, training paused.
@pytest.fixture(scope="module")
def app(qapp):
    from gui.app import create_app

    return create_app()


@pytest.fixture(scope="module")
def networks_tab(app):
    from gui.networks.tab import NetworksTab

    tab = NetworksTab(SMALL)
    yield tab
    tab.shutdown()
    assert not tab.worker.is_running()
    tab.deleteLater()


@pytest.fixture
def networks(networks_tab):
    yield networks_tab
    networks_tab.pause()
    networks_tab.controls.set_config(networks_tab.config)
    networks_tab.controls.show_message("")


@pytest.fixture(scope="module")
def sweep_tab(app):
    from gui.sweep.tab import SweepTab

    tab = SweepTab()
    yield tab
    assert tab.shutdown()
    tab.deleteLater()


@pytest.fixture
def sweep(sweep_tab):
    yield sweep_tab
    sweep_tab._fill()


@pytest.fixture(scope="module")
def theory_tab(app):
    from gui.theory.tab import TheoryTab

    tab = TheoryTab(autorun=False)
    yield tab
    assert tab.shutdown()
    tab.deleteLater()


@pytest.fixture
def theory(theory_tab):
    yield theory_tab
    theory_tab._fill()


def type_into(widget, text):
    widget.setText(text)
    widget.editingFinished.emit()


# -- Networks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("field,text,needle", [
    ("lrs", "fast", "learning rates: 'fast' is not a number"),
    ("lrs", "", "learning rates"),
    ("lrs", "0.1, nan", "learning rates"),
    ("lrs", "-1", "learning rates"),
    ("lrs", "1e300", "learning rates: 1e+300 is out of range"),
    ("lrs", "0.1, 0.1", "learning rates: each value may appear only once"),
    ("lrs", ", ".join(str(0.001 * (i + 1)) for i in range(40)), "networks"),
    ("activations", "nope", "activations: 'nope'"),
    ("activations", "", "activations"),
    ("activations", "relu, relu", "activations"),
    ("eps", "abc", "dead if |derivative| <: 'abc' is not a number"),
    ("eps", "-1", "dead if |derivative| <: -1 is out of range"),
    ("eps", "inf", "dead if |derivative| <: 'inf' is not a number"),
])
def test_networks_bad_text_keeps_training(networks, app, field, text, needle):
    before = networks.settings()
    experiment = networks.experiment
    networks.play()
    type_into(getattr(networks.controls, field), text)
    message = networks.controls.message.text()
    assert needle in message, message
    assert not networks.controls.message.isHidden()
    assert networks.settings() == before
    assert networks.experiment is experiment and networks.playing
    start = experiment.step
    end = time.monotonic() + HANG_MS / 1000  # the hang guard: a loaded machine is slow
    while experiment.step <= start and time.monotonic() < end:
        _idle(app, 0.05)
    assert experiment.step > start


def test_networks_csv_field_missing_file_keeps_dataset(networks, tmp_path):
    before = networks.settings()
    controls = networks.controls
    controls.dataset.setCurrentText("csv")
    type_into(controls.csv_path, str(tmp_path / "missing.csv"))
    assert networks.settings() == before
    shown = networks.notice.text() + controls.message.text()
    assert "missing.csv" in shown or "csv_path" in shown, shown


def test_networks_too_big_a_net_is_refused(networks):
    before = networks.settings()
    controls = networks.controls
    controls.lrs.setText(", ".join(f"{0.01 * (i + 1):g}" for i in range(30)))
    controls.activations.setText("relu, tanh")
    controls.width.setValue(1024)
    controls.depth.setValue(64)
    controls.lrs.editingFinished.emit()
    assert "networks" in controls.message.text() or "width" in controls.message.text() \
        or "parameters" in networks.notice.text()
    assert networks.settings() == before


@pytest.mark.parametrize("settings,needle", [
    ("not a dict", "networks settings"),
    ({"nonsense": 1}, "nonsense"),
    ({"config": {"lrs": [math.nan]}}, "lrs"),
    ({"config": {"lrs": "fast"}}, "lrs"),
    ({"config": {"lrs": [0.001 * (i + 1) for i in range(100_000)]}}, "lrs: 100,000 values"),
    ({"config": {"width": "wide"}}, "width"),
    ({"config": {"width": 1024, "depth": 64}}, "width: .* parameters"),
    ({"config": {"seed": -1}}, "seed"),
    ({"config": {"nonsense": 1}}, "nonsense"),
    ({"config": {"dataset": "csv", "csv_path": "/no/such/file.csv"}}, "config"),
    ({"config": []}, "config"),
    ({"preset": 3}, "preset"),
    ({"preset": "no-such-preset"}, "preset"),
    ({"selected": 10_000}, "selected"),
    ({"selected": "0"}, "selected"),
    ({"scope": "everything"}, "scope"),
])
def test_networks_apply_settings_refuses(networks, settings, needle):
    before = networks.settings()
    experiment = networks.experiment
    with pytest.raises(ValueError, match=needle):
        networks.apply_settings(settings)
    assert networks.settings() == before
    assert networks.experiment is experiment


# -- Sweep --------------------------------------------------------------------------------------
@pytest.mark.parametrize("field,text,needle", [
    ("lrs", "fast", "lrs"),
    ("lrs", "nan", "lrs"),
    ("lrs", "", "lrs"),
    ("activations", "nope", "activations"),
    ("inits", "nope", "inits"),
    ("depths", "99999999999", "depths"),
    ("widths", "abc", "widths"),
    ("seeds", "abc", "seeds"),
    ("seeds", "100000000", "seeds"),
    ("steps", "1e9", "steps"),
    ("noise", "nan", "noise"),
    ("noise", "-1", "noise"),
    ("alpha", "inf", "alpha"),
    ("workers", "0", "workers"),
    ("n_samples", "", "n_samples"),
    ("widths", ",".join(str(i) for i in range(1, 3000)), "widths"),  # the table's list limit
    ("seeds", "10000", "runs"),  # 4 x 4 x 10,000 runs: above the grid's limit
])
def test_sweep_bad_text(sweep, field, text, needle):
    before = sweep.settings()
    type_into(sweep.edits[field], text)
    assert needle in sweep.error_label.text(), sweep.error_label.text()
    assert sweep.settings() == before


@pytest.mark.parametrize("settings,needle", [
    ({"lrs": [math.nan]}, "lrs"),
    ({"lrs": "fast"}, "lrs"),
    ({"lrs": [0.001 * (i + 1) for i in range(200_000)]}, "lrs"),
    ({"seeds": 10**9}, "seeds"),
    ({"seeds": True}, "seeds"),
    ({"depths": [10**11]}, "depths"),
    ({"widths": [None]}, "widths"),
    ({"noise": math.inf}, "noise"),
    ({"dataset": "nope"}, "dataset"),
    ({"out": 3}, "out"),
    ({"resume": "yes"}, "resume"),
    ({"unknown": 1}, "unknown"),
])
def test_sweep_apply_settings_refuses(sweep, settings, needle):
    before = sweep.settings()
    with pytest.raises(ValueError, match=needle):
        sweep.apply_settings(settings)
    assert sweep.settings() == before


# -- Theory -------------------------------------------------------------------------------------
@pytest.mark.parametrize("field,text,needle", [
    ("trials", "abc", "trials"),
    ("trials", "1000000", "trials"),
    ("points", "1e9", "points"),
    ("points", "100000", "points"),
    ("alpha", "nan", "alpha"),
    ("alphas", "fast", "alphas"),
    ("bd_widths", "100000", "born-dead widths N: 100000 is out of range"),
    ("bd_depths", "", "born-dead depths: give at least one value"),
    ("prune_lr", "inf", "pruned net learning rate: 'inf' is not a number"),
    ("prune_width", "1024", "prune"),
    ("seed", "-1", "seed"),
])
def test_theory_bad_text(theory, field, text, needle):
    before = theory.settings()
    if field == "points":
        theory.edits["width"].setText("1024")
    if field == "prune_width":
        theory.edits["prune_depth"].setText("64")
    type_into(theory.edits[field], text)
    assert needle in theory.error_label.text(), theory.error_label.text()
    assert theory.settings() == before


@pytest.mark.parametrize("settings,needle", [
    ({"trials": 10**6, "bd_widths": [64], "bd_depths": [500]}, "trials"),
    ({"points": 100_000, "width": 1024}, "points"),
    ({"prune_width": 1024, "prune_depth": 64}, "prune"),
    ({"alpha": math.nan}, "alpha"),
    ({"alphas": [0.1] * 10 + ["x"]}, "alphas"),
    ({"bd_depths": list(range(1, 100_000))}, "bd_depths"),
    ({"seed": 2**40}, "seed"),
    ({"nonsense": 1}, "nonsense"),
])
def test_theory_apply_settings_refuses(theory, settings, needle):
    before = theory.settings()
    with pytest.raises(ValueError, match=needle):
        theory.apply_settings(settings)
    assert theory.settings() == before


def test_theory_refused_edit_while_computing_keeps_the_run(theory):
    theory.apply_settings({"trials": 50, "points": 256, "width": 16, "depth": 4,
                           "prune_steps": 20, "bd_depths": [1, 2], "bd_widths": [2]})
    before = theory.settings()
    theory.run()
    type_into(theory.edits["trials"], "-3")
    assert "trials" in theory.error_label.text()
    assert theory.wait_until_idle(60)
    assert theory.settings() == before
    assert "born_dead" in theory.results


# -- Neuron (tested only: its files belong to another engineer) ---------------------------------
def test_neuron_apply_settings_refuses_nan_and_unknown(qtbot, app):
    from gui.neuron.tab import NeuronTab

    tab = NeuronTab()
    qtbot.addWidget(tab)
    try:
        before = tab.settings()
        for bad in ({"nonsense": 1}, {"n_neurons": 10_000_000}, {"duration_s": math.nan}):
            with pytest.raises(ValueError):
                tab.apply_settings(bad)
            assert tab.settings() == before
    finally:
        assert tab.shutdown()  # True: ended within its own 2 s budget
