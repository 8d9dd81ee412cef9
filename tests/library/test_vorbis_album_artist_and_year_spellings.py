"""Vorbis comments name the album artist and the year in more than one way: foobar2000
writes ``ALBUM ARTIST``, other taggers ``ALBUM_ARTIST`` and ``YEAR``. Read as
``ALBUMARTIST`` and ``DATE`` alone, a compilation tagged so had no album artist (its album
split among its track artists) and no year."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.library.scan import resolve_roots, scan_roots


def _tagged(path, comments: dict[str, str]) -> None:
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

    made = os.fsdecode(write_audio(path, seconds=1.0))
    f = (FLAC if made.endswith(".flac") else OggVorbis)(made)
    for name, value in comments.items():
        f[name] = value
    f.save()


def test_album_artist_and_year_are_read_under_each_spelling(conn, music):
    _tagged(music / "a.flac", {"TITLE": "A", "ARTIST": "Solo", "ALBUM ARTIST": "Various Artists",
                               "YEAR": "1994"})
    _tagged(music / "b.ogg", {"TITLE": "B", "ALBUM_ARTIST": "Various Artists", "DATE": "1995"})
    _tagged(music / "c.flac", {"TITLE": "C", "ALBUMARTIST": "First", "ALBUM ARTIST": "Second",
                               "DATE": "1996", "YEAR": "2020"})
    rep = scan_roots(conn, resolve_roots([music]))
    assert rep.errors == []
    rows = {r["title"]: (r["albumartist"], r["year"]) for r in conn.execute(
        "SELECT title, albumartist, year FROM tracks")}
    assert rows == {"A": ("Various Artists", 1994), "B": ("Various Artists", 1995),
                    "C": ("First", 1996)}
