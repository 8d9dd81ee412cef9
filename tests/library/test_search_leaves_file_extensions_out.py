"""The track search reads a file's name without its extension.

With the extension, "la" found 170 of the demo's 240 tracks where 66 have it in their tags
(104 only because their file ends in ".flac"), "lac" every FLAC file and "og" every Ogg
file, while ``musicsage similar flac`` said no track matches. An untagged file is still
found by its name, and a word with a dot ("song.flac") still finds the file it names, as
``similar`` reads one. Nothing of the search is stored: a library scanned before searches
the new way at once (the scan here writes the rows, the search reads them afterwards).
"""

from __future__ import annotations

import pytest

from library_audio import write_audio
from musicsage.errors import MusicsageError
from musicsage.library.browse import TrackInfo, search_in
from musicsage.library.paths import dataset_key_prefix
from musicsage.usecases.library import list_tracks, scan_library, search_tracks
from musicsage.usecases.search import resolve_query

FILES = {  # file name: title tag (None: untagged)
    "Meadow Ember.flac": "Meadow Ember",
    "Salt Currents.ogg": "Salt Currents",
    "Copper Engine.flac": "Copper Engine",
    "brahms_hungarian_dance_5.ogg": None,
    "01. Intro.v2.flac": None,
}


@pytest.fixture
def scanned(ctx, tmp_path):
    for name, title in FILES.items():
        tags = {"title": title, "artist": "Band"} if title else {}
        write_audio(tmp_path / "music" / name, seconds=0.1, tags=tags)
    scan_library(ctx, [str(tmp_path / "music")])
    return ctx


def _names(ctx, text: str, snapshot: bool) -> list[str]:
    kw = {"tracks": list_tracks(ctx)} if snapshot else {}
    return sorted(t.path.rsplit("/", 1)[-1] for t in search_tracks(ctx, text, limit=None, **kw))


@pytest.mark.parametrize("snapshot", [False, True], ids=["library read now", "window snapshot"])
def test_letters_of_an_extension_find_no_file(scanned, snapshot):
    for text in ("la", "lac", "flac", "fl", "og", "ogg", "ac"):
        assert _names(scanned, text, snapshot) == [], text
    with pytest.raises(MusicsageError, match="no track matches 'flac'"):
        resolve_query(scanned, "flac")  # the command line agrees


@pytest.mark.parametrize("snapshot", [False, True], ids=["library read now", "window snapshot"])
def test_a_file_is_still_found_by_its_name(scanned, snapshot):
    assert _names(scanned, "brahms", snapshot) == ["brahms_hungarian_dance_5.ogg"]
    assert _names(scanned, "hungarian dance", snapshot) == ["brahms_hungarian_dance_5.ogg"]
    assert _names(scanned, "intro.v2", snapshot) == ["01. Intro.v2.flac"]
    assert _names(scanned, "v2", snapshot) == ["01. Intro.v2.flac"]
    assert _names(scanned, "01.", snapshot) == ["01. Intro.v2.flac"]
    assert _names(scanned, "ember", snapshot) == ["Meadow Ember.flac"]


@pytest.mark.parametrize("snapshot", [False, True], ids=["library read now", "window snapshot"])
def test_a_word_with_a_dot_finds_the_file_it_names(scanned, snapshot):
    """As ``similar`` reads a QUERY: the extension counts where the text has a dot."""
    assert _names(scanned, "brahms_hungarian_dance_5.ogg", snapshot) == [
        "brahms_hungarian_dance_5.ogg"]
    assert _names(scanned, "intro.v2.flac", snapshot) == ["01. Intro.v2.flac"]
    assert _names(scanned, "ember.flac", snapshot) == ["Meadow Ember.flac"]
    assert _names(scanned, "ember.ogg", snapshot) == []
    assert _names(scanned, ".ogg", snapshot) == ["Salt Currents.ogg",
                                                 "brahms_hungarian_dance_5.ogg"]
    assert _names(scanned, ".", snapshot) == ["01. Intro.v2.flac"], "dots alone: no extension"


def test_what_counts_as_the_extension():
    from musicsage.library.browse import without_extension

    assert without_extension("01. Intro.v2.flac") == "01. Intro.v2"
    assert without_extension("song.flac") == "song"
    assert without_extension("noext") == "noext"
    assert without_extension(".hidden") == ".hidden"
    assert without_extension("Mr. Brightside") == "Mr. Brightside"


def _track(i: int, path: str, title: str | None) -> TrackInfo:
    return TrackInfo(i, path, title, None, None, None, None, None, None, 1.0, None,
                     "present", False)


def test_a_file_without_extension_and_a_dataset_name_are_searched_whole():
    """An imported path with no extension keeps its whole name; an untitled track imported
    without a file is searched by its ``<dir>#<id>`` name as its rows show it, whole."""
    key = dataset_key_prefix("/data/spotify.v2")
    tracks = [_track(1, "/music/noext", None), _track(2, "/music/Mr. Brightside", None),
              _track(3, f"{key}0042", None), _track(4, f"{key}0043", "Named")]
    assert [t.id for t in search_in(tracks, "noext", limit=None)] == [1]
    assert [t.id for t in search_in(tracks, "brightside", limit=None)] == [2]
    assert [t.id for t in search_in(tracks, "v2#0042", limit=None)] == [3]
