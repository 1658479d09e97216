"""The Networks tab in front of a class: the settings panel tucked away, the controls locked."""

from __future__ import annotations

from PySide6 import QtWidgets

__all__ = ["Presentation"]


class Presentation:
    """Settings-panel and lock methods of `gui.networks.tab.NetworksTab` (mixed into it).

    Needs from the tab: ``locked``, ``controls``, ``controls_scroll``, ``settings_button``,
    ``detail_area``, ``grid``, ``_pace_keys`` and the widgets `lockable_widgets` lists.
    """

    def set_settings_open(self, visible: bool) -> None:
        """Open or close the settings side panel."""
        if self.settings_button.isChecked() != bool(visible):
            self.settings_button.setChecked(bool(visible))
        self.controls_scroll.setVisible(bool(visible) and not self.locked)

    def set_controls_visible(self, visible: bool) -> None:
        """Show or tuck away the settings panel (presentation mode tucks it away).

        The panel's own toggle keeps its state, so showing the controls again restores
        whatever the user had chosen.
        """
        self._controls_shown = bool(visible)
        self.controls_scroll.setVisible(visible and self.settings_button.isChecked()
                                        and not self.locked)

    def lockable_widgets(self) -> list[QtWidgets.QWidget]:
        """Return every control that locking hides."""
        return [self.settings_button, self.step_button, self.step_size, self.reset_button,
                self.pace_label, self.pace, self.pace_value, self.auto_pause,
                self.scope_label, self.scope, self.kick_button, self.outlier_button,
                self.switch_button]

    def set_locked(self, locked: bool) -> None:
        """Lock the tab for a class: only the grid, the story and the Play button remain.

        Every hidden control is also disabled, so its keyboard shortcut does nothing.
        """
        self.locked = bool(locked)
        for widget in self.lockable_widgets():
            widget.setVisible(not locked)
            widget.setEnabled(not locked)
        self.controls.setEnabled(not locked)
        self.controls_scroll.setVisible(not locked and self.settings_button.isChecked()
                                        and getattr(self, "_controls_shown", True))
        for shortcut in self._pace_keys:
            shortcut.setEnabled(not locked)
        self.detail_area.setVisible(not locked)
        self.grid.set_click_hint(not locked)
