"""What is wrong with a library database, in words a user can act on: a file that cannot
hold one (a folder, a link to a drive not mounted), a damaged one, a full disk. Kept apart
from :mod:`musicsage.library.db` (which opens and migrates) so that the front ends'
one-line failures (:mod:`musicsage.failures`) and the opening code share one wording."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite locks its own way there
    fcntl = None  # type: ignore[assignment]

LOCK_PROBE_SUFFIX = ".lock-probe"
"""Beside the database: the file :func:`cannot_lock_problem` locks for a moment (then removes)."""


def not_a_database_file(path: Path) -> str | None:
    """What is in the way at ``path`` when it cannot hold a database, else None (a file, or
    nothing yet). SQLite said only "unable to open database file" for a folder, and made a
    new, empty library at the target of a link to a drive not mounted."""
    if path.is_symlink() and not path.exists():
        return (f"{path} is a link to {os.readlink(path)}, which does not exist (a drive not "
                "mounted?): mount it, or move the link away (nothing was created)")
    if path.is_dir():
        return f"{path} is a folder, not a library database: move it away"
    if path.exists() and not path.is_file():
        return f"{path} is not a regular file, so not a library database: move it away"
    return None


def damaged_message(path: str | Path | None, detail: str) -> str:
    """What to tell a user whose library database is damaged: what to do, and what is safe."""
    where = f" {path}" if path else ""
    return (f"the library database{where} is damaged ({detail}): move it aside (or put back a "
            "copy of it) and scan your music again; your music and playlist files are untouched")


def is_damaged_line(line: str) -> bool:
    """Whether ``line`` is :func:`damaged_message`'s (the one line a failed read of a damaged
    library ends in, in the window too, where only that line reaches the GUI thread): what
    lets the window offer moving the file aside without opening it again, which waited on a
    locked library for the busy timeout and missed broken table pages."""
    advice = damaged_message(None, "").partition("): ")[2]
    return (line.startswith("the library database") and " is damaged (" in line
            and line.endswith(advice))


def is_damaged_error(exc: sqlite3.DatabaseError) -> bool:
    """Not an SQLite database, or one whose pages are broken: no retry helps."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    return (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text
            or "not a database" in text)


def full_disk_message(path: str | Path, detail: str) -> str:
    """The one line for a library whose disk is full (what failed, and what to do)."""
    return f"the disk holding {path} is full ({detail}): make room on it, then try again"


def disk_full_error(exc: sqlite3.DatabaseError, path: str | Path) -> bool:
    """SQLite's error means the disk holding ``path`` is full. In WAL mode even a reader must
    size the shared-memory file (``-shm``), which fails as a 'disk I/O error'
    (SQLITE_IOERR_SHMSIZE); that one counts only when the disk has (almost) no room left."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return True
    if not name.startswith(("SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_SHMMAP")):
        return False
    try:
        st = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20  # under 1 MiB left


def cannot_lock_message(data_dir: str | Path) -> str:
    """The one line for a library whose filesystem cannot lock files (the window's words)."""
    return (f"the library {data_dir} is on a filesystem that cannot lock files (NFS without "
            "its lock daemon?): use a --data-dir on a local disk")


def cannot_lock_problem(path: Path) -> str | None:
    """:func:`cannot_lock_message` when the filesystem of the database at ``path`` refuses
    POSIX locks (ENOLCK: NFS without lockd), else None (also when it cannot be told).

    Why: SQLite takes ENOLCK for a busy database, so every command waited out its busy
    timeouts (30-60 s) and then blamed "another program". The probe locks a file of its own
    beside the database, never the database: closing any descriptor of a file drops every
    POSIX lock this process holds on it, SQLite's connections' included. A probe file this
    call made is removed again; where none can be made (a read-only folder) nothing is told."""
    if fcntl is None or not path.parent.is_dir():
        return None
    probe = Path(f"{path}{LOCK_PROBE_SUFFIX}")
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0)
    try:
        fd, made = os.open(probe, flags | os.O_CREAT | os.O_EXCL, 0o644), True
    except FileExistsError:  # another command's probe, this very moment
        try:
            fd, made = os.open(probe, flags), False
        except OSError:
            return None
    except OSError:
        return None
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # what SQLite takes to read
    except OSError as exc:
        return cannot_lock_message(path.parent) if exc.errno == errno.ENOLCK else None
    finally:
        os.close(fd)  # releases the probe's lock
        if made:
            probe.unlink(missing_ok=True)
    return None
