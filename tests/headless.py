"""Run ``main.py`` in a fresh interpreter where PySide6 and pyqtgraph cannot be imported.

The command line never needs Qt (DESIGN.md): every end-to-end command test runs this way,
so each one also proves its command, figures included, works on a machine without Qt.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_QT = "import sys; sys.modules['PySide6'] = None; sys.modules['pyqtgraph'] = None; "

__all__ = ["NO_QT", "ROOT", "main_without_qt", "run_without_qt"]


def main_without_qt(args, umask: int | None = None) -> list[str]:
    """Return the argv of ``python -c ...`` running ``main.main(args)`` with Qt unimportable.

    Parameters
    ----------
    args : sequence of str
        The command line after ``main.py``.
    umask : int, optional
        File-mode mask set before `main` runs.
    """
    set_umask = f"import os; os.umask({umask}); " if umask is not None else ""
    code = NO_QT + set_umask + f"import main; sys.exit(main.main({[str(a) for a in args]!r}))"
    return [sys.executable, "-c", code]


def run_without_qt(*args, timeout: float = 600, umask: int | None = None,
                   ) -> subprocess.CompletedProcess:
    """Run ``main.py ARGS`` with Qt unimportable, in the project folder; capture its output.

    Parameters
    ----------
    *args : str
        The command line after ``main.py``.
    timeout : float
        Seconds before `subprocess.TimeoutExpired` (a hung command fails its test).
    umask : int, optional
        File-mode mask set before `main` runs.

    Returns
    -------
    subprocess.CompletedProcess
        Exit status, standard output and standard error (text).
    """
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run(main_without_qt(args, umask), capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)
