"""Where the Sweep tab saves its results: a file the user chose, or the folder set as default."""

from __future__ import annotations

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
