"""A playlist file dated after the year 2262 (a camera's or a NAS's clock gone wrong,
``touch -d 2300-01-01``): its modification time in nanoseconds is past SQLite's signed 64-bit
INTEGER, and ``scan --playlists`` crashed on it ("Python int too large to convert to SQLite
INTEGER", exit 70) on every run — so did a re-scan of a player's library file so dated. Audio
files already had the rule (the stored time wraps into the 64-bit range); the playlist's stamp
now goes through the same rule wherever it is stored or compared with a stored one: the file
is imported, a re-scan leaves it alone, a plain scan finds it renamed, and adding to it
and removing from it work."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest

from musicsage.cli import main
from music_support import make_music

YEAR_2300_NS = 10_413_792_000_000_000_000
"""2300-01-01 in nanoseconds since 1970: more than 2**63 - 1, SQLite's largest integer."""


def _date_2300(path: Path) -> None:
    os.utime(path, ns=(YEAR_2300_NS, YEAR_2300_NS))
    if os.stat(path).st_mtime_ns != YEAR_2300_NS:
        pytest.skip("this file system cannot hold a time after 2262")


def _stored(data: Path) -> list[tuple[int, str, int]]:
    """(id, name, mtime_ns) of every stored playlist, by id."""
    with sqlite3.connect(data / "library.sqlite3") as conn:
        return conn.execute("SELECT id, name, mtime_ns FROM playlists ORDER BY id").fetchall()


@pytest.fixture
def library(tmp_path) -> tuple[Path, Path, list[Path], Path]:
    """(library dir, "Mix" dated 2300, the music's files, a Rhythmbox file dated 2300),
    music scanned, no playlist imported yet."""
    music, lists, paths = make_music(tmp_path, n_tracks=4, seconds=0.3)
    mix = lists / "Mix.m3u"
    mix.write_text("".join(f"{p}\n" for p in paths[:2]), encoding="utf-8")
    _date_2300(mix)
    player = tmp_path / "playlists.xml"
    player.write_text('<?xml version="1.0"?>\n<rhythmdb-playlists><playlist name="Road trip"'
                      ' type="static">' + "".join(f"<location>{escape('file://' + quote(str(p)))}"
                                                  "</location>" for p in paths[2:])
                      + "</playlist></rhythmdb-playlists>\n", encoding="utf-8")
    _date_2300(player)
    data = tmp_path / "data"
    assert main(["scan", str(music), "--data-dir", str(data)]) == 0
    return data, mix, paths, player


def test_a_playlist_dated_after_2262_is_imported_and_a_rescan_leaves_it(library, capsys):
    data, mix, _paths, player = library
    assert main(["scan", "--playlists", str(mix), str(player), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "playlist 'Mix' (m3u): 2 entries, 2 resolved" in out, out
    stored = _stored(data)
    assert [r[1] for r in stored] == ["Mix", "Road trip"], stored
    assert all(-2**63 <= r[2] < 2**63 for r in stored)
    assert main(["scan", "--json", "--data-dir", str(data)]) == 0
    rescan = json.loads(capsys.readouterr().out)
    assert rescan["playlists"] == [] and rescan["errors"] == []  # nothing changed: not read
    assert _stored(data) == stored


def test_a_renamed_playlist_dated_after_2262_is_found_by_a_plain_scan(library, capsys):
    data, mix, _paths, _player = library
    assert main(["scan", "--playlists", str(mix), "--data-dir", str(data)]) == 0
    mix.rename(mix.with_name("Road mix.m3u"))  # same size and time: the file renamed
    assert main(["scan", "--data-dir", str(data)]) == 0
    assert [r[1] for r in _stored(data)] == ["Road mix"]


def _track_id(data: Path, path: Path) -> str:
    with sqlite3.connect(data / "library.sqlite3") as conn:
        return str(conn.execute("SELECT id FROM tracks WHERE path = ?", (str(path),)).fetchone()[0])


def _entries(mix: Path) -> list[str]:
    return [Path(line).name for line in mix.read_text(encoding="utf-8").splitlines()]


def test_adding_to_and_removing_from_a_playlist_dated_after_2262(library, capsys):
    data, mix, paths, _player = library
    assert main(["scan", "--playlists", str(mix), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["suggest", "Mix", "--add", _track_id(data, paths[3]),
                 "--data-dir", str(data)]) == 0, capsys.readouterr().err
    assert _entries(mix) == [paths[0].name, paths[1].name, paths[3].name]
    _date_2300(mix)  # dated after 2262 again, and read again by a scan
    assert main(["scan", "--data-dir", str(data)]) == 0
    assert main(["suggest", "Mix", "--remove", _track_id(data, paths[0]),
                 "--data-dir", str(data)]) == 0, capsys.readouterr().err
    assert _entries(mix) == [paths[1].name, paths[3].name]
