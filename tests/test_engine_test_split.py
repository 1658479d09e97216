"""The held-out test split: test loss and accuracy against direct computation, the split itself."""

import math

import numpy as np
import pytest
from scipy import stats

from models.atomic_write import csv_text
from models.config import ExperimentConfig
from models.datasets import held_out_count, make_dataset, make_held_out
from models.experiment import Experiment, load_split
from models.history import HELD_OUT_COLUMNS, grid_header, history_rows

SMALL = ExperimentConfig(activations=("relu", "tanh"), lrs=(0.05, 1.0), width=8, depth=2,
                         n_samples=96, batch_size=32, steps=40, log_every=10,
                         test_fraction=0.25)


def _bce(logits: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy (nats) in float64, written independently of the engine."""
    o = logits.astype(np.float64)
    return float(np.mean(np.logaddexp(0.0, o) - y.astype(np.float64) * o))


def test_sizes_follow_the_stated_meaning_share_of_all_points():
    assert held_out_count(512, 0.2) == 128  # 128 / (512 + 128) = 0.2
    assert held_out_count(96, 0.25) == 32
    assert held_out_count(512, 0.0) == 0
    exp = Experiment(SMALL)
    assert len(exp.x) == 96 and len(exp.test_x) == 32
    assert len(exp.test_x) / (len(exp.x) + len(exp.test_x)) == 0.25


def test_test_loss_is_the_networks_loss_on_the_held_out_points_at_that_step():
    exp = Experiment(SMALL)
    exp.run(30)
    h = exp.history
    assert h.recorded_steps[-1] == 30
    for k, net in enumerate(exp.networks):
        recorded = h.test_losses[h.count - 1, k]
        # the same arithmetic as the engine's own loss: equal to the last bit
        assert recorded == net.loss(exp.test_x, exp.test_y)
        # an independent float64 formula: float32 sums agree to 1e-5 relative
        logits = net.forward(exp.test_x).copy()
        assert math.isclose(recorded, _bce(logits, exp.test_y), rel_tol=1e-5)
        # and the training-set loss stays the probe set's (the training set by default)
        assert math.isclose(h.losses[h.count - 1, k], _bce(net.forward(exp.x).copy(), exp.y),
                            rel_tol=1e-5)


def test_accuracy_is_a_direct_count_of_points_on_the_right_side():
    exp = Experiment(SMALL)
    exp.run(40)
    snap = exp.snapshot()
    for k, net in enumerate(exp.networks):
        for x, y, value in ((exp.x, exp.y, snap.train_accuracy[k]),
                            (exp.test_x, exp.test_y, snap.test_accuracy[k])):
            p = 1.0 / (1.0 + np.exp(-net.forward(x).astype(np.float64)))
            right = sum(int((pi > 0.5) == (yi == 1.0)) for pi, yi in zip(p[:, 0], y[:, 0]))
            assert value == right / len(y)
    assert 0.0 < snap.train_accuracy.min() and snap.test_accuracy.max() <= 1.0


def test_batch_norm_test_loss_uses_the_probes_statistics():
    config = SMALL.replace(batch_norm=True, activations=("relu",), lrs=(0.1,))
    for mode in ("batch", "running"):
        exp = Experiment(config.replace(bn_probe=mode))
        exp.run(20)
        net = exp.networks[0]
        logits = net.forward(exp.test_x, batch_stats=mode == "batch").copy()
        assert math.isclose(exp.history.test_losses[exp.history.count - 1, 0],
                            _bce(logits, exp.test_y), rel_tol=1e-5)


def test_the_training_set_and_the_run_do_not_depend_on_the_test_fraction():
    runs = []
    for fraction in (0.0, 0.5):
        exp = Experiment(SMALL.replace(test_fraction=fraction))
        exp.run(40)
        runs.append(exp)
    a, b = runs
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert len(a.test_x) == 0 and len(b.test_x) == 96
    for na, nb in zip(a.networks, b.networks):
        for pa, pb in zip(na.parameters(), nb.parameters()):
            np.testing.assert_array_equal(pa, pb)
    # every older grid.csv column is the same; only the held-out columns differ
    header, rows_a = history_rows(a.history, 0)
    _, rows_b = history_rows(b.history, 0)
    n_old = len(header) - len(HELD_OUT_COLUMNS)
    assert header[n_old:] == list(HELD_OUT_COLUMNS) and header == grid_header(2)
    assert csv_text(header[:n_old], [r[:n_old] for r in rows_a]) == \
        csv_text(header[:n_old], [r[:n_old] for r in rows_b])
    assert all(math.isnan(r[-3]) and math.isnan(r[-1]) for r in rows_a)  # no test points
    assert all(0.0 <= r[-1] <= 1.0 for r in rows_b)


def test_synthetic_test_points_follow_the_training_distribution():
    """Two-sample Kolmogorov-Smirnov test per class and input, p > 0.001; a control fails it.

    Same name, noise and seed: the held-out draw must look like the training draw (and be
    other points). The control, drawn with five times the noise, must be told apart
    (p < 0.001), so the check can fail.
    """
    for name in ("spiral", "circle", "moons"):
        train = make_dataset(name, 3000, 0.1, seed=4)
        test = make_held_out(name, 3000, 0.5, 0.1, seed=4)
        wrong = make_held_out(name, 3000, 0.5, 0.5, seed=4)
        assert len(test) == 3000 and not np.isin(test.x[:, 0], train.x[:, 0]).any()
        share = stats.binomtest(int(test.y.sum()), len(test), float(train.y.mean()))
        assert share.pvalue > 1e-3, name
        p_wrong = []
        for label in (0.0, 1.0):
            a, b = train.x[train.y[:, 0] == label], test.x[test.y[:, 0] == label]
            c = wrong.x[wrong.y[:, 0] == label]
            for i in range(2):
                assert stats.ks_2samp(a[:, i], b[:, i]).pvalue > 1e-3, (name, label, i)
                p_wrong.append(stats.ks_2samp(a[:, i], c[:, i]).pvalue)
        assert min(p_wrong) < 1e-3, name


def test_a_csv_holds_out_a_seeded_share_of_its_rows_disjoint_from_training(tmp_path):
    path = tmp_path / "mine.csv"
    rows = [(i / 10, -i / 7, i % 2) for i in range(40)]
    path.write_text("x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    config = ExperimentConfig(dataset="csv", csv_path=str(path), test_fraction=0.25,
                              n_samples=64, batch_size=16, width=4, depth=1,
                              activations=("relu",), lrs=(0.1,))
    train, test = load_split(config)
    assert len(test) == 10 and len(train) == 30  # round(0.25 * 40) rows held out
    as_set = {tuple(r) for r in np.c_[train.x, train.y]}
    held = {tuple(r) for r in np.c_[test.x, test.y]}
    assert not as_set & held and as_set | held == {tuple(map(float, r)) for r in rows}
    assert np.all(np.diff(train.x[:, 0]) > 0) and np.all(np.diff(test.x[:, 0]) > 0)  # file order
    again, _ = load_split(config)
    np.testing.assert_array_equal(again.x, train.x)  # seeded: the same split every time
    other, _ = load_split(config.replace(seed=1))
    assert not np.array_equal(other.x, train.x)
    exp = Experiment(config)
    np.testing.assert_array_equal(exp.test_x, test.x.astype(np.float32))
    exp.run(10)
    assert np.isfinite(exp.history.test_losses[: exp.history.count]).all()
    none, _ = load_split(config.replace(test_fraction=0.0))
    assert len(none) == 40


def test_regression_has_a_test_loss_and_no_accuracy():
    exp = Experiment(SMALL.replace(dataset="sine", activations=("relu",), lrs=(0.05,)))
    exp.run(20)
    snap = exp.snapshot()
    net = exp.networks[0]
    expected = float(np.mean((net.forward(exp.test_x).astype(np.float64) - exp.test_y) ** 2))
    assert math.isclose(snap.test_losses[0], expected, rel_tol=1e-5)
    assert math.isnan(snap.train_accuracy[0]) and math.isnan(snap.test_accuracy[0])


def test_a_diverged_network_has_nan_test_numbers_and_is_marked():
    exp = Experiment(SMALL.replace(activations=("leaky_relu",), lrs=(0.05, 1e4)))
    exp.run(40)
    snap = exp.snapshot()
    assert not snap.diverged[0] and snap.diverged[1]
    assert np.isfinite([snap.test_losses[0], snap.test_accuracy[0], snap.train_accuracy[0]]).all()
    assert np.isnan([snap.test_losses[1], snap.test_accuracy[1], snap.train_accuracy[1]]).all()
    h = exp.history  # every record since the divergence holds NaN, and diverged is set
    after = h.diverged[:h.count, 1]
    assert after.any() and np.isnan(h.test_losses[:h.count, 1][after]).all()
    assert np.isfinite(h.test_losses[:h.count, 1][~after]).all()


def test_a_held_out_probe_set_keeps_the_training_accuracy_on_the_training_set():
    exp = Experiment(SMALL.replace(probe="held_out", activations=("relu",), lrs=(0.1,)))
    exp.run(20)
    net = exp.networks[0]
    right = np.count_nonzero((net.forward(exp.x) > 0) == (exp.y > 0.5)) / len(exp.y)
    assert exp.snapshot().train_accuracy[0] == right
    assert exp.probe_x is not exp.x  # the dead-unit probe stays on the chosen set
    assert not np.array_equal(exp.probe_x, exp.test_x)


def test_old_configs_without_the_field_load_with_the_default():
    data = SMALL.to_dict()
    del data["test_fraction"]
    assert ExperimentConfig.from_dict(data).test_fraction == 0.2
    with pytest.raises(ValueError, match="test_fraction"):
        ExperimentConfig(test_fraction=0.6)
