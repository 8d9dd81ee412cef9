"""The window's line for tracks the audio map leaves out as of another analysis version, where
some were imported from a dataset dir without an audio file and others are missing files of a
scan (task fix_window). "The audio map leaves out 3 tracks …: imported from a dataset dir, with
no audio file to analyse again, they stay off it" was said of 2 dataset tracks and 1 missing
file: the missing file has a real path and is analysed again once it is back. All 3 are
counted, as beside the lists, with none sent to Compute embeddings (task fix2_usecases2)."""

from __future__ import annotations

from test_window2_reanalysis_advice import (HINT, _ids, _other_version, _said,  # noqa: F401
                                             no_pending)

from musicsage.usecases.spaces import NO_FILE_WORDS


def test_dataset_tracks_beside_a_missing_file_are_told_apart(library, make_app, no_pending):
    ids = _ids(library, 3)
    _other_version(library, ids[:2], dataset=True)
    _other_version(library, ids[2:], status="missing")
    said = _said(library, make_app)
    assert HINT not in said, said
    assert ("The audio map leaves out 3 tracks analysed with other settings than the rest: "
            f"none can be analysed again now (2 of them: {NO_FILE_WORDS}) (1 of them is a "
            "missing file: once back, a rescan and an embed analyse it)") in said, said
    assert "stay off it" not in said, said


def test_one_dataset_track_beside_missing_files_is_one(library, make_app, no_pending):
    ids = _ids(library, 3)
    _other_version(library, ids[:1], dataset=True)
    _other_version(library, ids[1:], status="missing")
    said = _said(library, make_app)
    assert HINT not in said, said
    assert ("The audio map leaves out 3 tracks analysed with other settings than the rest: "
            f"none can be analysed again now (1 of them: {NO_FILE_WORDS}) (2 of them are "
            "missing files: once back, a rescan and an embed analyse them)") in said, said
