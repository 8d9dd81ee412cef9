"""A lock's holder stopped (Ctrl-Z in its terminal, SIGSTOP), as a waiting run or a model
switch tells it.

- A holder the lock file does not name — one in another pid namespace (a container, a
  Flatpak sandbox: it writes "1"), one whose write of its pid failed (a full disk: the file
  says nothing) — was said "running" while stopped, and the wait lasted for ever: the kernel's
  list of locks was asked only when the pid the file names was stopped.
- While the holder stayed stopped, that list (seconds to read where it holds 100,000 locks)
  was read again at every look of the wait, five a second.
- A model switch while a training is stopped said "a training of this library is running
  (process N) … after it finishes", which a stopped training never does until resumed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import lock_waiting
from musicsage.library.db_locks import process_stopped
from musicsage.library.lock import no_training_running
from musicsage.progress import WAIT_WORDS

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="/proc tells a stopped process")

HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_SH if sys.argv[3] == "shared" else fcntl.LOCK_EX)
os.pwrite(fd, sys.argv[2].replace("PID", str(os.getpid())).encode(), 0)
print("held", flush=True)
sys.stdin.read()
"""

#: never a pid: above the greatest pid_max Linux allows (2**22)
NO_PID = "4194305"


def _hold(path, text: str, mode: str = "exclusive") -> subprocess.Popen:
    """A process holding the lock on ``path`` that wrote ``text`` into it ("PID": its pid)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), text, mode],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder


def _stop(process: subprocess.Popen) -> None:
    """SIGSTOP ``process`` and wait until the kernel has stopped it (a moment later)."""
    process.send_signal(signal.SIGSTOP)
    deadline = time.monotonic() + 20
    while not process_stopped(process.pid):
        assert time.monotonic() < deadline, "never seen stopped"
        time.sleep(0.02)


def _end(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.wait()


def _stopped_line(pid: int) -> str:
    return (f"another embedding run of this library is stopped (process {pid}; Ctrl-Z in its "
            f"terminal?): resume it there with `fg`, or with `kill -CONT {pid}`; {WAIT_WORDS}")


@pytest.mark.parametrize("named", ["a bystander", "nothing", "no process"])
def test_a_stopped_holder_the_lock_file_does_not_name_is_said_stopped(tmp_path, named):
    bystander = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                 stdin=subprocess.PIPE)
    text = {"a bystander": f"{bystander.pid} embed", "nothing": "",
            "no process": f"{NO_PID} embed"}[named]
    path = tmp_path / "library.sqlite3.embed-lock"
    holder = _hold(path, text)
    fd = os.open(path, os.O_RDWR)
    try:
        _stop(holder)

        assert lock_waiting.waiting_line(fd, "embedding run") == _stopped_line(holder.pid)
    finally:
        os.close(fd)
        _end(holder, bystander)


def test_the_kernel_list_of_locks_is_read_once_while_the_holder_stays_stopped(
        tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite3.embed-lock"
    holder = _hold(path, "PID embed")
    fd = os.open(path, os.O_RDWR)
    reads = []

    def counted(file, **kwargs):
        reads.append(file)
        return asked(file, **kwargs)

    asked = lock_waiting.lock_holder
    monkeypatch.setattr(lock_waiting, "lock_holder", counted)
    monkeypatch.setattr(lock_waiting, "_kept", None, raising=False)
    running = f"another embedding run of this library is running (process {holder.pid}); " \
              f"{WAIT_WORDS}"
    try:
        assert [lock_waiting.waiting_line(fd, "embedding run") for _ in range(5)] == [running] * 5
        assert not reads, "the holder the file names runs: no need to ask the kernel"
        _stop(holder)

        lines = [lock_waiting.waiting_line(fd, "embedding run") for _ in range(10)]

        assert lines == [_stopped_line(holder.pid)] * 10
        assert len(reads) == 1
        holder.send_signal(signal.SIGCONT)
        assert lock_waiting.waiting_line(fd, "embedding run") == running
        _stop(holder)
        assert lock_waiting.waiting_line(fd, "embedding run") == _stopped_line(holder.pid)
    finally:
        os.close(fd)
        _end(holder)


def test_a_model_switch_while_a_training_is_stopped_says_how_to_resume_it(tmp_path):
    db = tmp_path / "library.sqlite3"
    training = _hold(f"{db}.train-lock", "PID".ljust(12), "shared")  # as training_lock writes
    try:
        with pytest.raises(MusicsageError, match=r"is running \(process "):
            with no_training_running(sqlite3.connect(db), "use another model"):
                pass  # as before
        _stop(training)

        with pytest.raises(MusicsageError) as refused:
            with no_training_running(sqlite3.connect(db), "use another model"):
                pass

        assert str(refused.value) == (
            f"a training of this library is stopped (process {training.pid}; Ctrl-Z in its "
            f"terminal?): resume it there with `fg`, or with `kill -CONT {training.pid}`; it "
            "makes its new model current when it ends; use another model after it finishes")
    finally:
        _end(training)


def test_no_holder_read_between_two_runs_is_not_kept_for_the_next(tmp_path, monkeypatch):
    """The kernel's list read in the moment between two runs names no holder; the next run's
    file says the same ("1 embed", as a container's run writes it): kept, that "no holder"
    stood for the next run, and its stop was said "running" for ever."""
    path = tmp_path / "library.sqlite3.embed-lock"
    path.write_text("1 embed")
    fd = os.open(path, os.O_RDWR)
    answers = [None, 4242]
    monkeypatch.setattr(lock_waiting, "lock_holder", lambda _file, **_kw: answers.pop(0))
    monkeypatch.setattr(lock_waiting, "process_stopped", lambda pid: True)
    monkeypatch.setattr(lock_waiting, "_kept", None, raising=False)
    try:
        assert lock_waiting._kernel_holder(fd, "1 embed") is None  # between two runs

        assert lock_waiting._kernel_holder(fd, "1 embed") == 4242  # the next run: asked again
    finally:
        os.close(fd)
