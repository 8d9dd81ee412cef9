"""One bare file name among a playlist's entries (a relative ``gone song.flac`` no longer next
to the list, or ``D:\\x.mp3``) built the whole suffix index over every track for its hint: a
re-import after ``playlists add/remove`` went from 0.05 s to 0.5 s on 50,000 tracks. Its hint
now costs one pass over the file names, and nothing for an import without a bare name."""

from __future__ import annotations

from musicsage.library.playlists import resolve as R
from musicsage.library.playlists.resolve import NOT_IN_LIBRARY, TrackIndex, resolve_entry

ROOT = "/home/u/Music"
TRACKS = 50_000


def rows() -> list[tuple[int, str]]:
    return [(i, f"{ROOT}/Artist {i % 500}/Album {i}/{i:05d} Song.flac") for i in range(TRACKS)]


def test_a_bare_name_builds_no_suffix_index_and_one_name_index(monkeypatch):
    """Counted, not timed (timings belong in bench/): the bare names' hint reads the file
    names once, and never builds the index of every track's path endings."""
    built = []
    monkeypatch.setattr(TrackIndex, "_index_suffixes", lambda self: built.append("suffixes"))
    by_name = R._by_file_name
    monkeypatch.setattr(R, "_by_file_name", lambda rows: built.append("names") or by_name(rows))
    index = TrackIndex(rows(), [ROOT])
    exact = [f"{ROOT}/Artist {i % 500}/Album {i}/{i:05d} Song.flac" for i in range(200)]
    for raw in [*exact, "gone song.flac", "D:\\x.mp3", "D:\\00007 Song.flac"]:
        resolve_entry(raw, f"{ROOT}/lists", index)
    assert built == ["names"]


def test_a_bare_name_still_names_the_track_of_that_name():
    index = TrackIndex(rows(), [ROOT])
    res = resolve_entry("D:\\00007 Song.flac", f"{ROOT}/lists", index)
    assert res.reason == (f"{NOT_IN_LIBRARY}; a track of that name is in another folder: "
                          "Artist 7/Album 7/00007 Song.flac")
    assert resolve_entry("gone song.flac", f"{ROOT}/lists", index).reason == NOT_IN_LIBRARY
