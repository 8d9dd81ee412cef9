"""A second launch whose library's window does not answer says that it waits.

A window stopped with Ctrl-Z in its terminal (or busy) holds its library but cannot answer:
a second launch sat silent for the whole 15 s of its wait, then said "does not answer". It
now says after a moment that the library is open and that it waits for the window, how long
at most; a window that answers at once still gives one line alone, and one that hangs up at
once is tried again without the waiting line. A stopped window is told at once how to resume
it — the process the kernel names as the lock's holder, never a pid left in the lock file.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from musicsage.gui import single_instance
from musicsage.gui.single_instance import (LOCK_NAME, SingleInstance, bring_forward,
                                           claim_library, instance_paths)

REPO = Path(__file__).resolve().parents[2]
DEADLINE_S = 10.0
"""How long a test waits for a window process to start or stop, at most."""


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def library(tmp_path) -> Path:
    library = tmp_path / "my library"
    library.mkdir()
    return library


def test_a_launch_on_a_window_that_does_not_answer_says_it_waits(
        library, run_dir, qapp, capsys, monkeypatch):
    monkeypatch.setattr(single_instance, "WAITING_WORD_S", 0.5)
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_S", 3.0)
    window = SingleInstance(library)  # listens, but its event loop never runs: no answer
    assert window.claim()
    try:
        assert claim_library(library, []) == 1
    finally:
        window.release()
    # the waiting line says which library and process (not said twice) and how long in all:
    # "up to 2 s", then "did not answer in 3 s", did not agree
    assert capsys.readouterr().err.splitlines() == [
        f"musicsage: the library {library} is already open (process {os.getpid()}); waiting "
        "up to 3 s in all for its window to answer…",
        "musicsage: its window did not answer in 3 s; close it or try again"]


WINDOW = r"""
import sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from musicsage.gui.single_instance import SingleInstance

app = QCoreApplication([])
window = SingleInstance(sys.argv[1])
print("HELD" if window.claim() else "REFUSED", flush=True)
if sys.argv[2] == "answers":
    QTimer.singleShot(60_000, app.quit)
    app.exec()
else:
    time.sleep(60)
"""


def _start_window(library: Path, how: str) -> subprocess.Popen:
    """A window process holding ``library`` ("answers": its event loop runs)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    window = subprocess.Popen([sys.executable, "-c", WINDOW, str(library), how], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, text=True)
    assert _first_line(window) == "HELD"
    return window


def _first_line(process: subprocess.Popen) -> str:
    """The first line ``process`` prints, waited for :data:`DEADLINE_S` at most."""
    with selectors.DefaultSelector() as ready:
        ready.register(process.stdout, selectors.EVENT_READ)
        if not ready.select(DEADLINE_S):
            process.kill()
            pytest.fail(f"the window process said nothing in {DEADLINE_S:.0f} s")
    return process.stdout.readline().strip()


def _stop(process: subprocess.Popen) -> None:
    """SIGSTOP ``process`` (Ctrl-Z in its terminal) and wait until it is stopped."""
    process.send_signal(signal.SIGSTOP)
    deadline = time.monotonic() + DEADLINE_S
    while "\nState:\tT" not in Path(f"/proc/{process.pid}/status").read_text():  # async
        assert time.monotonic() < deadline, "the process did not stop"
        time.sleep(0.01)


def _end(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGCONT)
    process.kill()
    process.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads a process's state in /proc")
def test_a_launch_on_a_stopped_window_says_how_to_resume_it_at_once(library, run_dir, qapp,
                                                                      capsys):
    window = _start_window(library, "sleeps")
    try:
        _stop(window)  # Ctrl-Z in the terminal it was started from
        started = time.monotonic()
        assert claim_library(library, []) == 1
        assert time.monotonic() - started < 5  # it sat silent for 15 s, then "does not answer"
    finally:
        _end(window)
    assert capsys.readouterr().err.splitlines() == [
        f"musicsage: the library {library} is already open in another window (process "
        f"{window.pid}), which is stopped (Ctrl-Z in its terminal?): resume it there with "
        f"`fg`, or with `kill -CONT {window.pid}`"]


