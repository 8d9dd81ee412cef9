"""A playlist named by its file alone, the file named in Latin-1 bytes (``Caf\\xe9.m3u``, a
Winamp-era list on a Linux disk), was named ``Caf\\ufffd`` everywhere: the lists, the
export's playlists.csv, the name ``suggest`` matches. Its name reads its odd bytes as
Windows-1252, as the file's contents are read; the stored path keeps the bytes. A library an
older version scanned is mended once (``mend_file_names``); a name the file itself gave is
never touched."""

from __future__ import annotations

import os
import sqlite3

from musicsage.library import paths as P
from musicsage.library.playlists.named import file_playlist_name, mend_file_names


def stored(raw: bytes) -> str:
    return P.from_fs(raw)


def test_odd_bytes_read_as_windows_1252_and_utf8_kept():
    assert file_playlist_name(stored(b"/lists/Latin1 Caf\xe9.m3u")) == "Latin1 Café"
    assert file_playlist_name(stored(b"/lists/\x93Hits\x94 \x80 Caf\xc3\xa9.m3u8")) == \
        "\u201cHits\u201d € Café"
    assert file_playlist_name(stored(b"/lists/Caf\xe9/Mix 1.pls")) == "Mix 1"  # its folder's
    assert file_playlist_name("/lists/Road trip.xspf") == "Road trip"


def test_the_stored_path_still_opens_the_file(tmp_path):
    raw = os.fsencode(tmp_path) + b"/Caf\xe9.m3u"
    with open(raw, "wb") as f:
        f.write(b"a.flac\n")
    path = stored(raw)

    assert file_playlist_name(path) == "Café"
    assert open(P.to_fs(path), "rb").read() == b"a.flac\n"


def _library(rows: list[tuple[str, str]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE playlists (id INTEGER PRIMARY KEY, name TEXT, path TEXT)")
    conn.executemany("INSERT INTO playlists (name, path) VALUES (?, ?)", rows)
    return conn


def test_an_older_library_is_mended_once_and_titles_kept():
    latin = stored(b"/lists/Caf\xe9.m3u")
    titled = stored(b"/lists/Caf\xe9 2.xspf")
    conn = _library([("Caf\ufffd", latin),  # as an older scan stored it
                     ("My title", titled),
                     ("Mix 1", "/lists/Mix 1.m3u8"),
                     ("Caf\ufffd", "rhythmbox:/home/u/playlists.xml#Caf%E9")])

    assert mend_file_names(conn) == 1
    names = [r[0] for r in conn.execute("SELECT name FROM playlists ORDER BY id")]
    assert names == ["Café", "My title", "Mix 1", "Caf\ufffd"]
    assert conn.execute("SELECT path FROM playlists WHERE id = 1").fetchone()[0] == latin
    assert mend_file_names(conn) == 0
