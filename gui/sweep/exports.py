"""The Sweep tab's figures: its two heatmap layouts and its curve, with the data drawn."""

from __future__ import annotations

from gui.figures import Figure
from gui.sweep import plots as sweep_plots

__all__ = ["SweepFigures"]


class SweepFigures:
    """Mixed into `gui.sweep.tab.SweepTab`: the figures of the summaries its plots show.

    Uses the tab's ``dead_view``, ``loss_view``, ``curve_plot`` and ``summaries``.
    """

    def figures(self) -> list[Figure]:
        """Return the tab's exportable figures (two heatmap layouts and the curve plot)."""
        return [  # read when exported: the plot menus hold these figures
            Figure("sweep_dead_fraction_heatmap", self.dead_view.ci,
                   lambda: sweep_plots.heatmap_table(self.summaries, "dead_fraction"),
                   lambda: self._spec("heatmap", "dead_fraction")),
            Figure("sweep_final_loss_heatmap", self.loss_view.ci,
                   lambda: sweep_plots.heatmap_table(self.summaries, "final_loss"),
                   lambda: self._spec("heatmap", "final_loss")),
            Figure("sweep_dead_fraction_vs_lr", self.curve_plot,
                   lambda: sweep_plots.heatmap_table(self.summaries, "dead_fraction"),
                   lambda: self._spec("curve", "dead_fraction")),
        ]

    def _spec(self, kind: str, metric: str):
        """The `figures.spec.Figure` of the current summaries (None before any result)."""
        from figures import sweep_figures

        summaries = list(self.summaries)
        if not summaries:
            return None
        if kind == "heatmap":
            return sweep_figures.heatmap_figure(summaries, metric)
        return sweep_figures.dead_vs_lr_figure(summaries)
