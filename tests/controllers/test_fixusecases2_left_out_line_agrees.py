"""The left-out line of the audio space (``similar``'s note beside a full list, ``map``) and the
notes of ``radio`` and ``suggest`` of the same tracks follow one rule (task fix_usecases2).

Two tracks imported from a dataset dir without an audio file and one missing file of a scan,
all of another analysis version, were "3 tracks left out: …; imported from a dataset dir, with
no audio file to analyse again (1 of them is a missing file: once back)" — all three without a
file — while ``radio`` of the missing one said "musicsage embed finishes the re-analysis (it
is a missing file: once back)". Only where some track left out can be analysed now (a file
here) does the line give embed advice (task fix2_usecases2: it sent 2 dataset tracks and a
missing file to embed, which mends none)."""

from __future__ import annotations

from test_window2_reanalysis_advice import _ids, _other_version, no_pending  # noqa: F401

from musicsage.usecases.spaces import NO_FILE_WORDS, SearchSpaces

NONE_NOW = "none can be analysed again now"


def test_dataset_tracks_beside_a_missing_file_are_not_all_said_without_a_file(
        library, no_pending):
    from musicsage.usecases.radio import radio_start

    ids = _ids(library, 3)
    _other_version(library, ids[:2], dataset=True)
    _other_version(library, ids[2:], status="missing")
    spaces = SearchSpaces(library)
    line = spaces.left_out("audio")
    assert line.endswith(f"; {NONE_NOW} (2 of them: {NO_FILE_WORDS}) "
                         "(1 of them is a missing file: once back, a rescan and an embed "
                         "analyse it)"), line
    said = radio_start(library, ids[2], 5, spaces=spaces)
    assert said.endswith(": it cannot be analysed again now (it is a missing file: once back, "
                         "a rescan and an embed analyse it)"
                         ), said
    assert "musicsage embed" not in line + said, (line, said)  # only the rescan's advice


def test_the_members_note_and_the_line_say_the_same(library, no_pending):
    """``suggest`` of a playlist whose members are dataset tracks and missing files, all of
    another version: its note and the left-out line count them alike."""
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.usecases.suggest import suggest_tracks

    playlist = list_playlists(library)[0]
    members = list(dict.fromkeys(playlist_track_ids(library, playlist.id)))
    assert len(members) >= 3
    _other_version(library, members[:2], dataset=True)
    _other_version(library, members[2:], status="missing")
    tail = (f"(2 of them: {NO_FILE_WORDS}) ({len(members) - 2} of them are missing files: "
            "once back, a rescan and an embed analyse them)")
    note = suggest_tracks(library, playlist.id, space="audio").notes["audio"]
    assert note.endswith(f": {NONE_NOW} {tail}"), note
    line = SearchSpaces(library).left_out("audio")
    assert line.endswith(f"; {NONE_NOW} {tail}"), line


def test_only_dataset_tracks_keep_the_line_without_embed_advice(library, no_pending):
    ids = _ids(library, 2)
    _other_version(library, ids, dataset=True)
    line = SearchSpaces(library).left_out("audio")
    assert line.endswith(f"than the rest; {NO_FILE_WORDS}"), line
