"""Shared test set-up: Qt runs offscreen, and GUI tests get the lab's configured QApplication."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One BLAS thread, as in the app: small nets gain nothing from two, and two collapse as soon
# as another process wants a core (DESIGN.md, "Performance facts"); subprocesses inherit it.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
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


def pytest_collection_modifyitems(session, config, items):
    """Run the soak test last, so the rest of the suite runs beside its window's minutes."""
    soak = [item for item in items if item.name == "test_window_soak"]
    if soak:
        items[:] = [item for item in items if item.name != "test_window_soak"] + soak


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Start the soak window only if the soak test is still selected.

    This runs after every ``pytest_collection_modifyitems`` (so after ``-m`` and ``-k``
    have deselected), and never for ``--collect-only``.
    """
    config = session.config
    if config.option.collectonly or getattr(config, "relu_lab_soak", None):
        return
    if any(item.name == "test_window_soak" for item in session.items):
        from tests.test_soak import start_soak

        config.relu_lab_soak = start_soak()


def pytest_unconfigure(config):
    """Never leave the soak window behind (an interrupted run, say)."""
    process = getattr(config, "relu_lab_soak", None)
    if process is not None and process.poll() is None:
        process.kill()
