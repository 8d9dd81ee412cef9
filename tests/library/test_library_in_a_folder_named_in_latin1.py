"""A library in a folder whose name is not UTF-8 (``café`` written by an old Latin-1 system).

Linux names are bytes; Python hands such a name over with surrogates (``caf\\udce9``), which
text encoders refuse. ``stats`` while the window had the library open (a ``-wal`` file beside
it) crashed building the read-only URI (``urllib.parse.quote`` encodes text as UTF-8), the
window's change watch crashed the same way, and SQLite's own name of the file ("PRAGMA
database_list") could not be read at all ("Could not decode to UTF-8").
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.library import db
from musicsage.library.db_readonly import database_path


@pytest.fixture
def library(tmp_path) -> Path:
    """The database of a (current, empty) library in a folder named ``café`` in Latin-1."""
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    try:
        folder.mkdir()
    except (OSError, UnicodeEncodeError):
        pytest.skip("this filesystem takes only UTF-8 names")
    path = folder / "library.sqlite3"
    db.open_connection(path).close()
    return path


def test_stats_reads_it_while_the_window_has_it_open(library, capsys):
    window = sqlite3.connect(os.fsencode(library))  # the window reading: a -wal file beside
    try:
        window.execute("SELECT COUNT(*) FROM tracks").fetchall()
        assert Path(f"{library}-wal").exists()
        assert cli.main(["--data-dir", str(library.parent), "stats"]) == 0
    finally:
        window.close()
    out, err = capsys.readouterr()
    assert "tracks" in out
    assert "Traceback" not in err


def test_the_windows_change_watch_opens_it(library):
    conn = db.stamp_connection(library)
    assert conn is not None
    conn.close()


def test_sqlite_names_its_file_as_the_system_does(library):
    conn = db.open_connection(library)
    try:
        assert database_path(conn) == library
        assert conn.execute("SELECT 'text still read as text'").fetchone()[0] == (
            "text still read as text")
    finally:
        conn.close()
