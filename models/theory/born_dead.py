"""Born-dead ReLU networks (Lu, Shin, Su, Karniadakis): an exact, vectorised Monte Carlo.

Setting of Lu et al.: a scalar input on ``[-sqrt(3), sqrt(3)]``, `depth` hidden ReLU layers of
width `N`, He-normal weights (variance ``2/fan_in``) and zero biases; options: ``he-bias``
(biases ``N(0, 1)``) and ``rai`` (randomized asymmetric init, as in `models.initializers`).
A network is *born dead* when its output is constant over the whole input domain.

The decision is **exact**, not made on a grid. With a 1-D input every layer's output is a
piecewise-linear function of ``x``, so it is fully described by its values at its
breakpoints ("knots") and at the two ends of the domain. Each layer is evaluated at the
current knots; wherever a unit's pre-activation changes sign between two neighbouring knots
the crossing point is added as a new knot (found by linear interpolation, which is exact
there) with that unit's pre-activation set to exactly 0. Between knots everything is then
linear, so a layer is constant on the domain exactly when its values at all knots are equal,
and once a layer is constant every layer above it, and the output, are constant too.
All trials are processed together in flat (ragged) arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.initializers import RAI_SIGMA
from models.theory.errors import SettingError

BORN_DEAD_INITS: tuple[str, ...] = ("he", "he-bias", "rai")
DOMAIN = float(np.sqrt(3.0))


def single_point_bound(width, depth):
    """Return ``1 - (1 - 2^-N)^depth``: the probability that the net is dead at one fixed input.

    At a fixed input each layer of a symmetric, bias-free net is entirely inactive with
    probability ``2^-N``; a net constant on the whole domain is in particular dead at that
    point, so this bounds the born-dead probability from above.

    Parameters
    ----------
    width : int or array_like
        Hidden width ``N``.
    depth : int or array_like
        Number of hidden layers.

    Returns
    -------
    float or numpy.ndarray
        The bound.
    """
    w = np.asarray(width, dtype=float)
    d = np.asarray(depth, dtype=float)
    out = 1.0 - (1.0 - 2.0 ** (-w)) ** d
    return float(out) if out.ndim == 0 else out


def draw_layers(init: str, trials: int, width: int, depth: int,
                rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Draw `trials` networks' hidden layers, stacked: ``[(W (T, fan_in, N), b (T, N)), ...]``.

    Parameters
    ----------
    init : str
        ``"he"`` (He normal, zero bias), ``"he-bias"`` (He normal, ``N(0,1)`` bias) or
        ``"rai"`` (each unit's ``[w | b]`` from ``N(0, 0.6007^2/fan_in)``, one entry replaced
        by a ``Beta(2, 1)`` draw).
    trials, width, depth : int
        How many networks, their hidden width and their number of hidden layers.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        One (weights, biases) pair per hidden layer.
    """
    if init not in BORN_DEAD_INITS:
        raise ValueError(f"init: {init!r}; choose from {', '.join(BORN_DEAD_INITS)}")
    layers = []
    for layer in range(depth):
        fan_in = 1 if layer == 0 else width
        if init == "rai":
            rows = rng.normal(0.0, RAI_SIGMA / np.sqrt(fan_in), size=(trials, width, fan_in + 1))
            chosen = rng.integers(0, fan_in + 1, size=(trials, width))
            t_idx, u_idx = np.meshgrid(np.arange(trials), np.arange(width), indexing="ij")
            rows[t_idx, u_idx, chosen] = rng.beta(2.0, 1.0, size=(trials, width))
            w = np.ascontiguousarray(rows[:, :, :fan_in].transpose(0, 2, 1))
            b = rows[:, :, fan_in].copy()
        else:
            w = np.sqrt(2.0 / fan_in) * rng.standard_normal((trials, fan_in, width))
            b = (rng.standard_normal((trials, width)) if init == "he-bias"
                 else np.zeros((trials, width)))
        layers.append((w, b))
    return layers


def born_dead_mask(layers: list[tuple[np.ndarray, np.ndarray]],
                   domain: float = DOMAIN) -> np.ndarray:
    """Decide exactly, for each stacked network, whether its output is constant on the domain.

    Parameters
    ----------
    layers : list of (numpy.ndarray, numpy.ndarray)
        Hidden layers as returned by `draw_layers` (first layer has fan-in 1).
    domain : float
        The input domain is ``[-domain, domain]``.

    Returns
    -------
    numpy.ndarray
        (trials,) bool: True where the network is born dead.
    """
    trials = layers[0][0].shape[0]
    # Flat ragged storage of the live (not yet constant) trials' knots, sorted by (trial, t).
    trial = np.repeat(np.arange(trials), 2)
    t = np.tile(np.array([-domain, domain]), trials)
    h = t[:, None].copy()
    dead = np.zeros(trials, bool)
    for w, b in layers:
        if trial.size == 0:
            break
        z = np.einsum("ki,kij->kj", h, w[trial]) + b[trial]
        same = trial[1:] == trial[:-1]
        z0, z1 = z[:-1], z[1:]
        cross = same[:, None] & (((z0 < 0) & (z1 > 0)) | ((z0 > 0) & (z1 < 0)))
        k, unit = np.nonzero(cross)
        if k.size:
            frac = z0[k, unit] / (z0[k, unit] - z1[k, unit])
            t_new = t[k] + (t[k + 1] - t[k]) * frac
            z_new = z0[k] + (z1[k] - z0[k]) * frac[:, None]
            z_new[np.arange(k.size), unit] = 0.0
            trial = np.concatenate([trial, trial[k]])
            t = np.concatenate([t, t_new])
            z = np.concatenate([z, z_new])
            order = np.lexsort((t, trial))
            trial, t, z = trial[order], t[order], z[order]
        h = np.maximum(z, 0.0)
        # A trial is constant on the domain when every knot's value equals its first knot's.
        starts = np.flatnonzero(np.r_[True, trial[1:] != trial[:-1]])
        first = np.repeat(starts, np.diff(np.r_[starts, trial.size]))
        differs = np.any(h != h[first], axis=1)
        varies = np.zeros(trials, bool)
        varies[trial[differs]] = True
        constant_now = np.zeros(trials, bool)
        constant_now[trial] = True
        constant_now &= ~varies
        dead |= constant_now
        keep = ~constant_now[trial]
        trial, t, h = trial[keep], t[keep], h[keep]
    return dead


