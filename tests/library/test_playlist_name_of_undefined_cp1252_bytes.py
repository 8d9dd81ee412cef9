"""A playlist named by its file, whose name holds one of the five bytes Windows-1252 leaves
undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), took it as a C1 control character (``A\\x81B``),
stored into the lists, the window and the export's playlists.csv. Such a byte reads as
``\\ufffd``, as before the name was read as Windows-1252; the defined ones keep their letters,
and such a name stored by an older version is left as it is (nothing better to mend it to)."""

from __future__ import annotations

import sqlite3

from musicsage.library import paths as P
from musicsage.library.playlists.named import file_playlist_name, mend_file_names


def test_undefined_bytes_read_as_the_replacement_character():
    name = file_playlist_name(P.from_fs(b"/lists/A\x81B\x8d\x8f\x90\x9dC \xe9.m3u"))
    assert name == "A\ufffdB\ufffd\ufffd\ufffd\ufffdC é"
    assert not any(0x80 <= ord(c) <= 0x9F or ord(c) < 0x20 for c in name)


def test_a_name_stored_with_the_replacement_character_is_not_renamed():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE playlists (id INTEGER PRIMARY KEY, name TEXT, path TEXT)")
    path = P.from_fs(b"/lists/A\x81B.m3u")
    conn.execute("INSERT INTO playlists VALUES (1, ?, ?)", (P.display(P.from_fs(b"A\x81B")), path))
    assert mend_file_names(conn) == 0
    assert conn.execute("SELECT name FROM playlists").fetchone()[0] == "A\ufffdB"
