"""Two processes opening one old library at once: one copies it aside and upgrades it, the
other finds it upgraded. Both copied it and both said they upgraded it (two ``.bak`` files,
two lines), since each copied before either migrated."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.library.schema import MIGRATIONS, SCHEMA_VERSION


def schema_1_library(path: Path) -> Path:
    """A WAL library of schema 1, as every release made it, holding one track."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then')")
        MIGRATIONS[0].apply(conn)
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (1, 'initial schema')")
        conn.execute("INSERT INTO tracks(id, path, title) VALUES (7, '/m/a.wav', 'Kept')")
    return path


def test_a_second_opener_during_the_upgrade_neither_copies_nor_claims_it(tmp_path, monkeypatch):
    path = schema_1_library(tmp_path / "library.sqlite3")
    db.take_upgrade_lines()
    real_migrate, other = db.migrate, []

    def migrate_while_another_opens(conn, *args, **kwargs):
        if not other:  # the other process arrives once this one has copied the library
            other.append("arrived")
            monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 0)  # it gives up instead of waiting
            try:
                db.open_connection(path).close()
                other.append("opened")
            except MusicsageError as exc:
                other.append(str(exc))
            monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 30_000)
        return real_migrate(conn, *args, **kwargs)

    monkeypatch.setattr(db, "migrate", migrate_while_another_opens)
    with closing(db.open_connection(path)) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
        kept = conn.execute("SELECT title FROM tracks WHERE id = 7").fetchone()[0]

    assert versions == list(range(1, SCHEMA_VERSION + 1)) and kept == "Kept"
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == ["library.sqlite3.schema-1.bak"]
    lines = db.take_upgrade_lines()
    assert len(lines) == 1 and "from schema 1" in lines[0], lines
    assert "locked" in other[-1], other  # it waited for the upgrade (here: gave up at once)
    with closing(sqlite3.connect(tmp_path / "library.sqlite3.schema-1.bak")) as copy:
        assert [r[0] for r in copy.execute("SELECT version FROM schema_migrations")] == [1]


def test_the_other_opener_finds_the_library_upgraded_and_says_nothing(tmp_path):
    path = schema_1_library(tmp_path / "library.sqlite3")
    db.take_upgrade_lines()
    with closing(db.open_connection(path)), closing(db.open_connection(path)):
        pass
    assert len(db.take_upgrade_lines()) == 1
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_an_interrupted_upgrade_leaves_the_library_as_it_was_and_no_copy_of_its_own(
        tmp_path, monkeypatch):
    path = schema_1_library(tmp_path / "library.sqlite3")
    earlier = tmp_path / "library.sqlite3.schema-1.bak"
    earlier.write_bytes(b"a copy of an earlier try, kept by the user")

    def interrupted(conn, *args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C once the copy is made
    monkeypatch.setattr(db, "migrate", interrupted)
    for _ in range(3):  # each try made a full-size copy of its own, and left it
        with pytest.raises(KeyboardInterrupt):
            db.open_connection(path)

    assert sorted(p.name for p in tmp_path.glob("*.bak")) == [earlier.name]
    assert earlier.read_bytes() == b"a copy of an earlier try, kept by the user"
    with closing(sqlite3.connect(path)) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1]


def test_a_library_busy_beyond_the_timeout_says_who_writes_and_to_try_again(
        tmp_path, monkeypatch):
    path = schema_1_library(tmp_path / "library.sqlite3")
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another musicsage, in the middle of a scan
        monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 0)
        with pytest.raises(MusicsageError) as refused:
            db.open_connection(path)
    message = str(refused.value)
    assert f"cannot open the library database {path}, the library database is locked" in message
    assert message.endswith("try again once it has finished"), message
    assert not list(tmp_path.glob("*.bak"))
