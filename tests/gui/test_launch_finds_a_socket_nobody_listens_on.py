"""A launch whose library is held by a window of another session (ssh, su: another runtime
dir), while this session's runtime dir still has the socket file of a window that was killed
or crashed here earlier (only the next holder of the lock removes it): nobody listens on
that file, so there is nothing to wait for. The launch waited the whole 15 s, said "waiting
… for its window to answer", then "its window did not answer; close it or try again" —
which no retry could mend. It now says at once, as with no socket file at all, that the
library is open in another session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from musicsage.gui import single_instance
from musicsage.gui.instance_socket import listens
from musicsage.gui.single_instance import LOCK_NAME, claim_library, instance_paths

OTHER_SESSION = r"""
import fcntl, os, sys, time
held = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(held, fcntl.LOCK_EX)
os.write(held, str(os.getpid()).encode())
print("HELD", flush=True)
time.sleep(60)
"""
"""A window of another session: it holds the library's lock, its socket is elsewhere."""


@pytest.fixture
def run_dir(tmp_path, monkeypatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def _left_by_a_crashed_window(path: Path) -> None:
    """A socket file at ``path`` that nobody listens on (its window was killed)."""
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(str(path))
    crashed.listen(1)
    crashed.close()  # the file stays, as after kill -9


def test_a_crashed_windows_socket_does_not_keep_a_launch_waiting(tmp_path, run_dir, qapp,
                                                                  capsys, monkeypatch):
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_S", 8.0)
    library = tmp_path / "my library"
    library.mkdir()
    stale = instance_paths(library).socket
    _left_by_a_crashed_window(stale)
    other = subprocess.Popen([sys.executable, "-c", OTHER_SESSION, str(library / LOCK_NAME)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "HELD"
        started = time.monotonic()
        assert claim_library(library, []) == 1
        waited = time.monotonic() - started
    finally:
        other.kill()
        other.wait()
    assert waited < 6, f"waited {waited:.1f} s for a window that cannot answer"
    assert capsys.readouterr().err.splitlines() == [
        f"musicsage: the library {library} is already open in another session (process "
        f"{other.pid}); close it first"]
    assert stale.exists(), "only the lock's next holder removes the file"


def test_a_live_window_is_still_said_to_listen(tmp_path, run_dir, qapp):
    """A listener that never answers (a busy window) still counts as this session's."""
    path = tmp_path / "run" / "busy.sock"
    busy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    busy.bind(str(path))
    busy.listen(1)
    try:
        assert listens(path)
    finally:
        busy.close()
    assert not listens(path)  # closed: the file left behind is nobody's
    os.unlink(path)
    assert not listens(path)
