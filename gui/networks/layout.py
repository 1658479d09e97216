"""The Networks tab's widgets: settings panel, transport and intervention bar, story, grid."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.networks.controls import ControlsPanel
from gui.networks.detail import DetailView
from gui.networks.grid import GridView
from gui.networks.why import build_detail_area

__all__ = ["INTRO", "LAPSE", "PACES", "STEP_SIZES", "build_ui"]

# The pace slider's stops: a time-lapse (1 step/s at first, faster as the run goes on),
# training steps per second, and full speed (None).
LAPSE = "time-lapse"
PACES: tuple = (LAPSE, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
STEP_SIZES = (1, 10, 100)

INTRO = ("Every cell is the same network (same data, same minibatches, same initial weights) "
         "trained with the activation of its row and the learning rate of its column. Its "
         "heatmap shows each hidden unit's activity, the fraction of data points on which "
         "it is switched on (z > 0): layers are rows (input side on top), units are columns. "
         "A unit in magenta is dead: it is off on every data point, so it gets no gradient "
         "and its own weights stop moving. A dead first-layer unit sees the fixed data and "
         "can never come back; a deeper one can revive when the layers below it change. A "
         "dark red unit is dormant, not dead: off on every point, but its slope (Leaky "
         "ReLU's alpha) still passes a gradient. A pale pink unit is saturated: on, but "
         "with a flat slope (tanh or sigmoid far from 0, ReLU6 above 6), so it gets "
         "almost no gradient. Press Play, hover over a unit for its story, click a cell for its "
         "history below.")


class _CollapsedWhenEmpty(QtWidgets.QLabel):
    """A label that takes no height while it has no text (the events line under the story)."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Show `text`; an empty text collapses the label to no height."""
        super().setText(text)
        self.setMaximumHeight(16_777_215 if text else 0)


class _WholeLines(QtWidgets.QScrollArea):
    """A scroll area about `room` pixels tall that shows whole lines of its label's text.

    Its height follows the text's size (presentation mode scales it), so no line is cut.
    """

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def fit_lines(self) -> None:
        """Set the height to the whole number of lines that fits `room` (at least two)."""
        label = self.widget()
        spacing = (label or self).fontMetrics().lineSpacing()
        lines = max(2, self.room // max(spacing, 1))
        self.setMaximumHeight(lines * spacing + 2)

    def event(self, event) -> bool:  # noqa: D102 - Qt's
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange,
                            QtCore.QEvent.Type.Polish):
            self.fit_lines()
        return super().event(event)


