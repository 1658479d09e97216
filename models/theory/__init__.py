"""Theory in the model layer: SCIENCE.md section 3's formulas, their measurement and verdicts.

Submodules: `gradients` (derivative statistics), `propagation` (signal through depth, an
ensemble with a band), `bounds` (sigmoid, Lipschitz), `born_dead`, `pruning`, `verdicts`
(predicted vs measured as data) and `sections` (what the window and the command line call).
"""

from models.theory.bounds import (
    SIGMOID_DERIVATIVE_BOUND,
    SigmoidStudy,
    lipschitz_ratio,
    sigmoid_study,
)
from models.theory.errors import SettingError
from models.theory.gradients import (
    MAX_GRADIENT_VALUES,
    GradientStats,
    check_gradient_size,
    first_layer_preactivations,
    gradient_stats,
    init_gain,
    leaky_moments,
    leaky_moments_sweep,
    propagation_factor,
    relu_sparsity,
)
from models.theory.propagation import (
    DEFAULT_SEEDS,
    PROPAGATION_INITS,
    Propagation,
    check_propagation_size,
    factor_tolerance,
    finite_width_kappa,
    memory_budget_bytes,
    propagation,
    propagation_bytes,
    propagation_study,
)
from models.theory.sections import (
    DEFAULT_SETTINGS,
    SECTIONS,
    all_verdicts,
    check_distinct,
    check_settings,
    compute_section,
    section_verdicts,
)
from models.theory.verdicts import VERDICT_HEADER, Verdict

__all__ = [
    "DEFAULT_SEEDS", "DEFAULT_SETTINGS", "MAX_GRADIENT_VALUES", "PROPAGATION_INITS",
    "SECTIONS", "SIGMOID_DERIVATIVE_BOUND", "VERDICT_HEADER",
    "GradientStats", "Propagation", "SettingError", "SigmoidStudy", "Verdict",
    "all_verdicts", "check_distinct", "check_gradient_size", "check_propagation_size",
    "check_settings", "compute_section", "factor_tolerance", "finite_width_kappa",
    "first_layer_preactivations", "gradient_stats", "init_gain", "leaky_moments",
    "leaky_moments_sweep", "lipschitz_ratio", "memory_budget_bytes", "propagation",
    "propagation_bytes", "propagation_factor", "propagation_study", "relu_sparsity",
    "section_verdicts", "sigmoid_study",
]
