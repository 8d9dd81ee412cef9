"""Opening a library an older or a newer musicsage made: a library of 76dc584 (migration 2
before it gained ``track_moves``) gets the table instead of crashing every scan; a newer
one is refused with its file untouched; an older one is copied aside before its schema is
upgraded (the older version cannot open it afterwards), and that is said once."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.library.schema import MIGRATIONS, SCHEMA_VERSION

TRACK_HASHES_76DC584 = """
CREATE TABLE track_hashes (
    track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX track_hashes_key ON track_hashes(size, hash)
"""
"""Migration 2 as 76dc584 released it."""


def old_library(path: Path, version: int) -> Path:
    """A WAL library of schema 1, or of 2 as 76dc584 made it, holding one track."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then')")
        MIGRATIONS[0].apply(conn)  # schema 1, as every release made it
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (1, 'initial schema')")
        if version >= 2:
            conn.executescript(TRACK_HASHES_76DC584)
            conn.execute("INSERT INTO schema_migrations(version, name)"
                         " VALUES (2, 'track content hashes (move detection)')")
        conn.execute("INSERT INTO tracks(id, path, title) VALUES (7, '/m/a.wav', 'Kept')")
    return path


def names(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_a_76dc584_library_gets_track_moves_and_scans(tmp_path):
    data = tmp_path / "data"
    old_library(data / "library.sqlite3", 2)
    write_audio(tmp_path / "music" / "t.wav", seconds=0.5, freq=440.0)

    assert cli.main(["scan", str(tmp_path / "music"), "--data-dir", str(data)]) == 0

    with closing(db.open_connection(data / "library.sqlite3")) as conn:
        assert {"track_moves", "track_hashes", "dataset_tracks"} <= names(conn)
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == list(
            range(1, SCHEMA_VERSION + 1)), "no version of its own: the table is repaired"


def test_a_newer_library_is_refused_with_its_file_untouched(tmp_path):
    path = tmp_path / "library.sqlite3"
    db.open_connection(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (?, 'future')",
                     (SCHEMA_VERSION + 1,))
        conn.execute("PRAGMA journal_mode = DELETE")
    before = path.read_bytes()

    with pytest.raises(MusicsageError, match="newer than this musicsage"):
        db.open_connection(path)

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sqlite3"]


def test_the_windows_change_watch_leaves_a_newer_library_alone(tmp_path):
    """The window's read-only watch of changes opened a newer musicsage's library it had
    refused, and left -wal and -shm files beside it when the window closed."""
    path = tmp_path / "library.sqlite3"
    db.open_connection(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (?, 'future')",
                     (SCHEMA_VERSION + 1,))
    before = path.read_bytes()

    assert db.stamp_connection(path) is None

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sqlite3"]


def test_an_upgrade_keeps_the_old_database_and_says_so_once(tmp_path, capsys):
    path = old_library(tmp_path / "library.sqlite3", 1)
    db.take_upgrade_lines()  # earlier tests' upgrades

    db.open_connection(path).close()
    db.open_connection(path).close()

    copy = tmp_path / "library.sqlite3.schema-1.bak"
    line = (f"upgraded the library database from schema 1 to {SCHEMA_VERSION}; the old one is "
            f"kept as {copy}")
    assert capsys.readouterr().err == "", "the library says nothing: its caller does"
    assert db.take_upgrade_lines() == [line] and db.take_upgrade_lines() == []
    assert db.take_upgrade_note(path) == line and db.take_upgrade_note(path) == ""
    with closing(sqlite3.connect(copy)) as kept:
        assert [r[0] for r in kept.execute("SELECT version FROM schema_migrations")] == [1]
        assert kept.execute("SELECT title FROM tracks").fetchall() == [("Kept",)]


def test_a_command_says_the_upgrade_once_on_stderr(tmp_path, capsys):
    data = tmp_path / "data"
    old_library(data / "library.sqlite3", 1)
    db.take_upgrade_lines()  # earlier tests' upgrades, not this command's

    assert cli.main(["stats", "--data-dir", str(data)]) == 0
    first = capsys.readouterr()
    assert cli.main(["stats", "--data-dir", str(data)]) == 0

    copy = data / "library.sqlite3.schema-1.bak"
    line = (f"musicsage: upgraded the library database from schema 1 to {SCHEMA_VERSION}; the "
            f"old one is kept as {copy}")
    assert [t for t in first.err.splitlines() if "upgraded" in t] == [line]
    assert "upgraded" not in first.out and "upgraded" not in capsys.readouterr().err


def test_a_command_says_only_its_own_upgrade(tmp_path, capsys):
    """An upgrade made before the command in the same process (a library opened through the
    API, as a test or a script does) is not said by a later command on another library."""
    (tmp_path / "new").mkdir()
    db.open_connection(tmp_path / "new" / "library.sqlite3").close()  # a current library
    old_library(tmp_path / "old" / "library.sqlite3", 1)
    db.open_connection(tmp_path / "old" / "library.sqlite3").close()
    assert cli.main(["stats", "--data-dir", str(tmp_path / "new")]) == 0
    assert "upgraded" not in capsys.readouterr().err


def test_an_earlier_copy_is_never_overwritten(tmp_path):
    path = old_library(tmp_path / "library.sqlite3", 1)
    earlier = tmp_path / "library.sqlite3.schema-1.bak"
    earlier.write_bytes(b"an earlier copy")

    db.open_connection(path).close()

    assert earlier.read_bytes() == b"an earlier copy"
    with closing(sqlite3.connect(tmp_path / "library.sqlite3.schema-1.2.bak")) as kept:
        assert kept.execute("SELECT title FROM tracks").fetchall() == [("Kept",)]


def test_no_upgrade_without_a_copy(tmp_path, monkeypatch):
    from musicsage.library import db_upgrade

    path = old_library(tmp_path / "library.sqlite3", 1)

    def full_disk(target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db_upgrade, "temporary_beside", full_disk)  # the copy's file
    with pytest.raises(MusicsageError, match="cannot keep a copy of the library database .*"
                       "from schema 1 to .*No space left.*the library was not changed"):
        db.open_connection(path)
    monkeypatch.undo()

    with closing(sqlite3.connect(path)) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1]
    assert not list(tmp_path.glob("*.bak"))


def test_a_new_library_is_not_copied(tmp_path, capsys):
    db.open_connection(tmp_path / "library.sqlite3").close()

    assert not list(tmp_path.glob("*.bak")) and capsys.readouterr().err == ""
