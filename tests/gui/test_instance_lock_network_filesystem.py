"""The window opens on a library whose filesystem cannot lock (NFS without its lock daemon).

There ``flock`` on the one-window lock in the data dir fails with ENOLCK (not "held by
another window"), and ``python main.py`` ended in a traceback, no window. The window now
takes the lock in the per-user runtime dir instead, as it does for a library it cannot
write: it opens, and a second launch on the same library is still refused.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from musicsage.gui.single_instance import SingleInstance, holder_pid


@pytest.fixture
def library_that_cannot_lock(tmp_path, monkeypatch) -> Path:
    """A data dir whose files refuse ``flock`` as an NFS mount without lockd does."""
    library = tmp_path / "nfs library"
    library.mkdir()
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    real_flock = fcntl.flock

    def flock(fd, operation):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(library)):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    return library


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to tell the fds")
def test_a_library_whose_filesystem_cannot_lock_still_opens_one_window(
        library_that_cannot_lock, qapp):
    first = SingleInstance(library_that_cannot_lock)
    try:
        assert first.claim()  # it raised OSError: no window at all
        second = SingleInstance(library_that_cannot_lock)
        assert not second.claim()  # a second window on it is still refused
        assert holder_pid(second.paths) == os.getpid()
    finally:
        first.release()
    third = SingleInstance(library_that_cannot_lock)
    assert third.claim()  # given up with the window
    third.release()
