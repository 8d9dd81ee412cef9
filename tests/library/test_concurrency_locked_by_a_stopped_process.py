"""A write that waited in vain for the library's write lock, held by a process stopped while
writing (Ctrl-Z in its terminal, SIGSTOP): the line said "… has been writing to it for more
than 30 s; try again once it has finished", which a stopped process never does until it is
resumed. It says that it is stopped and how to resume it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave

import pytest

from musicsage.library import db
from musicsage.library.db_locks import process_stopped

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="/proc tells a stopped process")

WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings(key, value) VALUES ('k', 'v')")
print("writing", flush=True)
sys.stdin.read()
"""


def _scan(data_dir, music) -> subprocess.CompletedProcess:
    """``musicsage scan MUSIC`` that waits half a second for the write lock."""
    env = {**os.environ, "MUSICSAGE_BUSY_TIMEOUT_S": "0.5", "HOME": str(data_dir.parent),
           "XDG_CACHE_HOME": str(data_dir.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "musicsage", "--data-dir", str(data_dir),
                           "scan", str(music)], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_locked_line_says_the_writer_is_stopped_and_how_to_resume_it(tmp_path):
    data_dir, music = tmp_path / "lib", tmp_path / "music"
    music.mkdir()
    with wave.open(str(music / "a.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\1\0" * 8000)
    data_dir.mkdir()
    db.open_connection(data_dir / "library.sqlite3").close()
    writer = subprocess.Popen([sys.executable, "-c", WRITE, str(data_dir / "library.sqlite3")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        running = _scan(data_dir, music)
        assert running.returncode == 1
        assert "has been writing to it for more than" in running.stderr  # as before
        writer.send_signal(signal.SIGSTOP)
        deadline = time.monotonic() + 20  # the kernel stops it a moment after the signal
        while not process_stopped(writer.pid):
            assert time.monotonic() < deadline, "the writer was never seen stopped"
            time.sleep(0.05)

        stopped = _scan(data_dir, music)

        assert stopped.returncode == 1
        line = stopped.stderr.strip().splitlines()[-1]
        assert line.startswith(f"musicsage scan: the library database is locked: process "
                               f"{writer.pid}: ")
        assert line.endswith(" is stopped while writing to it (Ctrl-Z in its terminal?): resume "
                             f"it there with `fg`, or with `kill -CONT {writer.pid}`, then try "
                             "again")
    finally:
        writer.send_signal(signal.SIGCONT)
        writer.kill()
        writer.wait()
