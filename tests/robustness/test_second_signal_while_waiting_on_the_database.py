"""A second Ctrl-C (or SIGTERM) stops a command at once even while it waits in C — here for
another program's write lock on the library database, which SQLite waits up to 30 s for.

Python runs a signal handler only once the main thread runs Python again: a ``scan`` waiting
on the lock took no Ctrl-C however often pressed, sat out the whole wait, then failed with
"the library database is locked" — never "interrupted". It now ends within a moment of the
second signal, in one line, with 130 (143), the library whole."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from robust_support import REPO, assert_clean_success, child_env, cli, tone_file

BUSY_WAIT_S = "60"
"""The child's wait for the lock: far longer than the test lets it run."""


@pytest.mark.parametrize("sig, word, code", [(signal.SIGINT, "interrupted", 130),
                                             (signal.SIGTERM, "terminated", 143)])
def test_a_second_signal_ends_a_scan_waiting_for_the_database(tmp_path, sig, word, code):
    data, music = tmp_path / "data", tmp_path / "music"
    tone_file(music / "a.wav", seconds=0.3)
    assert_clean_success(cli("scan", str(music), data_dir=data))
    tone_file(music / "b.wav", seconds=0.3, freq=660)  # new: the scan must write
    other = sqlite3.connect(data / "library.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing, for as long as it likes
    try:
        proc = subprocess.Popen([sys.executable, "-m", "musicsage", "--data-dir", str(data),
                                 "scan", str(music)], cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                env=child_env(MUSICSAGE_BUSY_TIMEOUT_S=BUSY_WAIT_S))
        time.sleep(8)  # started (seconds on a busy machine), now waiting on the lock, in C
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(sig)
        time.sleep(0.3)
        proc.send_signal(sig)
        stopped = time.monotonic()
        try:
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        took = time.monotonic() - stopped
    finally:
        other.rollback()
        other.close()
    lines = [ln for ln in err.replace("\r", "\n").splitlines() if ln.startswith("musicsage")]
    assert proc.returncode == code and took < 10, (proc.returncode, took, err[-2000:])
    assert "Traceback" not in err, err[-3000:]
    assert lines == [f"musicsage scan: {word} again: stopped at once; what was saved before "
                     "the stop is kept"], err[-2000:]
    check = sqlite3.connect(data / "library.sqlite3")
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT COUNT(*) FROM tracks").fetchone() == (1,)
    finally:
        check.close()
    assert_clean_success(cli("scan", str(music), data_dir=data))  # the next one finishes
