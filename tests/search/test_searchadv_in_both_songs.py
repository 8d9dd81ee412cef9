"""``similar --json``'s ``in_both`` (and "* = in both lists (N)") counts songs where each list
shows two rows of one song that the other list shows once (task searchadv): a tagged track
and an untagged copy of the file of the other list's track by that title and artist. The
graph list showing song A twice beside song B, the audio list song B twice beside song A,
counted 3 for 2 songs: the smaller of the lists' counts of marked rows."""

from __future__ import annotations

from same_file_support import files_by_hash

import musicsage.search.similar as similar
from musicsage.search.types import SimilarResult, SuggestResult

#: content hashes: 2 (untagged) is a copy of 3's file, 6 (untagged) of 7's
HASHES = {1: "h1", 2: "h3", 3: "h3", 5: "h5", 6: "h7", 7: "h7"}


#: stands for :class:`~musicsage.search.same_file.TrackFiles`: one hash, one file
_Files = files_by_hash(HASHES)


def _song_a(t):
    return {"track_id": t, "title": "Song", "artist": "Ann"}


def _song_b(t):
    return {"track_id": t, "title": "Other", "artist": "Bo"}


def _untagged(t):
    return {"track_id": t, "title": None, "artist": None}


def _lists(monkeypatch) -> tuple[dict, int]:
    monkeypatch.setattr(similar, "TrackFiles", _Files)
    built = similar.BuiltLists()
    built.lists = {"graph": [_song_a(1), _untagged(2), _song_b(7)],
                   "audio": [_song_a(3), _song_b(5), _untagged(6)]}
    return built.lists, similar.mark_in_both(built.lists,
                                             similar._pass_over_copies_across(None, built))


def test_each_list_showing_a_song_twice_counts_two_songs(monkeypatch):
    lists, songs = _lists(monkeypatch)
    assert all(r["in_both"] for rows in lists.values() for r in rows)  # every row starred
    result = SimilarResult(query={"track_id": 0}, graph=lists["graph"], audio=lists["audio"],
                           songs_in_both=songs)
    assert result.in_both == 2, "'Song' (1, 2, 3) and 'Other' (5, 6, 7)"
    assert result.to_dict()["in_both"] == 2
    suggested = SuggestResult(playlist={}, graph=lists["graph"], audio=lists["audio"],
                              songs_in_both=songs)
    assert suggested.to_dict()["in_both"] == 2


def test_one_list_emptied_counts_none(monkeypatch):
    """The result with one list only (``only``): no song is in both."""
    lists, songs = _lists(monkeypatch)
    result = SimilarResult(query={"track_id": 0}, graph=lists["graph"], audio=lists["audio"],
                           songs_in_both=songs)
    assert result.only("graph").in_both == 0
