"""A library that may only be read: how a write to it is refused, in one line.

A part of its own, apart from :mod:`musicsage.library.db` (which opens, configures and
migrates): the connection class a read-only library is opened with, and the translation of
SQLite's read-only error into a :class:`~musicsage.errors.MusicsageError` that names what
lacks write access — used by the opening code there and by every transaction
(:mod:`musicsage.library.db_migrate`), which front ends would otherwise report as a bug.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import sqlite3
import struct
import urllib.parse
from pathlib import Path

import numpy as np

try:
    import pwd
except ImportError:  # pragma: no cover - Windows
    pwd = None  # type: ignore[assignment]

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
    elif file_ok and (sides := read_only_side_files(path)):
        return f"{side_files_words(path, sides)} ({exc}): {side_files_fix(sides)}"
    # the window's actions meet this too: words that fit a command and a button alike
    return f"{what} ({exc}); storing into the library needs write access to it"


def read_only_side_files(path: Path) -> list[Path]:
    """The ``-wal`` and ``-shm`` files beside the library database at ``path`` that are there
    but cannot be written. SQLite makes them with the library file's permissions (a run that
    could only read a read-only library left them so, as does another user's run, ``sudo``'s),
    and then refuses every write to the library, once it is writable again too, with the
    error it gives a read-only file: "the library database … is read-only" named a file the
    user could see was writable, and no way out."""
    sides = (Path(f"{path}{suffix}") for suffix in ("-wal", "-shm"))
    return [side for side in sides if side.exists() and not os.access(side, os.W_OK)]


def side_files_words(path: Path, sides: list[Path]) -> str:
    """What lacks write access when it is the library's ``sides`` files alone."""
    names = " and ".join(side.name for side in sides)
    return (f"the library database {path} can be written, but its "
            f"file{'s' * (len(sides) > 1)} {names} beside it cannot")


def cannot_upgrade_message(path: Path, version: int) -> str:
    """The line for an older library at ``path`` that cannot be upgraded to schema
    ``version``, as it cannot be written: its ``-wal`` or ``-shm`` file alone, where the file
    and its folder can be written (:func:`read_only_side_files`), else the library itself."""
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK) and (
            sides := read_only_side_files(path)):
        return (f"{side_files_words(path, sides)}, so it cannot be upgraded to schema version "
                f"{version}: {side_files_fix(sides)}")
    return (f"the library database {path} is read-only and needs upgrading to schema version "
            f"{version}: open it once where it can be written")


def side_files_fix(sides: list[Path]) -> str:
    """Why the library's ``sides`` files are read-only and what to do (never: remove them; a
    ``-wal`` file may hold the library's last changes). Another user's files are named as
    theirs: ``chmod u+w`` by the user told changes nothing there (only their owner, or root,
    may change them)."""
    quoted = " ".join(shlex.quote(str(side)) for side in sides)
    them = "them" if len(sides) > 1 else "it"
    owners = _other_owners(sides)
    if owners:
        plural = "s" * (len(owners) > 1)
        names = " and ".join(_login(uid) or str(uid) for uid in owners)
        me = _login(os.geteuid()) or str(os.geteuid())
        return (f"another user's run left {them} so: ask {'their' if len(sides) > 1 else 'its'}"
                f" owner{plural} (user{plural} {names}) to make {them} writable for you, or "
                f"make {them} yours and writable (`sudo chown {me} {quoted}; chmod u+w "
                f"{quoted}`), then try again")
    return (f"a run that could only read the library, or another user's, left {them} so; "
            f"make {them} writable (`chmod u+w {quoted}`, as the owner), then try again")


def _other_owners(paths: list[Path]) -> list[int]:
    """The uids, other than this user's, that own ``paths`` (none on Windows: no owners)."""
    if not hasattr(os, "geteuid"):
        return []
    uids = set()
    for path in paths:
        with contextlib.suppress(OSError):  # (gone meanwhile)
            uids.add(path.stat().st_uid)
    return sorted(uids - {os.geteuid()})


def _login(uid: int) -> str | None:
    """The login name of ``uid`` (None where the system knows none: a container's uid)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, AttributeError):  # no passwd entry; Windows (no pwd)
        return None


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
    a whole scan's tracks or an embedding run's vectors missing — without a word.

    Only changes the library file lacks count (:func:`wal_has_unfolded_commits`): after a
    checkpoint the ``-wal`` file keeps its size and frames, though nothing in it waits, and
    such a library (one copied while open, most often) was refused though it reads fine.
    A ``-wal`` file holding frames that this user cannot read (another user's, mode 0600) is
    refused too: read past, its committed changes were skipped without a word."""
    wal = Path(f"{path}-wal")
    try:
        if not wal_has_unfolded_commits(path, wal):
            return None
    except PermissionError as exc:  # the library file's own: SQLite's open refuses it
        if os.fsdecode(exc.filename or "") == os.fsdecode(wal) and _has_frames(wal):
            return (f"the library database {path} is read-only and its last changes may wait "
                    f"in {wal.name}, which cannot be read ({exc.strerror or exc}): let this "
                    f"user read it (`chmod a+r {shlex.quote(str(wal))}`, as its owner) or open "
                    "the library as its owner")
        return None
    except OSError:
        return None
    return (f"the library database {path} is read-only and its last changes wait in {wal.name},"
            f" which cannot be read without making {path.name}-shm beside it: open it once "
            "where its folder can be written")


