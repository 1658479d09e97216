"""Interspike intervals: the estimator, the CV theory, and a run against it."""

import numpy as np
import pytest

from neuro.drive import run_drive
from neuro.isi import cv_curve, cv_theory, isi_statistics
from neuro.parameters import LifParameters


def test_isi_statistics_of_known_trains():
    # neuron 0 regular at 10 ms, neuron 1 two intervals of 5 and 15 ms; a spike before start
    neuron = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    times = np.array([10.0, 20.0, 30.0, 40.0, 1.0, 12.0, 17.0, 32.0])
    stats = isi_statistics(neuron, times, start_ms=5.0, bins=4, max_ms=20.0)
    np.testing.assert_array_equal(np.sort(stats.isi_ms), [5.0, 10.0, 10.0, 10.0, 15.0])
    assert stats.mean_isi_ms == pytest.approx(10.0)
    assert stats.cv == pytest.approx(np.std([5, 10, 10, 10, 15], ddof=1) / 10.0)
    assert stats.counts.sum() == 5 and stats.neurons_with_isi == 2
    empty = isi_statistics([0], [3.0])
    assert empty.isi_ms.size == 0 and np.isnan(empty.cv)


def test_poisson_intervals_have_cv_one():
    rng = np.random.default_rng(0)
    times = np.cumsum(rng.exponential(10.0, 20000))
    assert isi_statistics(np.zeros(times.size, int), times).cv == pytest.approx(1.0, abs=0.02)


def test_cv_theory_limits():
    params = LifParameters(noise_mv=5.0)
    low, high = cv_theory([0.02, 1.0], params)
    assert low == pytest.approx(1.0, abs=0.02)  # rare escapes: Poisson
    assert high < 0.15  # strong drive: nearly regular
    assert np.all(np.diff(cv_theory([0.1, 0.2, 0.3, 0.5], params)) < 0)
    with pytest.raises(ValueError, match="noise_mv"):
        cv_theory([0.2], LifParameters())


@pytest.mark.slow
def test_simulated_cv_matches_theory_above_the_foot():
    # 300 neurons x 1.9 s at 27 and 50 Hz: >15,000 intervals each (CV error < 2 %); far
    # below rheobase a finite run censors the long intervals, so the foot is not compared
    params = LifParameters(noise_mv=5.0, duration_s=2.0, seed=4)
    curve = cv_curve(params, [0.2, 0.3], simulate_run=True, trials=300)
    np.testing.assert_allclose(curve.cv_sim, curve.cv_theory, rtol=0.05)


@pytest.mark.slow
def test_drive_result_exposes_isi_statistics_and_cv_curve():
    params = LifParameters(noise_mv=4.0, n_neurons=200, duration_s=0.6)
    result = run_drive(params)
    stats = result.isi_statistics()
    assert stats.isi_ms.size > 100 and 0.0 < stats.cv < 1.5
    assert stats.isi_ms.min() >= params.t_ref_ms - 1e-9
    curve = result.cv_against_input([0.2, 0.3])
    np.testing.assert_allclose(curve.cv_theory, cv_theory([0.2, 0.3], params))
