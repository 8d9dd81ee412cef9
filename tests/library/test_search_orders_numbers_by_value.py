"""The search list orders numbers in names by value: "Track 2" came after "Track 10" and
"Track 100" (the titles compared as text), so an album's files "Track 1" … "Track 12" were
listed 1, 10, 11, 12, 2, 3…; artists alike ("Band 9" after "Band 10")."""

from __future__ import annotations

from musicsage.library.browse import SearchIndex, TrackInfo


def _track(i: int, title: str | None, artist: str | None = None) -> TrackInfo:
    return TrackInfo(id=i, path=f"/music/{i:03d}.flac", title=title, artist=artist, album=None,
                     albumartist=None, genre=None, year=None, track_number=None, duration=None,
                     format="flac", status="present", needs_analysis=False)


def _titles(tracks, text: str) -> list[str]:
    return [t.title for t in SearchIndex(tracks).search(text)]


def test_titles_with_numbers_are_listed_by_their_value():
    names = ["Track 10", "Track 2", "Track 100", "Track 1", "Track 02b", "track 3"]
    tracks = [_track(i, name) for i, name in enumerate(names, 1)]
    assert _titles(tracks, "track") == ["Track 1", "Track 2", "Track 02b", "track 3",
                                        "Track 10", "Track 100"]
    long_number = "9" * 5000  # more digits than int() reads
    tracks = [_track(1, f"Mix {long_number}"), _track(2, "Mix 10"), _track(3, "Mix"),
              _track(4, "Remix 2"), _track(5, "Remix 10")]
    assert _titles(tracks, "mix") == ["Mix", "Mix 10", f"Mix {long_number}", "Remix 2",
                                      "Remix 10"], "the exact title, those it starts, the rest"


def test_artists_with_numbers_are_listed_by_their_value():
    tracks = [_track(1, "Song", "Band 10"), _track(2, "Song", "Band 9"),
              _track(3, "Song", "Band 9 Tribute")]
    assert [t.artist for t in SearchIndex(tracks).search("song")] == [
        "Band 9", "Band 9 Tribute", "Band 10"]
