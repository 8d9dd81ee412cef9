"""Ctrl-C or SIGTERM in the first moments of ``python main.py`` — while ``musicsage.gui.app``
is still being imported, before :func:`~musicsage.gui.app.launch` sets its handlers — ends
the start-up in the same one line as later (exit 130, 143): Ctrl-C gave Python's
``KeyboardInterrupt`` traceback there, SIGTERM ended it without a word. (The interpreter's own
start-up, before main.py's first line runs, is beyond any code of ours.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SLOW_IMPORT = """
import importlib.abc, runpy, sys, time

class SlowImport(importlib.abc.MetaPathFinder):
    # the window's module on a slow disk: the signal comes while it is being imported
    def find_spec(self, name, path=None, target=None):
        if name == "{module}":
            print("importing", flush=True)
            time.sleep(60)
        return None

sys.meta_path.insert(0, SlowImport())
sys.argv = ["{script}", *sys.argv[1:]]
{run}
"""

WINDOW = "stopped before the window opened"
RUN_MODULE = 'runpy.run_module("musicsage", run_name="__main__", alter_sys=True)'
FRONT_DOORS = {  # how it is started, the import the signal lands in, what it says
    "main.py": ("musicsage.gui.app", 'runpy.run_path("main.py", run_name="__main__")', WINDOW),
    "-m musicsage, its command line": ("musicsage.cli", RUN_MODULE, "stopped while starting"),
    "-m musicsage, its window": ("musicsage.gui.app", RUN_MODULE, "stopped while starting"),
}


@pytest.mark.parametrize("door", sorted(FRONT_DOORS))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_main_imports_the_window_ends_in_one_line(tmp_path, library, sig,
                                                                door):
    module, run, line = FRONT_DOORS[door]
    code = SLOW_IMPORT.format(module=module, script=door, run=run)
    before = library.db_path.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"))
    child = subprocess.Popen([sys.executable, "-c", code, "--data-dir", str(library.data_dir)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "importing", child.communicate()
        child.send_signal(sig)
        started = time.monotonic()
        _out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert time.monotonic() - started < 15, "not at once: it waited for the import"
    word = "terminated" if sig == signal.SIGTERM else "interrupted"
    assert "Traceback" not in err
    assert (child.returncode, err) == (128 + sig, f"musicsage: {word}: {line}\n")
    assert library.db_path.read_bytes() == before, "the library was touched"


def test_a_command_gets_pythons_handlers_back():
    """The early handlers are gone once a command runs (``python -m musicsage stats``): its
    Ctrl-C is the command's own, which says what it kept (:mod:`musicsage.cli`)."""
    probe = ("import runpy, signal, sys, musicsage.cli as cli\n"
             "cli.main = lambda: print(signal.getsignal(signal.SIGINT) is signal."
             "default_int_handler, signal.getsignal(signal.SIGTERM) == signal.SIG_DFL) or 0\n"
             f"sys.argv = ['musicsage', 'stats']\n{RUN_MODULE}")
    seen = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert seen.stdout.split() == ["True", "True"], seen.stderr
