"""The library database: one SQLite file (WAL), one connection per thread, versioned migrations.

Why these choices:

- **One connection per thread** (:func:`connect`): sqlite3 connections must not cross threads,
  and the GUI runs use cases in worker threads. :func:`connect` keeps one connection per
  (thread, DB file) and hands back the same one on every call in that thread, so helpers can
  call ``connect(ctx)`` freely instead of threading a connection through every function.
  Closing it is allowed: the next call opens a fresh one.
- **WAL + busy_timeout**: readers (GUI) never block the writer (scan/embed worker) and a
  second writer waits instead of failing at once with "database is locked".
- **Autocommit connections** (``isolation_level=None``): a statement outside
  :func:`transaction` commits on its own, so a forgotten ``commit()`` can never leave a
  per-thread connection holding the write lock. Batch writes go inside ``with
  transaction(conn):`` (one commit per batch; also what makes a scan resumable after SIGKILL).
  ``conn.commit()`` stays harmless (a no-op outside a transaction).
- **synchronous=NORMAL**: in WAL mode a power cut may lose the last commits but never corrupts
  the file; a killed *process* loses nothing committed.
- **Migrations** (the schema: :mod:`musicsage.library.schema`) are numbered, recorded in
  ``schema_migrations`` and applied in one ``BEGIN IMMEDIATE`` transaction (an older
  library's with its copy: :func:`_upgrade`), so two processes opening a new DB at once
  cannot both apply one, and a failed or interrupted upgrade leaves the previous schema
  intact (a new library: none at all, made whole by the next start).

Timestamps are ISO-8601 UTC text (``2024-05-01T12:00:00.000Z``), filled in by column defaults.

:func:`transaction` and the migrations live in :mod:`musicsage.library.db_migrate`, the
read-only connection and its one-line refusals in :mod:`musicsage.library.db_readonly`, an
older library's copy and its upgrade line in :mod:`musicsage.library.db_upgrade`; all are
exported here, where their callers import them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

from musicsage.errors import MusicsageError
from musicsage.library.db_problems import (cannot_lock_problem, cannot_make_library_problem,
                                           damaged_message, disk_full_error, full_disk_message,
                                           is_damaged_error, not_a_database_file)
from musicsage.library.db_locks import is_locked_error, locked_message
from musicsage.library.db_migrate import (applied_versions, migrate, pending_versions,
                                          recorded_versions, transaction)
from musicsage.library.db_readonly import (ReadOnlyConnection, cannot_upgrade_message,
                                           read_only_error, read_only_uri,
                                           unread_changes_problem)
from musicsage.library.db_upgrade import (keep_before_upgrade, record_upgrade, take_upgrade_lines,
                                          take_upgrade_note)
from musicsage.library.schema import MIGRATIONS, NOW_SQL, SCHEMA_VERSION, Migration

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "NOW_SQL", "SCHEMA_VERSION", "Migration",
           "ReadOnlyConnection", "applied_versions", "connect", "damaged_message",
           "disk_full_error", "full_disk_message", "is_damaged_error", "library_file_problem",
           "migrate", "not_a_database_file", "open_connection", "pending_versions",
           "stamp_connection", "take_upgrade_lines", "take_upgrade_note", "transaction"]


def _busy_timeout_ms() -> int:
    """How long a write waits for another writer: 30 s, or ``MUSICSAGE_BUSY_TIMEOUT_S``."""
    try:
        return max(0, int(float(os.environ.get("MUSICSAGE_BUSY_TIMEOUT_S", "30")) * 1000))
    except ValueError:
        return 30_000


BUSY_TIMEOUT_MS = _busy_timeout_ms()
# --- connections ------------------------------------------------------------------------------

_local = threading.local()


def _db_path(target) -> Path:
    """``connect`` accepts an AppContext (anything with ``db_path``) or a path."""
    path = getattr(target, "db_path", target)
    return Path(path)


def _is_open(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
        return True
    except sqlite3.ProgrammingError:
        return False


def open_connection(db_path: str | Path) -> sqlite3.Connection:
    """A new, configured, migrated connection (not cached). Most code wants :func:`connect`.

    A library the user may only read (a folder or file without write permission, a read-only
    mount) is opened read-only when its schema is current, so that reading commands (``stats``,
    ``similar``) work; a write then fails with a one-line :class:`MusicsageError` (see
    :func:`transaction`). One on a filesystem that cannot lock files is refused at once
    (:func:`~musicsage.library.db_problems.cannot_lock_problem`): SQLite took it for a busy
    library and waited out its busy timeouts first. None yet, in a folder that cannot be
    written: one line naming the folder (SQLite said "unable to open database file").
    """
    path = Path(db_path)
    if problem := not_a_database_file(path):
        raise MusicsageError(problem)
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # sqlite3 says what is wrong below
    if problem := cannot_lock_problem(path) or _another_programs_database(path):
        raise MusicsageError(problem)
    try:
        conn = _connect(str(path), uri=False)
        _refuse_newer(conn)
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        kept = _upgrade(conn, path)
        _check_tables(conn)
        _check_writable(conn)
        if kept:
            record_upgrade(*kept)
    except sqlite3.DatabaseError as exc:
        if read_only_error(exc) and path.is_file():
            return _open_read_only(path)
        if read_only_error(exc) and (problem := cannot_make_library_problem(path)):
            raise MusicsageError(problem) from exc  # none yet, in a folder it cannot make one
        if disk_full_error(exc, path):
            return _open_on_full_disk(path, exc)
        if is_damaged_error(exc):
            raise MusicsageError(damaged_message(path, str(exc))) from exc
        if is_locked_error(exc):  # who writes, and what to do
            raise MusicsageError(f"cannot open the library database {path}, "
                                 f"{locked_message(path, BUSY_TIMEOUT_MS / 1000)}") from exc
        raise MusicsageError(f"cannot open the library database {path}: {exc}") from exc
    return conn


CORE_TABLES = ("tracks", "library_roots", "playlists", "playlist_entries", "audio_embeddings",
               "graph_models", "settings")
"""Tables every migrated library has; one missing is damage (another tool dropped it), which
every command met as a crash at its first query."""


def _another_programs_database(path: Path) -> str | None:
    """Why the file at ``path`` is not a library, seen before anything is written (WAL and the
    migrations made another program's database one; an empty file still becomes one). Opened
    read-write where it can be, so that closing removes the -wal and -shm files reading made."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    wal, writable = Path(f"{path}-wal").exists(), os.access(path, os.W_OK)
    target = str(path) if writable and not wal else read_only_uri(path) + (
        "" if wal else "&immutable=1")  # immutable: nothing made beside it, nobody writes it
    try:
        with closing(sqlite3.connect(target, uri=target != str(path),
                                     timeout=BUSY_TIMEOUT_MS / 1000)) as probe:
            return _not_a_library(probe, path)
    except sqlite3.Error:
        return None


def _not_a_library(conn: sqlite3.Connection, path: Path) -> str | None:
    """The refusal for a database with tables but no musicsage ``schema_migrations`` (every
    library of any version has one, made before its first table), else None."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table',"
                                        " 'view') AND substr(name, 1, 7) != 'sqlite_'")]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(schema_migrations)")}
    if not names or {"version", "name", "applied_at"} <= columns:
        return None
    shown = ", ".join(" ".join(n.split())[:40] for n in names[:3]) + (", …" * (len(names) > 3))
    return (f"{path} is not a musicsage library (it holds the tables {shown}): move it away, "
            "or choose another data folder (the file was not touched)")


def library_file_problem(path: Path) -> str | None:
    """Why :func:`open_connection` would refuse the database at ``path`` (in the way, another
    program's, damaged, a newer musicsage's), found without writing anything; None when it
    would open (or there is none yet). For what must refuse before it makes anything beside
    the library: ``demo`` rendered all its music, and every command made ``cache/``, first."""
    problem = not_a_database_file(path)
    if problem or not path.is_file() or path.stat().st_size == 0:
        return problem
    wal = Path(f"{path}-wal").exists()  # immutable otherwise: nothing made beside the file
    if wal and (problem := cannot_lock_problem(path)):  # (immutable takes no lock)
        return problem
    target = read_only_uri(path) + ("" if wal else "&immutable=1")
    try:  # one probe: another program's database, then a newer musicsage's, then damage
        with closing(sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)) as probe:
            if problem := _not_a_library(probe, path):
                return problem
            if not pending_versions(probe):
                _check_tables(probe)
    except MusicsageError as exc:  # a newer musicsage's library
        return str(exc)
    except sqlite3.DatabaseError as exc:  # anything but damage (locked …): opening says it
        return damaged_message(path, str(exc)) if is_damaged_error(exc) else None
    return None


def _refuse_newer(conn: sqlite3.Connection) -> None:
    """Refuse a library of a newer musicsage before anything is written: switching it to WAL
    first changed the file of a library this version may not touch."""
    try:
        pending_versions(conn)
    except MusicsageError:
        conn.close()
        raise


def _upgrade(conn: sqlite3.Connection, path: Path) -> tuple[int, Path] | None:
    """Apply the migrations the library lacks; ``(old version, copy)`` when it had an older
    schema (:func:`~musicsage.library.db_upgrade.keep_before_upgrade`). The copy and the
    migrations are made under one write lock: two processes opening an old library at once
    each kept a copy and each said it upgraded it. The other one waits, then finds the library
    current. Interrupted or failed, the library is as it was, and this call's copy is removed
    (each try left a full-size one; a copy of an earlier upgrade is never touched). A new
    library is made in one transaction too, without a copy: one cut short between two of its
    migrations (Ctrl-C, a full disk) read as an older library at the next start, which kept
    a copy of it and said it upgraded it."""
    if recorded_versions(conn) and not pending_versions(conn):
        migrate(conn)  # a current library (a migration's gain still made)
        return None
    conn.execute("BEGIN IMMEDIATE")  # read-only or busy: open_connection says it
    kept = None
    try:
        kept = keep_before_upgrade(conn, path, BUSY_TIMEOUT_MS / 1000)
        migrate(conn)  # each migration a savepoint of this transaction
        conn.execute("COMMIT")  # where a full disk fails in WAL mode: the copy goes too
    except BaseException:
        _abandon(conn)
        if kept:  # this call's copy of a library left as it was (Ctrl-C, a failed migration)
            kept[1].unlink(missing_ok=True)
        raise
    return kept


def _abandon(conn: sqlite3.Connection) -> None:
    """Roll back and close ``conn`` after a failed upgrade, never raising over its error:
    SQLite may have rolled the transaction back itself (a full disk), and "cannot rollback -
    no transaction is active" then hid the full disk and left the copy and the connection."""
    try:
        if _is_open(conn) and conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # closing rolls back what is left
    finally:
        conn.close()


def _check_tables(conn: sqlite3.Connection) -> None:
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in CORE_TABLES if t not in present]
    if missing:
        raise sqlite3.DatabaseError(f"malformed: the table {missing[0]} is missing")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting up to the busy timeout for another process to let go.

    The switch needs the database to itself, and SQLite reports it busy at once instead of
    calling the busy handler: two commands opening a new library together (two scans started
    at the same moment) would otherwise fail 'database is locked' in about one try in ten."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_locked_error(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _check_writable(conn: sqlite3.Connection) -> None:
    """Raise SQLite's read-only error now if the file can only be read: SQLite then opens it
    read-only without a word, and the first write would fail half-way through a command.
    A write that changes nothing, rolled back, without waiting (busy: someone writes, so can
    we). ``BEGIN IMMEDIATE`` alone is not enough: with a read-only shared-memory file left
    beside the database it succeeds."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM schema_migrations WHERE 0")
    except sqlite3.OperationalError as exc:
        if read_only_error(exc):
            conn.close()
            raise
    finally:
        if _is_open(conn):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _connect(target: str, *, uri: bool, factory=sqlite3.Connection) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, uri=uri,
                           factory=factory)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The library opened read-only, if nothing needs migrating.

    ``mode=ro`` first; a WAL database in a folder we cannot write needs ``immutable=1`` (SQLite
    cannot create the shared-memory file), which also means a change made meanwhile by someone
    who can write is not seen until the next start. Refused where changes wait in its
    ``-wal`` file that the library file lacks
    (:func:`~musicsage.library.db_readonly.unread_changes_problem`).
    """
    base = read_only_uri(path)
    error: Exception | None = None
    for target in (base, base + "&immutable=1"):
        if target != base and (problem := unread_changes_problem(path)):
            raise MusicsageError(problem)
        try:
            pending = _pending_at(target, path)
        except sqlite3.DatabaseError as exc:
            error = exc
            continue
        if len(pending) == len(MIGRATIONS):  # an empty file: no older library to upgrade
            raise MusicsageError(f"the library database {path} is read-only and holds no "
                                 "library yet: make one in a folder that can be written")
        if pending:
            raise MusicsageError(cannot_upgrade_message(path, SCHEMA_VERSION))
        return _connect(target, uri=True, factory=ReadOnlyConnection)
    raise MusicsageError(f"cannot open the library database {path} (read-only): {error}")


