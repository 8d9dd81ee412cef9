"""``* = in both lists (N)`` and ``similar --json``'s ``in_both`` count songs, not one list's
rows: a list may show two rows of one song that the other list shows once — a tagged track,
and an untagged copy of the file of the other list's track by the same title and artist (they
fold with that track, by tags and by file, not with each other). The graph list's count said
2 beside one starred audio row."""

from __future__ import annotations

import pytest
from same_file_support import files_by_hash

import musicsage.search.similar as similar
from musicsage.search.types import SimilarResult

#: content hashes: 2 (untagged) and 3 (tagged "Song" by Ann) are one file copied
HASHES = {1: "h1", 2: "h2", 3: "h2", 4: "h4"}


#: stands for :class:`~musicsage.search.same_file.TrackFiles`: the files of one content
#: hash are one file copied (the bytes compared the same)
_Files = files_by_hash(HASHES)


def _marked(monkeypatch, two_rows: str) -> SimilarResult:
    """The lists as :func:`~musicsage.search.similar.similar_lists` marks them: ``two_rows``
    shows the tagged track 1 and the untagged copy 2, the other list the tagged track 3 (one
    song: 1 by tags, 2 by file), and both lists track 4."""
    monkeypatch.setattr(similar, "TrackFiles", _Files)
    one_song = [{"track_id": 1, "title": "Song", "artist": "Ann"},
                {"track_id": 2, "title": None, "artist": None}]
    other = [{"track_id": 3, "title": "Song", "artist": "Ann"}]
    shared = {"track_id": 4, "title": "Other", "artist": "Bo"}
    built = similar.BuiltLists()
    built.lists = {two_rows: [*one_song, dict(shared)],
                   ("audio" if two_rows == "graph" else "graph"): [*other, dict(shared)]}
    similar.mark_in_both(built.lists, similar._pass_over_copies_across(None, built))
    return SimilarResult(query={"track_id": 0}, graph=built.lists["graph"],
                         audio=built.lists["audio"])


@pytest.mark.parametrize("two_rows", ["graph", "audio"])
def test_one_song_shown_twice_in_one_list_counts_once(monkeypatch, two_rows):
    result = _marked(monkeypatch, two_rows)
    assert all(r["in_both"] for r in (*result.graph, *result.audio))  # every row starred
    assert result.both_ids == {1, 2, 3, 4}
    assert result.in_both == 2, "'Song' (rows 1 and 2 beside row 3) and track 4"
    assert result.to_dict()["in_both"] == 2


def test_tracks_in_both_lists_are_counted_as_ever():
    rows = [{"track_id": t, "in_both": t in (5, 6)} for t in (5, 6, 7)]
    other = [{"track_id": t, "in_both": t in (5, 6)} for t in (6, 8, 5)]
    assert SimilarResult(query={}, graph=rows, audio=other).in_both == 2
