"""The window's sessions: save, open, recent files, autosave and the offer to restore."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from gui import session_store
from models.session_file import (
    SessionError,
    parse_session,
    read_session,
    session_document,
    write_session,
)

__all__ = ["WindowSessions"]

TITLE = "ReLU Lab"


class WindowSessions:
    """Session methods of `gui.main_window.MainWindow` (mixed into it).

    Needs from the window: ``tab_keys()``, ``banner``, ``recent_menu``, ``autosave_action``,
    ``offer_action`` and ``statusBar()``.
    """

    def session(self) -> dict:
        """Return the session document: every tab's settings, by tab key."""
        tabs = {}
        for key, widget in self.tab_keys().items():
            settings = widget.settings()
            if settings is not None:
                tabs[key] = settings
        return session_document(tabs)

    def apply_session(self, document: dict) -> None:
        """Restore a session document; on any error restore the previous state and raise.

        Raises
        ------
        SessionError
            Naming the tab and the field that is wrong; the session in memory is unchanged.
        """
        if not isinstance(document, dict) or not isinstance(document.get("tabs"), dict):
            raise SessionError("session: expected an object with a 'tabs' object")
        keys = self.tab_keys()
        unknown = sorted(set(document["tabs"]) - set(keys))
        if unknown:
            raise SessionError(f"session: this window has no {unknown[0]!r} tab")
        before = self.session()["tabs"]
        applied = []
        try:
            for key, settings in document["tabs"].items():
                if key not in before:
                    continue  # a tab with nothing to save takes nothing back
                try:
                    keys[key].apply_settings(settings)
                except (ValueError, TypeError, KeyError) as exc:
                    raise SessionError(f"{key}: {exc}") from None
                applied.append(key)
        except SessionError:
            for key in applied:  # put back what was already changed
                keys[key].apply_settings(before[key])
            raise

    def save_session(self, path: str | Path) -> Path:
        """Save the session to `path` atomically and remember it in Open recent."""
        written = write_session(path, self.session()["tabs"])
        session_store.remember_session(written)
        return written

    def open_session(self, path: str | Path) -> None:
        """Open a session file; a bad one raises `SessionError` and changes nothing."""
        self.apply_session(read_session(path))
        session_store.remember_session(path)
        self.statusBar().showMessage(f"Opened {Path(path).name}", 8000)

    def save_session_dialog(self) -> None:
        """Ask for a file and save the session as JSON."""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save session", "session.json",
                                                        "ReLU Lab session (*.json)")
        if not path:
            return
        try:
            self.save_session(path)
        except OSError as exc:
            QtWidgets.QMessageBox.warning(self, TITLE,
                                          f"Could not save the session: {exc.strerror or exc}")
            return
        self.statusBar().showMessage(f"Saved {Path(path).name}", 8000)

    def open_session_dialog(self, path: str | None = None) -> None:
        """Ask for a session file (unless given) and open it; a bad file changes nothing."""
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open session", "",
                                                            "ReLU Lab session (*.json)")
        if not path:
            return
        try:
            self.open_session(path)
        except SessionError as exc:
            QtWidgets.QMessageBox.warning(self, TITLE, f"The session was not opened: {exc}")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = session_store.recent_sessions()
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_session_dialog(p))

    def _toggle_autosave(self) -> None:
        session_store.set_autosave_enabled(self.autosave_action.isChecked())

    def _toggle_offer(self) -> None:
        session_store.set_offer_restore(self.offer_action.isChecked())

    def autosave(self) -> Path | None:
        """Write the session to the autosave file (atomically); return its path."""
        path = session_store.autosave_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return write_session(path, self.session()["tabs"])
        except (OSError, ValueError) as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
            return None

    def offer_autosaved_session(self) -> str:
        """Offer the session autosaved at the last quit in a banner (never a modal dialog).

        Returns
        -------
        str
            ``"offered"``, ``"none"``, ``"off"`` or ``"corrupt"`` (the bad file is moved aside
            to ``*.bad`` and the banner says why).
        """
        path = session_store.autosave_path()
        if not session_store.offer_restore():
            return "off"
        if not path.is_file():
            return "none"
        try:
            document = parse_session(path.read_bytes(), path.name)
        except (SessionError, OSError) as exc:
            bad = path.with_suffix(".bad")
            try:
                path.replace(bad)
            except OSError:
                pass
            self.banner.show_message(f"The autosaved session could not be read ({exc}); "
                                     "starting with the defaults.")
            return "corrupt"
        saved = document.get("saved_at", "")
        self.banner.offer(f"Restore the session you left on {saved.replace('T', ' ')}?",
                          lambda: self._restore(document))
        return "offered"

    def _restore(self, document: dict) -> None:
        try:
            self.apply_session(document)
        except SessionError as exc:
            self.banner.show_message(f"The autosaved session was not restored: {exc}")
            return
        self.statusBar().showMessage("Restored the last session", 8000)
