"""An older library's copy, kept before its schema is upgraded, and the line that says so.

A part of its own, beside :mod:`musicsage.library.db` (whose ``_upgrade`` makes the copy and
applies the migrations under one write lock): the older musicsage cannot open an upgraded
library, so the user is told where the copy lies — a command on stderr
(:func:`take_upgrade_lines`), the window on its status line (:func:`take_upgrade_note`).
"""

from __future__ import annotations

import errno
import glob
import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Iterator

from musicsage.errors import MusicsageError
from musicsage.files import temporary_beside
from musicsage.library.db_migrate import pending_versions, recorded_versions
from musicsage.library.schema import SCHEMA_VERSION


def keep_before_upgrade(conn: sqlite3.Connection, path: Path,
                        timeout_s: float) -> tuple[int, Path] | None:
    """``(old version, copy)``: the library copied aside with SQLite's backup API before its
    schema is upgraded, since the older musicsage cannot open it afterwards (any command,
    even ``stats``, upgrades it); None when it needs no upgrade (any more). ``conn`` holds
    the write lock; the copy is read through a connection of its own (SQLite's backup
    waits for ever on a source connection inside a transaction). Never over an earlier
    copy. A copy that fails (full disk, read-only folder) refuses the upgrade: the library
    stays as it was, for either version. A copy cut short (Ctrl-C) is removed too: each try
    left a full-size one. It is made under a temporary name and named when whole
    (:func:`_name_copy`): one cut short by a kill (-9, a power cut) was left as the copy to go
    back to, half written, and a killed run's temporary is removed by the next try."""
    done = recorded_versions(conn)
    if not done or not pending_versions(conn):
        return None  # another process upgraded it while this one waited for the lock
    # a write that changes nothing: a library that can only be read (its file, or its -shm
    # file, read-only) is refused in SQLite's words, which say so; the copy failed first, its
    # temporary given the read-only file's mode, and "make its folder writable" misled
    conn.execute("DELETE FROM schema_migrations WHERE 0")
    old = max(done)
    temporary = None
    try:
        fd, temporary = temporary_beside(next(_free_copy_names(path, old)))  # the free name's own
        os.fchmod(fd, path.stat().st_mode & 0o777)  # the library's, not mkstemp's 0600
        os.close(fd)
        _back_up(path, Path(temporary), timeout_s)
        copy = _name_copy(Path(temporary), path, old)
    except BaseException as exc:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        if not isinstance(exc, (sqlite3.Error, OSError)):
            raise
        raise MusicsageError(
            f"cannot keep a copy of the library database {path} before upgrading it from "
            f"schema {old} to {SCHEMA_VERSION} ({exc}): free some space or make its folder "
            "writable, then try again (the library was not changed)") from None
    return old, copy


def _free_copy_names(path: Path, old: int) -> Iterator[Path]:
    """The names a copy may take, ``library.sqlite3.schema-OLD[.N].bak``, no file's yet."""
    for n in range(1, 10_000):
        name = Path(f"{path}.schema-{old}{'' if n == 1 else f'.{n}'}.bak")
        if not os.path.lexists(name):
            yield name
    raise OSError(errno.EEXIST, f"every name for a copy of {path} is taken")


def _name_copy(temporary: Path, path: Path, old: int) -> Path:
    """Give the whole copy ``temporary`` the first free name ``library.sqlite3.schema-OLD[.N]
    .bak``, never over a file: a hard link fails on a name taken since it was probed (a copy
    made meanwhile by hand, or by a run that did not wait for the lock; a rename replaced it
    without a word), and the next name is tried. Where the filesystem has no hard links (FAT,
    some network shares) it is renamed: under the write lock no other musicsage makes one."""
    for copy in _free_copy_names(path, old):
        try:
            os.link(temporary, copy)
        except FileExistsError:
            continue
        except OSError:  # no hard links here
            if os.path.lexists(copy):
                continue
            os.rename(temporary, copy)
            return copy
        temporary.unlink()
        return copy
    raise AssertionError("unreachable: the names run out with an OSError")


def _back_up(path: Path, dest: Path, timeout_s: float) -> None:
    """The library at ``path`` copied into the empty file ``dest`` by SQLite's backup API,
    without a journal beside it (``dest`` is a temporary until renamed: a journal left by a
    kill would be a file no run removes)."""
    with closing(sqlite3.connect(path, timeout=timeout_s)) as source, \
            closing(sqlite3.connect(dest)) as copy:
        copy.execute("PRAGMA journal_mode = OFF")
        source.backup(copy)


_STARTED = time.time() - 2  # a file system's coarse mtime may round down
_said: set[str] = set()
_made: list[str] = []  # the upgrade lines of this process, for take_upgrade_lines
_said_lock = threading.Lock()


def _upgrade_line(old: int | str, copy: Path) -> str:
    return (f"upgraded the library database from schema {old} to {SCHEMA_VERSION}; the old "
            f"one is kept as {copy}")


def record_upgrade(old: int, copy: Path) -> None:
    with _said_lock:
        _made.append(_upgrade_line(old, copy))


def take_upgrade_lines() -> list[str]:
    """The upgrade lines of the libraries this process upgraded since the last call: a
    command says them on stderr (``musicsage.cli``). Only its own: the copy of a command run
    just before reads as new to :func:`take_upgrade_note` (a file's mtime is coarse)."""
    with _said_lock:
        lines = _made[:]
        _made.clear()
    return lines


def take_upgrade_note(ctx) -> str:
    """The upgrade line of the library ``ctx`` (its database or its AppContext) once, else
    "": the window shows it on its status line (a command says :func:`take_upgrade_lines`).
    The upgrade happened silently, and the older musicsage then refused the library without a
    word of why. Read from the copies made since this process started, not kept in memory:
    the window's helper or child process may be what opened, and so upgraded, the library.
    Library code prints nothing, so the window does not say it twice."""
    path = Path(getattr(ctx, "db_path", ctx)).resolve()
    try:
        copies = sorted(path.parent.glob(f"{glob.escape(path.name)}.schema-*.bak"))
        made = [c for c in copies if c.stat().st_mtime >= _STARTED]
    except OSError:
        return ""
    with _said_lock:
        for copy in made:
            if str(copy) not in _said:
                _said.add(str(copy))
                return _upgrade_line(copy.name[len(path.name) + 8:].split(".")[0], copy)
    return ""
