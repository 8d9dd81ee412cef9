"""A neighbour list that needs more candidates than the first search gave (copies folded, one
per artist, a long list) asks the index again for more. hnswlib's wider search is another
walk: it may find a track the narrow one missed, so its hits are not the narrow hits plus
more. Taking "the hits past the first batch's length" offered tracks a second time — the
list's own row was then counted as passed over for itself, and lost its rank beside the
other list ("#7 by the graph model") — and put better-scored tracks after worse ones.
Seen on a 28k-track library in 3 of 100 graph lists of 200 with "One per artist"."""

from __future__ import annotations

from musicsage.search.lists import ListCurator, curate, ranked_candidates

# the true ranking: track t scores 1 - t/100; a narrow search misses track 3
TRUE = [(t, 1 - t / 100) for t in range(1, 61)]


def approximate_search(fetch: int) -> list[tuple[int, float]]:
    """Like hnswlib: a search of up to 10 hits missed track 3; a wider one finds it."""
    hits = TRUE if fetch > 10 else [h for h in TRUE if h[0] != 3]
    return hits[:fetch]


def test_each_candidate_is_offered_once_best_first():
    batches = list(ranked_candidates(approximate_search, k=0, n=60))
    offered = [t for batch in batches for t, _ in batch]
    scores = [s for batch in batches for _, s in batch]
    assert len(batches) > 1  # the wider search was asked
    assert len(offered) == len(set(offered))
    assert scores == sorted(scores, reverse=True)
    assert offered[:10] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11]  # 3: missed, not appended late


def test_a_list_filled_from_two_searches_passes_over_none_of_its_own_rows():
    rows = {t: {"track_id": t, "title": f"Song {t}", "artist": f"Artist {t}"} for t, _ in TRUE}
    curator = ListCurator(12, anchors=[{"track_id": 0, "title": "Q", "artist": "Someone"}])
    curate(ranked_candidates(approximate_search, k=0, n=60),
           lambda ids: {t: rows[t] for t in ids}, curator)
    listed = [r["track_id"] for r in curator.rows]
    assert listed == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert curator.passed_over == []  # track 11 was not "a copy of" itself
