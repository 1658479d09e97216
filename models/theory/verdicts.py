"""Predicted against measured, as data: one `Verdict` per claim, with its tolerance and reason.

Every tolerance is stated where it is made:
- gradient statistics: 5 binomial standard errors over the ``samples`` (point, unit) values
  of the derivative (each is 1 or alpha with probability 1/2, independent to first order);
- propagation: `models.theory.propagation.factor_tolerance` (finite-width theory);
- born dead: the Monte Carlo must not exceed the single-point upper bound by more than
  3 binomial standard errors;
- pruning: 1e-12 on float64 logits (removing zero terms may only reorder a sum);
- sigmoid and Lipschitz bounds: 1e-12 round-off (they are inequalities).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

GRADIENT_Z = 5.0
BORN_DEAD_Z = 3.0
ROUND_OFF = 1e-12
PRUNING_TOLERANCE = 1e-12
VERDICT_HEADER = ("section", "quantity", "formula", "relation", "predicted", "measured",
                  "tolerance", "agrees", "reason")


@dataclass(frozen=True)
class Verdict:
    """One predicted-vs-measured comparison.

    Attributes
    ----------
    section : str
        The theory section (see `models.theory.sections.SECTIONS`).
    quantity : str
        What is compared, in words.
    formula : str
        The prediction's formula.
    relation : str
        ``"="`` (measured within `tolerance` of predicted) or ``"<="`` (measured at most
        predicted plus `tolerance`: a bound).
    predicted, measured : float
        The two numbers, in the quantity's own units (all dimensionless here).
    tolerance : float
        Allowed absolute difference (same units).
    agrees : bool
        The verdict.
    reason : str
        One line: where the tolerance comes from.
    """

    section: str
    quantity: str
    formula: str
    relation: str
    predicted: float
    measured: float
    tolerance: float
    agrees: bool
    reason: str

    def row(self) -> list:
        """Return the fields in `VERDICT_HEADER` order."""
        return list(asdict(self).values())


def compare(section: str, quantity: str, formula: str, predicted: float, measured: float,
            tolerance: float, reason: str, relation: str = "=") -> Verdict:
    """Build a `Verdict`; a non-finite measurement never agrees.

    Parameters
    ----------
    section, quantity, formula, reason : str
        See `Verdict`.
    predicted, measured, tolerance : float
        The numbers.
    relation : str
        ``"="`` or ``"<="``.

    Returns
    -------
    Verdict
        With ``agrees`` decided.
    """
    predicted, measured, tolerance = float(predicted), float(measured), float(tolerance)
    if not math.isfinite(measured):
        agrees = False
    elif relation == "<=":
        agrees = measured <= predicted + tolerance
    else:
        agrees = abs(measured - predicted) <= tolerance
    return Verdict(section, quantity, formula, relation, predicted, measured, tolerance,
                   bool(agrees), reason)


def gradient_verdicts(stats: list) -> list[Verdict]:
    """Return the sparsity (alpha 0) or E[G] and Var[G] verdicts of each `GradientStats`."""
    out = []
    for s in stats:
        n, a = s.samples, s.alpha
        why = f"{GRADIENT_Z:g} binomial s.e. over {n:,} derivative values"
        if a == 0:
            tol = GRADIENT_Z * math.sqrt(0.25 / n)
            out.append(compare("gradients", "ReLU gradient sparsity", "P(G = 0) = 1/2",
                               s.predicted["sparsity"], s.sparsity, tol, why))
            continue
        # G = alpha + (1-alpha) B, B ~ Bernoulli(p): E[G] moves by (1-alpha) (p - 1/2);
        # the measured Var[G] = (1-alpha)^2 p(1-p) moves only by (1-alpha)^2 (p - 1/2)^2.
        dev = GRADIENT_Z * math.sqrt(0.25 / n)
        out.append(compare("gradients", f"Leaky ReLU E[G], alpha {a:g}", "(1+alpha)/2",
                           s.predicted["mean"], s.mean, (1 - a) * dev + ROUND_OFF, why))
        out.append(compare("gradients", f"Leaky ReLU Var[G], alpha {a:g}", "(1-alpha)^2/4",
                           s.predicted["var"], s.var, (1 - a) ** 2 * dev * dev + ROUND_OFF,
                           why))
    return out


def propagation_verdicts(studies: list, predicted: float | None = None) -> list[Verdict]:
    """Return the forward and backward per-layer factor verdicts of each `Propagation`.

    Parameters
    ----------
    studies : list of models.theory.propagation.Propagation
        Ensemble measurements.
    predicted : float, optional
        A prediction to test instead of each study's ``c (1+alpha^2)/2`` (a wrong one must
        be refused).

    Returns
    -------
    list of Verdict
        Two per study.
    """
    out = []
    for s in studies:
        pred = s.factor if predicted is None else float(predicted)
        pairs = s.seeds * (s.depth - 1)
        for direction, measured, rel in (("forward", s.measured_forward, s.tolerance),
                                         ("backward", s.measured_backward,
                                          s.tolerance_backward)):
            reason = (f"mean of {pairs:,} layer-to-layer ratios over {s.seeds} nets; "
                      f"tolerance {rel:.1%} = 4 s.e. from finite-width theory "
                      f"(relative variance kappa/N per layer, N = {s.width})")
            if direction == "backward":
                reason += " + 0.5/N for gradient independence"
            out.append(compare("propagation",
                               f"per-layer factor, {s.init} ({s.activation}), {direction}",
                               "c (1+alpha^2)/2", pred, measured, rel * abs(pred), reason))
    return out


def born_dead_verdicts(rows: list) -> list[Verdict]:
    """Return one verdict per born-dead cell: the Monte Carlo is below the single-point bound."""
    out = []
    for r in rows:
        out.append(compare("born_dead", f"born dead, N {r.width}, depth {r.depth} ({r.init})",
                           "below 1-(1-2^-N)^depth", r.p_single_point_bound, r.p_born_dead,
                           BORN_DEAD_Z * r.stderr,
                           f"an upper bound; {BORN_DEAD_Z:g} binomial s.e. of {r.trials:,} "
                           "trials", relation="<="))
    return out


def pruning_verdicts(outcome: dict) -> list[Verdict]:
    """Return the pruning verdict: the output on the data does not change."""
    res = outcome["result"]
    return [compare("pruning", "pruning: max |output change| on the data",
                    f"0 ({res.params_before} -> {res.params_after} params)", 0.0,
                    outcome["diff"], PRUNING_TOLERANCE,
                    "dead units add exact zeros; float64 summation order only")]


def sigmoid_verdicts(study) -> list[Verdict]:
    """Return the sigmoid's derivative-bound and per-layer gradient-ratio verdicts."""
    return [compare("sigmoid", "sigmoid max derivative", "sigma'(z) <= 1/4", 0.25,
                    study.max_derivative, ROUND_OFF, "a bound; round-off only", "<="),
            compare("sigmoid", "sigmoid gradient ratio per layer (norm-1 weights)", "<= 1/4",
                    0.25, study.orthogonal_ratio, ROUND_OFF, "a bound; round-off only", "<=")]


def lipschitz_verdicts(ratios: dict) -> list[Verdict]:
    """Return one verdict per alpha: Leaky ReLU's largest difference ratio is at most 1."""
    return [compare("lipschitz", f"Leaky ReLU Lipschitz ratio, alpha {a:g}",
                    "<= 1 for 0<=alpha<=1", 1.0, ratio, ROUND_OFF,
                    "a bound over 200,000 random pairs; round-off only", "<=")
            for a, ratio in ratios.items()]
