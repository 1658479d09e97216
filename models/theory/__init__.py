"""Theory in the model layer: SCIENCE.md section 3's formulas and their measurement."""

from models.theory.gradients import (
    PROPAGATION_INITS,
    SIGMOID_DERIVATIVE_BOUND,
    GradientStats,
    Propagation,
    SigmoidStudy,
    gradient_stats,
    init_gain,
    leaky_moments,
    leaky_moments_sweep,
    propagation,
    propagation_factor,
    propagation_study,
    relu_sparsity,
    sigmoid_study,
)

__all__ = [
    "PROPAGATION_INITS", "SIGMOID_DERIVATIVE_BOUND", "GradientStats", "Propagation",
    "SigmoidStudy", "gradient_stats", "init_gain", "leaky_moments", "leaky_moments_sweep",
    "propagation", "propagation_factor", "propagation_study", "relu_sparsity", "sigmoid_study",
]
