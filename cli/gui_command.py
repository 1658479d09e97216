"""`python main.py gui`: open the lab window (optionally on a preset, playing, for a while)."""

from __future__ import annotations

import argparse

from cli.arguments import bounded_float, non_empty
from cli.errors import UsageError

WHY_PAGES = ("drift", "updates", "plateau")  # the Networks tab's "Why units die" pages
MAX_QUIT_AFTER = 1_000_000.0  # seconds; a Qt timer holds at most 2^31 ms (about 24 days)
# --tab NAME: the tab to open on; a Neuron sub-tab is named after the tab (neuron = Drive).
TABS = {"networks": ("networks", None), "sweep": ("sweep", None), "neuron": ("neuron", 0),
        "neuron-intervals": ("neuron", 1), "neuron-fi": ("neuron", 2),
        "neuron-response": ("neuron", 3), "theory": ("theory", None)}


def register(subparsers) -> None:
    """Add the ``gui`` subcommand."""
    parser = subparsers.add_parser(
        "gui", help="open the lab window (the default command)",
        description="Open ReLU Lab. Presets live in resources/presets/NAME.json.")
    parser.add_argument("--preset", metavar="NAME", type=non_empty("--preset"),
                        help="open the Networks tab on this preset (e.g. high-lr-kills)")
    parser.add_argument("--session", metavar="FILE", type=non_empty("--session"),
                        help="open a saved session (File > Save session writes one)")
    parser.add_argument("--play", action="store_true", help="start training at once")
    parser.add_argument("--present", action="store_true", help="open in presentation mode")
    parser.add_argument("--tab", choices=tuple(TABS), default="networks",
                        help="open on this tab (neuron-intervals, neuron-fi and "
                             "neuron-response: the Neuron tab's other views; default: "
                             "%(default)s)")
    parser.add_argument("--cell", metavar="ACT@LR",
                        help="select this cell of the Networks grid for the detail (relu@6)")
    parser.add_argument("--unit", metavar="LLAYER:UNIT",
                        help="select this unit of the selected cell for the plateau, layer and "
                        "unit numbered from 1 (L2:17)")
    parser.add_argument("--why", metavar="PAGE", choices=WHY_PAGES,
                        help="open the detail on \"Why units die\", on this page: "
                        + ", ".join(WHY_PAGES))
    parser.add_argument("--quit-after", metavar="SECONDS",
                        type=bounded_float("--quit-after", 0.0, MAX_QUIT_AFTER),
                        help="close the window cleanly after this many seconds")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Open the window and run the event loop; return the exit status.

    Raises
    ------
    UsageError
        For an unknown or malformed preset (before any window opens).
    """
    from models.presets import PresetError, load_preset

    preset = getattr(args, "preset", None)
    if preset is not None:
        try:
            load_preset(preset)
        except PresetError as exc:
            raise UsageError(f"--preset: {exc}") from None

    session = getattr(args, "session", None)
    document = None
    if session is not None:
        from models.session_file import SessionError, read_session

        try:
            document = read_session(session)
        except SessionError as exc:
            raise UsageError(f"--session: {exc}") from None

    _require_display()

    from PySide6 import QtCore

    from gui.app import create_app
    from gui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    window.autosave_on_close = True
    if preset is not None and not window.load_preset(preset):
        window.shutdown()
        raise UsageError(f"--preset: could not load {preset!r}")
    if document is not None:
        try:
            window.apply_session(document)
        except ValueError as exc:
            window.shutdown()
            raise UsageError(f"--session: {exc}") from None
    elif preset is None:
        window.offer_autosaved_session()
    _open_tab(window, getattr(args, "tab", "networks"))
    try:
        _select(window.networks, args)
    except UsageError:
        window.shutdown()
        raise
    window.show()
    if getattr(args, "present", False):
        window.toggle_presentation()
    if getattr(args, "play", False):
        window.networks.play()
    quit_after = getattr(args, "quit_after", None)
    if quit_after is not None:
        QtCore.QTimer.singleShot(int(quit_after * 1000), window.close)
    app.setQuitOnLastWindowClosed(True)
    received = _close_on_signals(window)
    _say_ready()
    status = app.exec()
    window.shutdown()
    return 128 + received[0] if received else int(status)


def _open_tab(window, name: str) -> None:
    """Bring the tab named `name` (a key of `TABS`) to the front, and its sub-tab if any."""
    key, view = TABS[name]
    tab = window.tab_keys().get(key)
    if tab is None:
        return
    window.tabs.setCurrentWidget(tab)
    if view is not None and hasattr(tab, "views"):
        tab.views.setCurrentIndex(view)


def _select(tab, args: argparse.Namespace) -> None:
    """Apply --cell, --unit and --why to the Networks tab (UsageError on a bad one)."""
    from cli.diagnose_command import parse_cell, parse_unit

    cell_text = getattr(args, "cell", None)
    unit_text = getattr(args, "unit", None)
    page = getattr(args, "why", None)
    if cell_text is not None:
        tab.select(parse_cell(cell_text, list(tab.experiment.labels)))
    if unit_text is not None:
        layer, unit = parse_unit(unit_text, tab.config.depth, tab.config.width)
        tab.why.select_unit(tab.selected, layer, unit)
    if page is not None:
        tab.detail_area.set_view("why")
        tab.why.set_page(page)


def _close_on_signals(window) -> list[int]:
    """Make Ctrl-C and SIGTERM close the window as File > Quit does (the autosave included).

    Python runs a signal handler only when the interpreter gets control; a light timer gives
    it that chance while Qt waits for events. Returns the list the received signal goes into.
    """
    import signal

    from PySide6 import QtCore

    received: list[int] = []

    def handler(signum, frame) -> None:
        if not received:
            received.append(int(signum))
            QtCore.QTimer.singleShot(0, window.close)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    wake = QtCore.QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(100)
    return received


def _say_ready() -> None:
    """Touch ``$RELU_LAB_READY_FILE`` once the window is up (for supervisors and tests)."""
    import os
    from pathlib import Path

    path = os.environ.get("RELU_LAB_READY_FILE")
    if path:
        Path(path).write_text("ready\n", encoding="utf-8")


def _require_display() -> None:
    """Refuse clearly, before Qt aborts the process, when there is no screen to open on."""
    import os
    import sys

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform or sys.platform != "linux":
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UsageError("no display to open the window on (DISPLAY is not set); run it on a "
                         "desktop, or use the headless subcommands (see --help)")
