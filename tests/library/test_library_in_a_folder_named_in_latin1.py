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

import numpy as np
import pytest
import soundfile as sf

from musicsage import cli
from musicsage.cli_errors import write_crash_log
from musicsage.context import AppContext
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


def test_a_scan_stores_music_into_it(library, tmp_path, capsys):
    """The scan's lock, named after the database as SQLite names it, stopped every scan with
    "Could not decode to UTF-8 column 'file'" (the window's as well)."""
    music = tmp_path / "music"
    music.mkdir()
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(800) / 8000)
    sf.write(music / "tone.wav", tone, 8000)
    assert cli.main(["--data-dir", str(library.parent), "scan", str(music)]) == 0
    assert "1 new" in capsys.readouterr().out
    assert Path(f"{library}.scan-lock").exists()  # beside the database, in the folder café


def test_a_crash_in_it_is_logged_with_its_name_written_out(library, monkeypatch):
    """The crash log names the data dir: its Latin-1 byte made the logger crash in turn."""
    monkeypatch.setattr("musicsage.context.user_cache_root", lambda: library.parent / "user")
    ctx = AppContext.create(library.parent)
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        path, why_not = write_crash_log("stats", ["stats"], ctx)
    assert why_not == ""
    text = path.read_text(encoding="utf-8")
    assert "data dir: " in text and "caf\\udce9" in text
    assert "RuntimeError: a bug" in text
