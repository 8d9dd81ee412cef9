"""A player's library file that is damaged gets one line naming it, and the scan goes on with
the other playlists: an iTunes ``Library.xml`` with a bad ``<date>``, an unknown encoding or
a persistent id that is no string stopped the whole scan with "unexpected error … this is a
bug"; a ``strawberry.db`` / ``clementine.db`` that is empty or not SQLite was passed over in
its folder without a word, and given alone was called "not a playlist file (extension not one
of .m3u …)", which sent the user looking for the wrong file."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.playlists import player_format_for

ITUNES_HEAD = ('<?xml version="1.0" encoding="{encoding}"?>\n<plist version="1.0"><dict>'
               '<key>Tracks</key><dict/>')
BROKEN_ITUNES = {
    "bad date": ITUNES_HEAD.format(encoding="UTF-8")
    + '<key>Date</key><date>2024-01-0</date><key>Playlists</key><array/></dict></plist>',
    "unknown encoding": ITUNES_HEAD.format(encoding="latin-9x")
    + "<key>Playlists</key><array/></dict></plist>",
    "id not a string": ITUNES_HEAD.format(encoding="UTF-8")
    + "<key>Playlists</key><array><dict><key>Name</key><string>Mine</string>"
      "<key>Playlist Persistent ID</key><string>AB</string><key>Parent Persistent ID</key>"
      "<array><string>x</string></array><key>Playlist Items</key><array/></dict>"
      "</array></dict></plist>",
}


@pytest.fixture()
def library(tmp_path):
    """A music folder of one track and a playlists folder with a good M3U naming it."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.wav")
    lists.mkdir()
    (lists / "good.m3u").write_text(f"{music / 'a.wav'}\n")
    return music, lists, ["--data-dir", str(tmp_path / "data")]


def _scan(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err.replace("\r", "\n")


@pytest.mark.parametrize("damage", sorted(BROKEN_ITUNES))
def test_a_damaged_itunes_library_is_said_and_the_scan_goes_on(library, capsys, damage):
    music, lists, data = library
    (lists / "Library.xml").write_text(BROKEN_ITUNES[damage])
    code, out, err = _scan(capsys, str(music), "--playlists", str(lists), *data)
    assert "unexpected error" not in err and "this is a bug" not in err
    assert "playlist 'good' (m3u): 1 entry, 1 resolved" in out
    if damage == "id not a string":  # read after all: the odd parent is no folder
        assert "playlist 'Mine' (itunes)" in out
    else:
        line = f"playlist {lists / 'Library.xml'}: not a readable iTunes/Music library"
        assert line in err
    if damage == "bad date":  # plistlib fails so on more than a <date>: one example
        assert "(a value it could not read, such as a <date> that is not a date)" in err
    assert code == 0


@pytest.mark.parametrize("player", ["strawberry", "clementine"])
@pytest.mark.parametrize("content, said", [
    (b"", "an empty file, not a {Player} database yet"),
    (b"just some text\n", "not a {Player} database (not an SQLite file"),
])
def test_a_players_database_that_is_not_one_is_said_by_name(library, capsys, player,
                                                            content, said):
    music, lists, data = library
    db = lists / f"{player}.db"
    db.write_bytes(content)
    assert player_format_for(str(db)).name == player
    expected = said.format(Player=player.capitalize())
    code, out, err = _scan(capsys, str(music), "--playlists", str(lists), *data)
    assert f"playlist {db}: {expected}" in err  # in its folder: no longer passed over
    assert "playlist 'good' (m3u): 1 entry, 1 resolved" in out and code == 0
    code, _, err = _scan(capsys, "--playlists", str(db), *data)  # given alone: that reason
    assert f"{db}: {expected}" in err and "extension not one of" not in err and code != 0


def test_a_players_database_of_another_schema_is_said(library, capsys):
    """An SQLite file under Strawberry's name without its tables (a newer or foreign schema):
    read and refused by what SQLite says, not called "not a playlist file"."""
    music, lists, data = library
    db = lists / "strawberry.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE something_else (x)")
    code, _, err = _scan(capsys, "--playlists", str(db), *data)
    assert "not a readable Strawberry database (no such table: playlists)" in err
    assert "extension not one of" not in err and code != 0


def test_other_files_of_the_names_are_not_claimed(tmp_path):
    """Only the players' own database names are claimed by name: a ``notes.db`` or a
    ``playlists.xml`` of another program is still nothing of a player's."""
    for name in ("notes.db", "playlists.xml", "Library.xml"):
        (tmp_path / name).write_text("hello\n")
        assert player_format_for(os.fspath(tmp_path / name)) is None


def test_a_rhythmbox_file_of_an_unknown_encoding_is_said(library, capsys):
    music, lists, data = library
    (lists / "playlists.xml").write_text(
        '<?xml version="1.0" encoding="latin-9x"?>\n<rhythmdb-playlists><playlist name="Mix"'
        f' type="static"><location>file://{music / "a.wav"}</location></playlist>'
        "</rhythmdb-playlists>\n")
    code, out, err = _scan(capsys, str(music), "--playlists", str(lists), *data)
    assert "unexpected error" not in err
    assert (f"playlist {lists / 'playlists.xml'}: not a valid Rhythmbox playlists file "
            "(unknown encoding: latin-9x)") in err
    assert "playlist 'good' (m3u): 1 entry, 1 resolved" in out and code == 0
