"""The LIF neuron's parameters in the units of the command line, validated when built."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

MAX_NEURONS = 20_000
MAX_DURATION_S = 60.0
STEPS_PER_CYCLE = 10
MAX_DT_FRACTION = 0.1  # dt must not exceed tau_m / 10


@dataclass(frozen=True)
class LifParameters:
    """Parameters of a population of independent LIF neurons under sinusoidal drive.

    The model (SCIENCE.md section 4) is ``C_m dV/dt = -g_L (V - E_L) + I(t) + noise`` with
    ``I(t) = I_0 + I_1 sin(2 pi f t)``; noise follows ``tau dV/dt = ... + sigma sqrt(tau) xi``.

    Attributes
    ----------
    g_leak_ns : float
        Leak conductance ``g_L`` in nS (> 0).
    c_m_pf : float
        Membrane capacitance ``C_m`` in pF (> 0).
    e_leak_mv, v_th_mv, v_reset_mv : float
        Leak reversal, threshold and reset potentials in mV (reset below threshold).
    t_ref_ms : float
        Refractory period in ms (>= 0).
    noise_mv : float
        Noise amplitude ``sigma`` in mV (>= 0).
    i0_na, i1_na : float
        Mean and amplitude of the input current in nA (``i1_na >= 0``).
    freq_hz : float
        Drive frequency in Hz (> 0).
    n_neurons : int
        Population size, 1 to ``MAX_NEURONS``.
    duration_s : float
        Simulated time in s, above 0 and at most ``MAX_DURATION_S``.
    seed : int
        Random seed (>= 0).
    dt_ms : float
        Integration time step in ms; at most ``tau_m / 10``.
    """

    g_leak_ns: float = 10.0
    c_m_pf: float = 200.0
    e_leak_mv: float = -70.0
    v_th_mv: float = -50.0
    v_reset_mv: float = -60.0
    t_ref_ms: float = 2.0
    noise_mv: float = 0.0
    i0_na: float = 0.25
    i1_na: float = 0.1
    freq_hz: float = 5.0
    n_neurons: int = 1000
    duration_s: float = 2.0
    seed: int = 0
    dt_ms: float = 0.1

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("int", int):
                if isinstance(value, bool) or not isinstance(value, int):
                    if isinstance(value, float) and value.is_integer():
                        object.__setattr__(self, f.name, int(value))
                    else:
                        raise ValueError(f"{f.name} ({value!r}) must be an integer")
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"{f.name} ({value!r}) must be a number")
                if not math.isfinite(value):
                    raise ValueError(f"{f.name} ({value}) must be a finite number")
                object.__setattr__(self, f.name, float(value))
        self._check()

    def _check(self) -> None:
        def fmt(v: float) -> str:
            return f"{v:g}"

        for name in ("g_leak_ns", "c_m_pf", "freq_hz", "dt_ms"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} ({fmt(getattr(self, name))}) must be greater than 0")
        for name in ("t_ref_ms", "noise_mv", "i1_na"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} ({fmt(getattr(self, name))}) must not be negative")
        if self.v_reset_mv >= self.v_th_mv:
            raise ValueError(f"v_reset_mv ({fmt(self.v_reset_mv)}) must be below "
                             f"v_th_mv ({fmt(self.v_th_mv)})")
        if not 1 <= self.n_neurons <= MAX_NEURONS:
            raise ValueError(f"n_neurons ({self.n_neurons}) must be between 1 and {MAX_NEURONS}")
        if not 0 < self.duration_s <= MAX_DURATION_S:
            raise ValueError(f"duration_s ({fmt(self.duration_s)}) must be above 0 and at most "
                             f"{fmt(MAX_DURATION_S)}")
        if self.seed < 0:
            raise ValueError(f"seed ({self.seed}) must not be negative")
        if self.dt_ms > MAX_DT_FRACTION * self.tau_m_ms:
            raise ValueError(f"dt_ms ({fmt(self.dt_ms)}) must be at most tau_m / 10 "
                             f"({fmt(MAX_DT_FRACTION * self.tau_m_ms)} ms with these "
                             f"c_m_pf and g_leak_ns)")
        max_freq = 1000.0 / (STEPS_PER_CYCLE * self.dt_ms)
        if self.freq_hz > max_freq:
            raise ValueError(f"freq_hz ({fmt(self.freq_hz)}) must be at most {fmt(max_freq)} Hz: "
                             f"one drive cycle needs at least {STEPS_PER_CYCLE} time steps of "
                             f"dt_ms ({fmt(self.dt_ms)})")
        if self.duration_s * 1000.0 < self.dt_ms:
            raise ValueError(f"duration_s ({fmt(self.duration_s)}) must be at least one dt_ms")

    @property
    def tau_m_ms(self) -> float:
        """Membrane time constant ``C_m / g_L`` in ms."""
        return self.c_m_pf / self.g_leak_ns

    @property
    def rheobase_na(self) -> float:
        """Rheobase ``g_L (V_th - E_L)`` in nA (negative if the threshold is below E_L)."""
        return self.g_leak_ns * (self.v_th_mv - self.e_leak_mv) * 1e-3

    def replace(self, **changes) -> LifParameters:
        """Return a copy with `changes` applied (validated again).

        Raises
        ------
        ValueError
            If a name is unknown or a value is bad; the message names the field.
        """
        return LifParameters.from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict:
        """Return the parameters as a JSON-able dict of plain numbers."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LifParameters:
        """Build parameters from a dict, rejecting unknown keys.

        Parameters
        ----------
        data : dict
            Any subset of the field names; missing fields take their defaults.

        Returns
        -------
        LifParameters
            The validated parameters.

        Raises
        ------
        ValueError
            On an unknown key or a bad value; the message names the field.
        """
        if not isinstance(data, dict):
            raise ValueError(f"neuron parameters must be a mapping, not {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown neuron parameter {unknown[0]!r}; known: "
                             f"{', '.join(sorted(known))}")
        return cls(**data)
