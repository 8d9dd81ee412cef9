"""Ctrl-C (or SIGTERM) while a second launch waits for the library's window to answer. The
launch waited in Qt (``waitForReadyRead``) for the whole rest of the 15 s in one call, deaf
to signals: after "waiting up to 15 s in all for its window to answer…" a Ctrl-C did
nothing for up to 13 s, then the launch ended. Now it ends at once, in its one line."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from musicsage.gui.single_instance import LOCK_NAME, instance_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_the_wait_for_a_silent_window_at_once(tmp_path, monkeypatch, sig):
    runtime, data = tmp_path / "r", tmp_path / "lib"
    runtime.mkdir(mode=0o700)
    data.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    socket_file = instance_paths(data).socket
    assert socket_file is not None and socket_file.parent == runtime
    # a window that holds the library and takes connections but never answers (busy)
    lock = os.open(data / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    silent = socket.socket(socket.AF_UNIX)
    silent.bind(str(socket_file))
    silent.listen(4)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(runtime),
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path / "home"))
    launch = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
                              env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              stdout=subprocess.DEVNULL)
    try:
        first = launch.stderr.readline()
        assert "waiting up to 15 s" in first, first
        sent = time.monotonic()
        launch.send_signal(sig)
        code = launch.wait(timeout=30)
        took = time.monotonic() - sent
        rest = launch.stderr.read()
    finally:
        if launch.poll() is None:
            launch.kill()
        silent.close()
        os.close(lock)
    assert code == 128 + sig, (code, rest)
    assert took < 3.0, f"the launch went on {took:.1f} s after the signal"
    assert len(rest.strip().splitlines()) == 1 and "Traceback" not in rest, rest