@pytest.mark.skipif(not os.path.isfile("/proc/locks"), reason="reads the holder in /proc/locks")
def test_a_stopped_window_on_btrfs_is_named_though_its_device_numbers_differ(
        library, run_dir, qapp, capsys, monkeypatch):
    """On btrfs (Fedora's default) and overlayfs, ``stat`` gives a file another device
    number than ``/proc/locks`` does: the holder was not found, and a stopped window got the
    whole wait and no word of ``fg``."""
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_S", 3.0)
    window = _start_window(library, "sleeps")
    try:
        _stop(window)
        _stat_gives_another_device(library / LOCK_NAME, monkeypatch)
        assert claim_library(library, []) == 1
    finally:
        _end(window)
    assert capsys.readouterr().err.splitlines() == [
        f"musicsage: the library {library} is already open in another window (process "
        f"{window.pid}), which is stopped (Ctrl-Z in its terminal?): resume it there with "
        f"`fg`, or with `kill -CONT {window.pid}`"]


def _stat_gives_another_device(path: Path, monkeypatch) -> None:
    """``stat`` (and ``fstat``) of the file at ``path``, by any name, give another device
    than the kernel's ``/proc/locks`` does, as on a btrfs subvolume."""
    real = path.stat()
    other = os.makedev(os.major(real.st_dev) ^ 0x40, os.minor(real.st_dev))

    def on_subvolume(found: os.stat_result) -> os.stat_result:
        if (found.st_dev, found.st_ino) != (real.st_dev, real.st_ino):
            return found
        fields = list(found)
        fields[2] = other  # st_dev
        return os.stat_result(fields)

    real_stat, real_fstat = os.stat, os.fstat
    monkeypatch.setattr(os, "stat", lambda *a, **k: on_subvolume(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda *a, **k: on_subvolume(real_fstat(*a, **k)))


@pytest.mark.skipif(not os.path.isfile("/proc/locks"), reason="reads the holder in /proc/locks")
def test_a_stopped_process_named_by_a_stale_pid_in_the_lock_is_not_the_window(
        library, run_dir, qapp, capsys):
    window = _start_window(library, "answers")
    unrelated = subprocess.Popen(["sleep", "60"])
    try:
        _stop(unrelated)
        # a pid from another machine, pid namespace or an earlier window: here, a stopped one
        (library / LOCK_NAME).write_text(str(unrelated.pid), encoding="ascii")
        assert claim_library(library, []) == 0  # the live window was asked, and answered
    finally:
        _end(unrelated)
        _end(window)
    captured = capsys.readouterr()
    assert "kill -CONT" not in captured.err, captured.err  # it named the unrelated process
    assert captured.out == (f"musicsage: the library {library} is already open (process "
                            f"{window.pid}); brought its window to the front\n")


def test_a_window_that_answers_at_once_gives_no_waiting_line(library, run_dir, qapp, capsys):
    window = _start_window(library, "answers")
    try:
        assert claim_library(library, []) == 0
    finally:
        _end(window)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.endswith("; brought its window to the front\n")


HANGS_UP = r"""
import fcntl, os, socket, sys

held = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(held, fcntl.LOCK_EX)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[2])
server.listen(8)
print("HELD", flush=True)
while True:
    server.accept()[0].close()
"""


def test_a_window_that_hangs_up_is_not_said_to_keep_the_launch_waiting_at_once(
        library, run_dir, qapp, monkeypatch):
    """A window that takes the connection and closes it (an older or a closing window) is
    tried again; the waiting line comes only once the launch has really waited."""
    monkeypatch.setattr(single_instance, "WAITING_WORD_S", 1.0)
    window = subprocess.Popen([sys.executable, "-c", HANGS_UP, str(library / LOCK_NAME),
                               str(instance_paths(library).socket)],
                              stdout=subprocess.PIPE, text=True)
    told: list[float] = []
    try:
        assert _first_line(window) == "HELD"
        started = time.monotonic()
        answer = bring_forward(library, [], timeout_s=3.0,
                               waiting=lambda: told.append(time.monotonic()))
    finally:
        _end(window)
    assert answer is None
    assert len(told) == 1
    assert told[0] - started >= 1.0  # it was said at once, before any wait