def _pending_at(target: str, path: Path) -> list[int]:
    """:func:`pending_versions` at URI ``target`` (own connection; not a library, or a current
    one missing a table, refused: read-only, that was a crash at every command's first query,
    where a writable one is said damaged)."""
    probe = _connect(target, uri=True)
    try:
        if problem := _not_a_library(probe, path):
            raise MusicsageError(problem)
        pending = pending_versions(probe)
        if not pending:
            try:
                _check_tables(probe)
            except sqlite3.DatabaseError as exc:
                raise MusicsageError(damaged_message(path, str(exc))) from exc
        return pending
    finally:
        probe.close()


def _open_on_full_disk(path: Path, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
    """The library on a full disk opened to be read (``stats``, ``similar`` work), else the
    one-line full-disk error. ``immutable=1`` reads the file without the ``-shm`` file, which
    cannot be made. Honest only because nobody else writes: a writer needs that file too (one
    that had it open would have let this open succeed), and only when no committed change
    waits in the ``-wal`` file (immutable would not see it; one a checkpoint folded in does
    not count: :func:`~musicsage.library.db_readonly.unread_changes_problem`). A write is
    refused in one line."""
    message = full_disk_message(path, str(exc))
    if path.is_file() and unread_changes_problem(path) is None:
        target = read_only_uri(path) + "&immutable=1"
        try:
            if not _pending_at(target, path):
                conn = _connect(target, uri=True, factory=ReadOnlyConnection)
                conn.refusal = message
                return conn
        except sqlite3.DatabaseError:
            pass
    raise MusicsageError(message) from exc


def connect(ctx) -> sqlite3.Connection:
    """This thread's connection to ``ctx.db_path`` (opened, configured and migrated on first use).

    ``ctx`` is an :class:`~musicsage.context.AppContext` (or a DB path). Rows are
    :class:`sqlite3.Row`; foreign keys are on; statements outside :func:`transaction` autocommit.
    """
    key = str(_db_path(ctx).resolve())
    conns: dict[str, sqlite3.Connection] = _local.__dict__.setdefault("conns", {})
    conn = conns.get(key)
    if conn is None or not _is_open(conn):
        problem = not_a_database_file(_db_path(ctx))  # the key is resolved: not a link any more
        if problem:
            raise MusicsageError(problem)
        conn = conns[key] = open_connection(key)
    return conn


def stamp_connection(ctx) -> sqlite3.Connection | None:
    """A connection to an existing library that any thread may use, one call at a time (the
    caller serialises), to read :func:`~musicsage.library.queries.change_stamp`; it never
    writes, but is opened read-write where the library and its folder can be written.

    Why: a worker thread's own connection is closed when the thread ends, and SQLite's
    ``data_version`` can only be compared within one connection; a holder of loaded data
    (the window's search spaces) that must notice any change, from any thread, keeps this one.
    Read-write, because it is what the window closes last: SQLite checkpoints the library and
    removes its -wal and -shm files when the last connection closes, and a read-only one
    closing last left them behind after every window.
    None when it cannot be opened (the caller then checks the way it can), or is no library
    this musicsage may read (:func:`library_file_problem`: reading it read-only would leave
    -wal and -shm files beside another program's database, or a newer musicsage's library).
    """
    path = _db_path(ctx).resolve()
    if not path.is_file() or library_file_problem(path):
        return None
    target = read_only_uri(path)
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        target = target.removesuffix("?mode=ro") + "?mode=rw"  # never makes the file
    try:
        conn = sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA data_version").fetchone()
    except sqlite3.Error:
        return None
    return conn


def close_thread_connections() -> None:
    """Close this thread's cached connections (worker threads call it before they end)."""
    conns: dict[str, sqlite3.Connection] = _local.__dict__.get("conns", {})
    for conn in conns.values():
        try:
            conn.close()
        except sqlite3.Error:
            pass
    conns.clear()


