"""Transactions and the versioned migrations applied in them.

A part of its own, apart from :mod:`musicsage.library.db` (which opens and configures the
connections): :func:`transaction` is what every batch write goes through (one commit per
batch, nested blocks as savepoints, a read-only library's refusal in one line), and the
migrations (the schema: :mod:`musicsage.library.schema`) are each applied in one ``BEGIN
IMMEDIATE`` transaction, recorded in ``schema_migrations``. :mod:`musicsage.library.db` still
exports these names, where their callers import them.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from typing import Iterator

from musicsage.errors import MusicsageError
from musicsage.library.db_readonly import as_user_error
from musicsage.library.schema import MIGRATIONS, NOW_SQL, Migration


def recorded_versions(conn: sqlite3.Connection) -> list[int]:
    """The recorded schema versions, read without writing anything (also on a read-only DB;
    none for a new file, which has no ``schema_migrations`` yet)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                        " AND name = 'schema_migrations'").fetchone():
        return []
    return [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]


def pending_versions(conn: sqlite3.Connection,
                     migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Versions this DB lacks, read without writing anything (also on a read-only DB).
    A DB newer than this code is refused (see :func:`migrate`)."""
    done = set(recorded_versions(conn))
    _refuse_newer(conn, done, migrations)
    return [m.version for m in migrations if m.version not in done]


# --- transactions -----------------------------------------------------------------------------

_savepoint_counter = threading.local()


@contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction: commit on success, roll back on any exception.

    ``immediate`` takes the write lock up front (``BEGIN IMMEDIATE``), so a read-then-write block
    cannot fail half-way with SQLITE_BUSY. Nested use becomes a SAVEPOINT, so an inner failure
    rolls back only the inner block.
    """
    if conn.in_transaction:
        n = getattr(_savepoint_counter, "n", 0) + 1
        _savepoint_counter.n = n
        name = f"sp_{n}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # not when SQLite rolled it all back (a full disk):
                conn.execute(f"ROLLBACK TO {name}")  # "no such savepoint" hid that error
                conn.execute(f"RELEASE {name}")
            raise
        else:
            conn.execute(f"RELEASE {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise as_user_error(exc, conn)


# --- migrations -------------------------------------------------------------------------------


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        f" applied_at TEXT NOT NULL DEFAULT ({NOW_SQL}))")
    return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def _refuse_newer(conn: sqlite3.Connection, done: set[int],
                  migrations: tuple[Migration, ...]) -> None:
    """Refuse a DB with a version this code does not know, naming its file (read from the
    connection): with several data dirs, "the library database" alone left which one open."""
    known = {m.version for m in migrations}
    if done - known:
        raise MusicsageError(
            f"the library database{_file_named(conn)} has schema version {max(done)}, newer "
            f"than this musicsage understands ({max(known)}); upgrade musicsage")


def _file_named(conn: sqlite3.Connection) -> str:
    """`` /path/library.sqlite3`` (the connection's main file, as shown), or "" in memory."""
    from musicsage.library.paths import shown_exactly

    file = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    return f" {shown_exactly(file)}" if file else ""


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the migrations this DB lacks, each in its own transaction; return their versions.

    A DB written by a newer musicsage (an unknown version recorded) is refused with a clear
    message rather than silently used with a schema this code does not know.
    """
    done = set(applied_versions(conn))
    _refuse_newer(conn, done, migrations)
    applied = []
    for m in migrations:
        if m.version in done:
            continue
        with transaction(conn):
            # re-check under the write lock: another process may have applied it meanwhile
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?",
                            (m.version,)).fetchone():
                continue
            m.apply(conn)
            conn.execute("INSERT INTO schema_migrations(version, name) VALUES (?, ?)",
                         (m.version, m.name))
        applied.append(m.version)
    _make_gained(conn, [m for m in migrations if m.version in done and m.gained])
    return applied


def _make_gained(conn: sqlite3.Connection, recorded: list[Migration]) -> None:
    """Make the tables and indexes a recorded migration gained after its release (see
    :attr:`Migration.gained`) where they are missing: a library migrated by that release
    crashed at the first query of one ("no such table: track_moves"). Nothing is written
    when none is missing (a read-only library still opens)."""
    def missing() -> list[str]:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return [s for m in recorded for s in m.gained.split(";")
                if s.strip() and _created_name(s) not in present]

    if recorded and missing():
        with transaction(conn):
            for statement in missing():  # read again under the write lock: another
                conn.execute(statement)     # process may have made them meanwhile


def _created_name(statement: str) -> str:
    """``CREATE TABLE track_moves (…`` → ``track_moves`` (an index's name likewise)."""
    words = [w for w in statement.split() if w.upper() not in ("CREATE", "TABLE", "INDEX",
                                                               "UNIQUE")]
    return words[0].split("(")[0]
