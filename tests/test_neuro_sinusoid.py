"""Leaky ReLU of b + A sin(wt): closed-form mean and first harmonic against an FFT."""

import numpy as np
import pytest

from models.activations import leaky_relu
from neuro.sinusoid_response import leaky_relu_first_harmonic, leaky_relu_mean

N = 2**16


def fft_mean_and_harmonic(b, amplitude, alpha):
    phase = 2 * np.pi * np.arange(N) / N
    spectrum = np.fft.rfft(leaky_relu(b + amplitude * np.sin(phase), alpha))
    return spectrum[0].real / N, -2 * spectrum[1].imag / N, 2 * spectrum[1].real / N


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2, 0.7, 1.0])
@pytest.mark.parametrize("b", [-2.5, -1.0, -0.4, 0.0, 0.3, 0.99, 1.0, 1.7])
def test_closed_forms_match_fft(b, alpha):
    amplitude = 1.0
    mean, in_phase, quadrature = fft_mean_and_harmonic(b, amplitude, alpha)
    assert abs(leaky_relu_mean(b, amplitude, alpha) - mean) < 1e-6
    assert abs(leaky_relu_first_harmonic(b, amplitude, alpha) - in_phase) < 1e-6
    assert abs(quadrature) < 1e-6  # instantaneous: no phase shift


def test_regimes_and_special_cases():
    a, alpha = 2.0, 0.1
    assert leaky_relu_mean(3.0, a, alpha) == 3.0 and leaky_relu_first_harmonic(3.0, a, alpha) == a
    assert leaky_relu_mean(-3.0, a, alpha) == pytest.approx(alpha * -3.0)
    assert leaky_relu_first_harmonic(-3.0, a, alpha) == pytest.approx(alpha * a)
    assert leaky_relu_mean(0.0, a, alpha) == pytest.approx((1 - alpha) * a / np.pi)
    assert leaky_relu_first_harmonic(0.0, a, alpha) == pytest.approx((1 + alpha) * a / 2)
    with pytest.raises(ValueError, match="alpha"):
        leaky_relu_mean(0.0, 1.0, 1.5)
