"""`python main.py export`: run what every tab's figures need, offscreen, and write them all."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from cli.arguments import int_at_least, non_empty, writable_dir
from cli.errors import UsageError
from models.config import MAX_STEPS


def register(subparsers) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export", help="render every figure of every tab offscreen (PNG, SVG, CSV)",
        description="Open the lab offscreen (no window is shown), train the Networks grid, run "
        "the default sweep, the Neuron simulations and the Theory computations, then write "
        "every figure of every tab as TAB-NAME.png (2x), .svg and .csv (headers carry units).")
    parser.add_argument("--preset", metavar="NAME", type=non_empty("--preset"),
                        help="Networks tab preset (e.g. high-lr-kills)")
    parser.add_argument("--session", metavar="FILE", type=non_empty("--session"),
                        help="a saved session to export")
    parser.add_argument("--steps", type=int_at_least("--steps", 1, MAX_STEPS),
                        help="training steps for the Networks grid (default: the config's)")
    parser.add_argument("--timeout", type=int_at_least("--timeout", 10, 86_400), default=900,
                        help="seconds to wait for each tab's work (default 900)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.set_defaults(func=run)


def _say(text: str) -> None:
    sys.stderr.write(f"export: {text}\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Build the window offscreen, run each tab's work, export every figure; return 0."""
    from models.presets import PresetError, load_preset
    from models.session_file import SessionError, read_session

    if args.preset:
        try:
            load_preset(args.preset)
        except PresetError as exc:
            raise UsageError(f"--preset: {exc}") from None
    document = None
    if args.session:
        try:
            document = read_session(args.session)
        except SessionError as exc:
            raise UsageError(f"--session: {exc}") from None
    out = writable_dir(args.out)

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gui.app import create_app
    from gui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    try:
        if args.preset and not window.load_preset(args.preset):
            raise UsageError(f"--preset: could not load {args.preset!r}")
        if document is not None:
            try:
                window.apply_session(document)
            except ValueError as exc:
                raise UsageError(f"--session: {exc}") from None
        window.show()
        app.processEvents()
        _run_networks(window, args.steps, args.timeout, app)
        for key in ("sweep", "neuron", "theory"):
            tab = window.tab_keys().get(key)
            if tab is None:
                continue
            _say(f"running the {key} tab")
            start = time.perf_counter()
            tab.run_default()
            if not tab.wait_until_idle(args.timeout):
                raise OSError(f"the {key} tab did not finish within {args.timeout} s")
            _say(f"{key} done in {time.perf_counter() - start:.1f} s")
        app.processEvents()
        written = window.export_figures(out, every_tab=True)
    finally:
        _dispose(window, app)
    print(json.dumps({"out": str(out), "files": len(written),
                      "figures": sorted({p.stem for p in written})}, indent=2))
    return 0


def _dispose(window, app) -> None:
    """Stop the tabs' work and delete the window before Python tears Qt down."""
    from PySide6 import QtCore

    window.shutdown()
    window.close()
    window.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    app.processEvents()


def _run_networks(window, steps: int | None, timeout: float, app) -> None:
    from gui.runner import wait_until

    tab = window.networks
    target = steps or tab.config.steps
    _say(f"training the Networks grid for {target} steps")
    start = time.perf_counter()
    tab.step_once(target)
    if not wait_until(lambda: tab.shown_step >= target, timeout):
        raise OSError(f"the Networks grid did not reach step {target} within {timeout} s")
    tab.draw()
    _say(f"networks done in {time.perf_counter() - start:.1f} s")
