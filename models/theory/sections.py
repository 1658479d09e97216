"""The theory sections computed once, for the window and the command line alike, with verdicts.

A section is computed from a settings mapping whose names are those of `DEFAULT_SETTINGS`
(the Theory tab's; the command line maps its options onto them). `compute_section` returns
the section's result; `section_verdicts` turns it into `Verdict` rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.theory.errors import SettingError
from models.theory.propagation import MAX_PROPAGATION_POINTS
from models.theory.settings import TheorySettings
from models.theory.verdicts import (
    Verdict,
    born_dead_verdicts,
    gradient_verdicts,
    lipschitz_verdicts,
    propagation_verdicts,
    pruning_verdicts,
    sigmoid_verdicts,
)

SECTIONS: tuple[str, ...] = ("gradients", "propagation", "born_dead", "pruning", "sigmoid",
                             "lipschitz")
DEFAULT_SETTINGS: dict = TheorySettings().to_dict()
LIST_SETTINGS: tuple[str, ...] = ("alphas", "bd_widths", "bd_depths")


def check_distinct(field: str, values: Iterable) -> None:
    """Refuse a list setting that names an item twice.

    Raises
    ------
    SettingError
        With `field` and the first repeated item.
    """
    seen = set()
    for v in values:
        if v in seen:
            raise SettingError(field, f"{v:g} is given twice; list each item once")
        seen.add(v)


def check_settings(settings: dict, sections: Iterable[str] = SECTIONS) -> None:
    """Refuse, before any work, what the chosen sections would not fit in memory or finish.

    Parameters
    ----------
    settings : dict
        Names of `DEFAULT_SETTINGS` (missing ones take their default).
    sections : iterable of str
        The sections that will run.

    Raises
    ------
    SettingError
        Naming the setting (and, for a size limit, the others that lowering would fix).
    """
    from models.theory.born_dead import check_born_dead_size
    from models.theory.gradients import check_gradient_size
    from models.theory.propagation import check_propagation_size
    from models.theory.pruning import pruning_config

    s = {**DEFAULT_SETTINGS, **settings}
    sections = tuple(sections)
    for name in LIST_SETTINGS:
        check_distinct(name, s[name])
    if "gradients" in sections:
        check_gradient_size(s["width"], s["points"])
    if "propagation" in sections:
        check_propagation_size(s["width"], s["depth"], s["points"], s["seeds"])
    if "born_dead" in sections:
        check_born_dead_size(s["bd_widths"], s["bd_depths"], s["trials"])
    if "pruning" in sections:
        pruning_config(s["prune_width"], s["prune_depth"], s["prune_lr"], s["prune_steps"],
                       seed=s["seed"])


def compute_section(name: str, settings: dict):
    """Compute one theory section from settings (pure numpy; the caller chooses the thread).

    Parameters
    ----------
    name : str
        One of `SECTIONS`.
    settings : dict
        Names of `DEFAULT_SETTINGS` (missing ones take their default).

    Returns
    -------
    object
        ``gradients``: list of `GradientStats`; ``propagation``: list of `Propagation`;
        ``born_dead``: list of `BornDeadRow`; ``pruning``: dict with ``result``
        (`PruneResult`), ``diff``, ``before`` and ``after`` (outputs on the data);
        ``sigmoid``: `SigmoidStudy`; ``lipschitz``: dict alpha -> largest ratio.

    Raises
    ------
    SettingError
        A setting that turns out not to work (``prune_lr`` when training diverges).
    """
    from models.theory.born_dead import born_dead_study
    from models.theory.bounds import lipschitz_ratio, sigmoid_study
    from models.theory.gradients import leaky_moments_sweep
    from models.theory.propagation import propagation_study
    from models.theory.pruning import pruning_demo

    s = {**DEFAULT_SETTINGS, **settings}
    if name == "gradients":
        return leaky_moments_sweep(s["alphas"], s["width"], s["points"], s["seed"])
    if name == "propagation":
        return propagation_study(s["alpha"], s["width"], s["depth"],
                                 min(s["points"], MAX_PROPAGATION_POINTS), s["seed"],
                                 seeds=s["seeds"])
    if name == "born_dead":
        return born_dead_study(s["bd_widths"], s["bd_depths"], s["trials"], s["bd_init"],
                               s["seed"])
    if name == "pruning":
        net, x, result, diff = pruning_demo(s["prune_width"], s["prune_depth"], s["prune_lr"],
                                            s["prune_steps"], seed=s["seed"])
        return {"result": result, "diff": diff, "before": net.forward(x).copy()[:, 0],
                "after": result.forward(x)[:, 0]}
    if name == "sigmoid":
        return sigmoid_study(seed=s["seed"])
    if name == "lipschitz":
        return lipschitz_ratio(s["alphas"], s["seed"])
    raise ValueError(f"section: unknown {name!r}; choose from {', '.join(SECTIONS)}")


_VERDICTS = {"gradients": gradient_verdicts, "propagation": propagation_verdicts,
             "born_dead": born_dead_verdicts, "pruning": pruning_verdicts,
             "sigmoid": sigmoid_verdicts, "lipschitz": lipschitz_verdicts}


def section_verdicts(name: str, result) -> list[Verdict]:
    """Return the predicted-vs-measured verdicts of one section's result.

    Parameters
    ----------
    name : str
        One of `SECTIONS`.
    result : object
        What `compute_section` returned for it.

    Returns
    -------
    list of Verdict
        In a stable order.
    """
    return _VERDICTS[name](result)


def all_verdicts(results: dict) -> list[Verdict]:
    """Return the verdicts of every computed section, in `SECTIONS` order."""
    return [v for name in SECTIONS if name in results
            for v in section_verdicts(name, results[name])]
