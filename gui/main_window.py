"""The lab window: tabs, menus, presets, shortcuts and a status bar of step, speed and frames."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from gui import presentation, session_store, theme
from gui.about import about_html
from gui.export_actions import export_tab_figures, install_export_menu
from gui.lab_tab import LabTab
from gui.networks.tab import NetworksTab
from gui.session_banner import SessionBanner
from gui.window_sessions import TITLE, WindowSessions
from models.datasets import DatasetError, load_csv
from models.presets import PresetError, lesson_order, load_preset, preset_names

MINIMUM_SIZE = (1000, 620)
PREFERRED_SIZE = (1600, 1000)


class MainWindow(QtWidgets.QMainWindow, WindowSessions):
    """The ReLU Lab window.

    Tabs are plugged in with `add_tab`; each is a `gui.lab_tab.LabTab`, whose methods the
    window calls (figures, settings, status bar, shortcuts, presentation, lock, shutdown).

    Parameters
    ----------
    networks : NetworksTab, optional
        The Networks tab to show (a new one with the default grid when None).
    """

    def __init__(self, networks: NetworksTab | None = None, all_tabs: bool = True) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        self.setMinimumSize(*MINIMUM_SIZE)
        self.fit_to_screen()
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.banner = SessionBanner()
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._presentation = False
        self._presenter = presentation.Presentation(self)
        self.locked = False
        self.autosave_on_close = False
        self._tab_titles: dict[QtWidgets.QWidget, str] = {}
        self.networks = networks or NetworksTab()
        self._build_status_bar()
        self._build_menus()
        self.add_tab(self.networks, "Networks")
        if all_tabs:
            self._add_science_tabs()
        self.networks.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.networks.status_changed.connect(self._update_status)
        self.tabs.currentChanged.connect(lambda _i: self._update_status())
        self._status_timer = QtCore.QTimer(self)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start(500)
        self._closed = False

    def fit_to_screen(self, screen: QtGui.QScreen | None = None) -> QtCore.QRect:
        """Size and place the window inside the available geometry of its screen; return it."""
        screen = screen or self.screen() or QtGui.QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*PREFERRED_SIZE)
            return self.geometry()
        area = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = max(min(PREFERRED_SIZE[0], area.width() - frame.width()), MINIMUM_SIZE[0])
        height = max(min(PREFERRED_SIZE[1], area.height() - frame.height()), MINIMUM_SIZE[1])
        self.resize(width, height)
        self.move(area.left() + max(0, (area.width() - width) // 2),
                  area.top() + max(0, (area.height() - height) // 2))
        return self.geometry()

    # -- tabs ------------------------------------------------------------------------------
    def _add_science_tabs(self) -> None:
        from gui.neuron.tab import NeuronTab
        from gui.sweep.tab import SweepTab
        from gui.theory.tab import TheoryTab

        self.sweep = SweepTab()
        self.add_tab(self.sweep, "Sweep")
        self.neuron = NeuronTab()
        self.add_tab(self.neuron, "Neuron")
        self.theory = TheoryTab()
        self.add_tab(self.theory, "Theory")

    def add_tab(self, widget: LabTab, title: str) -> int:
        """Add a tab (a QWidget that is a `LabTab`); return its index.

        Raises
        ------
        TypeError
            If `widget` does not declare the tab protocol.
        """
        if not isinstance(widget, LabTab):
            raise TypeError(f"tab {title!r}: {type(widget).__name__} is not a LabTab")
        self._tab_titles[widget] = title
        index = self.tabs.addTab(widget, title)
        figures = widget.figures()
        for figure in figures:
            install_export_menu(figure, self)
        for root in presentation.plot_roots(widget, figures):  # the why views' plots too
            theme.fit_plot_text(root)  # no title or axis title clips on a small screen
        return index

    def tab_keys(self) -> dict[str, LabTab]:
        """Return the tabs by session key (``networks``, ``sweep``, ``neuron``, ``theory``)."""
        return {self._tab_titles[w].lower(): w for w in self.tab_widgets()}

    def tab_widgets(self) -> list[LabTab]:
        """Return every tab's widget, in order."""
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current_tab(self) -> LabTab | None:
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
        self._action(file_menu, "Import dataset…", self.import_dataset_dialog, "Ctrl+I",
                     "Train on your own CSV (x1,x2,label or x,y)")
        file_menu.addSeparator()
        self._action(file_menu, "Export figures of this tab…", self.export_figures_dialog,
                     "Ctrl+E", "Write every plot of the current tab as PNG, SVG and CSV")
        self._action(file_menu, "Export figures of every tab…",
                     lambda: self.export_figures_dialog(every_tab=True), "Ctrl+Shift+E",
                     "Write every plot of every tab as PNG, SVG and CSV")
        file_menu.addSeparator()
        self._action(file_menu, "Save session…", self.save_session_dialog, "Ctrl+S")
        self._action(file_menu, "Open session…", self.open_session_dialog, "Ctrl+O")
        self.recent_menu = file_menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.autosave_action = self._action(file_menu, "Save the session when quitting",
                                            self._toggle_autosave)
        self.autosave_action.setCheckable(True)
        self.autosave_action.setChecked(session_store.autosave_enabled())
        self.offer_action = self._action(file_menu, "Offer the last session at start",
                                         self._toggle_offer)
        self.offer_action.setCheckable(True)
        self.offer_action.setChecked(session_store.offer_restore())
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, "Ctrl+Q")
        self.file_menu = file_menu

        run_menu = bar.addMenu("&Run")
        self.play_action = self._action(run_menu, "Play / pause",
                                        lambda: self._on_current(lambda t: t.play_pause()),
                                        "Space")
        self.step_action = self._action(
            run_menu, "Step", lambda: self._on_current(lambda t: t.step_once()), "S")
        self.reset_action = self._action(
            run_menu, "Reset", lambda: self._on_current(lambda t: t.reset()), "R")

        self.presets_menu = bar.addMenu("&Presets")
        self.lessons = lesson_order(preset_names())
        self.next_lesson_action = self._action(self.presets_menu, "Next lesson",
                                               self.next_lesson, "Ctrl+Right",
                                               "Load the next preset in teaching order")
        self.presets_menu.addSeparator()
        for number, name in enumerate(self.lessons, start=1):
            try:
                title = load_preset(name).title
            except PresetError:
                title = name
            self._action(self.presets_menu, f"{number}. {title}",
                         lambda _c=False, n=name: self.load_preset(n),
                         tip=f"resources/presets/{name}.json")

        view_menu = bar.addMenu("&View")
        self.presentation_action = self._action(view_menu, "Presentation mode",
                                                self.toggle_presentation, "F11",
                                                "Full screen with larger type")
        self.presentation_action.setCheckable(True)
        self.lock_action = self._action(view_menu, "Lock controls (class sees grid and Play)",
                                        self.toggle_lock, "Ctrl+L",
                                        "Hide every control but Play; Ctrl+L again unlocks")
        self.lock_action.setCheckable(True)
        self.view_menu = view_menu

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

    def _on_current(self, act) -> None:
        tab = self.current_tab()
        if tab is not None:
            act(tab)

    def _update_status(self) -> None:
        tab = self.current_tab()
        info = tab.live_status() if tab is not None else {}
        self.step_status.setText(f"step {info.get('step', 0):,}")
        self.rate_status.setText(f"{info.get('steps_per_s', 0.0):,.0f} steps/s")
        self.fps_status.setText(f"{info.get('frames_per_s', 0.0):.0f} frames/s")

    # -- actions ---------------------------------------------------------------------------
    def load_preset(self, name: str) -> bool:
        """Show the Networks tab with preset `name`; a bad name leaves everything as it was."""
        self.tabs.setCurrentWidget(self.networks)
        return self.networks.load_preset(name)

    def next_lesson(self) -> str | None:
        """Load the preset after the current one in teaching order (the first if none); name it."""
        if not self.lessons:
            return None
        current = self.networks.preset_name
        index = self.lessons.index(current) + 1 if current in self.lessons else 0
        name = self.lessons[index % len(self.lessons)]
        return name if self.load_preset(name) else None

    def export_figures(self, folder: str | Path, tab: QtWidgets.QWidget | None = None,
                       every_tab: bool = False) -> list[Path]:
        """Write every figure of `tab` (the current one), or of every tab, into `folder`.

        Each tab is brought to the front while it is rendered, so that its plots are laid
        out at the window's size; the tab that was showing is shown again afterwards.
        """
        keys = self.tab_keys()
        current = self.current_tab()
        if not every_tab:
            tab = tab or current
            keys = {k: w for k, w in keys.items() if w is tab}
        written = []
        app = QtWidgets.QApplication.instance()
        try:
            for key, widget in keys.items():
                self.tabs.setCurrentWidget(widget)
                app.processEvents()
                written.extend(export_tab_figures({key: widget}, folder))
        finally:
            self.tabs.setCurrentWidget(current)
        return written

    def export_figures_dialog(self, every_tab: bool = False) -> None:
        """Ask for a folder and export the current tab's (or every tab's) figures there."""
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Export figures to")
        if not folder:
            return
        try:
            written = self.export_figures(folder, every_tab=every_tab)
        except (OSError, ValueError) as exc:
            QtWidgets.QMessageBox.warning(self, TITLE, f"Export failed: {exc}")
            return
        self.statusBar().showMessage(f"Wrote {len(written)} files to {folder}", 8000)

    # -- data ------------------------------------------------------------------------------
    def import_dataset(self, path: str | Path) -> None:
        """Train the Networks (and Sweep) tab on the user's CSV file.

        Raises
        ------
        DatasetError
            Naming the line and column that is wrong; every tab keeps its current data.
        """
        load_csv(path)  # validate first: a bad file changes nothing
        path = str(Path(path).resolve())
        config = self.networks.config.replace(dataset="csv", csv_path=path)
        if not self.networks.apply_config(config, None):
            raise DatasetError(f"{Path(path).name}: the Networks tab could not use it")
        sweep = self.tab_keys().get("sweep")
        if sweep is not None:
            sweep.use_dataset(path)
        self.statusBar().showMessage(f"Training on {Path(path).name}", 8000)

    def import_dataset_dialog(self) -> None:
        """Ask for a CSV file and import it; a bad file shows why and changes nothing."""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Import dataset", "",
                                                        "CSV (*.csv);;All files (*)")
        if not path:
            return
        try:
            self.import_dataset(path)
        except (DatasetError, OSError, ValueError) as exc:
            QtWidgets.QMessageBox.warning(self, TITLE, f"Could not import the dataset:\n{exc}")

    # -- presentation ----------------------------------------------------------------------
    def all_figures(self) -> list:
        """Return every figure of every tab."""
        figures = []
        for widget in self.tab_widgets():
            figures.extend(widget.figures())
        return figures

    def toggle_presentation(self) -> None:
        """Presentation mode: full screen, larger type, thicker lines, controls tucked away.

        Toggling it twice puts back every font, size and shown widget exactly.
        """
        self._presentation = not self._presentation
        if self._presentation:
            self._presenter.enter(self.all_figures())
            for widget in self.tab_widgets():
                widget.set_controls_visible(False)
            self.showFullScreen()
        else:
            self._presenter.leave()
            for widget in self.tab_widgets():
                widget.set_controls_visible(True)
            self._presenter_restore_visibility()
        self.presentation_action.setChecked(self._presentation)

    def _presenter_restore_visibility(self) -> None:
        # the tabs' own set_controls_visible(True) may show more than was shown before
        self._presenter.restore_visibility()

    def toggle_lock(self) -> None:
        """Lock (or unlock) the controls: the class sees the grid and the Play button only."""
        self.locked = not self.locked
        for widget in self.tab_widgets():
            widget.set_locked(self.locked)
        self.tabs.tabBar().setEnabled(not self.locked)
        for menu in (self.file_menu, self.presets_menu):
            menu.setEnabled(not self.locked)
            for action in menu.actions():
                action.setEnabled(not self.locked)
        for action in self.locked_actions():
            action.setEnabled(not self.locked)
        self.lock_action.setChecked(self.locked)
        self.statusBar().showMessage("Controls locked: Ctrl+L unlocks" if self.locked
                                     else "Controls unlocked", 8000)

    def locked_actions(self) -> list[QtGui.QAction]:
        """Return the window's actions that locking disables (all but Play, lock, presentation)."""
        keep = {self.play_action, self.lock_action, self.presentation_action}
        menus = [self.file_menu, self.presets_menu]
        inside = {a for m in menus for a in m.actions()}
        return [a for a in self.actions() if a not in keep and a not in inside] + \
            [a for a in inside]

    def about_text(self) -> str:
        """Return the About box's text (with every library version)."""
        return about_html(TITLE)

    def show_about(self) -> None:
        """Show the About box."""
        QtWidgets.QMessageBox.about(self, f"About {TITLE}", self.about_text())

    # -- closing ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Autosave if asked to, then call ``shutdown()`` on every tab (once)."""
        if self._closed:
            return
        self._closed = True
        if self.autosave_on_close and session_store.autosave_enabled():
            self.autosave()
        self._status_timer.stop()
        for widget in self.tab_widgets():
            widget.shutdown()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop every tab's work before the window goes."""
        self.shutdown()
        super().closeEvent(event)
