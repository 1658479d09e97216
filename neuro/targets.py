"""Choice of Brian2's code-generation target: numpy for interactive runs, cython on request."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass

from neuro.brian_import import import_brian2

TARGETS = ("numpy", "cython")


@dataclass(frozen=True)
class TargetChoice:
    """The target a run will use and why.

    Attributes
    ----------
    target : str
        ``"numpy"`` or ``"cython"``.
    reason : str
        One sentence: why this target (e.g. why a requested cython fell back to numpy).
    """

    target: str
    reason: str


@functools.lru_cache(maxsize=1)
def cython_available() -> tuple[bool, str]:
    """Return whether Brian2 can compile Cython code here, and a reason if not.

    The first call compiles a trivial extension (about a second); the answer is cached.

    Returns
    -------
    tuple of (bool, str)
        ``(True, "")`` or ``(False, reason)``.
    """
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        return False, "no C compiler (cc/gcc) on PATH"
    try:
        import Cython  # noqa: F401
    except ImportError:
        return False, "Cython is not installed"
    try:
        import_brian2()
        from brian2.codegen.runtime.cython_rt import CythonCodeObject

        if CythonCodeObject.is_available():
            return True, ""
    except Exception as exc:  # a broken toolchain must never stop a run
        return False, f"Cython test compilation failed: {exc}"
    return False, "Cython test compilation failed"


def choose_target(requested: str = "numpy") -> TargetChoice:
    """Pick the code-generation target for a run.

    Parameters
    ----------
    requested : {"numpy", "cython", "auto"}
        ``"numpy"`` (and ``"auto"``) runs at once with no compile wait, the right choice
        for interactive runs; ``"cython"`` is faster per step once compiled (the first
        compile takes 10 s or more) and is used only if a compiler works.

    Returns
    -------
    TargetChoice
        The target and the reason; a cython request falls back to numpy with the cause.

    Raises
    ------
    ValueError
        If `requested` is not one of the names above.
    """
    if requested in ("numpy", "auto"):
        return TargetChoice("numpy", "numpy target: no compile wait (interactive runs)")
    if requested != "cython":
        raise ValueError(f"target ({requested!r}) must be one of numpy, cython, auto")
    ok, why = cython_available()
    if ok:
        return TargetChoice("cython", "cython target: compiler available (first run compiles)")
    return TargetChoice("numpy", f"cython unavailable ({why}); fell back to numpy")
