"""Shared test set-up: Qt runs offscreen, and GUI tests get the lab's configured QApplication."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Autosaves, recent sessions and preferences of tests never touch the user's own.
if "RELU_LAB_CONFIG_DIR" not in os.environ:
    import tempfile

    os.environ["RELU_LAB_CONFIG_DIR"] = tempfile.mkdtemp(prefix="relu-lab-test-config-")

import pytest  # noqa: E402


@pytest.fixture
def lab_app(qapp):
    """Return the QApplication set up as the lab sets it up (fonts, palette, pyqtgraph)."""
    from gui.app import create_app

    return create_app()
