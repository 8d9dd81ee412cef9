"""A library whose filesystem cannot lock (NFS without its lock daemon) is refused in one line.

There ``flock`` on the one-window lock in the data dir fails with ENOLCK (not "held by
another window"). SQLite's locks fail the same way, which it takes for a busy database: a
window opened there hung in the library's load, in 30 s busy waits that Ctrl-C did not end,
and a second window was not kept out either. The launch now says in one line that the
library's filesystem cannot lock files and exits 1, before any window, and a window asked to
show such a library (the demo's) refuses, in words for the window (no --data-dir there), and
without stating the guess at NFS as fact.

Only ENOLCK is refused: any other failure of the lock (EBADF: a read-only library on NFS, its
lock file opened read-only, where SQLite's read locks work; EINVAL) falls back to the lock in
the runtime dir, and the window opens, still the only one — with no warning in the log: a
read-only library logged "cannot be taken: [Errno 9] Bad file descriptor" at every launch,
though nothing was wrong.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
from pathlib import Path

import pytest

from musicsage.gui.single_instance import LibraryClaims, SingleInstance, claim_library

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="needs /proc to tell the fds")

CANNOT_LOCK = "library {} is on a filesystem that cannot lock files (NFS without its lock daemon?)"
REFUSAL = CANNOT_LOCK + ": use a --data-dir on a local disk"
WINDOW_REFUSAL = "The " + CANNOT_LOCK + "; this window keeps the library it shows"


@pytest.fixture
def run_dir(tmp_path, monkeypatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def _refusing_flock(library: Path, monkeypatch, error: int) -> Path:
    """``library`` made, its files refusing ``flock`` with ``error`` as an NFS mount does."""
    library.mkdir()
    real_flock = fcntl.flock

    def flock(fd, operation):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(library)):
            raise OSError(error, os.strerror(error))
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    return library


@pytest.fixture
def library_that_cannot_lock(tmp_path, run_dir, monkeypatch) -> Path:
    """A data dir whose files refuse ``flock`` as an NFS mount without lockd does."""
    return _refusing_flock(tmp_path / "nfs library", monkeypatch, errno.ENOLCK)


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
        # "use a --data-dir" means nothing in the window
        assert claims.claim(ctx) == WINDOW_REFUSAL.format(library_that_cannot_lock)
    finally:
        claims.release()


@pytest.mark.parametrize("error", [errno.EBADF, errno.EINVAL], ids=["EBADF", "EINVAL"])
def test_a_lock_failing_otherwise_falls_back_to_the_runtime_dir_and_the_window_opens(
        tmp_path, run_dir, monkeypatch, qapp, capsys, caplog, error):
    """EBADF: an exclusive flock on NFS of a lock file opened read-only (a read-only
    library whose lock exists); EINVAL: a filesystem without flock. SQLite works on both."""
    library = _refusing_flock(tmp_path / "read-only nfs library", monkeypatch, error)
    caplog.set_level(logging.INFO, logger="musicsage.gui.single_instance")
    claims = claim_library(library, [])
    assert isinstance(claims, LibraryClaims)  # it was refused as a filesystem that cannot lock
    try:
        assert capsys.readouterr().err == ""
        assert [r.levelname for r in caplog.records] == ["INFO"]  # nothing wrong: no warning
        assert f"({os.strerror(error)})" in caplog.records[0].getMessage()  # no "[Errno 9]"
        assert [p.suffix for p in run_dir.iterdir() if p.suffix == ".lock"] == [".lock"]
        assert not SingleInstance(library).claim()  # still the only window on it
    finally:
        claims.release()
