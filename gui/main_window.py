"""The lab window: tabs, menus, presets, shortcuts and a status bar of step, speed and frames."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import PySide6
from PySide6 import QtCore, QtGui, QtWidgets

from gui.figure_export import export_figure
from gui.networks_tab import NetworksTab
from models.presets import PresetError, load_preset, preset_names

TITLE = "ReLU Lab"


def versions() -> dict[str, str]:
    """Return the versions of Python, Qt, PySide6, pyqtgraph, numpy and Brian2.

    Brian2's is read from its package metadata, so it is not imported.
    """
    try:
        brian2 = metadata.version("brian2")
    except metadata.PackageNotFoundError:
        brian2 = "not installed"
    return {"Python": platform.python_version(), "Qt": QtCore.qVersion(),
            "PySide6": PySide6.__version__, "pyqtgraph": pg.__version__,
            "numpy": np.__version__, "Brian2": brian2}


class MainWindow(QtWidgets.QMainWindow):
    """The ReLU Lab window.

    Other tabs are plugged in with `add_tab`. A tab may provide any of: ``figures()``
    (list of `gui.figures.Figure`, for File > Export figures), ``settings()`` /
    ``apply_settings(dict)`` (sessions), ``shutdown()`` (called when the window closes),
    ``status()`` (dict with ``step``, ``steps_per_s``, ``frames_per_s``), ``play_pause()``,
    ``step_once()``, ``reset()`` (the Space, S and R shortcuts act on the current tab).

    Parameters
    ----------
    networks : NetworksTab, optional
        The Networks tab to show (a new one with the default grid when None).
    """

    def __init__(self, networks: NetworksTab | None = None) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        self.resize(1600, 1000)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._presentation = False
        self._tab_titles: dict[QtWidgets.QWidget, str] = {}
        self.networks = networks or NetworksTab()
        self._build_status_bar()
        self._build_menus()
        self.add_tab(self.networks, "Networks")
        self.networks.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.networks.status_changed.connect(self._update_status)
        self.tabs.currentChanged.connect(lambda _i: self._update_status())
        self._status_timer = QtCore.QTimer(self)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start(500)
        self._closed = False

    # -- tabs ------------------------------------------------------------------------------
    def add_tab(self, widget: QtWidgets.QWidget, title: str) -> int:
        """Add a tab (see the class docstring for the methods it may provide); return its index."""
        self._tab_titles[widget] = title
        return self.tabs.addTab(widget, title)

    def tab_widgets(self) -> list[QtWidgets.QWidget]:
        """Return every tab's widget, in order."""
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current_tab(self) -> QtWidgets.QWidget | None:
        """Return the visible tab."""
        return self.tabs.currentWidget()

    # -- menus -----------------------------------------------------------------------------
    def _action(self, menu: QtWidgets.QMenu, text: str, slot, shortcut: str | None = None,
                tip: str = "") -> QtGui.QAction:
        action = QtGui.QAction(text, self)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "Export figures…", self.export_figures_dialog, "Ctrl+E",
                     "Write every plot of the current tab as PNG, SVG and CSV")
        file_menu.addSeparator()
        self._action(file_menu, "Save session…", self.save_session_dialog, "Ctrl+S")
        self._action(file_menu, "Open session…", self.open_session_dialog, "Ctrl+O")
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, "Ctrl+Q")

        run_menu = bar.addMenu("&Run")
        self.play_action = self._action(run_menu, "Play / pause", lambda: self._call("play_pause"),
                                        "Space")
        self._action(run_menu, "Step", lambda: self._call("step_once"), "S")
        self._action(run_menu, "Reset", lambda: self._call("reset"), "R")

        self.presets_menu = bar.addMenu("&Presets")
        for name in preset_names():
            try:
                title = load_preset(name).title
            except PresetError:
                title = name
            self._action(self.presets_menu, title, lambda _c=False, n=name: self.load_preset(n),
                         tip=f"resources/presets/{name}.json")

        view_menu = bar.addMenu("&View")
        self.presentation_action = self._action(view_menu, "Presentation mode",
                                                self.toggle_presentation, "F11",
                                                "Full screen with larger type")
        self.presentation_action.setCheckable(True)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "About ReLU Lab", self.show_about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.step_status = QtWidgets.QLabel("step 0")
        self.rate_status = QtWidgets.QLabel("0 steps/s")
        self.fps_status = QtWidgets.QLabel("0 frames/s")
        for label in (self.step_status, self.rate_status, self.fps_status):
            label.setMinimumWidth(110)
            bar.addPermanentWidget(label)

    def _call(self, method: str) -> None:
        tab = self.current_tab()
        func = getattr(tab, method, None)
        if callable(func):
            func()

    def _update_status(self) -> None:
        tab = self.current_tab()
        status = getattr(tab, "status", None)
        info = status() if callable(status) else {}
        self.step_status.setText(f"step {info.get('step', 0):,}")
        self.rate_status.setText(f"{info.get('steps_per_s', 0.0):,.0f} steps/s")
        self.fps_status.setText(f"{info.get('frames_per_s', 0.0):.0f} frames/s")

    # -- actions ---------------------------------------------------------------------------
    def load_preset(self, name: str) -> bool:
        """Show the Networks tab with preset `name`; a bad name leaves everything as it was."""
        self.tabs.setCurrentWidget(self.networks)
        return self.networks.load_preset(name)

    def export_figures(self, folder: str | Path, tab: QtWidgets.QWidget | None = None) -> list:
        """Write every figure of `tab` (the current one by default) into `folder`."""
        tab = tab or self.current_tab()
        figures = getattr(tab, "figures", None)
        written = []
        for figure in (figures() if callable(figures) else []):
            written.extend(export_figure(figure, folder))
        return written

    def export_figures_dialog(self) -> None:
        """Ask for a folder and export the current tab's figures there."""
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Export figures to")
        if not folder:
            return
        try:
            written = self.export_figures(folder)
        except (OSError, ValueError) as exc:
            QtWidgets.QMessageBox.warning(self, TITLE, f"Export failed: {exc}")
            return
        self.statusBar().showMessage(f"Wrote {len(written)} files to {folder}", 8000)

    def session(self) -> dict:
        """Return the settings of every tab that has them, by tab title."""
        tabs = {}
        for widget in self.tab_widgets():
            settings = getattr(widget, "settings", None)
            if callable(settings):
                tabs[self._tab_titles.get(widget, "")] = settings()
        return {"relu_lab_session": 1, "tabs": tabs}

    def apply_session(self, data: dict) -> None:
        """Restore a session made by `session` (each tab validates its own part).

        Raises
        ------
        ValueError
            Naming the tab and field that is wrong.
        """
        if not isinstance(data, dict) or not isinstance(data.get("tabs"), dict):
            raise ValueError("session: expected an object with a 'tabs' object")
        by_title = {self._tab_titles.get(w, ""): w for w in self.tab_widgets()}
        for title, settings in data["tabs"].items():
            widget = by_title.get(title)
            apply = getattr(widget, "apply_settings", None)
            if callable(apply):
                try:
                    apply(settings)
                except ValueError as exc:
                    raise ValueError(f"{title}: {exc}") from None

    def save_session_dialog(self) -> None:
        """Ask for a file and save the session as JSON."""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save session", "session.json",
                                                        "JSON (*.json)")
        if path:
            Path(path).write_text(json.dumps(self.session(), indent=2), encoding="utf-8")

    def open_session_dialog(self) -> None:
        """Ask for a session file and restore it; a bad file changes nothing."""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open session", "",
                                                        "JSON (*.json)")
        if not path:
            return
        try:
            self.apply_session(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            QtWidgets.QMessageBox.warning(self, TITLE, f"Could not open the session: {exc}")

    def toggle_presentation(self) -> None:
        """Switch presentation mode: full screen and larger type."""
        self._presentation = not self._presentation
        app = QtWidgets.QApplication.instance()
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * (1.3 if self._presentation else 1 / 1.3))
        app.setFont(font)
        self.showFullScreen() if self._presentation else self.showNormal()
        self.presentation_action.setChecked(self._presentation)

    def about_text(self) -> str:
        """Return the About box's text (with every library version)."""
        rows = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in versions().items())
        return (f"<h3>{TITLE}</h3><p>Watch ReLU neurons die, try the remedies, and compare "
                f"Leaky ReLU with a leaky integrate-and-fire neuron.</p><table>{rows}</table>")

    def show_about(self) -> None:
        """Show the About box."""
        QtWidgets.QMessageBox.about(self, f"About {TITLE}", self.about_text())

    # -- closing ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Call ``shutdown()`` on every tab that has it (once)."""
        if self._closed:
            return
        self._closed = True
        self._status_timer.stop()
        for widget in self.tab_widgets():
            stop = getattr(widget, "shutdown", None)
            if callable(stop):
                stop()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop every tab's work before the window goes."""
        self.shutdown()
        super().closeEvent(event)
