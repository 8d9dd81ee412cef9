"""A library whose re-read of misread tags (:mod:`musicsage.library.tag_reread`) finished
under an older version stores that as done (``[]`` under the key "older_tags_reread").
The re-read rules added since (a FLAC/Ogg title stored as the file's name from an empty
first TITLE value; an ID3v1 title cut at a space) must reach it too: they ran only on
libraries never re-read, every library scanned since that version keeping its misread titles."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY

OLDER_KEY = "older_tags_reread"
"""The key the older version stored its finished re-read under, as a user's library has it."""


def test_a_title_misread_is_mended_where_an_older_re_read_had_finished(conn, music):
    from mutagen import File

    path = write_audio(music / "01 track.flac", tags={"artist": "Ann", "album": "Two"})
    tagged = File(path)
    tagged["title"] = ["", "Real Title"]
    tagged.save()
    scan_roots(conn, resolve_roots([music]))
    with conn:  # as the older version left it: its title misread, its re-read done
        conn.execute("UPDATE tracks SET title = '01 track'")
        conn.execute("DELETE FROM settings WHERE key = ?", (REREAD_KEY,))
        set_setting(conn, OLDER_KEY, [])

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Real Title"
    assert (rep.tags_read_again, rep.updated, rep.unchanged) == (1, 0, 1)
    assert get_setting(conn, REREAD_KEY) == []  # done: the next scan reads nothing again
    assert scan_roots(conn, resolve_roots([music])).tags_read_again == 0