def build_ui(tab) -> None:
    """Build `tab`'s widgets, set them as its attributes and connect them to its slots."""
    tab.controls = ControlsPanel()
    tab.controls.edited.connect(tab._on_controls_edited)
    scroll = tab.controls_scroll = QtWidgets.QScrollArea()
    scroll.setWidget(tab.controls)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(210)
    scroll.setMaximumWidth(340)

    style = tab.style()
    tab._icons = {
        "play": style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaPlay),
        "pause": style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaPause)}
    tab.settings_button = QtWidgets.QToolButton()
    tab.settings_button.setText("Settings")
    tab.settings_button.setCheckable(True)
    tab.settings_button.setChecked(True)
    tab.settings_button.setToolTip("Show or hide the settings panel")
    tab.settings_button.toggled.connect(tab.set_settings_open)
    tab.play_button = QtWidgets.QPushButton(tab._icons["play"], "Play")
    tab.play_button.setToolTip("Play / pause training (Space)")
    tab.play_button.setCheckable(True)
    tab.play_button.clicked.connect(lambda checked: tab.play() if checked else tab.pause())
    tab.step_button = QtWidgets.QPushButton(
        style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSeekForward), "Step")
    tab.step_button.setToolTip("Pause and take the chosen number of training steps (S)")
    tab.step_button.clicked.connect(lambda: tab.step_once())
    tab.step_size = QtWidgets.QComboBox()
    for n in STEP_SIZES:
        tab.step_size.addItem(f"× {n}", n)
    tab.step_size.setCurrentIndex(STEP_SIZES.index(1))
    tab.step_size.setToolTip("How many training steps Step takes")
    tab.reset_button = QtWidgets.QPushButton(
        style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload), "Reset")
    tab.reset_button.setToolTip("Rebuild every network from its initial weights (R)")
    tab.reset_button.clicked.connect(tab.reset)
    tab.pace_label = QtWidgets.QLabel("pace")
    tab.pace_label.setContentsMargins(4, 0, 0, 0)
    tab.pace = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
    tab.pace.setRange(0, len(PACES) - 1)
    tab.pace.setPageStep(1)
    tab.pace.setFixedWidth(96)
    tab.pace.setToolTip("Training steps per second, from slow motion to full speed (+ / -)")
    tab.pace_value = QtWidgets.QLabel()
    tab.pace_value.setMinimumWidth(60)
    tab.pace.valueChanged.connect(tab._on_pace_slider)
    tab.auto_pause = QtWidgets.QCheckBox("pause at events")
    tab.auto_pause.setToolTip("Pause when a scheduled kick, switch or outlier happens, so "
                              "you can talk over it; Play goes on")
    tab.auto_pause.toggled.connect(tab.set_auto_pause)
    tab.scope = QtWidgets.QComboBox()
    tab.scope.addItems(["all cells", "selected cell"])
    tab.scope.setToolTip("Which networks the kick and the outlier act on")
    tab.kick_button = QtWidgets.QPushButton("Kick dead units")
    tab.kick_button.setToolTip("Thermal kick: add a large random perturbation to the incoming "
                               "weights and bias of every dead unit")
    tab.kick_button.clicked.connect(lambda: tab.thermal_kick())
    tab.switch_button = QtWidgets.QPushButton("Selected → Leaky ReLU")
    tab.switch_button.setToolTip("Keep the selected network's weights, change its "
                                  "activation to Leaky ReLU")
    tab.switch_button.clicked.connect(lambda: tab.switch_selected())
    tab.outlier_button = QtWidgets.QPushButton("Outlier batch")
    tab.outlier_button.setToolTip("The next training step sees one huge abnormal input")
    tab.outlier_button.clicked.connect(lambda: tab.inject_outlier())
    bar = QtWidgets.QHBoxLayout()
    bar.setSpacing(6)
    for widget in (tab.settings_button, tab.play_button, tab.step_button, tab.step_size,
                   tab.reset_button):
        bar.addWidget(widget)
    bar.addSpacing(10)
    for widget in (tab.pace_label, tab.pace, tab.pace_value):
        bar.addWidget(widget)
    bar.addStretch(1)
    tab.step_label = QtWidgets.QLabel("step 0")
    tab.step_label.setObjectName("stepLabel")
    bar2 = QtWidgets.QHBoxLayout()
    bar2.setSpacing(6)
    tab.scope_label = QtWidgets.QLabel("on")
    bar2.addWidget(tab.scope_label)
    bar2.addWidget(tab.scope)
    for widget in (tab.kick_button, tab.outlier_button, tab.switch_button):
        bar2.addWidget(widget)
    bar2.addSpacing(10)
    bar2.addWidget(tab.auto_pause)
    bar2.addStretch(1)
    bar2.addWidget(tab.step_label)

    tab.explanation_title = QtWidgets.QLabel()
    tab.explanation_title.setObjectName("presetTitle")
    tab.explanation = QtWidgets.QLabel()
    tab.explanation.setWordWrap(True)
    tab.explanation.setObjectName("explanation")
    tab.explanation.setTextInteractionFlags(
        QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    tab.notice = QtWidgets.QLabel()
    tab.notice.setWordWrap(True)
    tab.notice.setStyleSheet(f"color: {theme.ERROR_HEX}; font-weight: bold;")
    tab.notice.setVisible(False)
    tab.events = _CollapsedWhenEmpty()
    tab.events.setObjectName("events")
    tab.events.setWordWrap(True)
    tab.events.setStyleSheet(f"color: {theme.SELECTED_HEX};")
    tab.events.setText("")
    story = QtWidgets.QFrame()
    story.setObjectName("story")
    story_layout = QtWidgets.QVBoxLayout(story)
    story_layout.setContentsMargins(10, 6, 10, 6)
    story_layout.setSpacing(2)
    story_layout.addWidget(tab.explanation_title)
    tab.explanation_scroll = _WholeLines(68)  # 4 lines (3 presenting); the rest scrolls
    tab.explanation_scroll.setWidget(tab.explanation)
    tab.explanation_scroll.setWidgetResizable(True)
    tab.explanation_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    tab.explanation_scroll.setHorizontalScrollBarPolicy(
        QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tab.explanation_scroll.fit_lines()
    tab.explanation_scroll.setMinimumHeight(36)
    story_layout.addWidget(tab.explanation_scroll)
    story_layout.addWidget(tab.notice)
    story_layout.addWidget(tab.events)

    tab.grid = GridView()
    tab.grid.cell_clicked.connect(tab.select)
    tab.grid.hovered.connect(tab._on_hover)
    tab.detail = DetailView()
    tab.timeline = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
    tab.timeline.setRange(0, 0)
    tab.timeline.setToolTip("Replay: drag to any recorded step; release to go on live")
    tab.timeline.sliderPressed.connect(tab._on_timeline_pressed)
    tab.timeline.valueChanged.connect(tab._on_timeline_moved)
    tab.timeline.sliderReleased.connect(tab._on_timeline_released)
    tab.timeline_label = QtWidgets.QLabel("live")
    tab.timeline_label.setMinimumWidth(110)
    top = QtWidgets.QWidget()
    top_layout = QtWidgets.QVBoxLayout(top)
    top_layout.setContentsMargins(0, 0, 0, 0)
    top_layout.setSpacing(2)
    top_layout.addWidget(tab.grid, 1)
    line = QtWidgets.QHBoxLayout()
    line.addWidget(QtWidgets.QLabel("replay"))
    line.addWidget(tab.timeline, 1)
    line.addWidget(tab.timeline_label)
    top_layout.addLayout(line)
    splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(build_detail_area(tab))  # History | Why units die
    splitter.setStretchFactor(0, 2)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)

    right = QtWidgets.QVBoxLayout()
    right.setContentsMargins(0, 0, 0, 0)
    right.addLayout(bar)
    right.addLayout(bar2)
    right.addWidget(story)
    right.addWidget(splitter, 1)
    layout = QtWidgets.QHBoxLayout(tab)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(scroll)
    layout.addLayout(right, 1)
