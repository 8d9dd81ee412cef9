"""A lock refused by a filesystem that cannot lock files (NFS without its lock daemon) outside
the library's data dir names that folder and what to move, and leaves nothing behind.

``train --out OUT`` on such a mount said "the library OUT/deeper is on a filesystem that cannot
lock files …: use a --data-dir on a local disk" (no library there; a --data-dir changes
nothing), and left OUT/deeper/ and its lock file behind, its descriptor open. A map kept in
the per-user cache was called "the library …/maps". ``flock`` is made to fail with ENOLCK
for files under one folder, as such a mount answers.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import lock

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="needs /proc to tell which file is locked")


@pytest.fixture
def nfs(tmp_path, monkeypatch) -> Path:
    """A folder whose files refuse ``flock`` with ENOLCK."""
    folder = tmp_path / "nfs"
    folder.mkdir()
    real = fcntl.flock

    def flock(fd, operation):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder)):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
        return real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    return folder


def _open_in(folder: Path) -> list[str]:
    names = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
             if os.path.exists(f"/proc/self/fd/{fd}")]
    return [name for name in names if name.startswith(str(folder))]


def test_a_training_output_that_cannot_be_locked_names_its_folder_and_leaves_nothing(nfs):
    out = nfs / "out" / "deeper"
    with pytest.raises(MusicsageError) as refused:
        with lock.output_lock(out):
            pytest.fail("the lock was taken")
    assert str(refused.value) == (
        f"the folder {out} is on a filesystem that cannot lock files (NFS without its lock "
        "daemon?): use an --out on a local disk")
    assert list(nfs.iterdir()) == []  # no OUT/deeper/, no lock file
    assert _open_in(nfs) == []


def test_an_existing_output_folder_keeps_what_it_held(nfs):
    """A folder and lock file that were there before the run stay (not the run's to remove)."""
    out = nfs / "out"
    out.mkdir()
    (out / lock.OUTPUT_LOCK).write_bytes(b"")
    with pytest.raises(MusicsageError):
        with lock.output_lock(out):
            pytest.fail("the lock was taken")
    assert [p.name for p in out.iterdir()] == [lock.OUTPUT_LOCK]


@pytest.mark.parametrize("take", ["map_lock", "map_lock_now", "idle_map_locks"])
def test_a_map_folder_that_cannot_be_locked_is_named_as_a_cache_folder(nfs, take):
    maps = nfs / "user-cache" / "read-only-libraries" / "abc" / "search" / "maps"
    maps.mkdir(parents=True)
    with pytest.raises(MusicsageError) as refused:
        with getattr(lock, take)([maps]):
            pytest.fail("the lock was taken")
    assert str(refused.value) == (
        f"the folder {maps} is on a filesystem that cannot lock files (NFS without its lock "
        "daemon?): no map can be saved there; keep that cache on a local disk (XDG_CACHE_HOME)")
