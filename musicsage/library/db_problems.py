"""What is wrong with a library database, in words a user can act on: a file that cannot
hold one (a folder, a link to a drive not mounted), a damaged one, a full disk. Kept apart
from :mod:`musicsage.library.db` (which opens and migrates) so that the front ends'
one-line failures (:mod:`musicsage.failures`) and the opening code share one wording."""

from __future__ import annotations

import errno
import glob
import os
import sqlite3
from pathlib import Path

from musicsage.errors import MusicsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite locks its own way there
    fcntl = None  # type: ignore[assignment]

LOCK_PROBE_SUFFIX = ".lock-probe"
"""Beside the database, in the name of the file :func:`cannot_lock_problem` locks for a moment
(``.library.sqlite3.lock-probe.musicsage-PID-XXXX.tmp``, then removed)."""
CANNOT_LOCK_ADVICE = "use a --data-dir on a local disk"


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


NOT_WRITABLE_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
"""The probe's failures that mean a folder cannot be written (:func:`unwritable_folder`)."""


def unwritable_folder(folder: Path) -> tuple[Path, str] | None:
    """(the folder, why) when ``folder`` (or, where it is missing, the nearest folder above it
    that exists) refuses this user a new file, so that no library can be made there; else
    None. Asked by writing a probe file of this process and removing it, since the permission
    bits do not tell (a read-only mount, ACLs, root without CAP_DAC_OVERRIDE). Only a refusal
    (EACCES, EPERM, EROFS) counts: a probe failing for another reason (too many open files, a
    full disk) was said "the folder is not writable (Too many open files)". One answer for
    starting a library (:func:`cannot_make_library_problem`) and for the line of a command
    that finds none (:func:`musicsage.context.no_library_message`)."""
    from musicsage.files import temporary_beside

    try:
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        fd, probe = temporary_beside(folder / "write-probe")
    except OSError as exc:
        return (folder, exc.strerror or str(exc)) if exc.errno in NOT_WRITABLE_ERRORS else None
    os.close(fd)
    os.unlink(probe)
    return None


def cannot_make_library_message(where: str, above: str | None, reason: str) -> str:
    """The one line for a library that cannot be made in the folder ``where`` (as shown):
    it, or the nearest folder ``above`` it that exists (None: itself), is not writable."""
    which = "the folder" if above is None else f"the folder above it, {above},"
    return (f"cannot make a library in {where}: {which} is not writable ({reason}): choose "
            "another --data-dir or make it writable")


def cannot_make_library_problem(path: Path) -> str | None:
    """Why no library can be made at ``path`` (the database file): there is none yet, and its
    folder (or the nearest one above it that exists, where the folder is missing) cannot be
    written (:func:`unwritable_folder`); else None (there is one, or the folder can be
    written: opening says what else is wrong). Why: SQLite said only "unable to open
    database file", in every command that makes a library (``scan``, ``import``) and in the
    window, where it hid the demo card's clearer words."""
    try:
        path.lstat()
        return None  # there is one: opening it (read-only, if need be) says the rest
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError:
        return None  # a folder that cannot be searched: the system's words say it
    if (unwritable := unwritable_folder(path.parent)) is None:
        return None
    folder, reason = unwritable
    above = None if folder == path.parent else str(folder)
    return cannot_make_library_message(str(path.parent), above, reason)


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


_CANNOT_LOCK = "is on a filesystem that cannot lock files (NFS without its lock daemon?)"
"""What is wrong with a folder whose locks are refused (ENOLCK), in every message about it."""


def cannot_lock_what(data_dir: str | Path) -> str:
    """What is wrong with a library whose filesystem cannot lock files, as the window says it
    (after "The"): one wording for the window, the launch and every command."""
    return f"library {data_dir} {_CANNOT_LOCK}"


def cannot_lock_message(data_dir: str | Path) -> str:
    """The one line for a library whose filesystem cannot lock files (the window's words)."""
    return f"the {cannot_lock_what(data_dir)}: {CANNOT_LOCK_ADVICE}"


