"""The why view's figures: its four plots with the data shown, built by the figures package."""

from __future__ import annotations

import numpy as np

from figures import diagnostics_figures as df
from gui.figures import Figure

__all__ = ["WhyFigures"]


def _table(build):
    """Return a table callable: the CSV header and rows of the figure `build` returns."""
    def table():
        spec = build()
        return (spec.table.header, spec.table.rows) if spec is not None else (["empty"], [])
    return table


class WhyFigures:
    """Mixed into `gui.networks.why.view.WhyView`: the figures of the data its plots show.

    Uses the view's ``drift``, ``updates``, ``strip``, ``plateau``, ``unit``, ``cell`` and
    ``experiment``.
    """

    def _label(self):
        return tuple(self.experiment.labels[self.cell]) if self.experiment else ("relu", 0.0)

    def _events(self):
        if self.experiment is None:
            return []
        return [(e.step, e.message) for e in self.experiment.history.events_for(self.cell)]

    def shows_data(self) -> dict[str, bool]:
        """Return, per figure name, whether its plot shows data now (cheap: no figure built)."""
        return {"why_preactivation_drift": bool(len(self.drift.steps)),
                "why_update_sizes": bool(len(self.updates.steps)),
                "why_update_ratio_grid": bool(len(self.strip.steps)),
                "why_plateau": self.plateau.surface is not None and self.unit is not None}

    def drift_spec(self):
        """Return the drift figure of the data shown (`figures.diagnostics_figures`), or None."""
        d = self.drift
        if not self.shows_data()["why_preactivation_drift"]:
            return None
        return df.drift_figure(d.steps, d.counts, d.edges, d.nonpositive, self._label(),
                               self._events())

    def updates_spec(self):
        """Return the update-sizes figure of the selected cell shown, or None."""
        u = self.updates
        if not self.shows_data()["why_update_sizes"]:
            return None
        return df.update_figure(u.steps, u.ratio, u.grad_norm, self._label(), self._events())

    def strip_spec(self):
        """Return the ratio strip of every cell shown, or None."""
        s = self.strip
        if not self.shows_data()["why_update_ratio_grid"]:
            return None
        return df.update_strip_figure(s.steps, s.ratio, s.labels, s.activations, s.lrs)

    def plateau_spec(self):
        """Return the plateau figure of the surface shown, or None."""
        p = self.plateau
        if not self.shows_data()["why_plateau"]:
            return None
        _, layer, unit = self.unit
        before = p.steps < p.surface_step  # the path up to the held step, which ends it
        steps = np.append(p.steps[before], p.surface_step)
        traj = np.vstack([p.trajectory[before], [p.surface.current]])
        return df.plateau_figure(p.surface, steps, traj, self._label(), layer, unit,
                                 p.loss_name)

    def figures(self) -> list[Figure]:
        """Return the four plots as window figures (exported by the figures' builders)."""
        return [Figure("why_preactivation_drift", self.drift.ci, _table(self.drift_spec),
                       self.drift_spec),
                Figure("why_update_sizes", self.updates.ci, _table(self.updates_spec),
                       self.updates_spec),
                Figure("why_update_ratio_grid", self.strip.ci, _table(self.strip_spec),
                       self.strip_spec),
                Figure("why_plateau", self.plateau.plot, _table(self.plateau_spec),
                       self.plateau_spec)]

    def figures_with_data(self) -> list[Figure]:
        """Return the figures that show data now (File > Export figures writes these)."""
        shown = self.shows_data()
        return [figure for figure in self.figures() if shown[figure.name]]