@dataclass
class BornDeadRow:
    """One (width, depth, init) cell of the born-dead study.

    Attributes
    ----------
    width, depth : int
        Hidden width and number of hidden layers.
    init : str
        ``he``, ``he-bias`` or ``rai``.
    trials : int
        Networks drawn.
    p_born_dead : float
        Fraction of them born dead.
    p_single_point_bound : float
        ``1 - (1 - 2^-N)^depth``.
    """

    width: int
    depth: int
    init: str
    trials: int
    p_born_dead: float
    p_single_point_bound: float

    @property
    def stderr(self) -> float:
        """Binomial standard error of `p_born_dead`."""
        p = self.p_born_dead
        return float(np.sqrt(max(p * (1 - p), 1e-12) / self.trials))


BORN_DEAD_HEADER = ("width", "depth", "init", "trials", "p_born_dead", "p_single_point_bound")


MAX_BORN_DEAD_WIDTH = 64
MAX_BORN_DEAD_DEPTH = 500
MAX_BORN_DEAD_TRIALS = 10_000_000
# trials x sum over cells of depth x width^2: ~0.1-0.3 us each on a laptop core, so this
# budget is a few minutes; a larger study is refused before it starts
MAX_BORN_DEAD_WORK = 2_000_000_000
CHUNK_BYTES = 256 * 1024 * 1024  # weights drawn at once for one chunk of networks


def check_born_dead_size(widths, depths, trials: int) -> None:
    """Refuse a born-dead study too large to finish in minutes or to fit in memory.

    Parameters
    ----------
    widths, depths : sequence of int
        The grid of shapes.
    trials : int
        Networks per cell.

    Raises
    ------
    SettingError
        With the setting's name (``bd_widths``, ``bd_depths``, ``trials``) and the limit.
    """
    for name, values, high in (("bd_widths", widths, MAX_BORN_DEAD_WIDTH),
                               ("bd_depths", depths, MAX_BORN_DEAD_DEPTH),
                               ("trials", [trials], MAX_BORN_DEAD_TRIALS)):
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or not 1 <= v <= high:
                raise SettingError(name, f"{v!r} must be an integer between 1 and {high:,}")
    work = int(trials) * sum(int(d) for d in depths) * sum(int(w) ** 2 for w in widths)
    if work > MAX_BORN_DEAD_WORK:
        raise SettingError("trials", f"{trials:,} trials over widths {list(widths)} x depths "
                           f"{list(depths)} is too long a study (about {work:.1e} unit-steps;"
                           f" at most {MAX_BORN_DEAD_WORK:.0e}): fewer trials, narrower or "
                           "shallower nets")


def born_dead_probability(width: int, depth: int, trials: int = 2000, init: str = "he",
                          seed: int = 0, chunk: int = 4096) -> BornDeadRow:
    """Estimate the probability that a ReLU net of the given shape is born dead.

    Parameters
    ----------
    width : int
        Hidden width ``N`` (at least 1).
    depth : int
        Number of hidden layers (at least 1).
    trials : int
        Networks to draw.
    init : str
        ``he``, ``he-bias`` or ``rai``.
    seed : int
        Seed; the same seed gives the same estimate.
    chunk : int
        Networks processed together (bounds memory).

    Returns
    -------
    BornDeadRow
        The estimate with the single-point bound.
    """
    if int(width) < 1 or int(depth) < 1 or int(trials) < 1:
        raise ValueError("width, depth and trials must be at least 1")
    rng = np.random.default_rng([seed, int(width), int(depth), BORN_DEAD_INITS.index(init)])
    dead = 0
    remaining = int(trials)
    # bound the memory of one chunk's weights (only huge nets get a smaller chunk)
    per_net = 8 * int(depth) * int(width) * (int(width) + 2)
    chunk = max(1, min(int(chunk), CHUNK_BYTES // per_net))
    while remaining:
        n = min(chunk, remaining)
        dead += int(born_dead_mask(draw_layers(init, n, int(width), int(depth), rng)).sum())
        remaining -= n
    return BornDeadRow(int(width), int(depth), init, int(trials), dead / int(trials),
                       single_point_bound(width, depth))


def born_dead_study(widths, depths, trials: int = 2000, init: str = "he",
                    seed: int = 0) -> list[BornDeadRow]:
    """Run `born_dead_probability` for every width x depth.

    Parameters
    ----------
    widths, depths : sequence of int
        Grid of shapes.
    trials, init, seed
        See `born_dead_probability`.

    Returns
    -------
    list of BornDeadRow
        Width-major rows.
    """
    check_born_dead_size(widths, depths, trials)
    return [born_dead_probability(w, d, trials, init, seed) for w in widths for d in depths]
