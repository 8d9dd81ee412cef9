"""A title the playlist reader reads is written as given, by "Add to playlist" (M3U, PLS) and
by "Save as playlist"/``--m3u``. An emoji newer than Python's Unicode data, private-use
characters and a lone surrogate beside letters were judged alone by the reader's "mostly
unprintable" rule (which the reader applies to the whole file) and dropped; the title's own
spaces (U+3000, no-break) were made ASCII spaces. Only a title that would make its entry
unreadable (sixty U+FFFD) is left out."""

from __future__ import annotations

import pytest

from musicsage.library.playlists import format_for
from musicsage.library.playlists.append import append_tracks
from musicsage.library.playlists.m3u import parse_m3u
from musicsage.search import m3u

TITLES = {"emoji of Unicode 15": ("\U0001fae8", "\U0001fae8"),
          "private use": ("\ue000\ue001", "\ue000\ue001"),
          "lone surrogate": ("ab\ud800", "ab\ufffd"),
          "ideographic space": ("東京\u3000タワー", "東京\u3000タワー"),
          "no-break spaces": ("Mr.\u00a0Blue 10\u202fkm", "Mr.\u00a0Blue 10\u202fkm")}
"""Title given → title read back (a lone surrogate cannot be written: U+FFFD, as read; a space
of the title's own is no line break: it stays, where "東京 タワー" was written)."""


def _track(title: str) -> dict:
    return {"path": "/music/b.flac", "title": title, "artist": None, "duration": 3}


@pytest.mark.parametrize("title", sorted(TITLES))
@pytest.mark.parametrize("filename", ["mix.m3u8", "mix.pls"])
def test_an_added_title_the_reader_reads_is_kept(filename, title):
    given, read = TITLES[title]
    written = append_tracks(b"", f"/music/{filename}", [_track(given)])
    entries = format_for(filename).parse(written, filename).entries
    assert [(e.raw, e.title) for e in entries] == [("/music/b.flac", read)]


@pytest.mark.parametrize("filename", ["mix.m3u8", "mix.pls"])
def test_an_added_title_that_would_make_its_entry_unreadable_is_left_out(filename):
    written = append_tracks(b"", f"/music/{filename}", [_track("\ufffd" * 60)])
    entries = format_for(filename).parse(written, filename).entries
    assert [e.raw for e in entries] == ["/music/b.flac"] and not entries[0].title


@pytest.mark.parametrize("title", sorted(TITLES))
def test_a_saved_title_and_name_the_reader_reads_are_kept(tmp_path, title):
    given, read = TITLES[title]
    dest = tmp_path / "q.m3u8"
    m3u.write_m3u(dest, [_track(given)], name=given)
    data = dest.read_bytes()
    entries = parse_m3u(data, dest.name).entries
    assert [(e.raw, e.title) for e in entries] == [("/music/b.flac", read)]
    assert data.decode().splitlines()[1] == f"#PLAYLIST:{read}"
    assert m3u.written_here(data)