def cannot_lock_problem(path: Path) -> str | None:
    """:func:`cannot_lock_message` when the filesystem of the database at ``path`` refuses
    POSIX locks (ENOLCK: NFS without lockd), else None (also when it cannot be told).

    Why: SQLite takes ENOLCK for a busy database, so every command waited out its busy
    timeouts (30-60 s) and then blamed "another program". The probe locks a file of its own
    beside the database, never the database: closing any descriptor of a file drops every
    POSIX lock this process holds on it, SQLite's connections' included. The probe is named
    by this process (:func:`~musicsage.files.temporary_beside`: one a killed run left is
    removed by the next check) and removed again. Where none can be made (a read-only folder
    or mount) a lock file of the app's beside it is asked (:func:`_query_refused`)."""
    from musicsage.files import temporary_beside

    if fcntl is None or not path.parent.is_dir():
        return None
    try:
        fd, probe = temporary_beside(Path(f"{path}{LOCK_PROBE_SUFFIX}"))
    except OSError:
        return cannot_lock_message(path.parent) if _query_refused(path) else None
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # what SQLite takes to read
    except OSError as exc:
        return cannot_lock_message(path.parent) if exc.errno == errno.ENOLCK else None
    finally:
        os.close(fd)  # releases the probe's lock
        Path(probe).unlink(missing_ok=True)
    return None


def _query_refused(path: Path) -> bool:
    """Whether a read lock on one of the app's lock files beside the database at ``path``
    (``library.sqlite3.scan-lock`` …: SQLite never POSIX-locks them) fails with ENOLCK: the
    test of a library whose folder cannot be written. Taken (``F_SETLK``: NFS asks the lock
    daemon only for that, not for a query) and let go at once, on a descriptor closed at
    once: one kept open held a read-only mount busy. No such file: nothing can be told."""
    for sibling in sorted(path.parent.glob(f"{glob.escape(path.name)}.*-lock")):
        try:
            fd = os.open(sibling, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.lockf(fd, fcntl.LOCK_UN)
        except OSError as exc:
            return exc.errno == errno.ENOLCK
        finally:
            os.close(fd)
        return False
    return False


def cannot_lock_folder(folder: str | Path, advice: str) -> str:
    """The one line for a lock refused with ENOLCK in ``folder``, which is no library's data
    dir (``train --out``'s folder, the per-user cache's maps), with the caller's ``advice``."""
    return f"the folder {folder} {_CANNOT_LOCK}: {advice}"


def refused_lock(exc: OSError, fd: int, cannot_lock: str | None = None) -> Exception:
    """What to raise for the lock refused with ``exc`` on the file open as ``fd``: where that
    is ENOLCK, the caller's line ``cannot_lock`` (:func:`cannot_lock_folder`), or by default
    :func:`cannot_lock_message` naming the file's folder (where /proc tells it), the library's
    data dir for its own locks; else ``exc`` itself. A scan, an embedding run or a demo build
    on NFS without lockd ended in a traceback."""
    if exc.errno != errno.ENOLCK:
        return exc
    if cannot_lock:
        return MusicsageError(cannot_lock)
    try:
        folder = os.path.dirname(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        folder = "here"
    return MusicsageError(cannot_lock_message(folder))


def map_cannot_lock(folder: str | Path) -> str:
    """:func:`cannot_lock_folder` for the map folder ``folder`` (the per-user cache's, for a
    library that cannot be written): it is that cache, not the library, to move."""
    return cannot_lock_folder(folder, "no map can be saved there; keep that cache on a local "
                                      "disk (XDG_CACHE_HOME)")


def output_cannot_lock(folder: str | Path) -> str:
    """:func:`cannot_lock_folder` for ``train --out``'s ``folder``."""
    return cannot_lock_folder(folder, "use an --out on a local disk")
