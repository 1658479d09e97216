"""The LIF neuron's parameters, and how it is simulated and fitted: declared once, validated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from models.fields import FieldError, check_fields, field_table, setting

MAX_NEURONS = 20_000
MAX_DURATION_S = 60.0
STEPS_PER_CYCLE = 10
MAX_DT_FRACTION = 0.1  # dt must not exceed tau_m / 10
MIN_DT_MS = 0.001  # finer steps make even a short run take hours


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
    crossing_correction : bool
        Apply the Brownian-bridge threshold-crossing correction (noise only; see
        `neuro.lif_simulation.simulate`).
    fit_range_na : tuple of float or None
        ``(low, high)`` in nA: the currents the f-I fits use (None: all of them).
    """

    g_leak_ns: float = setting(10.0, "float", "leak conductance g_L", "leak conductance g_L",
                               unit="nS", low=0.0, high=10_000.0, low_open=True)
    c_m_pf: float = setting(200.0, "float", "capacitance C_m", "membrane capacitance C_m",
                            unit="pF", low=1.0, high=100_000.0)
    e_leak_mv: float = setting(-70.0, "float", "leak reversal E_L",
                               "leak reversal potential E_L", unit="mV", low=-200.0, high=100.0)
    v_th_mv: float = setting(-50.0, "float", "threshold V_th", "spike threshold V_th", unit="mV",
                             low=-199.0, high=100.0)
    v_reset_mv: float = setting(-60.0, "float", "reset V_reset",
                                "reset potential V_reset (below V_th)", unit="mV", low=-200.0,
                                high=99.0)
    t_ref_ms: float = setting(2.0, "float", "refractory t_ref", "refractory period", unit="ms",
                              low=0.0, high=1000.0)
    noise_mv: float = setting(0.0, "float", "noise sigma",
                              "white-noise amplitude sigma (tau dV/dt = ... + sigma sqrt(tau) "
                              "xi, SCIENCE.md section 4); 0 makes every neuron identical and "
                              "phase-locked", unit="mV", low=0.0, high=200.0)
    i0_na: float = setting(0.25, "float", "mean current I_0", "mean input current I_0", unit="nA",
                           low=-100.0, high=100.0)
    i1_na: float = setting(0.1, "float", "amplitude I_1", "sinusoid amplitude I_1", unit="nA",
                           low=0.0, high=100.0)
    freq_hz: float = setting(5.0, "float", "drive frequency f", "drive frequency f", unit="Hz",
                             low=0.0, high=10_000.0, low_open=True)
    n_neurons: int = setting(1000, "int", "neurons N", "number of independent neurons",
                             low=1, high=MAX_NEURONS)
    duration_s: float = setting(2.0, "float", "duration", "simulated time", unit="s",
                                low=0.0, high=MAX_DURATION_S, low_open=True)
    seed: int = setting(0, "int", "seed", "random seed of the noise", low=0, high=2**32 - 1)
    dt_ms: float = setting(0.1, "float", "time step dt",
                           "integration time step (at most tau_m / 10)", unit="ms",
                           low=MIN_DT_MS, high=10.0)
    crossing_correction: bool = setting(
        True, "bool", "threshold-crossing correction",
        "Brownian-bridge correction for threshold crossings missed between two time steps "
        "(noise only); off, the noisy rate sits below Siegert by ~sqrt(dt)")
    fit_range_na: tuple[float, float] | None = setting(
        None, "float_span", "f-I fit range", "fit the f-I curve only over the currents from "
        "LOW to HIGH, as LOW:HIGH (empty: all of them); the fitted alpha depends on it",
        unit="nA", option="fit-range")

    def __post_init__(self) -> None:
        for name, spec in field_table(self).items():  # JSON may give 10 for 10.0
            value = getattr(self, name)
            if spec.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, float(value))
        check_fields(self)
        self._check()

    def _check(self) -> None:
        def fmt(v: float) -> str:
            return f"{v:g}"

        if self.v_reset_mv >= self.v_th_mv:
            raise FieldError("v_reset_mv", f"{fmt(self.v_reset_mv)} must be below v_th_mv "
                                           f"({fmt(self.v_th_mv)})")
        if self.dt_ms > MAX_DT_FRACTION * self.tau_m_ms:
            raise FieldError("dt_ms", f"{fmt(self.dt_ms)} must be at most tau_m / 10 "
                                      f"({fmt(MAX_DT_FRACTION * self.tau_m_ms)} ms with these "
                                      "c_m_pf and g_leak_ns)")
        max_freq = 1000.0 / (STEPS_PER_CYCLE * self.dt_ms)
        if self.freq_hz > max_freq:
            raise FieldError("freq_hz", f"{fmt(self.freq_hz)} must be at most {fmt(max_freq)} "
                                        f"Hz: one drive cycle needs at least {STEPS_PER_CYCLE} "
                                        f"time steps of dt_ms ({fmt(self.dt_ms)})")
        if self.duration_s * 1000.0 < self.dt_ms:
            raise FieldError("duration_s", f"{fmt(self.duration_s)} must be at least one dt_ms")

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
        """Return the parameters as a JSON-able dict of plain values (a list for a range)."""
        data = asdict(self)
        if data["fit_range_na"] is not None:
            data["fit_range_na"] = list(data["fit_range_na"])
        return data

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
            raise FieldError("parameters", f"expected a mapping, not {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FieldError(unknown[0], "unknown neuron parameter; known: "
                                         f"{', '.join(sorted(known))}")
        return cls(**data)


FIELDS = field_table(LifParameters)
