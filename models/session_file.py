"""Session files: every tab's settings (and optionally results) as versioned JSON."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.atomic_write import atomic_write_text
from models.safe_io import UnsafePathError, expand, read_regular_bytes

FORMAT = "relu-lab-session"
SESSION_SCHEMA_VERSION = 1
TAB_KEYS = ("networks", "neuron", "sweep", "theory")
MAX_SESSION_BYTES = 50 * 1024 * 1024
MAX_SESSION_DEPTH = 64  # JSON nesting; a real session is under 10 levels deep


class SessionError(ValueError):
    """A session file that cannot be opened; the message says why."""


def session_document(tabs: dict[str, dict[str, Any]],
                     results: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the JSON document for a session.

    Parameters
    ----------
    tabs : dict
        Tab key (one of `TAB_KEYS`) -> that tab's ``settings()``.
    results : dict, optional
        Tab key -> JSON-able results to keep with the settings.

    Returns
    -------
    dict
        The document, with ``format``, ``schema_version`` and ``saved_at``.
    """
    unknown = sorted(set(tabs) - set(TAB_KEYS))
    if unknown:
        raise SessionError(f"tabs: unknown tab {unknown[0]!r}")
    document = {"format": FORMAT, "schema_version": SESSION_SCHEMA_VERSION,
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "tabs": tabs}
    if results:
        document["results"] = results
    return document


def write_session(path: str | os.PathLike, tabs: dict[str, dict[str, Any]],
                  results: dict[str, Any] | None = None) -> Path:
    """Write a session file atomically (temporary file, then rename).

    Raises
    ------
    OSError
        If it cannot be written; an existing file at `path` is left as it was.
    """
    text = json.dumps(session_document(tabs, results), indent=2, sort_keys=True,
                      allow_nan=False)
    return atomic_write_text(path, text + "\n")


def read_session(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check a session file; return its document (migrated to the current version).

    Raises
    ------
    SessionError
        For an unreadable, binary, truncated or malformed file, an unknown field, or a
        newer ``schema_version``; the message says which.
    """
    file = expand(path)
    try:
        raw = read_regular_bytes(file, MAX_SESSION_BYTES, "session")
    except UnsafePathError as exc:
        raise SessionError(str(exc)) from None
    except OSError as exc:
        raise SessionError(f"{file.name}: cannot read: {exc.strerror or exc}") from None
    return parse_session(raw, file.name)


def parse_session(raw: bytes, name: str = "session") -> dict[str, Any]:
    """Check session bytes; see `read_session`."""
    if b"\x00" in raw:
        raise SessionError(f"{name}: a binary file, not a ReLU Lab session")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is accepted
    except UnicodeDecodeError:
        raise SessionError(f"{name}: not UTF-8 text, not a ReLU Lab session") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise SessionError(f"{name}: nested more than {MAX_SESSION_DEPTH} levels deep; "
                           "not a ReLU Lab session") from None
    except json.JSONDecodeError as exc:
        ends_early = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "truncated" if ends_early else "not valid JSON"
        raise SessionError(f"{name}: {what} ({exc.msg} at line {exc.lineno})") from None
    if _depth(document) > MAX_SESSION_DEPTH:
        raise SessionError(f"{name}: nested more than {MAX_SESSION_DEPTH} levels deep; "
                           "not a ReLU Lab session")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError(f"{name}: not a ReLU Lab session (no format {FORMAT!r})")
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionError(f"{name}: schema_version {version!r} is not a positive integer")
    if version > SESSION_SCHEMA_VERSION:
        raise SessionError(f"{name}: schema_version {version} is newer than this ReLU Lab "
                           f"understands ({SESSION_SCHEMA_VERSION}); update to open it")
    document = migrate_session(document)
    unknown = sorted(set(document) - {"format", "schema_version", "saved_at", "tabs",
                                       "results"})
    if unknown:
        raise SessionError(f"{name}: unknown field {unknown[0]!r}")
    tabs = document.get("tabs")
    if not isinstance(tabs, dict):
        raise SessionError(f"{name}: 'tabs' must be an object of tab settings")
    for key, value in tabs.items():
        if key not in TAB_KEYS:
            raise SessionError(f"{name}: tabs: unknown tab {key!r}; known: {', '.join(TAB_KEYS)}")
        if not isinstance(value, dict):
            raise SessionError(f"{name}: tabs.{key}: expected an object of settings")
    return document


def _depth(document: Any) -> int:
    """Return the nesting depth of a JSON value (iteratively: no recursion limit)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level > MAX_SESSION_DEPTH:
                return level
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest


def migrate_session(document: dict[str, Any]) -> dict[str, Any]:
    """Bring an older session document up to `SESSION_SCHEMA_VERSION` (version 1 is current)."""
    document = dict(document)
    document["schema_version"] = SESSION_SCHEMA_VERSION
    return document
