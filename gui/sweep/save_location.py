"""Where the Sweep tab saves its results: a file the user chose, or the folder set as default."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui.session_store import config_dir

_FOLDER_KEY = "sweep/results_folder"


def _settings() -> QtCore.QSettings:
    return QtCore.QSettings(str(config_dir() / "preferences.ini"),
                            QtCore.QSettings.Format.IniFormat)


def preferred_folder() -> Path | None:
    """Return the folder every sweep is saved in without asking, or None (ask each time)."""
    value = _settings().value(_FOLDER_KEY, "")
    if not isinstance(value, str) or not value:
        return None
    folder = Path(value).expanduser()
    return folder if folder.is_dir() else None


def set_preferred_folder(folder: str | Path | None) -> None:
    """Save every later sweep in `folder` without asking (None: ask each time)."""
    settings = _settings()
    settings.setValue(_FOLDER_KEY, str(Path(folder).expanduser()) if folder else "")
    settings.sync()


def file_in(folder: Path) -> Path:
    """Return a new result file name in `folder`: ``sweep-YYYYmmdd-HHMMSS.csv``."""
    stem = time.strftime("sweep-%Y%m%d-%H%M%S")
    path, n = folder / f"{stem}.csv", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.csv"
    return path


def ask_save_path(parent: QtWidgets.QWidget | None) -> Path | None:
    """Ask where to save the sweep's result CSV; return the path, or None if cancelled."""
    start = preferred_folder() or Path.home()
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, "Save the sweep's results as",
                                                    str(file_in(start)), "CSV (*.csv)")
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".csv" else target.with_name(target.name + ".csv")


class SaveLocation:
    """The Sweep tab's half that decides where results go (mixed into `SweepTab`).

    Uses the tab's ``edits["out"]``, ``folder_check``, ``_settings``, ``_on_edited``,
    ``_tmpdir`` (None until a temporary run makes it), ``_request``, ``out_path`` and ``temporary``.
    """

    # the dialog asking where to save (tests replace it: no dialog in a test)
    ask_save_path = staticmethod(ask_save_path)

    def choose_out(self) -> bool:
        """Ask where to save the results and put that file in the form; True if chosen."""
        path = self.ask_save_path(self)
        if path is None:
            return False
        self.edits["out"].setText(str(path))
        self._on_edited()
        if self.folder_check.isChecked():
            set_preferred_folder(path.parent)
        return True

    def _on_folder_pref(self, checked: bool) -> None:
        out = self._settings["out"]
        if checked and not out:
            checked = self.choose_out()
            out = self._settings["out"]
        set_preferred_folder(Path(out).expanduser().parent if checked else None)
        self.folder_check.blockSignals(True)
        self.folder_check.setChecked(checked)
        self.folder_check.blockSignals(False)

    def _out_path(self, temporary_ok: bool) -> tuple[Path | None, bool]:
        """The file to write: the form's, one in the preferred folder, or the user's choice.

        Without any of these, a temporary file if `temporary_ok` (headless export); its
        path is never shown, since it is deleted on quit.
        """
        if self._settings["out"]:
            return Path(self._settings["out"]).expanduser(), False
        folder = preferred_folder()
        if folder is not None:
            return file_in(folder), False
        if not temporary_ok and self.choose_out():
            return Path(self._settings["out"]).expanduser(), False
        if not temporary_ok:
            return None, False
        if self._tmpdir is None:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="relu-lab-sweep-"))
        self._request_file = self._tmpdir / f"sweep_{self._request + 1}.csv"
        return self._request_file, True

    def _where(self) -> str:
        """Where the results are, in words: never a temporary path deleted on quit."""
        if self.temporary:
            return "not saved (temporary, deleted on quit: use Save results to… to keep them)"
        return str(self.out_path)

    def _saved(self) -> str:
        if self.temporary:
            return "not saved (temporary, deleted on quit): use Save results to… to keep them"
        return f"saved in {self.out_path}"

