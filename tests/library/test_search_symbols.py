"""The track search, as the search box and ``musicsage`` use it, on what people type.

A search of symbols alone ('+', '?', '%', '®') found nothing although titles "+", "?" and
"85%" exist; '"love"' (quotes typed) found 0 tracks where 'love' found 1,164; and every
keystroke folded all 28,000 tracks of a library again, twice (the list's and the map's
search), with no way to stop a search a newer keystroke made stale.
"""

from __future__ import annotations

import pytest

from library_audio import write_audio
from musicsage.library import browse
from musicsage.library.browse import TrackInfo, search_in
from musicsage.progress import Cancelled, CancelToken
from musicsage.usecases.library import list_tracks, scan_library, search_tracks

TITLES = ["+", "?", "85%", "Pop®", "Love Song", "Song of Love", "Plain", "Lovely"]


def _track(i: int, title: str) -> TrackInfo:
    return TrackInfo(i, f"/music/{i}.flac", title, "Band", "Album", None, None, None, None,
                     60.0, "flac", "present", False)


@pytest.fixture
def scanned(ctx, tmp_path):
    for i, title in enumerate(TITLES):
        write_audio(tmp_path / "music" / f"{i}.flac", seconds=0.1,
                    tags={"title": title, "artist": "Band"})
    scan_library(ctx, [str(tmp_path / "music")])
    return ctx


def _titles(ctx, text: str, **kw) -> list[str]:
    return [t.title for t in search_tracks(ctx, text, **kw)]


@pytest.mark.parametrize("snapshot", [False, True], ids=["command line", "window"])
def test_symbols_alone_are_found_as_typed(scanned, snapshot):
    kw = {"tracks": list_tracks(scanned)} if snapshot else {}
    assert _titles(scanned, "+", **kw) == ["+"]
    assert _titles(scanned, " ? ", **kw) == ["?"]
    assert _titles(scanned, "%", **kw) == ["85%"]
    assert _titles(scanned, "®", **kw) == ["Pop®"]
    assert _titles(scanned, "85 - %", **kw) == ["85%"], "with a word, the dash still separates"


@pytest.mark.parametrize("snapshot", [False, True], ids=["command line", "window"])
def test_quotes_make_a_phrase_and_stray_quotes_are_no_part_of_a_word(scanned, snapshot):
    kw = {"tracks": list_tracks(scanned)} if snapshot else {}
    love = _titles(scanned, "love", **kw)
    assert sorted(love) == ["Love Song", "Lovely", "Song of Love"]
    assert _titles(scanned, '"love"', **kw) == love and _titles(scanned, "“love”", **kw) == love
    assert _titles(scanned, '"love song"', **kw) == ["Love Song"]
    assert sorted(_titles(scanned, "love song", **kw)) == ["Love Song", "Song of Love"]
    assert _titles(scanned, '"song" plain', **kw) == []


def test_a_snapshot_is_folded_once_and_a_new_one_replaces_it():
    tracks = [_track(i, t) for i, t in enumerate(TITLES)]
    assert [t.title for t in search_in(tracks, "plain")] == ["Plain"]
    index = browse.current_index()
    list_part = search_in(tracks, "song", limit=1)  # the list's search of a keystroke
    no_scan = CancelToken()
    no_scan.cancel()  # a second scan would raise Cancelled
    map_part = search_in(tracks, "song", limit=None, cancel=no_scan)  # and the map's
    assert browse.current_index() is index, "one scan answers both"
    assert list_part == map_part[:1] and len(map_part) == 2
    changed = [*tracks, _track(99, "Plainsong")]  # the library re-read: a new snapshot
    assert [t.title for t in search_in(changed, "plain")] == ["Plain", "Plainsong"]
    assert browse.current_index() is not index


def test_a_stale_search_stops_when_cancelled():
    tracks = [_track(i, f"Title {i}") for i in range(10)]
    token = CancelToken()
    token.cancel()  # a newer keystroke's search superseded it
    with pytest.raises(Cancelled):
        search_in(tracks, "title", cancel=token)
    assert len(search_in(tracks, "title", limit=None, cancel=CancelToken())) == 10
