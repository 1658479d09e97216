"""The engine's history: every probe recorded, real event steps, dead-since / revived-at, rows."""

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.history import ProbeHistory, grid_header, history_rows, snapshot_rows
from models.presets import load_preset
from models.unit_states import DEAD

SMALL = ExperimentConfig(activations=("relu",), lrs=(3.0,), width=8, depth=2, n_samples=64,
                         batch_size=32, steps=4000, log_every=10)


def test_every_probe_is_recorded_401_for_4000_steps_every_10():
    exp = Experiment(SMALL)
    exp.run(4000)
    h = exp.history
    assert h.count == 401 and h.stride == 1
    np.testing.assert_array_equal(h.recorded_steps, np.arange(0, 4001, 10))
    # each record is the probe of its step: the last equals a fresh probe now
    snap = exp.snapshot()
    last = h.snapshot(h.count - 1)
    np.testing.assert_array_equal(last.activity, snap.activity)
    np.testing.assert_array_equal(last.state, snap.state)
    np.testing.assert_array_equal(last.losses, snap.losses)


def test_iterate_yields_the_recorded_probes():
    config = SMALL.replace(steps=60)
    exp = Experiment(config)
    snaps = list(exp.iterate())
    assert [s.step for s in snaps] == list(range(0, 61, 10))
    rows = [r for s in snaps for r in snapshot_rows(s, config.seed)]
    header, recorded = history_rows(exp.history, config.seed)
    assert header == grid_header(2) and recorded == rows
    assert header[6:8] == ["dead_fraction_layer1", "dead_fraction_layer2"]
    for row in recorded:
        assert type(row[2]) is int and type(row[3]) is int and type(row[8]) is int


def test_dead_since_and_revived_at_follow_the_unit():
    exp = Experiment(SMALL.replace(lrs=(0.01,)))
    exp.run(20)
    net = exp.networks[0]
    unit = int(np.flatnonzero(exp.snapshot().state[0, 0] != DEAD)[0])
    bias = float(net.b[0][unit])
    net.b[0][unit] = -1e4           # off for every point: dead from the next probe on
    exp.run(10)
    h = exp.history
    assert h.dead_since(0, 0, unit) == 30 and h.revived_at(0, 0, unit) is None
    exp.run(20)
    assert h.dead_since(0, 0, unit) == 30  # its own weights are frozen while it is dead
    net.b[0][unit] = bias
    exp.run(10)
    assert h.dead_since(0, 0, unit) is None and h.revived_at(0, 0, unit) == 60
    # asked about an earlier step (replay), the answers are those of that step
    assert h.dead_since(0, 0, unit, step=45) == 30 and h.revived_at(0, 0, unit, step=45) is None
    assert h.dead_since(0, 0, unit, step=25) is None


def test_dead_since_agrees_with_a_brute_force_scan():
    exp = Experiment(SMALL.replace(steps=400))
    exp.run(400)
    h = exp.history
    states = h.cell(0)["state"]
    for layer in range(h.depth):
        for unit in range(h.width):
            dead = states[:, layer, unit] == DEAD
            expected = None
            if dead[-1]:
                i = len(dead) - 1
                while i > 0 and dead[i - 1]:
                    i -= 1
                expected = int(h.recorded_steps[i])
            assert h.dead_since(0, layer, unit) == expected
            ups = [int(h.recorded_steps[i]) for i in range(1, len(dead))
                   if dead[i - 1] and not dead[i]]
            assert h.revived_at(0, layer, unit) == (ups[-1] if ups else None)


def test_events_carry_their_real_steps():
    preset = load_preset("thermal-kick")
    exp = Experiment(preset.config, schedule=preset.schedule)
    exp.run(510)
    kicks = [e for e in exp.history.events if e.kind == "kick"]
    assert [e.step for e in kicks] == [250, 500]
    assert all(e.cells == (0, 1) for e in kicks)
    diverging = Experiment(SMALL.replace(activations=("relu", "leaky_relu"), lrs=(0.01, 1e4)))
    diverging.run(200)
    h = diverging.history
    for event in (e for e in h.events if e.kind == "divergence"):
        for cell in event.cells:
            flags = h.diverged[:h.count, cell]
            steps = h.recorded_steps
            assert not flags[steps < event.step].any() and flags[steps >= event.step].all()
    diverged = {c for e in h.events if e.kind == "divergence" for c in e.cells}
    assert diverged == set(np.flatnonzero(diverging.snapshot().diverged)) and 3 in diverged


def test_memory_is_bounded_by_decimation():
    exp = Experiment(SMALL.replace(steps=60))
    snap = exp.snapshot()
    h = ProbeHistory(1, 2, 8, 64, expected=2, max_records=8)
    for step in range(0, 400, 10):
        snap.step = step
        h.add(snap)
    assert h.count <= 8 and h.stride > 1
    steps = h.recorded_steps
    assert steps[0] == 0 and len(set(np.diff(steps))) == 1  # an even spacing
    with pytest.raises(ValueError, match="before the last record"):
        snap.step = 5
        h.add(snap)


def test_an_intervention_at_a_recorded_step_updates_that_record():
    exp = Experiment(SMALL.replace(lrs=(3.0,)))
    exp.run(300)
    dead_before = exp.history.dead_fraction[exp.history.count - 1, 0]
    assert dead_before > 0
    exp.thermal_kick()
    h = exp.history
    assert h.recorded_steps[-1] == 300 and h.count == 31
    assert h.dead_fraction[h.count - 1, 0] == exp.snapshot().dead_fraction[0]


def test_rolling_probe_takes_over_the_recorded_probe():
    from models.rolling_probe import RollingProbe

    exp = Experiment(SMALL.replace(activations=("relu", "tanh"), lrs=(0.1, 3.0)))
    rolling = RollingProbe(exp)
    rolling.full()
    exp.run(10)                     # a recorded probe of every network at step 10
    snap, probed = rolling.partial(1.0, always=1)
    assert probed == 0 and snap.step == 10
    np.testing.assert_array_equal(snap.state, exp.snapshot().state)
    exp.run(3)                      # not a probe step: only the selected one is probed now
    snap, probed = rolling.partial(0.0, always=1)
    assert probed >= 1
    np.testing.assert_array_equal(snap.activity[1], exp.snapshot().activity[1])
