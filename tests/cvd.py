"""Colour-vision-deficiency simulation (Machado, Oliveira & Fernandes 2009) and CIE76 distances."""

from __future__ import annotations

import numpy as np

# Machado et al. 2009, severity 1.0, applied to linear RGB.
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] -> linear RGB."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def simulate(srgb255: np.ndarray, kind: str | None) -> np.ndarray:
    """Return linear RGB (clipped to [0, 1]) of sRGB colours (0-255) as seen with `kind`."""
    lin = to_linear(np.asarray(srgb255, float) / 255.0)
    if kind is not None:
        lin = lin @ MACHADO[kind].T
    return np.clip(lin, 0.0, 1.0)


def lab(linear: np.ndarray) -> np.ndarray:
    """Linear RGB (D65) -> CIE L*a*b*."""
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def smallest_distance(colour255, palette255, kind: str | None) -> float:
    """Smallest CIE76 distance between `colour255` and any of `palette255`, as seen with `kind`."""
    a = lab(simulate(np.asarray(colour255)[None, :], kind))
    b = lab(simulate(np.asarray(palette255), kind))
    return float(np.min(np.linalg.norm(b - a, axis=1)))
