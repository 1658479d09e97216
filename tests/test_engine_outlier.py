"""The outlier batch is an ordinary batch with one abnormal point; batch norm stays stable on it."""

import numpy as np
import pytest

from models.datasets import make_dataset, outlier_batch
from models.network import Network

DATA = make_dataset("moons", 512, 0.1, seed=0)


def test_outlier_batch_is_ordinary_but_one_point():
    xb, yb = DATA.x[:128], DATA.y[:128]
    x, y = outlier_batch(DATA, factor=500.0, seed=3, batch=(xb, yb))
    differs = np.any(x != xb, axis=1)
    assert differs.sum() == 1                       # exactly one abnormal point
    row = int(np.flatnonzero(differs)[0])
    scale = np.abs(DATA.x).max()
    assert np.isclose(np.abs(x[row]).max(), 500.0 * scale)
    np.testing.assert_array_equal(y, yb)             # the glitch keeps its label
    assert len(np.unique(x, axis=0)) == len(x)       # not identical rows
    assert np.all(xb == DATA.x[:128])                # the ordinary batch is not modified
    drawn, _ = outlier_batch(DATA, factor=500.0, seed=3, size=64)
    assert drawn.shape == (64, 2) and np.sum(np.abs(drawn).max(axis=1) > 10 * scale) == 1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_norm_gradient_float32_matches_float64_on_the_outlier_step(seed):
    x, y = outlier_batch(DATA, factor=10000.0, seed=seed, size=128)
    n32 = Network(2, [48] * 3, "relu", batch_norm=True, seed=seed, dtype=np.float32)
    n64 = Network(2, [48] * 3, "relu", batch_norm=True, seed=seed, dtype=np.float64)
    n64.copy_state_from(n32)                          # the very same (float32) weights
    loss32, g32 = n32.loss_and_gradients(x.astype(np.float32), y.astype(np.float32))
    loss64, g64 = n64.loss_and_gradients(x, y)
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    for k, (a, b) in enumerate(zip(g32, g64)):
        norm = np.linalg.norm(b)
        if k in (1, 3, 5):  # a bias before batch norm: its exact gradient is 0
            assert not np.any(a) and norm < 1e-12
            continue
        assert np.linalg.norm(a - b) <= 1e-4 * norm, (k, np.linalg.norm(a - b) / norm)
    # and a full SGD step lands on the same parameters (up to float32 storage of each one)
    p0 = [p.astype(np.float64) for p in n64.parameters()]
    n32.train_step(x.astype(np.float32), y.astype(np.float32))
    n64.train_step(x, y)
    for a, b, c in zip(n32.parameters(), n64.parameters(), p0):
        moved = np.linalg.norm(b - c)
        storage = 4 * np.finfo(np.float32).eps * np.linalg.norm(b)
        assert np.linalg.norm((a - c) - (b - c)) <= 1e-4 * moved + storage
