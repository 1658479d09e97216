"""Activation functions by name, each with its value and its derivative."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def relu(z: np.ndarray) -> np.ndarray:
    """Return ``max(0, z)``."""
    return np.maximum(z, 0)


def leaky_relu(z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """Return Leaky ReLU: ``z`` where ``z > 0``, else ``alpha * z``.

    Parameters
    ----------
    z : array_like
        Pre-activations.
    alpha : float
        Slope on the negative side.

    Returns
    -------
    numpy.ndarray
        The activations, same shape as `z`.
    """
    z = np.asarray(z)
    return np.where(z > 0, z, alpha * z)


# Every kernel writes into a preallocated `out`. Derivatives also receive `h = phi(z)`,
# the forward output, which many of them reuse instead of recomputing a transcendental.
_GELU_C = 0.7978845608028654  # sqrt(2 / pi)
_GELU_K = 0.044715


def _sigmoid_into(z, out):
    # 0.5 (1 + tanh(z / 2)): overflow-free and several times faster than exp-based forms.
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1
    out *= 0.5
    return out


def _relu_fwd(z, p, out):
    return np.maximum(z, 0, out=out)


def _relu_der(z, h, p, out):
    return np.greater(z, 0, out=out)


def _leaky_fwd(z, p, out):
    # max(a z, z) is exact for 0 <= a <= 1 and needs no temporary.
    np.multiply(z, p, out=out)
    return np.maximum(out, z, out=out)


def _leaky_der(z, h, p, out):
    np.greater(z, 0, out=out)
    out *= 1 - p
    out += p
    return out


def _elu_fwd(z, p, out):
    # alpha (exp(min(z, 0)) - 1) + max(z, 0)
    np.minimum(z, 0, out=out)
    np.expm1(out, out=out)
    out *= p
    out += np.maximum(z, 0)
    return out


def _elu_der(z, h, p, out):
    # alpha exp(z) for z <= 0, 1 for z > 0
    np.minimum(z, 0, out=out)
    np.exp(out, out=out)
    out *= p
    out += np.greater(z, 0) * (1 - p)
    return out


def _selu_fwd(z, p, out):
    _elu_fwd(z, _SELU_ALPHA, out)
    out *= _SELU_SCALE
    return out


def _selu_der(z, h, p, out):
    _elu_der(z, h, _SELU_ALPHA, out)
    out *= _SELU_SCALE
    return out


def _gelu_inner(z, out):
    # tanh(sqrt(2/pi) (z + 0.044715 z^3))
    np.multiply(z, z, out=out)
    out *= _GELU_K
    out += 1
    out *= z
    out *= _GELU_C
    return np.tanh(out, out=out)


def _gelu_fwd(z, p, out):
    _gelu_inner(z, out)
    out += 1
    out *= z
    out *= 0.5
    return out


def _gelu_der(z, h, p, out):
    # 0.5 (1 + t) + 0.5 z (1 - t^2) c (1 + 3k z^2), with t the inner tanh
    t = _gelu_inner(z, np.empty_like(out))
    np.multiply(z, z, out=out)
    out *= 3 * _GELU_K
    out += 1
    out *= z
    out *= 0.5 * _GELU_C
    out *= 1 - t * t
    t += 1
    t *= 0.5
    out += t
    return out


def _silu_fwd(z, p, out):
    _sigmoid_into(z, out)
    out *= z
    return out


def _silu_der(z, h, p, out):
    # s + h (1 - s) with s = sigmoid(z), h = z s
    _sigmoid_into(z, out)
    out *= -h
    out += h
    out += _sigmoid_into(z, np.empty_like(out))
    return out


def _softplus_fwd(z, p, out):
    # max(z, 0) + log1p(exp(-|z|))
    np.abs(z, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(z, 0)
    return out


def _softplus_der(z, h, p, out):
    return _sigmoid_into(z, out)


def _tanh_fwd(z, p, out):
    return np.tanh(z, out=out)


def _tanh_der(z, h, p, out):
    np.multiply(h, h, out=out)
    np.subtract(1, out, out=out)
    return out


def _sigmoid_fwd(z, p, out):
    return _sigmoid_into(z, out)


def _sigmoid_der(z, h, p, out):
    np.subtract(1, h, out=out)
    out *= h
    return out


def _relu6_fwd(z, p, out):
    return np.clip(z, 0, 6, out=out)


def _relu6_der(z, h, p, out):
    np.greater(z, 0, out=out)
    out *= z < 6
    return out


def _linear_fwd(z, p, out):
    np.copyto(out, z)
    return out


def _linear_der(z, h, p, out):
    out.fill(1)
    return out


@dataclass(frozen=True)
class ActivationSpec:
    """An activation's value and derivative, both writing into a preallocated `out`.

    Attributes
    ----------
    name : str
        Registry name.
    forward : callable
        ``forward(z, param, out) -> out``.
    derivative : callable
        ``derivative(z, h, param, out) -> out`` where ``h = forward(z)``.
    zero_gradient_side : bool
        True when the derivative is exactly 0 for all ``z <= 0`` (relu, relu6): then a unit
        is dead exactly when ``z <= 0`` on every probe point, and the probe can skip the
        derivative.
    has_param : bool
        True for leaky_relu and prelu, whose `param` is the user's alpha (ELU's fixed
        alpha = 1 is passed as its param too, but is not the user's).
    learned_param : bool
        True for prelu (alpha is trained).
    description : str
        One line for tooltips and the README.
    """

    name: str
    forward: Callable
    derivative: Callable
    zero_gradient_side: bool = False
    has_param: bool = False
    learned_param: bool = False
    description: str = ""


ACTIVATIONS: dict[str, ActivationSpec] = {
    spec.name: spec
    for spec in (
        ActivationSpec("relu", _relu_fwd, _relu_der, zero_gradient_side=True,
                       description="max(0, z); gradient exactly 0 for z <= 0"),
        ActivationSpec("leaky_relu", _leaky_fwd, _leaky_der, has_param=True,
                       description="max(alpha z, z); gradient alpha for z <= 0"),
        ActivationSpec("prelu", _leaky_fwd, _leaky_der, has_param=True, learned_param=True,
                       description="Leaky ReLU whose alpha (one per layer) is learned"),
        ActivationSpec("elu", _elu_fwd, _elu_der,
                       description="z for z > 0, exp(z) - 1 otherwise (ELU with alpha = 1)"),
        ActivationSpec("selu", _selu_fwd, _selu_der,
                       description="scaled ELU with the self-normalising constants"),
        ActivationSpec("gelu", _gelu_fwd, _gelu_der,
                       description="GELU, tanh form: "
                       "0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))"),
        ActivationSpec("silu", _silu_fwd, _silu_der,
                       description="SiLU / Swish, z * sigmoid(z)"),
        ActivationSpec("softplus", _softplus_fwd, _softplus_der,
                       description="log(1 + exp(z)), a smooth ReLU"),
        ActivationSpec("tanh", _tanh_fwd, _tanh_der, description="tanh(z); saturates at +-1"),
        ActivationSpec("sigmoid", _sigmoid_fwd, _sigmoid_der,
                       description="1 / (1 + exp(-z)); derivative at most 0.25"),
        ActivationSpec("relu6", _relu6_fwd, _relu6_der, zero_gradient_side=True,
                       description="min(max(0, z), 6): a second flat region above 6"),
        ActivationSpec("linear", _linear_fwd, _linear_der, description="identity, for contrast"),
    )
}

ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


def get_activation(name: str) -> ActivationSpec:
    """Return the activation called `name`.

    Raises
    ------
    ValueError
        If `name` is not registered; the message lists the valid names.
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose from {', '.join(ACTIVATION_NAMES)}"
        ) from None


