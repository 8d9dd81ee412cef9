"""A library that may only be read: how a write to it is refused, in one line.

A part of its own, apart from :mod:`musicsage.library.db` (which opens, configures and
migrates): the connection class a read-only library is opened with, and the translation of
SQLite's read-only error into a :class:`~musicsage.errors.MusicsageError` that names what
lacks write access — used by the opening code there and by every transaction
(:mod:`musicsage.library.db_migrate`), which front ends would otherwise report as a bug.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

from musicsage.errors import MusicsageError


def read_only_message(exc: sqlite3.OperationalError, conn: sqlite3.Connection) -> str:
    """What lacks write access, in ``train``'s words (``AppContext.writable_problem``): the
    file, its folder (SQLite needs both for a WAL library's -wal and -shm files), or both."""
    path = database_path(conn) or Path("?")
    file_ok, folder_ok = (os.access(p, os.W_OK) for p in (path, path.parent))
    what = f"the library database {path} is read-only"
    if not folder_ok:
        what = (f"the library folder {path.parent} is not writable" if file_ok else
                f"the library database {path} and its folder are read-only")
    # the window's actions meet this too: words that fit a command and a button alike
    return f"{what} ({exc}); storing into the library needs write access to it"


class ReadOnlyConnection(sqlite3.Connection):
    """A connection to a library opened read-only: a statement that tries to write raises a
    one-line :class:`MusicsageError` (not sqlite3's error, which front ends treat as a bug)."""

    refusal: str = ""  # the line a write gets instead of the read-only one (a full disk's)

    def execute(self, *args, **kwargs):
        try:
            return super().execute(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise as_user_error(exc, self)

    def executemany(self, *args, **kwargs):
        try:
            return super().executemany(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise as_user_error(exc, self)


def as_user_error(exc: sqlite3.OperationalError, conn: sqlite3.Connection) -> Exception:
    if read_only_error(exc):
        error = MusicsageError(getattr(conn, "refusal", "") or read_only_message(exc, conn))
        error.__cause__ = exc
        return error
    return exc


def read_only_error(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in str(exc)


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The main database file of ``conn`` (None: in memory). Read as bytes: SQLite gives the
    name as the system gave it, and a library in a folder whose name is not UTF-8 (``café``
    in Latin-1) failed "Could not decode to UTF-8" in every scan and every read-only write."""
    previous, conn.text_factory = conn.text_factory, bytes
    try:
        rows = conn.execute("PRAGMA database_list").fetchall()
    finally:
        conn.text_factory = previous
    name = next((row[2] for row in rows if row[1] == b"main"), None)
    return Path(os.fsdecode(name)) if name else None


def read_only_uri(path: Path) -> str:
    """The ``mode=ro`` URI of the database at ``path``; its name quoted from its bytes, so
    that a folder name that is not UTF-8 is not a crash (``quote`` encodes text as UTF-8)."""
    return "file:" + urllib.parse.quote(os.fsencode(path.resolve())) + "?mode=ro"


def unread_changes_problem(path: Path) -> str | None:
    """The refusal for a read-only library whose last changes wait in its ``-wal`` file with
    no ``-shm`` file beside it, which SQLite needs to read them and cannot make (a read-only
    folder or mount: a copy, a snapshot or a backup drive without it), else None. Read past
    them (``immutable``), its commands showed the library as it was before those changes —
    a whole scan's tracks or an embedding run's vectors missing — without a word."""
    wal = Path(f"{path}-wal")
    try:
        waiting = wal.is_file() and wal.stat().st_size > 0
    except OSError:
        return None
    if not waiting:
        return None
    return (f"the library database {path} is read-only and its last changes wait in {wal.name},"
            f" which cannot be read without making {path.name}-shm beside it: open it once "
            "where its folder can be written")
