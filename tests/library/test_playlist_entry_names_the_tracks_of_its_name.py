"""An entry that matches no track, whose file name tracks of the library have in other
folders, said "a track of that name is in another folder: X" — one of them, so the user took
X for the only one (the audit: ``E:\\Stuff\\Album A\\01 Intro.flac`` fits ``Artist X/Album A``
and ``Artist Y/Album A`` alike); a bare file name (``D:\\01 Intro.flac``) got no hint at all.
Now up to three are named, with how many there are; an ambiguous entry names its candidates
alike. Unit-level, as tests/library/test_resolve_suffix.py: a TrackIndex of (id, path) rows."""

from __future__ import annotations

from musicsage.library.playlists import resolve as R
from musicsage.library.playlists.resolve import NOT_IN_LIBRARY, TrackIndex, resolve_entry

ROOT = "/home/u/Music"
XA, XB, YA = "Artist X/Album A/01 Intro.flac", "Artist X/Album B/01 Intro.flac", \
    "Artist Y/Album A/01 Intro.flac"


def resolve(index: TrackIndex, raw: str):
    return resolve_entry(raw, "/home/u/lists", index)


def index_of(*rel: str) -> TrackIndex:
    return TrackIndex([(i, f"{ROOT}/{r}") for i, r in enumerate(rel, 1)], [ROOT])


def test_each_track_of_the_entrys_folder_and_name_is_named():
    res = resolve(index_of(XA, XB, YA), "E:\\Stuff\\Album A\\01 Intro.flac")
    assert res.track_id is None
    assert res.reason == (f"{NOT_IN_LIBRARY}; 2 tracks of that name are in other folders: "
                          f"{XA}, {YA}")


def test_a_bare_file_name_names_the_tracks_of_that_name():
    three = index_of(XA, XB, YA)
    res = resolve(three, "D:\\01 Intro.flac")
    assert res.track_id is None
    assert res.reason == (f"{NOT_IN_LIBRARY}; 3 tracks of that name are in other folders: "
                          f"{XA}, {XB}, {YA}")
    one = resolve(index_of(XB), "D:\\01 Intro.flac")
    assert (one.track_id, one.reason) == (None, f"{NOT_IN_LIBRARY}; a track of that name is in "
                                                f"another folder: {XB}")


def test_more_than_three_are_counted_and_three_named():
    rel = [f"Artist {c}/Album A/01 Intro.flac" for c in "PQRST"]
    res = resolve(index_of(*rel), "/old/Album A/01 Intro.flac")
    assert res.reason == (f"{NOT_IN_LIBRARY}; 5 tracks of that name are in other folders: "
                          f"e.g. {rel[0]}, {rel[1]}, {rel[2]}")


def test_an_ambiguous_entry_names_its_candidates():
    res = resolve(index_of(XA, XB, YA), "Album A/01 Intro.flac")
    assert res.track_id is None
    assert res.reason == f"ambiguous: several tracks in the library end so (2): {XA}, {YA}"


def test_a_moved_track_is_named_once_by_its_path_now():
    index = TrackIndex([(1, f"{ROOT}/Old/Album A/01 Intro.flac"),  # track_moves: listed first
                        (1, f"{ROOT}/{XA}"), (2, f"{ROOT}/{YA}")], [ROOT])
    res = resolve(index, "/media/usb/Album A/01 Intro.flac")
    assert res.reason.endswith(f"2 tracks of that name are in other folders: {XA}, {YA}")


def test_a_long_playlist_of_one_common_name_counts_its_tracks_once(monkeypatch):
    """Counted, not timed (timings belong in bench/): 10,000 entries of one common name over
    50,000 folders count that name's tracks once per name, not once per entry."""
    counted = []
    alike = R._alike_tracks
    monkeypatch.setattr(R, "_alike_tracks", lambda found: counted.append(1) or alike(found))
    rows = [(i, f"{ROOT}/Artist {i}/CD1/01.mp3") for i in range(50_000)]
    index = TrackIndex(rows, [ROOT])
    bare = [resolve(index, "D:\\01.mp3").reason for _ in range(5_000)]
    tail = [resolve(index, "CD1\\01.mp3").reason for _ in range(5_000)]
    assert bare[0].startswith(f"{NOT_IN_LIBRARY}; 50000 tracks of that name")
    assert tail[0].startswith("ambiguous: several tracks in the library end so (50000): e.g. ")
    assert len(counted) == 2
