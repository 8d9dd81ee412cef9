"""Asking whether the library can be written keeps the locks SQLite holds on its database.

``embed`` asks in its graph-vectors step, after embedding, with that step's connection open
(``musicsage.usecases.inductive.embed_new_tracks``). The check opened the database file for
writing and closed it, and closing any descriptor of a file drops every POSIX lock the process
holds on it: the connection's shared lock went, another process could then checkpoint and
delete the -wal file this connection still wrote into, and the next write failed as a "disk
I/O error" with its data lost.
"""

from __future__ import annotations

import os
import sys

import pytest

from musicsage.context import AppContext
from musicsage.library.db import connect

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the held locks from /proc/locks")


def _locks_held_on(path) -> list[str]:
    """This process's POSIX locks on the file at ``path`` (type and range), from /proc/locks."""
    inode, pid = os.stat(path).st_ino, str(os.getpid())
    with open("/proc/locks") as locks:
        return [" ".join(line.split()[3:4] + line.split()[-2:]) for line in locks
                if line.split()[1] == "POSIX" and line.split()[4] == pid
                and line.split()[5].endswith(f":{inode}")]


def test_the_write_check_leaves_the_connections_lock_on_the_database(tmp_path):
    ctx = AppContext.create(tmp_path / "library")
    conn = connect(ctx)
    conn.execute("SELECT count(*) FROM tracks").fetchone()
    held = _locks_held_on(ctx.db_path)
    assert held  # what the check must not drop
    assert ctx.writable_problem() is None
    assert _locks_held_on(ctx.db_path) == held
    conn.close()


def test_a_database_on_a_read_only_mount_is_said_read_only(tmp_path, monkeypatch):
    """Told from the mount's flags, without opening the file."""
    ctx = AppContext.create(tmp_path / "library")
    connect(ctx).close()
    real = os.statvfs

    def statvfs(path):
        st = real(path)
        if os.fspath(path) != os.fspath(ctx.db_path):
            return st
        return os.statvfs_result((*st[:8], st.f_flag | os.ST_RDONLY, st.f_namemax))

    monkeypatch.setattr(os, "statvfs", statvfs)
    assert ctx.writable_problem() == (
        f"the library database {ctx.db_path} is read-only (Read-only file system)")


def test_a_database_gone_during_the_check_is_not_said_read_only(tmp_path, monkeypatch):
    """Removed between the check's steps (a library folder deleted meanwhile): said to be
    "read-only (No such file or directory)", a cause that was not so."""
    ctx = AppContext.create(tmp_path / "library")
    connect(ctx).close()

    def statvfs(path):
        raise FileNotFoundError(2, os.strerror(2), os.fspath(path))

    monkeypatch.setattr(os, "statvfs", statvfs)
    assert ctx.writable_problem() is None


def test_a_database_gone_before_its_access_check_is_not_said_read_only(tmp_path, monkeypatch):
    ctx = AppContext.create(tmp_path / "library")
    connect(ctx).close()
    real = os.access

    def access(path, mode, **kwargs):
        if os.fspath(path) == os.fspath(ctx.db_path):
            os.unlink(path)
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    assert ctx.writable_problem() is None


def test_the_write_check_works_where_the_os_has_no_statvfs(tmp_path, monkeypatch):
    """Windows has no ``os.statvfs``: the check failed with an AttributeError there."""
    ctx = AppContext.create(tmp_path / "library")
    connect(ctx).close()
    monkeypatch.delattr(os, "statvfs")
    assert ctx.writable_problem() is None
