"""A library in a folder that cannot be written, whose last changes wait in its ``-wal`` file
with no ``-shm`` file beside it (a copy, a snapshot, a backup drive mounted read-only):
SQLite cannot read those changes without making the ``-shm`` file, and reading past them
(``immutable``) showed the library as it was before them without a word. Refused in one line
instead; with no changes waiting it still opens to be read."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import db

READ_ONLY = "attempt to write a readonly database"


def _copied_with_changes_in_its_wal(tmp_path: Path) -> Path:
    """A library whose track "Later" is only in its ``-wal`` file, copied without ``-shm``."""
    made = tmp_path / "made" / "library.sqlite3"
    made.parent.mkdir()
    with closing(db.open_connection(made)) as conn:
        conn.execute("INSERT INTO tracks(path, title) VALUES ('/m/a.ogg', 'Before')")
    copy = tmp_path / "copy" / "library.sqlite3"
    copy.parent.mkdir()
    with closing(sqlite3.connect(made, isolation_level=None)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO tracks(path, title) VALUES ('/m/b.ogg', 'Later')")
        shutil.copyfile(made, copy)
        shutil.copyfile(f"{made}-wal", f"{copy}-wal")
    return copy


def _in_a_folder_that_cannot_be_written(monkeypatch) -> None:
    """As such a library opens (root ignores permissions): its first write fails, and
    ``mode=ro`` cannot make the ``-shm`` file ("unable to open database file")."""
    def refuse(conn):
        raise sqlite3.OperationalError(READ_ONLY)

    real = db._pending_at

    def no_shm(target, path):
        if "immutable=1" not in target:
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, path)

    monkeypatch.setattr(db, "_use_wal", refuse)
    monkeypatch.setattr(db, "_pending_at", no_shm)


def test_changes_waiting_in_the_wal_are_refused_in_one_line_not_read_past(tmp_path,
                                                                          monkeypatch):
    path = _copied_with_changes_in_its_wal(tmp_path)
    kept = (path, Path(f"{path}-wal"))  # (root, writing here, may make a -shm file)
    before = [p.read_bytes() for p in kept]
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with pytest.raises(MusicsageError) as refused:
        db.open_connection(path)

    assert str(refused.value) == (
        f"the library database {path} is read-only and its last changes wait in "
        "library.sqlite3-wal, which cannot be read without making library.sqlite3-shm beside "
        "it: open it once where its folder can be written")
    assert [p.read_bytes() for p in kept] == before


def test_with_no_changes_waiting_it_still_opens_to_be_read(tmp_path, monkeypatch):
    path = _copied_with_changes_in_its_wal(tmp_path)
    with closing(sqlite3.connect(path)) as conn:  # writable here: fold the changes in
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    Path(f"{path}-shm").unlink(missing_ok=True)
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with closing(db.open_connection(path)) as conn:
        assert isinstance(conn, db.ReadOnlyConnection)
        titles = [r[0] for r in conn.execute("SELECT title FROM tracks ORDER BY id")]
    assert titles == ["Before", "Later"]
