"""The Networks tab's transport: play, pause, step, the pace slider and its keys, auto-pause."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from gui.networks.layout import LAPSE, PACES

__all__ = ["Transport"]


class Transport:
    """Play, step and pace methods of `gui.networks.tab.NetworksTab` (mixed into it).

    Needs from the tab: ``worker``, ``config``, ``preset``, ``playing``, ``finished``,
    ``locked``, ``paused_steps``, ``generation``, the bar's widgets (``play_button``,
    ``step_size``, ``pace``, ``pace_value``, ``auto_pause``, ``_icons``), ``apply_config``,
    ``show_error`` and the ``message`` and ``status_changed`` signals.
    """

    def play(self) -> None:
        """Start training; at the end of the run, start it again from step 0."""
        if self.finished:
            self.apply_config(self.config, self.preset)
        self.playing = True
        self.worker.play()
        self._sync_buttons()

    def pause(self) -> None:
        """Pause training."""
        self.playing = False
        self.worker.pause()
        self._sync_buttons()

    def play_pause(self) -> None:
        """Toggle play / pause."""
        self.pause() if self.playing else self.play()

    def step_once(self, steps: int | None = None) -> None:
        """Pause and take `steps` training steps (the Step size shown by default).

        Does nothing while the controls are locked (Step is hidden then).
        """
        if self.locked:
            return
        self.playing = False
        self._sync_buttons()
        self.worker.step(int(self.step_size.currentData()) if steps is None else int(steps))

    # -- pace -----------------------------------------------------------------------------
    def _install_keys(self) -> None:
        """+ and - change the pace (tab-wide; they do nothing while the controls are locked)."""
        self._pace_keys = []
        for keys, delta in ((("+", "="), 1), (("-",), -1)):
            for key in keys:
                shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
                shortcut.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda d=delta: self.change_pace(d))
                self._pace_keys.append(shortcut)

    def pace_steps_per_s(self) -> float | str | None:
        """Return the pace shown: steps per second, ``"time-lapse"`` or None (full speed)."""
        return PACES[self.pace.value()]

    def set_pace_index(self, index: int) -> None:
        """Set the pace slider to stop `index` of `PACES` (clamped)."""
        index = min(max(int(index), 0), len(PACES) - 1)
        if self.pace.value() != index:
            self.pace.setValue(index)
        else:
            self._on_pace_slider(index)

    def change_pace(self, delta: int) -> None:
        """Move the pace `delta` stops faster (positive) or slower (negative)."""
        if not self.locked or self.pace.isVisible():
            self.set_pace_index(self.pace.value() + int(delta))

    def _on_pace_slider(self, index: int) -> None:
        pace = PACES[index]
        if pace == LAPSE:
            self.pace_value.setText("time-lapse")
            self.pace.setToolTip("Time-lapse: 1 step/s at first, faster as the run goes on "
                                 "(+ / - change the pace)")
            self.worker.set_pace(None, lapse=True)
        elif pace is None:
            self.pace_value.setText("full speed")
            self.worker.set_pace(None)
        else:
            self.pace_value.setText(f"{pace:g} steps/s")
            self.worker.set_pace(float(pace))

    # -- where the run stops by itself ----------------------------------------------------
    def set_auto_pause(self, on: bool) -> None:
        """Pause at every scheduled intervention (a kick, a switch, an outlier) when `on`."""
        if self.auto_pause.isChecked() != bool(on):
            self.auto_pause.setChecked(bool(on))
        self.worker.set_auto_pause(bool(on))

    def _on_paused_at_event(self, generation: int, step: int, text: str) -> None:
        if generation != self.generation:
            return
        self.playing = False
        self.paused_steps.append(step)
        self._sync_buttons()
        self.message.emit(f"Paused at step {step:,}: {text}. Play goes on.")

    def _sync_buttons(self) -> None:
        self.play_button.setChecked(self.playing)
        self.play_button.setText("Pause" if self.playing else "Play")
        self.play_button.setIcon(self._icons["pause" if self.playing else "play"])
        self.status_changed.emit()

    def _on_finished(self, generation: int) -> None:
        if generation == self.generation:
            self.playing = False
            self.finished = True
            self._sync_buttons()
            self.message.emit(f"Reached {self.config.steps} steps; Play starts the run again")

    def _on_worker_error(self, generation: int, text: str) -> None:
        if generation == self.generation:
            self.show_error(text)
            self.playing = False
            self._sync_buttons()
