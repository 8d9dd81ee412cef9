"""SIGTERM and Ctrl-C close the window as its close button does (``gui/stop_signals.py``).

Without a handler a logout or ``kill PID`` ended the window at once: the session the next
start restores (written by its ``closeEvent``) was lost and running tasks were not cancelled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def catches(pid: int, sig: int) -> bool:
    """Whether process ``pid`` has a handler for ``sig`` (Linux: SigCgt in its status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_sigterm_closes_the_window_and_saves_the_session(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_RUNTIME_DIR=str(run))
    window = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir",
                               str(tmp_path / "lib"), "--size", "900x700"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30  # up: shown, its handler set just before the loop
        while not catches(window.pid, signal.SIGTERM) and time.monotonic() < deadline:
            assert window.poll() is None, window.communicate()
            time.sleep(0.05)
        window.send_signal(signal.SIGTERM)
        _out, err = window.communicate(timeout=30)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
    assert window.returncode == 128 + signal.SIGTERM, (window.returncode, err[-2000:])
    assert "terminated: closing the window" in err and "Traceback" not in err, err[-2000:]
    (conf,) = (tmp_path / "config").rglob("musicsage.conf")
    saved = conf.read_text()
    assert "geometry=" in saved and "state=" in saved, saved  # what closeEvent writes
    # (the session's track and playlist only once the library was read: save_session)


def test_a_second_signal_is_left_to_the_system_and_handlers_come_back(qtbot):
    """In-process: the first signal closes (in the event loop), puts the default action back
    for the second, and ``uninstall`` restores what was there."""
    from musicsage.gui.stop_signals import StopSignals

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    fd_before = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(fd_before)
    closed = []
    stops = StopSignals(lambda: closed.append(True))
    assert stops.install()
    try:
        assert signal.getsignal(signal.SIGINT) == stops._on_signal
        signal.raise_signal(signal.SIGINT)
        qtbot.waitUntil(lambda: bool(closed), timeout=5000)
        assert stops.exit_code == 128 + signal.SIGINT
        assert signal.getsignal(signal.SIGINT) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        stops.uninstall()
    assert {s: signal.getsignal(s) for s in before} == before
    fd_after = signal.set_wakeup_fd(fd_before)
    assert fd_after == fd_before  # the wake-up fd is put back too
    assert closed == [True]
