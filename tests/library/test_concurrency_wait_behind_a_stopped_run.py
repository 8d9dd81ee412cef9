"""A run waiting for another run's lock of the library, that other run stopped (Ctrl-Z in its
terminal, SIGSTOP): it said "another embedding run of this library is running (process N);
waiting for it to finish" and waited for ever, as a stopped run never finishes until it is
resumed. It says that the holder is stopped and how to resume it, and the plain wait again
once it runs; then it takes the lock when the holder ends."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from musicsage.library.db_locks import process_stopped
from musicsage.library.lock import OUTPUT_LOCK, library_lock, output_lock
from musicsage.progress import WAIT_WORDS, CancelToken, is_wait, Progress

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="/proc tells a stopped process")

HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.pwrite(fd, f"{os.getpid()} {sys.argv[2]}".encode(), 0)
print("held", flush=True)
sys.stdin.read()
"""


def _until(test, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_wait_behind_a_stopped_run_says_how_to_resume_it(tmp_path):
    db = tmp_path / "library.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, f"{db}.embed-lock", "embed"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    said: list[Progress] = []
    cancel, took = CancelToken(), threading.Event()

    def wait_for_it() -> None:
        with library_lock(sqlite3.connect(db), "embed", progress=said.append, cancel=cancel):
            took.set()

    try:
        assert holder.stdout.readline() == "held\n"
        holder.send_signal(signal.SIGSTOP)
        # the kernel stops it a moment after the signal: the waiter looks once it has
        _until(lambda: process_stopped(holder.pid), "the holder was never seen stopped")
        waiter = threading.Thread(target=wait_for_it, daemon=True)
        waiter.start()
        _until(lambda: said, "no word of the wait")
        stopped = (f"another embedding run of this library is stopped (process {holder.pid}; "
                   f"Ctrl-Z in its terminal?): resume it there with `fg`, or with "
                   f"`kill -CONT {holder.pid}`; {WAIT_WORDS}")
        assert said[0].message == stopped and is_wait(said[0])
        holder.send_signal(signal.SIGCONT)
        _until(lambda: len(said) > 1, "no word once it was resumed")
        assert said[1].message == (f"another embedding run of this library is running "
                                   f"(process {holder.pid}); {WAIT_WORDS}")
        assert not took.is_set()
        holder.stdin.close()  # the run ends: its lock is let go
        _until(took.is_set, "the lock was not taken once its holder ended")
        assert len(said) == 2
    finally:
        cancel.cancel()
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()


def test_a_training_into_an_out_folder_behind_a_stopped_one_says_how_to_resume_it(tmp_path):
    """``train --dataset D --out O`` behind another into O that was stopped: the same."""
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / OUTPUT_LOCK), "train"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    said: list[Progress] = []
    cancel = CancelToken()

    def wait_for_it() -> None:
        with output_lock(out, progress=said.append, cancel=cancel):
            pass

    try:
        assert holder.stdout.readline() == "held\n"
        holder.send_signal(signal.SIGSTOP)
        # the kernel stops it a moment after the signal: the waiter looks once it has
        _until(lambda: process_stopped(holder.pid), "the holder was never seen stopped")
        threading.Thread(target=wait_for_it, daemon=True).start()
        _until(lambda: said, "no word of the wait")
        assert said[0].message == (
            f"another training into {out} is stopped (process {holder.pid}; Ctrl-Z in its "
            f"terminal?): resume it there with `fg`, or with `kill -CONT {holder.pid}`; "
            f"{WAIT_WORDS}")
        holder.send_signal(signal.SIGCONT)
        _until(lambda: len(said) > 1, "no word once it was resumed")
        assert said[1].message == (f"another training into {out} is running (process "
                                   f"{holder.pid}); {WAIT_WORDS}")
    finally:
        cancel.cancel()
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
