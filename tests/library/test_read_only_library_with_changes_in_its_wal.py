"""A library in a folder that cannot be written, whose last changes wait in its ``-wal`` file
with no ``-shm`` file beside it (a copy, a snapshot, a backup drive mounted read-only):
SQLite cannot read those changes without making the ``-shm`` file, and reading past them
(``immutable``) showed the library as it was before them without a word. Refused in one line
instead; with no changes waiting it still opens to be read — also when a checkpoint folded
them into the library file and the ``-wal`` file kept its size and frames (a library copied
while open), which was refused though it reads fine."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import db, db_readonly

READ_ONLY = "attempt to write a readonly database"


def _copied_with_changes_in_its_wal(tmp_path: Path, checkpointed: bool = False) -> Path:
    """A library whose track "Later" is only in its ``-wal`` file, copied without ``-shm``
    (``checkpointed``: in the library file too, the ``-wal`` file left as it was)."""
    made = tmp_path / "made" / "library.sqlite3"
    made.parent.mkdir()
    with closing(db.open_connection(made)) as conn:
        conn.execute("INSERT INTO tracks(path, title) VALUES ('/m/a.ogg', 'Before')")
    copy = tmp_path / "copy" / "library.sqlite3"
    copy.parent.mkdir()
    with closing(sqlite3.connect(made, isolation_level=None)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO tracks(path, title) VALUES ('/m/b.ogg', 'Later')")
        if checkpointed:
            assert writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[0] == 0
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


def test_a_wal_a_checkpoint_folded_in_opens_to_be_read(tmp_path, monkeypatch):
    path = _copied_with_changes_in_its_wal(tmp_path, checkpointed=True)
    assert Path(f"{path}-wal").stat().st_size > 0  # its frames are still there
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with closing(db.open_connection(path)) as conn:
        titles = [r[0] for r in conn.execute("SELECT title FROM tracks ORDER BY id")]
    assert titles == ["Before", "Later"]


def test_a_commit_after_the_checkpoint_is_refused(tmp_path, monkeypatch):
    """The -wal file started again over older frames: only its new commit waits."""
    path = _copied_with_changes_in_its_wal(tmp_path, checkpointed=True)
    made = tmp_path / "made" / "library.sqlite3"
    with closing(sqlite3.connect(made, isolation_level=None)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO tracks(path, title) VALUES ('/m/c.ogg', 'Last')")
        shutil.copyfile(f"{made}-wal", f"{path}-wal")
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with pytest.raises(MusicsageError, match="its last changes wait in library.sqlite3-wal"):
        db.open_connection(path)


def test_a_wal_that_is_no_wal_holds_nothing_waiting(tmp_path, monkeypatch):
    """Zeros (a header SQLite ignores, as it ignores the file) are read past."""
    path = _copied_with_changes_in_its_wal(tmp_path, checkpointed=True)
    Path(f"{path}-wal").write_bytes(b"\0" * 4096)
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with closing(db.open_connection(path)) as conn:
        assert conn.execute("SELECT count(*) FROM tracks").fetchone()[0] == 2


def test_a_wal_this_user_cannot_read_is_refused_not_read_past(tmp_path, monkeypatch):
    """Another user's ``-wal`` file (mode 0600): opened immutable, its committed track "Later"
    was skipped without a word."""
    path = _copied_with_changes_in_its_wal(tmp_path)
    wal = Path(f"{path}-wal")
    wal.chmod(0)
    if os.geteuid() == 0:  # root reads it anyway: refused as for any other user
        def refused(file, *args, **kwargs):
            if os.fspath(file) == os.fspath(wal):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
            return open(file, *args, **kwargs)

        monkeypatch.setattr(db_readonly, "open", refused, raising=False)
    _in_a_folder_that_cannot_be_written(monkeypatch)

    with pytest.raises(MusicsageError) as refused_open:
        db.open_connection(path)

    assert str(refused_open.value) == (
        f"the library database {path} is read-only and its last changes may wait in "
        "library.sqlite3-wal, which cannot be read (Permission denied): let this user read it "
        f"(`chmod a+r {wal}`, as its owner) or open the library as its owner")
