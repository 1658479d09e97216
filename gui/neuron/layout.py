"""The Neuron tab's widgets: the parameter panel and the three sub-tabs of plots."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.field_widgets import field_label, field_widget
from gui.neuron import figures as neuron_figures
from gui.neuron.settings import (
    CUSTOM_PRESET,
    EXTRA_LABELS,
    FIELD_GROUPS,
    FIELD_TIPS,
    SCAN_CHOICES,
    load_presets,
)
from neuro.parameters import FIELDS

__all__ = ["PLACEHOLDER_TITLES", "VIEW_LAYOUT", "build_panel", "build_views"]

# Sub-tabs: (title, caption until parameters are known, rows of plot names). The tab
# rewrites each caption from its parameters and results (`gui.neuron.captions`).
VIEW_LAYOUT = (
    ("Drive", "Sinusoidal drive I0 + I1 sin(2 pi f t); the leak current follows V.",
     (("currents", "voltage"), ("raster", "population_rate"))),
    ("Drive: intervals", "Interspike intervals of the drive run.", (("isi", "cv_curve"),)),
    ("f-I curve", "The LIF's f-I curve against the best-fit Leaky ReLU.",
     (("fi_curve", "alpha_scan"),)),
    ("Frequency response", "A Leaky ReLU is instantaneous: flat gain, no lag.",
     (("response_gain",), ("response_phase",))),
)
PLACEHOLDER_TITLES = {
    "currents": "Input and leak current", "voltage": "Membrane potential and spikes",
    "raster": "Spike raster", "population_rate": "Population rate",
    "fi_curve": "f-I curve", "alpha_scan": "Fitted Leaky ReLU: alpha, gain, threshold",
    "response_gain": "Frequency response: gain", "response_phase": "Frequency response: phase",
    "isi": "Interspike intervals", "cv_curve": "CV of the intervals against mean input",
}


def build_panel(tab) -> QtWidgets.QWidget:
    """Build the left panel of `tab` (presets, Run / Cancel, fit, fields); return it.

    Sets the tab's widget attributes (``preset_box``, ``run_button``, ``edits`` ...) and
    connects them to its slots.
    """
    tab.presets = load_presets()
    tab.preset_box = QtWidgets.QComboBox()
    tab.preset_box.addItem(CUSTOM_PRESET)
    for name, data in tab.presets.items():
        tab.preset_box.addItem(name)
        tab.preset_box.setItemData(tab.preset_box.count() - 1, data["description"],
                                    QtCore.Qt.ItemDataRole.ToolTipRole)
    tab.preset_box.activated.connect(tab._on_preset)
    tab.preset_text = QtWidgets.QLabel("")
    tab.preset_text.setWordWrap(True)
    tab.run_button = QtWidgets.QPushButton("Run")
    tab.cancel_button = QtWidgets.QPushButton("Cancel")
    tab.cancel_button.setEnabled(False)
    tab.run_button.clicked.connect(tab.run)
    tab.cancel_button.clicked.connect(tab.cancel)
    tab.progress_bar = QtWidgets.QProgressBar()
    tab.progress_bar.setRange(0, 1000)
    tab.progress_bar.setValue(0)
    tab.status = QtWidgets.QLabel("ready")
    tab.status.setWordWrap(True)
    tab.fit_label = QtWidgets.QLabel("")
    tab.fit_label.setWordWrap(True)
    tab.fit_label.setTextInteractionFlags(
        QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)

    top = QtWidgets.QWidget()
    top_form = QtWidgets.QFormLayout(top)
    top_form.setContentsMargins(0, 0, 0, 0)
    top_form.addRow("preset", tab.preset_box)
    top_form.addRow(tab.preset_text)
    buttons = QtWidgets.QHBoxLayout()
    buttons.addWidget(tab.run_button)
    buttons.addWidget(tab.cancel_button)
    top_form.addRow(buttons)
    top_form.addRow(tab.progress_bar)
    top_form.addRow(tab.status)
    tab.offset_box = QtWidgets.QCheckBox("fit with output offset")
    tab.offset_box.setObjectName("fit_offset")
    tab.offset_box.setToolTip(
        "off: the 3-parameter fit gain*max(alpha z, z), whose alpha stays 0 because its "
        "leaky side is negative; on: offset + gain*max(alpha z, z), whose alpha grows "
        "with noise")
    tab.offset_box.toggled.connect(tab._on_offset_toggled)
    fit_box = QtWidgets.QGroupBox("Best-fit Leaky ReLU (f-I curve)")
    fit_layout = QtWidgets.QVBoxLayout(fit_box)
    fit_layout.addWidget(tab.offset_box)
    fit_layout.addWidget(tab.fit_label)
    top_form.addRow(fit_box)

    fields_panel = QtWidgets.QWidget()
    fields_layout = QtWidgets.QVBoxLayout(fields_panel)
    fields_layout.setContentsMargins(0, 0, 4, 0)
    tab.edits: dict[str, QtWidgets.QLineEdit] = {}
    tab.errors: dict[str, QtWidgets.QLabel] = {}
    labels = EXTRA_LABELS
    for group_name, names in FIELD_GROUPS:
        group = QtWidgets.QGroupBox(group_name)
        form = QtWidgets.QFormLayout(group)
        form.setFieldGrowthPolicy(
            QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in names:
            spec = FIELDS.get(name)
            if spec is not None:  # a neuron parameter: the command line's declaration
                edit = field_widget(spec)
                text = field_label(spec)
                if name in FIELD_TIPS:
                    edit.setToolTip(f"{FIELD_TIPS[name]}\n\n{edit.toolTip()}")
            else:
                label, unit = labels[name]
                text = f"{label} ({unit})" if unit else label
                edit = QtWidgets.QLineEdit()
                edit.setToolTip(FIELD_TIPS.get(name, ""))
            edit.setObjectName(name)
            # a field widget (line edit, check box) says `edited`; a plain line edit does not
            (edit.edited if spec is not None else edit.editingFinished).connect(tab._on_edited)
            error = QtWidgets.QLabel()
            error.setObjectName(f"{name}_error")
            error.setStyleSheet("color: #e5484d;")
            error.setWordWrap(True)
            error.hide()
            box = QtWidgets.QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(edit)
            box.addWidget(error)
            form.addRow(text, box)
            tab.edits[name], tab.errors[name] = edit, error
        if group_name == "Analyses":
            tab.scan_box = QtWidgets.QComboBox()
            for key, text in SCAN_CHOICES.items():
                tab.scan_box.addItem(text, key)
            tab.scan_box.activated.connect(tab._on_scan_choice)
            form.addRow("alpha scan against", tab.scan_box)
        fields_layout.addWidget(group)
    fields_layout.addStretch(1)
    scroll = QtWidgets.QScrollArea()
    scroll.setWidget(fields_panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    panel = QtWidgets.QWidget()
    panel_layout = QtWidgets.QVBoxLayout(panel)
    panel_layout.setContentsMargins(4, 4, 4, 4)
    panel_layout.addWidget(top)
    panel_layout.addWidget(scroll, 1)
    panel.setMinimumWidth(300)
    panel.setMaximumWidth(420)
    return panel


def build_views(tab) -> QtWidgets.QTabWidget:
    """Build the sub-tabs of plots; set ``tab.plots``, ``tab.graphics``, ``tab.views``."""
    tab.plots = {}
    tab.captions = {}
    tab.views = QtWidgets.QTabWidget()
    tab.views.setObjectName("neuron_views")
    tab.graphics = {}
    for title, caption, grid in VIEW_LAYOUT:
        page = QtWidgets.QWidget()
        page_layout = QtWidgets.QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 4)
        note = QtWidgets.QLabel(caption)
        note.setWordWrap(True)
        note.setObjectName(f"caption_{title}")
        tab.captions[title] = note
        page_layout.addWidget(note)
        graphics = pg.GraphicsLayoutWidget()
        for row, names in enumerate(grid):
            for col, name in enumerate(names):
                item = neuron_figures.add_figure_item(graphics.ci, name, row, col)
                item.setTitle(PLACEHOLDER_TITLES[name])
                tab.plots[name] = item
        page_layout.addWidget(graphics, 1)
        tab.graphics[title] = graphics
        tab.views.addTab(page, title)
    tab.plots["voltage"].setXLink(tab.plots["currents"])
    tab.plots["population_rate"].setXLink(tab.plots["raster"])
    tab.plots["response_phase"].setXLink(tab.plots["response_gain"])
    return tab.views
