"""Where the lab keeps its own files: the autosaved session, recent sessions, preferences."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6 import QtCore

MAX_RECENT = 8
_RECENT_KEY = "sessions/recent"
_RESTORE_KEY = "sessions/offer_restore"
_AUTOSAVE_KEY = "sessions/autosave"


def config_dir() -> Path:
    """Return the user's config folder for ReLU Lab (``RELU_LAB_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("RELU_LAB_CONFIG_DIR")
    if override:
        return Path(override)
    location = QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(location or Path.home() / ".config" / "relu-lab")


def autosave_path() -> Path:
    """Return the path of the session written when the window closes."""
    return config_dir() / "autosave-session.json"


def _settings() -> QtCore.QSettings:
    path = config_dir() / "preferences.ini"
    return QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)


def recent_sessions() -> list[str]:
    """Return the recently opened or saved session files that still exist, newest first."""
    value = _settings().value(_RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [p for p in items if isinstance(p, str) and Path(p).is_file()][:MAX_RECENT]


def remember_session(path: str | os.PathLike) -> None:
    """Put `path` first in the recent-sessions list."""
    text = str(Path(path).resolve())
    items = [text] + [p for p in recent_sessions() if p != text]
    settings = _settings()
    settings.setValue(_RECENT_KEY, items[:MAX_RECENT])
    settings.sync()


def _flag(key: str, default: bool) -> bool:
    value = _settings().value(key, default)
    return value if isinstance(value, bool) else str(value).lower() == "true"


def _set_flag(key: str, value: bool) -> None:
    settings = _settings()
    settings.setValue(key, bool(value))
    settings.sync()


def offer_restore() -> bool:
    """Return whether the autosaved session is offered back at start-up."""
    return _flag(_RESTORE_KEY, True)


def set_offer_restore(value: bool) -> None:
    """Turn the start-up offer of the autosaved session on or off."""
    _set_flag(_RESTORE_KEY, value)


def autosave_enabled() -> bool:
    """Return whether the session is saved automatically when the window closes."""
    return _flag(_AUTOSAVE_KEY, True)


def set_autosave_enabled(value: bool) -> None:
    """Turn autosave on quit on or off."""
    _set_flag(_AUTOSAVE_KEY, value)
