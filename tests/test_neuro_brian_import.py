"""Brian2 is imported without pylab (matplotlib.pyplot), and pylab stays importable after."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys, threading
from neuro.brian_import import import_brian2

where = sys.argv[1]
if where == "main":
    brian2 = import_brian2()
else:  # as a GUI worker thread does
    box = []
    thread = threading.Thread(target=lambda: box.append(import_brian2()))
    thread.start()
    thread.join()
    brian2 = box[0]
state = {"pyplot": "matplotlib.pyplot" in sys.modules, "pylab_entry": "pylab" in sys.modules,
         "api": all(hasattr(brian2, n) for n in ("NeuronGroup", "Network", "SpikeMonitor"))}
import pylab  # a user's own script can still use it
state["pylab_after"] = pylab.__name__
print(json.dumps(state))
"""


@pytest.mark.slow  # two fresh interpreters import Brian2
def test_brian2_imports_without_pyplot_from_either_thread():
    for where in ("main", "worker"):
        done = subprocess.run([sys.executable, "-c", SCRIPT, where], cwd=ROOT,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        state = json.loads(done.stdout.strip().splitlines()[-1])
        assert state == {"pyplot": False, "pylab_entry": False, "api": True,
                         "pylab_after": "pylab"}, (where, state)