_WAL_MAGIC = (0x377F0682, 0x377F0683)  # checksums little-endian, big-endian
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _has_frames(wal: Path) -> bool:
    """Whether ``wal`` is a file long enough to hold a frame, by its size alone (readable or
    not: one that cannot be read may hold changes)."""
    try:
        return wal.stat().st_size > _WAL_HEADER
    except OSError:
        return False


def wal_has_unfolded_commits(path: Path, wal: Path) -> bool:
    """Whether ``wal`` holds a committed transaction whose pages the database file ``path``
    does not have: SQLite's WAL format (sqlite.org/fileformat2.html#walformat) — its valid
    frames (salts and running checksum matching the header) up to the last commit frame,
    each page's last version compared with the file's page, and the file's size with the
    commit's page count. A missing, empty or invalid ``-wal`` holds none (SQLite ignores it)."""
    if not wal.is_file() or wal.stat().st_size < _WAL_HEADER:
        return False
    with open(wal, "rb") as frames:
        header = frames.read(_WAL_HEADER)
        magic, version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(
            ">8I", header)
        if magic not in _WAL_MAGIC or version != 3007000 or not _page_size_ok(page_size):
            return False
        order = ">" if magic & 1 else "<"
        if _checksum(header[:24], order, (0, 0)) != (sum1, sum2):
            return False
        pages, db_pages = _committed_pages(frames, order, page_size, (salt1, salt2),
                                           (sum1, sum2))
        return bool(pages) and not _file_has_pages(path, frames, page_size, db_pages, pages)


def _page_size_ok(page_size: int) -> bool:
    return 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0


def _committed_pages(frames, order: str, page_size: int, salts: tuple[int, int],
                     running: tuple[int, int]) -> tuple[dict[int, int], int]:
    """Where each page's last committed version is in ``frames`` (the valid frames read from
    it, by offset: not held in memory, a -wal may be large), and the database's size in pages
    after the last commit (frames after it are not committed)."""
    committed: dict[int, int] = {}
    pending: dict[int, int] = {}
    db_pages = 0
    while len(head := frames.read(_FRAME_HEADER)) == _FRAME_HEADER:
        page = frames.read(page_size)
        number, size_after, salt1, salt2, sum1, sum2 = struct.unpack(">6I", head)
        if len(page) != page_size or (salt1, salt2) != salts:
            break
        running = _checksum(head[:8] + page, order, running)
        if running != (sum1, sum2):
            break
        pending[number] = frames.tell() - page_size
        if size_after:  # a commit frame: its transaction and the ones before are complete
            committed.update(pending)
            pending.clear()
            db_pages = size_after
    return committed, db_pages


def _file_has_pages(path: Path, frames, page_size: int, db_pages: int,
                    pages: dict[int, int]) -> bool:
    """Whether the database file is ``db_pages`` pages long and holds each of ``pages`` (a
    page number and where its version is in ``frames``)."""
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size != db_pages * page_size:
            return False
        for number, offset in pages.items():
            file.seek((number - 1) * page_size)
            frames.seek(offset)
            if file.read(page_size) != frames.read(page_size):
                return False
    return True


_MASK = 0xFFFFFFFF


def _checksum(data: bytes, order: str, start: tuple[int, int]) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (a multiple of 8 bytes) continued from ``start``:
    for each pair of 32-bit words (x0, x1), ``s0 += x0 + s1; s1 += x1 + s0``. That is linear,
    (s0, s1) ← M·(s0, s1) + (x0, x0 + x1) with M = [[1, 1], [1, 2]], so it is summed with
    numpy over M's powers at once (a page a loop of Python took ~0.2 ms; a -wal of many
    thousand pages is read here before a command can start)."""
    words = np.frombuffer(data, dtype=np.dtype(order + "u4")).astype(np.uint64)
    first, second = words[0::2], words[1::2]
    added = np.stack([first, first + second], axis=1)  # (n, 2)
    powers = _powers(len(first))  # M^n, M^(n-1) ... M^0, wrapping mod 2^64 (fine mod 2^32)
    s = (powers[1:] * added[:, None, :]).sum(axis=(0, 2), dtype=np.uint64)
    s = s + powers[0] @ np.array(start, dtype=np.uint64)
    return int(s[0]) & _MASK, int(s[1]) & _MASK


@functools.lru_cache(maxsize=8)
def _powers(n: int) -> np.ndarray:
    """M^n, M^(n-1), ..., M^0 for :func:`_checksum` (one table per page size)."""
    step = np.array([[1, 1], [1, 2]], dtype=np.uint64)
    table = [np.eye(2, dtype=np.uint64)]
    for _ in range(n):
        table.append(step @ table[-1])
    return np.stack(table[::-1])
