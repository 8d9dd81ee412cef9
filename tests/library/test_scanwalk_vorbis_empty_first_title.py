"""A FLAC, Ogg or Opus file whose TITLE comment's first value is empty (``["", "Real
Title"]``): a version before the Vorbis fix read that empty value, and stored the file's name
as the track's title. The scan that reads again what an older version misread
(:mod:`musicsage.library.tag_reread`) chose such files only by an empty artist or album:
one with both set kept its file's name as its title for good."""

from __future__ import annotations

import pytest
from library_audio import write_audio

from musicsage.library.queries import set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY


@pytest.mark.parametrize("ext", ["flac", "ogg", "opus"])
def test_a_title_whose_first_value_was_empty_is_read_again(conn, music, ext):
    from mutagen import File

    path = write_audio(music / f"01 track.{ext}", tags={"artist": "Ann", "album": "Two"})
    tagged = File(path)
    tagged["title"] = ["", "Real Title"]
    tagged.save()
    scan_roots(conn, resolve_roots([music]))
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Real Title"
    with conn:  # the row as the version before the fix left it, not upgraded yet
        conn.execute("UPDATE tracks SET title = '01 track'")
        set_setting(conn, REREAD_KEY, None)

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Real Title"
    assert (rep.tags_read_again, rep.updated, rep.unchanged) == (1, 0, 1)


def test_an_untitled_file_with_artist_and_album_is_read_and_left_as_it_is(conn, music):
    """No title in the file: read once (it may be one), its name kept as its title."""
    write_audio(music / "02 other.flac", tags={"artist": "Ann", "album": "Two"})
    scan_roots(conn, resolve_roots([music]))
    with conn:
        set_setting(conn, REREAD_KEY, None)

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "02 other"
    assert (rep.tags_read_again, rep.notes) == (0, [])
