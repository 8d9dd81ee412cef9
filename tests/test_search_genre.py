"""The search box finds tracks by the genre tag the scan read from their files.

"jazz" or "techno" found nothing in a library whose files are tagged so (the search read
title, artist, album, album artist and file name only), and the no-match line said so.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "library"))
from library_audio import write_audio  # noqa: E402


def _scanned(ctx, tmp_path) -> Path:
    from musicsage.usecases.library import scan_library

    music = tmp_path / "music"
    write_audio(music / "a.flac", tags={"title": "Blue Night", "artist": "Quartet",
                                        "album": "Standards", "genre": "Jazz"})
    write_audio(music / "b.mp3", tags={"title": "Pulse", "artist": "DJ Nine",
                                       "album": "Warehouse", "genre": "Techno"})
    write_audio(music / "c.ogg", tags={"title": "Rain", "artist": "Quartet",
                                       "album": "Standards", "genre": "Électro Jazz"})
    write_audio(music / "d.wav")  # no tags at all
    scan_library(ctx, [str(music)])
    return music


def test_a_genre_word_finds_the_tracks_tagged_with_it(ctx, tmp_path):
    from musicsage.usecases.library import search_tracks

    _scanned(ctx, tmp_path)
    assert [t.title for t in search_tracks(ctx, "techno")] == ["Pulse"]
    assert sorted(t.title for t in search_tracks(ctx, "JAZZ")) == ["Blue Night", "Rain"]
    assert [t.title for t in search_tracks(ctx, "electro")] == ["Rain"], "accents aside"
    assert [t.title for t in search_tracks(ctx, "quartet electro")] == ["Rain"], \
        "every word, each in any field"
    assert search_tracks(ctx, "polka") == []


def test_the_no_match_line_names_genre_among_the_fields_searched():
    from musicsage.controllers.library import search_note

    assert search_note("polka", 0, 100) == (
        "no title, artist, album, album artist, genre or file name matches ‘polka’")
