"""Diagnostics against the engine: histograms, z <= 0 fraction, update ratios, the plateau."""

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.diagnostics import (
    UnitPlane,
    histogram_counts,
    plane_ranges,
    plateau_surfaces,
    symmetric_edges,
    unit_trajectory,
    update_ratios,
)
from models.experiment import Experiment
from models.presets import load_preset


def small(**changes):
    base = dict(dataset="spiral", n_samples=256, width=12, depth=2,
                activations=("relu", "leaky_relu"), lrs=(0.01, 0.5), steps=60, log_every=10,
                batch_size=32)
    base.update(changes)
    return Experiment(ExperimentConfig(**base))


def test_histogram_counts_sum_to_points_times_units_and_match_activity():
    e = small()
    e.run(40)
    h = e.history
    counts = h.extra("z_counts")
    n_points = len(e.probe_x)
    assert counts.shape[0] == h.count == 5
    assert np.all(counts.sum(axis=3) == n_points * e.config.width)
    # the z <= 0 fraction is 1 - activity, the engine's own probe (exact counts)
    activity = h.active[:h.count] / n_points
    np.testing.assert_allclose(h.extra("z_nonpositive"), 1 - activity.mean(axis=3), atol=1e-6)
    # and agrees with a probe taken now
    probe = e.probe_network(1)
    np.testing.assert_allclose(h.extra("z_nonpositive")[-1, 1], 1 - probe.activity.mean(axis=1),
                               atol=1e-6)


def test_histogram_bins_against_numpy():
    rng = np.random.default_rng(3)
    z = rng.standard_normal(5000) * 2
    edges = symmetric_edges(z[:100], 20)
    assert edges[0] == -edges[-1] and 0.0 in edges
    counts = histogram_counts(z, edges)
    inner = np.histogram(z[(z >= edges[0]) & (z < edges[-1])], edges)[0]
    np.testing.assert_array_equal(counts[1:-1], inner)
    assert counts[0] == np.count_nonzero(z < edges[0])
    assert counts[-1] == np.count_nonzero(z >= edges[-1])
    assert histogram_counts(np.array([np.nan, -np.inf, np.inf]), edges).sum() == 3


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "momentum"])
def test_update_ratio_is_the_change_between_two_weight_snapshots(optimizer):
    e = small(optimizer=optimizer)
    e.run(19)
    before = [[w.copy() for w in net.W] for net in e.networks]
    e.run(1)
    recorded = e.history.extra("update_ratio")[-1]
    assert e.history.recorded_steps[-1] == 20
    for k, net in enumerate(e.networks):
        expected = [np.linalg.norm(new.astype(float) - old) / np.linalg.norm(old.astype(float))
                    for old, new in zip(before[k], net.W)]
        np.testing.assert_allclose(recorded[k], expected, rtol=1e-5)
        assert np.all(recorded[k] > 0)
    assert np.allclose(update_ratios([np.ones(3)], [np.ones(3) * 1.5]), 0.5)


def test_gradient_norm_recorded_at_every_probe():
    e = small()
    e.run(30)
    norms = e.history.grad_norms[1:e.history.count]
    assert np.all(norms > 0)
    assert not np.allclose(norms[0], norms[-1])


def _dead_relu_net(activation):
    e = small(activations=(activation,), lrs=(0.01,))
    e.start()
    net = e.networks[0]
    net.b[0][3] = -50.0  # off for every point of the spiral (|x| is a few units)
    return e, net


