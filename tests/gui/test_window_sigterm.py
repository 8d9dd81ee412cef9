"""SIGTERM and Ctrl-C close the window as its close button does (``gui/stop_signals.py``).

Without a handler a logout or ``kill PID`` ended the window at once: the session the next
start restores (written by its ``closeEvent``) was lost and running tasks were not cancelled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
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
        deadline = time.monotonic() + 30  # up: shown, the library read in its event loop
        read = tmp_path / "lib" / "library.sqlite3"  # (a signal before: no window to close)
        while (not (catches(window.pid, signal.SIGTERM) and read.exists())
               and time.monotonic() < deadline):
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


def test_the_first_signal_closes_in_the_event_loop_and_handlers_come_back(qtbot):
    """In-process: the first signal closes (in the event loop) once, and ``uninstall``
    restores the handlers and the wake-up fd that were there."""
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
        qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
        assert stops.exit_code == 128 + signal.SIGINT
    finally:
        stops.uninstall()
    assert {s: signal.getsignal(s) for s in before} == before
    fd_after = signal.set_wakeup_fd(fd_before)
    assert fd_after == fd_before  # the wake-up fd is put back too
    assert closed == [True]


SLOW_CLOSE = """
import signal, sys, time
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from musicsage.gui.stop_signals import StopSignals

class Task(QThread):
    def run(self):
        time.sleep(60)

app = QApplication([])
task = Task()
task.start()
stops = StopSignals(lambda: (print("closing", flush=True), task.wait(), app.quit()))
stops.install()
print("ready", flush=True)
sys.exit(app.exec())
"""


def test_a_second_signal_ends_a_close_that_waits_in_c():
    """A close that blocks (tasks joined for up to a minute) must not make the window
    unkillable: the second SIGTERM ends the process at once, with status 143."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", SLOW_CLOSE], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGTERM)
        assert child.stdout.readline().strip() == "closing"  # now blocked in time.sleep
        started = time.monotonic()
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=20)
        assert time.monotonic() - started < 15
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signal.SIGTERM
    assert "terminated again: stopped" in child.stderr.read()


def _second_signal(qtbot, monkeypatch, writing: list[bool]) -> list[tuple[int, bool]]:
    """Two SIGTERMs as the reader thread hands them on (no real signal), ``os._exit``
    recorded instead of run: ``(code, writing[0])``."""
    from musicsage.gui import stop_signals

    exits: list[tuple[int, bool]] = []
    monkeypatch.setattr(stop_signals, "_say", lambda _line: None)
    monkeypatch.setattr(stop_signals.os, "_exit", lambda code: exits.append((code, writing[0])))
    closed: list[bool] = []
    stops = stop_signals.StopSignals(lambda: closed.append(True))
    reader = threading.Thread(target=lambda: [stops._on_byte(signal.SIGTERM) for _ in range(2)])
    reader.start()
    try:
        qtbot.waitUntil(lambda: bool(exits) and bool(closed), timeout=30_000)
    finally:
        reader.join(5)
    return exits


def _writer(writing: list[bool], hold) -> threading.Thread:
    """A worker thread in a playlist's in-place write (``signals_deferred``, as
    ``edit.write_in_place``) until ``hold()`` returns."""
    from musicsage.files import signals_deferred

    inside = threading.Event()

    def write() -> None:
        with signals_deferred():
            writing[0] = True
            inside.set()
            hold()
            writing[0] = False

    worker = threading.Thread(target=write)
    worker.start()
    assert inside.wait(5)
    return worker


def test_the_second_signal_waits_for_a_playlist_write_on_a_worker_thread(qtbot, monkeypatch):
    """``os._exit`` between an in-place write and its cut left half a playlist: the exit
    waits until the write is whole. The writer stays in for 0.3 s: an exit that did not
    wait comes while it writes."""
    writing = [False]
    worker = _writer(writing, lambda: time.sleep(0.3))
    try:
        exits = _second_signal(qtbot, monkeypatch, writing)
    finally:
        worker.join(5)
    assert exits == [(128 + signal.SIGTERM, False)], "exited while the playlist was half written"


def test_the_second_signal_exits_at_once_without_a_write_and_after_a_hung_one(qtbot,
                                                                             monkeypatch):
    from musicsage.gui import stop_signals

    writing = [False]
    monkeypatch.setattr(stop_signals, "WRITE_WAIT_S", 60.0)  # a wait for no write would show
    started = time.monotonic()
    assert _second_signal(qtbot, monkeypatch, writing) == [(128 + signal.SIGTERM, False)]
    assert time.monotonic() - started < 30  # nothing to wait for: no WRITE_WAIT_S

    monkeypatch.setattr(stop_signals, "WRITE_WAIT_S", 0.05)
    release = threading.Event()
    worker = _writer(writing, lambda: release.wait(5))
    try:
        exits = _second_signal(qtbot, monkeypatch, writing)
    finally:
        release.set()
        worker.join(5)
    assert exits == [(128 + signal.SIGTERM, True)], "a hung write must not keep the window up"
