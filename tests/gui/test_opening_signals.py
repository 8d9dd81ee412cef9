"""Ctrl-C or SIGTERM while the window starts, before it is there to close, ends the start-up
at once in one line with 130 or 143, as once the window is up — not killed without a word
(SIGTERM), nor a ``KeyboardInterrupt`` traceback (Ctrl-C), nor a Ctrl-C lost inside Qt and the
window opening anyway — and the library is left as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from signal_helpers import WORDS, signal_while_starting

ROOT = Path(__file__).resolve().parents[2]

SLOW_START = """
import sys, time
import musicsage.display
import musicsage.gui.app as gui_app

def slow(*_args, **_kwargs):
    print("{stage}", flush=True)
    for _ in range(600):  # short sleeps: a signal landing just before a single long sleep
        time.sleep(0.1)   # began was only handled when it ended (60 s later)

if "{stage}" == "checking":  # before Qt is imported: is there a display?
    musicsage.display.display_problem = slow
else:  # the library is claimed, the window being built
    gui_app._build_window = slow
sys.exit(gui_app.launch(sys.argv[1:]))
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("stage", ["checking", "building"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_before_the_window_ends_the_start_up_in_one_line(tmp_path, library, stage,
                                                                 sig):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(run),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    before = _digest(library.db_path)
    child = subprocess.Popen([sys.executable, "-c", SLOW_START.format(stage=stage),
                              "--data-dir", str(library.data_dir)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = signal_while_starting(child, stage, sig, waited_for="the slow start-up")
    word = WORDS[sig]
    assert (child.returncode, err) == (128 + sig, f"musicsage: {word}: stopped before the "
                                                  "window opened\n")
    assert _digest(library.db_path) == before


SHOWN = """
import sys, time
import musicsage.gui.app as gui_app

run = gui_app.run_until_closed

def late(app, window, stops=None):  # shown, its event loop not yet running: the signal now
    print("shown", window.isVisible(), flush=True)
    for _ in range(1200):
        if stops.signum is not None:
            break
        time.sleep(0.05)
    return run(app, window, stops)

gui_app.run_until_closed = late
sys.exit(gui_app.launch(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_once_the_window_is_shown_closes_it_and_saves_the_session(tmp_path, library,
                                                                        sig):
    """Between ``window.show()`` and the event loop, a signal said "stopped before the window
    opened" (the window on screen) and ended the process without the close that saves the
    session; now it closes the window as its close button does."""
    run, config = tmp_path / "run", tmp_path / "config"
    run.mkdir(mode=0o700)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(run),
               XDG_CONFIG_HOME=str(config))
    child = subprocess.Popen([sys.executable, "-c", SHOWN, "--data-dir", str(library.data_dir)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().split() == ["shown", "True"], child.communicate()
        child.send_signal(sig)
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    word = WORDS[sig]
    assert child.returncode == 128 + sig, err[-2000:]
    assert f"musicsage: {word}: closing the window" in err, err[-2000:]
    assert "before the window opened" not in err
    assert list(config.rglob("*.conf")), "the session was not saved"
