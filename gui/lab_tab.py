"""What the main window asks of a tab: the declared tab protocol, with harmless defaults."""

from __future__ import annotations

from typing import Any

__all__ = ["LabTab"]


class LabTab:
    """Base of every tab: mix it into the tab's QWidget, ``class T(QtWidgets.QWidget, LabTab)``.

    `gui.main_window.MainWindow` calls these methods on every tab it holds (and refuses a
    widget that is not a `LabTab`). Each default does nothing, so a tab overrides only
    what it has.
    """

    def figures(self) -> list:
        """Return the tab's figures (`gui.figures.Figure`), for File > Export figures."""
        return []

    def settings(self) -> dict[str, Any] | None:
        """Return the tab's settings for a session file, or None if it has none to save."""
        return None

    def apply_settings(self, settings: dict[str, Any]) -> None:
        """Apply (part of) saved settings; raise ValueError naming the field, keeping state."""

    def live_status(self) -> dict[str, Any]:
        """Return ``step``, ``steps_per_s`` and ``frames_per_s`` for the status bar (or {})."""
        return {}

    def play_pause(self) -> None:
        """Space: start or pause the tab's live run."""

    def step_once(self) -> None:
        """S: advance the tab's live run by one step."""

    def reset(self) -> None:
        """R: put the tab's live run back to its start."""

    def set_controls_visible(self, visible: bool) -> None:
        """Show or tuck away the tab's controls (presentation mode)."""

    def set_locked(self, locked: bool) -> None:
        """Lock or unlock the tab's controls (classroom lock)."""

    def use_dataset(self, path: str) -> None:
        """Train on the user's CSV file at `path` (already validated)."""

    def run_default(self) -> None:
        """Compute what the tab's figures need (headless export); see `wait_until_idle`."""

    def wait_until_idle(self, timeout_s: float = 60.0) -> bool:
        """Process events until the tab's background work has ended; return True if it did."""
        return True

    def shutdown(self) -> bool:
        """Stop the tab's background work (window closing); safe to call twice; True if clean."""
        return True
