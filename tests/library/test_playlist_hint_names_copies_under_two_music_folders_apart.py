"""Two tracks at the same place under two music folders (a local copy and a USB copy: the
usual tie) were named by their paths below their folders, so the hint said "ambiguous … (2):
Artist/Album/01 Intro.flac, Artist/Album/01 Intro.flac" — one text twice, and the user could
not tell which folders they are in. Two that would read alike are named by their whole paths;
the others keep their short paths."""

from __future__ import annotations

import unicodedata

from musicsage.library.playlists.resolve import NOT_IN_LIBRARY, TrackIndex, resolve_entry

REL = "Artist/Album/01 Intro.flac"
HOME, USB = f"/music/{REL}", f"/mnt/usb/{REL}"


def reason(raw: str, rows: list[tuple[int, str]]) -> str:
    res = resolve_entry(raw, "/lists", TrackIndex(rows, ["/music", "/mnt/usb"]))
    assert res.track_id is None
    return res.reason


def test_an_ambiguous_entry_names_each_copy_with_its_music_folder():
    assert reason("D:\\Artist\\Album\\01 Intro.flac", [(1, HOME), (2, USB)]) == \
        f"ambiguous: several tracks in the library end so (2): {HOME}, {USB}"


def test_other_folders_and_a_bare_name_name_each_copy_with_its_music_folder():
    rows = [(1, HOME), (2, USB)]
    elsewhere = f"{NOT_IN_LIBRARY}; 2 tracks of that name are in other folders: {HOME}, {USB}"
    assert reason("D:\\Other\\Album\\01 Intro.flac", rows) == elsewhere
    assert reason("D:\\01 Intro.flac", rows) == elsewhere


def test_only_the_paths_that_read_alike_are_named_whole():
    other = "Other/Album/01 Intro.flac"
    assert reason("D:\\01 Intro.flac", [(1, HOME), (2, f"/music/{other}"), (3, USB)]) == \
        f"{NOT_IN_LIBRARY}; 3 tracks of that name are in other folders: {HOME}, {other}, {USB}"


def test_a_macs_decomposed_copy_is_named_apart_from_the_composed_one():
    """A copy a Mac wrote (NFD names) and a local rip (NFC) tie as one name, and printed alike."""
    rel = "Björk/Début/01 Human Behaviour.flac"
    nfc, nfd = unicodedata.normalize("NFC", rel), unicodedata.normalize("NFD", rel)
    home, usb = f"/music/{nfc}", f"/mnt/usb/{nfd}"
    said = reason("D:\\Björk\\Début\\01 Human Behaviour.flac", [(1, home), (2, usb)])
    assert said.endswith(f"(2): {home}, {usb}"), said
