"""An older library's upgrade cut short — a full disk at its commit, a kill while its copy is
being made — leaves the library whole at its old version with no copy of that try's, and the
next start finishes it. A full disk at the commit (where WAL writes) left the full-size copy,
the very file that filled the disk; a kill while copying left a half-written copy under the
name the user is told to go back to. And a full disk inside a nested transaction, which SQLite
rolls back whole, said "no such savepoint" (a traceback) instead of the full disk."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.failures import database_failure
from musicsage.library import db
from musicsage.library.db import connect, transaction
from musicsage.library.schema import MIGRATIONS, SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[2]


def schema_1_library(path: Path, tracks: int = 1) -> Path:
    """A WAL library of schema 1, as every release made it, holding ``tracks`` tracks."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then')")
        MIGRATIONS[0].apply(conn)
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (1, 'initial schema')")
        conn.executemany("INSERT INTO tracks(path, title) VALUES (?, ?)",
                         [(f"/m/{n:05d}.wav", "x" * 200) for n in range(tracks)])
    return path


def versions(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]


def track_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM tracks").fetchone()[0]


def _full_disk_error() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorname = "SQLITE_FULL"
    return exc


@pytest.mark.parametrize("sqlite_rolled_back", [False, True])
def test_a_full_disk_at_the_upgrades_commit_keeps_no_copy_and_the_next_start_upgrades(
        tmp_path, monkeypatch, sqlite_rolled_back):
    """What a 2.8 MB tmpfs holding a 1.4 MB library did: the copy fit, the commit did not."""
    path = schema_1_library(tmp_path / "library.sqlite3")
    db.take_upgrade_lines()

    class FullAtCommit(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "COMMIT":
                if sqlite_rolled_back:  # what SQLite may do itself on SQLITE_FULL
                    super().execute("ROLLBACK")
                raise _full_disk_error()
            return super().execute(sql, *args)

    real = db._connect

    def connect_full(target, *, uri, factory=sqlite3.Connection):
        return real(target, uri=uri,
                    factory=FullAtCommit if factory is sqlite3.Connection else factory)

    monkeypatch.setattr(db, "_connect", connect_full)
    with pytest.raises(MusicsageError, match=r"^the disk holding .* is full \(database or disk "
                                             r"is full\): make room on it, then try again$"):
        db.open_connection(path)
    monkeypatch.undo()

    assert sorted(p.name for p in tmp_path.iterdir() if "wal" not in p.name
                  and "shm" not in p.name) == ["library.sqlite3"]
    assert versions(path) == [1] and track_count(path) == 1
    assert db.take_upgrade_lines() == []

    db.open_connection(path).close()  # room made: the next start upgrades it
    assert versions(path) == [m.version for m in MIGRATIONS]
    kept = tmp_path / "library.sqlite3.schema-1.bak"
    assert db.take_upgrade_lines() == [
        f"upgraded the library database from schema 1 to {SCHEMA_VERSION}; the old one is "
        f"kept as {kept}"]
    assert versions(kept) == [1] and track_count(kept) == 1


KILLED_WHILE_COPYING = """
import os, signal, sqlite3, sys, types
from musicsage.library import db, db_upgrade

class KilledHalfWay(sqlite3.Connection):
    def backup(self, target, **kwargs):
        def progress(status, remaining, total):
            if remaining < total / 2:
                os.kill(os.getpid(), signal.SIGKILL)
        super().backup(target, pages=1, progress=progress)

db_upgrade.sqlite3 = types.SimpleNamespace(
    connect=lambda *a, **k: sqlite3.connect(*a, factory=KilledHalfWay, **k),
    Error=sqlite3.Error, Connection=sqlite3.Connection)
db.open_connection(sys.argv[1])
"""


def test_an_upgrade_killed_while_copying_leaves_no_half_copy_and_the_next_start_finishes(
        tmp_path):
    path = schema_1_library(tmp_path / "library.sqlite3", tracks=400)
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_COPYING, str(path)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    assert not list(tmp_path.glob("*.bak")), "a half-written copy under the copy's own name"
    assert versions(path) == [1] and track_count(path) == 400

    db.take_upgrade_lines()
    db.open_connection(path).close()
    assert versions(path) == [m.version for m in MIGRATIONS] and track_count(path) == 400
    kept = tmp_path / "library.sqlite3.schema-1.bak"
    assert versions(kept) == [1] and track_count(kept) == 400
    assert (kept.stat().st_mode & 0o777) == (path.stat().st_mode & 0o777)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(
        "library.sqlite3-")) == ["library.sqlite3", kept.name], "the killed run's temporary"


def test_a_full_disk_inside_a_nested_transaction_is_said_as_a_full_disk(ctx):
    """SQLite rolls back the whole transaction on SQLITE_FULL (``max_page_count`` is its own
    full disk): the inner block's ``ROLLBACK TO`` failed "no such savepoint", a bug's
    traceback in every front end, over the full disk."""
    conn = connect(ctx)
    conn.execute("INSERT INTO settings(key, value) VALUES ('kept', 'yes')")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as full:
        with transaction(conn):
            conn.execute("INSERT INTO settings(key, value) VALUES ('outer', 'x')")
            with transaction(conn):
                conn.execute("INSERT INTO settings(key, value) VALUES ('big', zeroblob(200000))")
    assert full.value.sqlite_errorname == "SQLITE_FULL"
    assert database_failure(full.value, ctx) == (
        f"the disk holding {ctx.db_path} is full (database or disk is full): make room on "
        "it, then try again")
    assert not conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT key FROM settings ORDER BY key")] == ["kept"]
    db.close_thread_connections()


def test_a_new_library_cut_short_while_made_is_made_whole_at_the_next_start_without_a_copy(
        tmp_path, monkeypatch, capsys):
    """Each migration of a new library was its own transaction: one cut short after the
    first read as a library of schema 1 at the next start, which kept a copy of it and said
    "upgraded the library database from schema 1"."""
    import dataclasses

    path = tmp_path / "library.sqlite3"

    def interrupted(conn):
        raise KeyboardInterrupt  # Ctrl-C while the library is being made

    cut_short = tuple(dataclasses.replace(m, apply=interrupted) if m.version == 2 else m
                      for m in MIGRATIONS)
    real = db.migrate
    monkeypatch.setattr(db, "migrate", lambda conn: real(conn, cut_short))
    with pytest.raises(KeyboardInterrupt):
        db.open_connection(path)
    monkeypatch.undo()
    db.take_upgrade_lines()

    with closing(db.open_connection(path)) as conn:
        assert db.applied_versions(conn) == [m.version for m in MIGRATIONS]
    assert db.take_upgrade_lines() == []
    assert not list(tmp_path.glob("*.bak"))
