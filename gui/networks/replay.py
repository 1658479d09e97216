"""The Networks tab's replay: the timeline slider shows any recorded step while training goes on."""

from __future__ import annotations

__all__ = ["Replay"]


class Replay:
    """Replay methods of `gui.networks.tab.NetworksTab` (mixed into it).

    Needs from the tab: ``experiment``, ``selected``, ``grid``, ``detail``, ``why``,
    ``timeline``, ``timeline_label``, ``step_label``, ``cell_name`` and ``draw``; sets
    ``replaying``, ``shown_step`` and ``_history_drawn``.
    """

    def replay_step(self, step: int) -> int:
        """Show the recorded step at or before `step` in the grid, the detail and the hover.

        Training goes on meanwhile; `go_live` shows the newest frame again.

        Parameters
        ----------
        step : int
            The training step wanted.

        Returns
        -------
        int
            The step shown (the last one recorded at or before `step`).
        """
        history = self.experiment.history
        index = history.index_at(int(step))
        self.replaying = True
        snap = history.snapshot(index)
        self.grid.update_snapshot(snap, live=False)
        self.shown_step = snap.step
        cell = history.cell(self.selected)  # every probe up to the replayed step
        n = index + 1
        self.detail.set_history(
            {"steps": cell["steps"][:n], "loss": cell["loss"][:n],
             "dead_layers": cell["dead_layers"][:n],
             "activity": cell["activity"][:n].reshape(n, -1),
             "dead": cell["dead"][:n].reshape(n, -1),
             **{k: cell[k][:n] for k in ("test_loss", "train_accuracy", "test_accuracy")}},
            self.cell_name())
        self.why.refresh(index)
        self._history_drawn = (-1, -1, -1)
        self.timeline_label.setText(f"replay: step {snap.step:,}")
        self.step_label.setText(f"step {snap.step:,} (replay)")
        return snap.step

    def go_live(self) -> None:
        """Leave the replay and show the newest frame again."""
        self.replaying = False
        self.timeline_label.setText("live")
        self._history_drawn = (-1, -1, -1)
        self.draw()

    def _on_timeline_pressed(self) -> None:
        self._on_timeline_moved(self.timeline.value())

    def _on_timeline_moved(self, index: int) -> None:
        if not self.timeline.isSliderDown() or self.experiment is None:
            return
        steps = self.experiment.history.recorded_steps
        if len(steps):
            self.replay_step(int(steps[min(int(index), len(steps) - 1)]))

    def _on_timeline_released(self) -> None:
        self.go_live()

    def _sync_timeline(self) -> None:
        count = self.experiment.history.count if self.experiment is not None else 0
        if self.timeline.isSliderDown():
            return
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, max(count - 1, 0))
        self.timeline.setValue(max(count - 1, 0))
        self.timeline.blockSignals(False)
