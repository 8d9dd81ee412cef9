"""The holder of a lock is found where ``/proc/locks`` and ``stat`` give the file different
device numbers (btrfs subvolumes, overlayfs), and only the process that has the file open.

``/proc/locks`` names a file by its superblock's device; on btrfs ``stat`` gives each
subvolume its own: matching device and inode found no holder at all, so the line of a command
that gave up on a locked library said "another program", and a stopped window was not named.
A lock on the same inode counts when its process has that very file open; one on the same
inode of another filesystem (another file) does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.library.db_locks import lock_holder, write_lock_holders

pytestmark = pytest.mark.skipif(not os.path.isfile("/proc/locks"),
                                reason="reads the holders in /proc/locks")

HOLDS = r"""
import fcntl, os, sys

fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
if sys.argv[2] == "flock":
    fcntl.flock(fd, fcntl.LOCK_EX)
else:
    fcntl.lockf(fd, fcntl.LOCK_EX)  # a POSIX write lock, as SQLite's on the database
print("HELD", flush=True)
sys.stdin.read()
"""


def _holding(path: Path, how: str) -> subprocess.Popen:
    """A process holding a write lock (``how``: flock or posix) on the file at ``path``."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDS, str(path), how],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "HELD"
    return holder


def _locks_on_another_device(path: Path, pid: int, out: Path) -> str:
    """A copy of ``/proc/locks`` in ``out`` where the lock ``pid`` holds on ``path`` names
    another device than ``stat`` gives (as on btrfs)."""
    st = path.stat()
    listed = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    other = f"{os.major(st.st_dev) ^ 0x40:02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    lines = Path("/proc/locks").read_text(encoding="ascii").splitlines()
    mine = [i for i, line in enumerate(lines) if f" {pid} {listed} " in line]
    assert mine, "the holder's lock is not listed"
    for i in mine:
        lines[i] = lines[i].replace(f" {listed} ", f" {other} ")
    out.write_text("\n".join(lines) + "\n", encoding="ascii")
    return str(out)


def test_the_window_lock_holder_is_found_across_device_numbers(tmp_path):
    lock = tmp_path / "library.sqlite3.window-lock"
    holder = _holding(lock, "flock")
    try:
        locks = _locks_on_another_device(lock, holder.pid, tmp_path / "locks")
        assert lock_holder(lock, locks_file=locks) == holder.pid
        assert lock_holder(lock) == holder.pid  # where the numbers agree
    finally:
        holder.kill()
        holder.wait()


def test_the_database_writer_is_named_across_device_numbers(tmp_path):
    db = tmp_path / "library.sqlite3"
    writer = _holding(db, "posix")
    try:
        locks = _locks_on_another_device(db, writer.pid, tmp_path / "locks")
        assert write_lock_holders(db, locks_file=locks) == [writer.pid]  # was "another program"
    finally:
        writer.kill()
        writer.wait()


def test_a_lock_on_the_same_inode_of_another_file_is_not_its_holder(tmp_path):
    """The inode alone is not enough: the process must have this very file open."""
    lock = tmp_path / "library.sqlite3.window-lock"
    stranger = _holding(lock, "flock")  # holds it...
    try:
        locks = _locks_on_another_device(lock, stranger.pid, tmp_path / "locks")
        for_another_file = Path(locks).read_text(encoding="ascii")
    finally:
        stranger.kill()
        stranger.wait()
    unrelated = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                 stdin=subprocess.PIPE)  # no file of ours open
    try:
        Path(locks).write_text(for_another_file.replace(f" {stranger.pid} ",
                                                        f" {unrelated.pid} "), encoding="ascii")
        assert lock_holder(lock, locks_file=locks) is None
    finally:
        unrelated.kill()
        unrelated.wait()
