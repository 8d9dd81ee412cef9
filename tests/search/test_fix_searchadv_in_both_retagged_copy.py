"""``similar --json``'s ``in_both`` (and "* = in both lists (N)") where one row is a copy of two
different songs of the other list — of one by its tags, of the other by its file (a byte copy
of "Other" by Bo retagged "Song" by Ann). The groups of rows joined through such copies chained
into one, and the count said 1 for the 2 songs both lists show, every row starred (task
fix_searchadv)."""

from __future__ import annotations

import pytest

import musicsage.search.similar as similar
from musicsage.search.types import SimilarResult

#: content hashes: 3 ("Song" by Ann) is a byte copy of 2's file ("Other" by Bo)
HASHES = {1: "h1", 2: "h2", 3: "h2", 4: "h3"}


class _SameBytes:
    """Stands for :class:`~musicsage.search.same_file.TrackFiles`: tracks of one content hash
    in :data:`HASHES` are one file copied."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def __call__(self, ids):
        return {i: HASHES[i] for i in ids if i in HASHES}

    def same(self, a, b) -> bool:
        return HASHES.get(a) == HASHES.get(b)


def _row(track_id: int, title: str, artist: str) -> dict:
    return {"track_id": track_id, "title": title, "artist": artist}


@pytest.mark.parametrize("flipped", [False, True])
def test_a_retagged_byte_copy_does_not_merge_two_songs(monkeypatch, flipped):
    monkeypatch.setattr(similar, "TrackFiles", _SameBytes)
    graph = [_row(1, "Song", "Ann"), _row(2, "Other", "Bo")]
    audio = [_row(3, "Song", "Ann"), _row(4, "Other", "Bo")]
    built = similar.BuiltLists()
    built.lists = {"graph": audio, "audio": graph} if flipped else \
        {"graph": graph, "audio": audio}
    songs = similar.mark_in_both(built.lists, similar._pass_over_copies_across(None, built))
    result = SimilarResult(query={"track_id": 0}, graph=built.lists["graph"],
                           audio=built.lists["audio"], songs_in_both=songs)
    assert all(r["in_both"] for r in (*result.graph, *result.audio))  # every row starred
    assert result.in_both == 2, "'Song' (1 and 3) and 'Other' (2 and 4) are in both lists"
    assert result.to_dict()["in_both"] == 2
