"""What opening the library database refuses, and how it says so: another program's database
at the library's path (it was silently made a library, journal mode and all), a read-only
library (the line names what cannot be written: the file or its folder), an old library that
cannot be upgraded where it lies; and the "locked" line's command line of the holder."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.library.db_locks import command_line

READ_ONLY = "attempt to write a readonly database"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _another_programs_database(path: Path, journal: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        for name in ("moz_places", "moz_bookmarks", "moz_origins", "moz_keywords"):
            conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
    conn.close()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_another_programs_database_is_refused_in_one_line_and_left_as_it_was(tmp_path, capsys,
                                                                             journal):
    """``stats`` said "0 tracks" and left musicsage's tables in it, switched to WAL."""
    path = tmp_path / "library.sqlite3"
    _another_programs_database(path, journal)
    before = _files(tmp_path)
    line = (f"{path} is not a musicsage library (it holds the tables moz_places, moz_bookmarks, "
            "moz_origins, …): move it away, or choose another data folder (the file was not "
            "touched)")
    assert cli.main(["--data-dir", str(tmp_path), "stats"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"musicsage stats: {line}"]
    with pytest.raises(MusicsageError) as refused:
        db.connect(path)
    assert str(refused.value) == line
    assert _files(tmp_path) == before  # byte for byte; no -wal or -shm file left


def test_the_windows_change_watch_leaves_another_programs_database_alone(tmp_path):
    """The window's read-only change-stamp connection, opened first, left -wal and -shm files
    beside it (a read-only connection cannot remove them)."""
    path = tmp_path / "library.sqlite3"
    _another_programs_database(path, "wal")
    before = _files(tmp_path)
    assert db.stamp_connection(path) is None
    assert _files(tmp_path) == before


def test_an_empty_file_a_database_without_tables_and_a_half_made_library_still_open(tmp_path):
    empty, bare, half = (tmp_path / n for n in ("empty.db", "bare.db", "half.db"))
    empty.touch()
    sqlite3.connect(bare).execute("PRAGMA user_version = 7").connection.close()
    with sqlite3.connect(half) as conn:  # killed between schema_migrations and migration 1
        db.applied_versions(conn)
    conn.close()
    for path in (empty, bare, half):
        conn = db.open_connection(path)
        assert db.applied_versions(conn) == [m.version for m in db.MIGRATIONS]
        conn.close()


def _read_only_here(monkeypatch) -> None:
    """As a library the user may only read opens (root ignores permissions): its first write
    fails, so it is opened read-only."""

    def refuse(conn):
        raise sqlite3.OperationalError(READ_ONLY)

    monkeypatch.setattr(db, "_use_wal", refuse)


def test_a_read_only_library_of_an_older_schema_says_to_open_it_where_it_can_be_written(
        tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(path) as conn:
        db.migrate(conn, db.MIGRATIONS[:1])
    conn.close()
    before = _files(tmp_path)
    _read_only_here(monkeypatch)
    with pytest.raises(MusicsageError) as refused:
        db.open_connection(path)
    assert str(refused.value) == (
        f"the library database {path} is read-only and needs upgrading to schema version "
        f"{db.SCHEMA_VERSION}: open it once where it can be written")
    assert _files(tmp_path) == before


def test_a_read_only_database_of_another_program_is_not_told_to_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite3"
    _another_programs_database(path, "wal")
    monkeypatch.setattr(db, "_another_programs_database", lambda path: None,  # unreadable there
                        raising=False)
    _read_only_here(monkeypatch)
    with pytest.raises(MusicsageError, match=r"is not a musicsage library \(it holds the tables "
                                             "moz_places"):
        db.open_connection(path)


@pytest.mark.parametrize("cannot_write", ["file", "folder", "both"])
def test_a_write_to_a_read_only_library_names_what_cannot_be_written(tmp_path, monkeypatch,
                                                                     cannot_write):
    """It blamed the folder when only the file was read-only; ``train`` names the file."""
    path = tmp_path / "library.sqlite3"
    db.open_connection(path).close()
    _read_only_here(monkeypatch)
    conn = db.open_connection(path)
    assert isinstance(conn, db.ReadOnlyConnection)
    denied = {"file": {path}, "folder": {tmp_path}, "both": {path, tmp_path}}[cannot_write]
    access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) not in denied and access(p, mode))
    with pytest.raises(MusicsageError) as refused:
        with db.transaction(conn):
            conn.execute("INSERT INTO settings(key, value) VALUES ('k', 'v')")
    what = {"file": f"the library database {path} is read-only",
            "folder": f"the library folder {tmp_path} is not writable",
            "both": f"the library database {path} and its folder are read-only"}[cannot_write]
    assert str(refused.value).startswith(f"{what} (")
    assert str(refused.value).endswith("); storing into the library needs write access to it")
    conn.close()


def test_the_lock_holders_command_line_shortens_paths_only():
    """A ``python -c`` program naming a path was cut to what followed its last slash."""
    program = "import sqlite3\nc = sqlite3.connect('/tmp/x/library.sqlite3', isolation_level=None)"
    assert command_line(["/usr/bin/python3", "-c", program]) == (
        "python3 -c import sqlite3 c = sqlite3.connect('/tmp/x/library.sqlite3', "
        "isolation_level=None)")
    assert command_line(["/usr/bin/python3", "-m", "musicsage", "--data-dir", "/home/u/My Data/",
                         "scan", "./Music", "Rock/Live"]) == (
        "python3 -m musicsage --data-dir My Data scan Music Rock/Live")
    long = command_line(["python3", "-c", "x = 1\n" * 100], limit=40)
    assert len(long) == 40 and long.endswith("…") and "\n" not in long


def test_a_read_only_library_missing_one_of_its_tables_is_damaged_not_a_crash(tmp_path,
                                                                              monkeypatch,
                                                                              capsys):
    """Writable, it is said damaged; read-only, every command ended in "unexpected error
    (OperationalError: no such table: graph_models); this is a bug" at its first query."""
    data = tmp_path / "data"
    path = data / "library.sqlite3"
    db.open_connection(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE graph_models")
    conn.close()
    before = _files(data)
    _read_only_here(monkeypatch)
    line = (f"the library database {path} is damaged (malformed: the table graph_models is "
            "missing): move it aside (or put back a copy of it) and scan your music again; "
            "your music and playlist files are untouched")

    with pytest.raises(MusicsageError) as refused:
        db.open_connection(path)
    assert str(refused.value) == line

    assert cli.main(["stats", "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == f"musicsage stats: {line}\n"
    assert {n: b for n, b in _files(data).items() if n == path.name} == {
        path.name: before[path.name]}


def test_an_empty_read_only_library_file_is_not_told_to_upgrade(tmp_path, monkeypatch):
    """A zero-byte ``library.sqlite3`` that cannot be written was said to need "upgrading to
    schema version N", as if an older musicsage had made it."""
    path = tmp_path / "library.sqlite3"
    path.touch()
    _read_only_here(monkeypatch)
    with pytest.raises(MusicsageError) as refused:
        db.open_connection(path)
    assert str(refused.value) == (f"the library database {path} is read-only and holds no "
                                  "library yet: make one in a folder that can be written")
    assert path.read_bytes() == b""
