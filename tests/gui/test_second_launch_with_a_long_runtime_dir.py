"""A second launch on a library whose window runs under a long ``$XDG_RUNTIME_DIR`` brings it
forward.

A Unix socket's path is at most 107 bytes: under a long runtime dir (a sandbox's, one under a
deep home folder) the window listened on nothing, and a second launch on the same library
said it was "already open in another session; close it first" (exit 1) — in the same
session, the window not brought forward. Real processes, offscreen Qt.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def long_runtime_dir(tmp_path: Path) -> Path:
    """A private runtime dir whose socket paths are far past what the kernel binds."""
    run = tmp_path / ("r" * 60) / ("u" * 60)
    run.mkdir(parents=True)
    run.chmod(0o700)
    return run


def launch(data: Path) -> list[str]:
    return [sys.executable, "-m", "musicsage", "--data-dir", str(data)]


def test_the_window_is_brought_forward_though_its_runtime_dir_is_long(tmp_path):
    run = long_runtime_dir(tmp_path)
    assert len(os.fsencode(run / "musicsage-0123456789abcdef.sock")) > 108
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(run), XDG_CONFIG_HOME=str(tmp_path / "config"))
    data = tmp_path / "library"
    lock = data / "library.sqlite3.window-lock"
    first = subprocess.Popen(launch(data), cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the window never claimed its library"
            time.sleep(0.1)
        again = subprocess.run(launch(data), cwd=REPO, env=env, capture_output=True,
                               text=True, timeout=90)
        assert again.returncode == 0, again.stderr
        assert f"already open (process {first.pid}); brought its window" in again.stdout
        assert "another session" not in again.stderr
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGTERM)  # closed as its close button does: socket removed
        _out, err = first.communicate(timeout=60)
    assert "Name error" not in err and "cannot reach this window" not in err, err


def test_a_short_runtime_dir_keeps_the_socket(tmp_path):
    """The short folder is only for paths too long: a usual runtime dir keeps its socket."""
    from musicsage.gui.instance_socket import fits, socket_path

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    assert socket_path(run, "musicsage-0123456789abcdef.sock") == (
        run / "musicsage-0123456789abcdef.sock")
    moved = socket_path(long_runtime_dir(tmp_path), "musicsage-0123456789abcdef.sock")
    assert moved is not None and fits(moved) and moved.parent.stat().st_mode & 0o077 == 0