def default_param(name: str, alpha: float) -> float:
    """Return the parameter an activation uses: `alpha` for leaky kinds, 1.0 for ELU, else 0."""
    if name in ("leaky_relu", "prelu"):
        return float(alpha)
    if name == "elu":
        return 1.0
    return 0.0


def _as_float(z) -> np.ndarray:
    z = np.asarray(z)
    return z if np.issubdtype(z.dtype, np.floating) else z.astype(float)


def apply(name: str, z: np.ndarray, param: float = 0.01) -> np.ndarray:
    """Return the activation `name` of `z` (a convenience wrapper that allocates).

    Parameters
    ----------
    name : str
        Registered activation name.
    z : array_like
        Pre-activations.
    param : float
        Alpha for leaky_relu / prelu / elu; ignored otherwise.

    Returns
    -------
    numpy.ndarray
        Same shape as `z`.
    """
    z = _as_float(z)
    return get_activation(name).forward(z, param, np.empty_like(z))


def derivative(name: str, z: np.ndarray, param: float = 0.01) -> np.ndarray:
    """Return the derivative of activation `name` at `z` (allocating wrapper)."""
    z = _as_float(z)
    spec = get_activation(name)
    h = spec.forward(z, param, np.empty_like(z))
    return spec.derivative(z, h, param, np.empty_like(z))