def test_plateau_surface_through_the_engine_loss_and_flat_for_dead_relu():
    e, net = _dead_relu_net("relu")
    assert e.probe_network(0).dead[0, 3]
    plane = UnitPlane(net, e.x, e.y, 0, 3)
    loss, flat = plane.evaluate(*plane.current)
    assert loss == e.probe_network(0).loss  # the same arithmetic, exactly
    assert flat
    assert plane.bias_slope(1e-2) == 0.0
    b0, s0 = plane.current
    surfaces = list(plateau_surfaces(plane, (b0 - 2, b0 + 2), (0.5 * s0, 1.5 * s0), (5, 9)))
    assert [s.level for s in surfaces] == [0, 1]
    fine = surfaces[-1]
    np.testing.assert_array_equal(fine.loss[::2, ::2], surfaces[0].loss)
    assert fine.flat.all()
    assert np.all(fine.bias_gradient() == 0)
    i = len(fine.scale) // 2
    assert fine.loss[i, len(fine.bias) // 2] == pytest.approx(loss, rel=1e-5)


def test_plateau_has_slope_for_leaky_relu():
    e, net = _dead_relu_net("leaky_relu")
    plane = UnitPlane(net, e.x, e.y, 0, 3)
    assert not plane.evaluate(*plane.current)[1]
    assert plane.bias_slope(1e-2) != 0.0


def test_plateau_cancel_and_bad_unit():
    e, net = _dead_relu_net("relu")
    plane = UnitPlane(net, e.x, e.y, 0, 3)
    calls = []
    gen = plateau_surfaces(plane, (-1, 1), (0, 1), (3, 5), should_stop=lambda: len(calls) > 0)
    first = next(gen)
    calls.append(1)
    assert first.level == 0 and list(gen) == []
    with pytest.raises(IndexError, match="unit 99"):
        UnitPlane(net, e.x, e.y, 0, 99)
    with pytest.raises(IndexError, match="layer 5"):
        UnitPlane(net, e.x, e.y, 4, 0)


def test_trajectory_from_history_ends_at_current_point():
    e = small()
    e.run(30)
    steps, traj = unit_trajectory(e.history, 1, 1, 4)
    assert len(steps) == len(traj) == e.history.count
    net = e.networks[1]
    assert traj[-1, 0] == pytest.approx(float(net.b[1][4]))
    assert traj[-1, 1] == pytest.approx(float(np.linalg.norm(net.W[1][:, 4])), rel=1e-5)
    (b_lo, b_hi), (s_lo, s_hi) = plane_ranges((0.0, 1.0), traj)
    assert b_lo < traj[:, 0].min() and b_hi > traj[:, 0].max() and s_hi > traj[:, 1].max()


def test_high_lr_kills_layer1_mass_below_zero():
    preset = load_preset("high-lr-kills")
    e = Experiment(preset.config.replace(steps=200), schedule=preset.schedule)
    e.run(200)
    h = e.history
    labels = e.labels
    dying, calm = labels.index(("relu", 6.0)), labels.index(("relu", 0.01))
    counts = h.extra("z_counts")[:, :, 0].astype(float)  # layer 1
    edges = e.diagnostics.edges[:, 0]
    n_inner = edges.shape[1] - 1

    def below(cell):  # underflow bin plus the inner bins left of the edge at 0
        return counts[:, cell, :1 + n_inner // 2].sum(axis=1) / counts[:, cell].sum(axis=1)

    # the death step: the first probe where layer 1's dead fraction has jumped by a quarter
    dead = h.dead_layers[:h.count, dying, 0]
    death = int(np.argmax(dead > dead[0] + 0.25))
    assert death > 0
    assert np.all(below(dying)[death:] > 0.8)  # most mass below 0 from then on
    assert np.all(below(calm)[death:] < 0.6)   # the small learning rate keeps about half
    assert below(dying)[0] < 0.6               # it was not so at birth
    np.testing.assert_allclose(below(dying), h.extra("z_nonpositive")[:, dying, 0], atol=0.02)


def test_diagnostics_decimate_with_the_history():
    from models.history import ProbeHistory

    e = small(lrs=(0.5,), activations=("relu",))
    e.history = ProbeHistory(1, 2, 12, len(e.probe_x), expected=2, max_records=4,
                             extra_bytes=e.diagnostics.bytes_per_record())
    initial = e.networks[0].b[1].copy()
    e.run(100)
    h = e.history
    assert h.count <= 4 and h.stride > 1
    assert h.recorded_steps[0] == 0 and h.recorded_steps[-1] % (10 * h.stride) == 0
    for name in ("z_counts", "z_nonpositive", "update_ratio", "unit_bias", "unit_weight_norm"):
        assert h.extra(name).shape[0] == h.count
    activity = h.active[:h.count, 0] / len(e.probe_x)
    np.testing.assert_allclose(h.extra("z_nonpositive")[:, 0], 1 - activity.mean(axis=2),
                               atol=1e-6)  # the extras stayed with their records
    np.testing.assert_array_equal(h.extra("unit_bias")[0, 0, 1], initial)  # step 0 kept first
    assert not np.array_equal(h.extra("unit_bias")[-1, 0, 1], initial)
