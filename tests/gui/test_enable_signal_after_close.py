"""Ctrl-C after the window has closed, while ``main.py`` releases the library and ends: the
start-up's handler was back by then, so it printed "stopped before the window opened" (untrue)
and ended the process at once, the library never released. Now it says the window is closed
and the process ends as it was ending — released — with the signal's status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, runpy, signal, sys, time
import musicsage.gui.app as gapp

sent = []

class Claim:  # the library's claim (one window per library): says when it is released
    class activated:
        connect = staticmethod(lambda _fn: None)

    def release(self):
        print("released" + (" after the signal" if sent else ""), flush=True)

    def attach(self, _app):  # follows the library shown: nothing to follow here
        pass

gapp._claim_library = lambda ctx, argv, **_kw: Claim()
real = gapp.run_until_closed

def run_until_closed(app, window, stops=None):
    from PySide6.QtCore import QTimer
    QTimer.singleShot(200, window.close)  # the user closes the window
    code = real(app, window, stops)
    sent.append(True)
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the process ends
    time.sleep(1.0)  # its handlers run meanwhile
    return code

gapp.run_until_closed = run_until_closed
sys.argv = ["main.py", "--data-dir", sys.argv[1], "--size", "800x600"]
runpy.run_path("main.py", run_name="__main__")
"""


def test_ctrl_c_after_the_window_closed_lets_the_library_go(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"))
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "lib")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    err = done.stderr
    assert "before the window opened" not in err, err[-2000:]
    assert "musicsage: interrupted: the window is closed, ending" in err, err[-2000:]
    assert "released after the signal" in done.stdout.splitlines(), (done.stdout, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    assert done.returncode == 128 + signal.SIGINT
