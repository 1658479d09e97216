"""Shared test set-up: Qt runs offscreen, and GUI tests get the lab's configured QApplication."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One BLAS thread, as in the app: small nets gain nothing from two, and two collapse as soon
# as another process wants a core (DESIGN.md, "Performance facts"); subprocesses inherit it.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
# Whatever a test run leaves in the temporary folder (config folders, the forkserver sockets
# of processes a test kills on purpose, Dask's scratch space) goes into one folder that the
# run removes when it ends; pytest's own tmp_path folders stay where pytest keeps them.
if "RELU_LAB_TEST_TMPDIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
    _run_tmp = tempfile.mkdtemp(prefix="relu-lab-tests-")
    atexit.register(shutil.rmtree, _run_tmp, True)
    os.environ["RELU_LAB_TEST_TMPDIR"] = os.environ["TMPDIR"] = _run_tmp
    tempfile.tempdir = None  # this process too
# Autosaves, recent sessions and preferences of tests never touch the user's own (nor, when
# the suite runs in parallel processes, another process's: each makes its own).
if "RELU_LAB_CONFIG_DIR" not in os.environ or "PYTEST_XDIST_WORKER" in os.environ:
    import tempfile

    os.environ["RELU_LAB_CONFIG_DIR"] = tempfile.mkdtemp(prefix="relu-lab-test-config-")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# A grid that trains fast: two activations x two learning rates of 16 units.
SMALL_GRID = {"width": 16, "activations": ("relu", "leaky_relu"), "lrs": (0.03, 3.0),
              "log_every": 5}


@pytest.fixture
def lab_app(qapp):
    """Return the QApplication set up as the lab sets it up (fonts, palette, pyqtgraph)."""
    from gui.app import create_app

    return create_app()


@pytest.fixture
def make_window(qtbot, lab_app):
    """Return ``make(config=None, all_tabs=True)``: a shown window on `config` (the small grid).

    Every window made is closed after the test, and its training thread must have ended.
    """
    from gui.main_window import MainWindow
    from gui.networks.tab import NetworksTab
    from models.config import ExperimentConfig

    windows = []

    def make(config=None, all_tabs: bool = True):
        win = MainWindow(NetworksTab(config or ExperimentConfig(**SMALL_GRID)),
                         all_tabs=all_tabs)
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()
        assert not win.networks.worker.is_running()


@pytest.fixture
def networks_window(make_window, tmp_path, monkeypatch):
    """Return a shown window on the small grid with the Networks tab only, its own config dir.

    For tests of the window that use no other tab (building the other three costs ~1 s).
    """
    monkeypatch.setenv("RELU_LAB_CONFIG_DIR", str(tmp_path / "config"))
    return make_window(all_tabs=False)


class Ran(NamedTuple):
    """What one in-process command run gave: exit status, standard output, standard error."""

    status: int
    out: str
    err: str

    @property
    def returncode(self) -> int:  # the names of `subprocess.CompletedProcess`
        return self.status

    @property
    def stdout(self) -> str:
        return self.out

    @property
    def stderr(self) -> str:
        return self.err


@pytest.fixture
def make_networks_tab(qtbot, lab_app):
    """Return ``make(config)``: a shown Networks tab on `config`, alone (no window).

    Every tab made is shut down after the test; its training thread and its "why" runner
    must have ended.
    """
    from gui.networks.tab import NetworksTab

    tabs = []

    def make(config):
        tab = NetworksTab(config)
        qtbot.addWidget(tab)
        tab.resize(1400, 900)
        tab.show()
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.shutdown()
        assert not tab.worker.is_running()
        assert not tab.why.runner.is_running()


@pytest.fixture
def run_main(capsys, monkeypatch):
    """Return ``run(*argv) -> Ran(status, out, err)``: `main.main` in this process.

    It runs as ``python main.py ARGV`` would, without the interpreter's start-up: in the
    project folder, and with the warnings a fresh interpreter would print to stderr
    (everything but the deprecation, import and resource warnings Python hides by default)
    appended to `err`, so "one line on stderr" means the same in both.
    """
    import main

    monkeypatch.chdir(ROOT)

    def run(*argv: str) -> Ran:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for hidden in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                           ResourceWarning):
                warnings.filterwarnings("ignore", category=hidden)
            try:
                status = main.main(list(argv))
            except SystemExit as exc:  # argparse refuses with SystemExit(2)
                status = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        shown = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno)
                        for w in caught)
        return Ran(status, captured.out, captured.err + shown)

    return run


# Modules whose tests share an expensive module-scoped set-up (the export of every figure; one
# tab of each kind): their tests run in one process, so the set-up is made once.
SHARED_SET_UP = ("tests/test_cli_export.py", "tests/test_reliability_gui.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Spread tests one by one over the processes, except the modules of `SHARED_SET_UP`.

    (pytest-xdist's own ``--dist loadgroup`` cannot be used: its group tag does not reach
    the scheduler under pytest 9.2.) Only the default ``--dist load`` is replaced.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetUpScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in SHARED_SET_UP else nodeid

    return SharedSetUpScheduling(config, log)


def pytest_collection_modifyitems(session, config, items):
    """Run the soak test last, so the rest of the suite runs beside its window's minutes."""
    soak = [item for item in items if item.name == "test_window_soak"]
    if soak:
        items[:] = [item for item in items if item.name != "test_window_soak"] + soak


# -- the soak window: started once per session, beside the rest of the suite --------------
# Under pytest-xdist the controlling process starts it (workers come and go: a worker is shut
# down as soon as nothing is left to send it) and the worker that runs the test reads its
# outcome from the files the process leaves in one folder.
def _soak_folder(config) -> Path:
    """Return the folder where this session's soak window leaves its output (made once)."""
    if getattr(config, "relu_lab_soak_folder", None) is None:
        import tempfile

        config.relu_lab_soak_folder = Path(tempfile.mkdtemp(prefix="relu-lab-soak-"))
    return config.relu_lab_soak_folder


def _start_soak(config) -> None:
    if getattr(config, "relu_lab_soak_process", None) is None:
        from tests.test_soak import start_soak

        config.relu_lab_soak = _soak_folder(config)
        config.relu_lab_soak_process = start_soak(config.relu_lab_soak)


def pytest_configure(config):
    """In a pytest-xdist worker, know where the controller's soak window writes."""
    folder = getattr(config, "workerinput", {}).get("relu_lab_soak")
    if folder:
        config.relu_lab_soak = Path(folder)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Start the soak window only if the soak test is still selected (one process only).

    This runs after every ``pytest_collection_modifyitems`` (so after ``-m`` and ``-k``
    have deselected), and never for ``--collect-only``.
    """
    config = session.config
    if config.option.collectonly or hasattr(config, "workerinput"):
        return
    if any(item.name == "test_window_soak" for item in session.items):
        _start_soak(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist controller: tell each worker the soak window's folder."""
    node.workerinput["relu_lab_soak"] = str(_soak_folder(node.config))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """pytest-xdist controller: start the soak window once a worker has it selected."""
    if not node.config.option.collectonly and any(
            nodeid.split("@")[0].endswith("::test_window_soak") for nodeid in ids):
        _start_soak(node.config)


def pytest_unconfigure(config):
    """Never leave the soak window behind (an interrupted run, say), nor its folder."""
    process = getattr(config, "relu_lab_soak_process", None)
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    folder = getattr(config, "relu_lab_soak_folder", None)
    if folder is not None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
