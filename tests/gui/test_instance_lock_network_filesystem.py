"""A library whose filesystem cannot lock (NFS without its lock daemon) is refused in one line.

There ``flock`` on the one-window lock in the data dir fails with ENOLCK (not "held by
another window"). SQLite's locks fail the same way, which it takes for a busy database: a
window opened there hung in the library's load, in 30 s busy waits that Ctrl-C did not end,
and a second window was not kept out either. The launch now says in one line that the
library's filesystem cannot lock files and exits 1, before any window, and a window asked to
show such a library (the demo's) refuses in the same words.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from musicsage.gui.single_instance import LibraryClaims, SingleInstance, claim_library

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="needs /proc to tell the fds")

REFUSAL = ("library {} is on a filesystem that cannot lock files (NFS without its lock "
           "daemon?): use a --data-dir on a local disk")


@pytest.fixture
def run_dir(tmp_path, monkeypatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def library_that_cannot_lock(tmp_path, run_dir, monkeypatch) -> Path:
    """A data dir whose files refuse ``flock`` as an NFS mount without lockd does."""
    library = tmp_path / "nfs library"
    library.mkdir()
    real_flock = fcntl.flock

    def flock(fd, operation):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(library)):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    return library


def test_a_launch_on_a_library_whose_filesystem_cannot_lock_says_so_in_one_line(
        library_that_cannot_lock, run_dir, qapp, capsys):
    assert claim_library(library_that_cannot_lock, []) == 1  # it opened, then hung
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"musicsage: the {REFUSAL.format(library_that_cannot_lock)}\n"
    assert not list(run_dir.iterdir())  # no lock elsewhere that another launch may miss


def test_a_window_refuses_to_show_a_library_whose_filesystem_cannot_lock(
        tmp_path, library_that_cannot_lock, qapp):
    own = tmp_path / "my library"
    own.mkdir()
    window = SingleInstance(own)
    assert window.claim()
    claims = LibraryClaims(window)
    try:
        ctx = type("Ctx", (), {"data_dir": library_that_cannot_lock})()
        assert claims.claim(ctx) == "The " + REFUSAL.format(library_that_cannot_lock)
    finally:
        claims.release()
