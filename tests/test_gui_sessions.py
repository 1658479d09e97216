"""Sessions in the window: save, change everything, reopen; refusals; autosave; import."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gui import session_store
from gui.main_window import MainWindow
from gui.networks.tab import NetworksTab
from models.config import ExperimentConfig
from models.datasets import DatasetError
from models.session_file import SessionError
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(180)]
SMALL = ExperimentConfig(width=16, activations=("relu", "leaky_relu"), lrs=(0.03, 3.0),
                         log_every=5, seed=3)


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("RELU_LAB_CONFIG_DIR", str(tmp_path / "config"))
    return make_window(SMALL)


def train_losses(qtbot, tab, steps=20) -> np.ndarray:
    tab.reset()
    tab.step_once(steps)
    qtbot.waitUntil(lambda: tab.shown_step == steps, timeout=HANG_MS)
    return tab.last_frame.snapshot.losses.copy()


def change_everything(win: MainWindow) -> None:
    win.networks.apply_settings({"config": ExperimentConfig(
        width=8, depth=2, activations=("tanh",), lrs=(0.5,), seed=11, batch_norm=True,
        optimizer="adam", dataset="moons").to_dict(), "selected": 0, "scope": "selected"})
    neuron = win.neuron.settings()
    neuron["parameters"] = {**neuron["parameters"], "g_leak_ns": 25.0, "noise_mv": 1.5}
    win.neuron.apply_settings(neuron)
    win.sweep.apply_settings({"seeds": 2, "steps": 77, "lrs": [0.05, 0.5]})
    win.theory.apply_settings({"trials": 123, "alpha": 0.25})


@pytest.mark.slow
def test_save_change_everything_reopen_restores_and_reproduces(qtbot, window, tmp_path):
    original = window.session()["tabs"]
    losses = train_losses(qtbot, window.networks)
    path = window.save_session(tmp_path / "lesson.json")
    change_everything(window)
    changed = window.session()["tabs"]
    for key in ("networks", "neuron", "sweep", "theory"):
        assert changed[key] != original[key], key
    window.open_session(path)
    assert window.session()["tabs"] == original
    np.testing.assert_array_equal(train_losses(qtbot, window.networks), losses)
    assert session_store.recent_sessions()[0] == str(path.resolve())


BAD_KINDS = ("truncated", "unknown_field", "newer_schema", "binary", "bad_value")


def bad_session(good: str, kind: str) -> bytes:
    """Return the bytes of a session file spoiled as `kind` from the good file's `good` text."""
    document = json.loads(good)
    if kind == "truncated":
        return good[: len(good) // 2].encode()
    if kind == "unknown_field":
        document["tabs"]["networks"]["colour"] = "red"
    elif kind == "newer_schema":
        document["schema_version"] = 99
    elif kind == "binary":
        return bytes(range(256)) * 8
    else:  # the first tabs are fine, the last one is not: the first must be rolled back
        document["tabs"]["networks"]["config"]["seed"] = 42
        document["tabs"]["theory"]["trials"] = -5
    return json.dumps(document).encode()


def test_bad_session_files_are_refused_and_nothing_changes(window, tmp_path):
    """Each kind of bad file in turn, on one window: each is refused and changes nothing."""
    good = window.save_session(tmp_path / "good.json").read_text()
    change_everything(window)
    before = window.session()["tabs"]
    for kind in BAD_KINDS:
        bad = tmp_path / f"{kind}.json"
        bad.write_bytes(bad_session(good, kind))
        with pytest.raises(SessionError) as info:
            window.open_session(bad)
        assert str(info.value), kind
        assert window.session()["tabs"] == before, kind


@pytest.mark.slow
def test_autosave_on_quit_is_offered_back(qtbot, lab_app, tmp_path, monkeypatch):
    monkeypatch.setenv("RELU_LAB_CONFIG_DIR", str(tmp_path / "config"))
    first = MainWindow(NetworksTab(SMALL))
    qtbot.addWidget(first)
    first.autosave_on_close = True
    first.neuron.apply_settings({**first.neuron.settings(),
                                 "parameters": {"g_leak_ns": 17.0}})
    expected = first.session()["tabs"]
    first.close()
    assert session_store.autosave_path().is_file()

    second = MainWindow(NetworksTab(ExperimentConfig()))
    qtbot.addWidget(second)
    assert second.offer_autosaved_session() == "offered"
    assert second.banner.isVisibleTo(second) and second.banner.restore_button.isVisibleTo(second)
    second.banner.restore_button.click()
    assert second.session()["tabs"] == expected
    session_store.set_offer_restore(False)
    assert second.offer_autosaved_session() == "off"
    second.close()


def test_corrupted_autosave_at_start_up_is_set_aside(qtbot, lab_app, tmp_path, monkeypatch):
    monkeypatch.setenv("RELU_LAB_CONFIG_DIR", str(tmp_path / "config"))
    path = session_store.autosave_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "relu-lab-session", "schema_ver')
    win = MainWindow(NetworksTab(SMALL))
    qtbot.addWidget(win)
    before = win.session()["tabs"]
    assert win.offer_autosaved_session() == "corrupt"
    assert "could not be read" in win.banner.label.text()
    assert not path.exists() and path.with_suffix(".bad").exists()
    assert win.session()["tabs"] == before
    win.close()


def test_import_dataset_good_and_bad(networks_window, tmp_path):
    window = networks_window
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0,0,0\n1,1,1\n0,1,oops\n1,0,1\n")
    before = window.networks.config
    with pytest.raises(DatasetError, match="line 4, column label"):
        window.import_dataset(bad)
    assert window.networks.config == before
    good = tmp_path / "good.csv"
    rng = np.random.default_rng(0)
    rows = "\n".join(f"{a:.3f},{b:.3f},{int(a * b > 0)}" for a, b in rng.uniform(-1, 1, (64, 2)))
    good.write_text("x1,x2,label\n" + rows + "\n")
    window.import_dataset(good)
    assert window.networks.config.dataset == "csv"
    # every row is used: 0.2 of them (13) held out for testing, the other 51 trained on
    experiment = window.networks.experiment
    assert experiment.dataset.x.shape == (51, 2) and experiment.test_dataset.x.shape == (13, 2)
