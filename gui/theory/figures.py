"""Theory-tab figures as `figures.spec` data, built from the tab's results by the builders."""

from __future__ import annotations

from figures import theory_figures as tf

# the section (`gui.theory.worker.SECTIONS`) whose result each figure draws, where the names differ
_SECTION_OF = {"propagation_forward": "propagation", "propagation_backward": "propagation",
               "pruning_units": "pruning", "pruning_outputs": "pruning"}


def section_of(name: str) -> str:
    """Return the section whose result the figure called `name` draws."""
    return _SECTION_OF.get(name, name)


def theory_spec(name: str, results: dict):
    """Return the `figures.spec.Figure` called `name` from the theory `results`, or None.

    Parameters
    ----------
    name : str
        One of `gui.theory.tab.FIGURE_NAMES`.
    results : dict
        Section name -> result, as the tab holds them (`gui.theory.worker.SECTIONS`).
    """
    result = results.get(section_of(name))
    if result is None:
        return None
    if name == "gradients":
        return tf.gradients_figure(result)
    if name.startswith("propagation"):
        return tf.propagation_figure(result, backward=name.endswith("backward"))
    if name == "born_dead":
        return tf.born_dead_figure(result)
    if name == "pruning_units":
        return tf.pruning_units_figure(result["result"], result["diff"])
    if name == "pruning_outputs":
        return tf.pruning_outputs_figure(result["before"], result["after"])
    if name == "sigmoid":
        return tf.sigmoid_figure(result)
    return None
