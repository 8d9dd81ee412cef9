"""Tracks with one vector (a song imported twice, silent files) tie: a shorter list is the start
of a longer one, whatever its length, ties taken in track order."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage.search.index import CosineIndex, IndexParams
from musicsage.usecases.search import similar_tracks


def _tied_vectors(n: int = 300, tied: int = 40) -> np.ndarray:
    vectors = clustered_vectors(n, dim=16, clusters=6, seed=5)
    vectors[:tied] = vectors[0]
    return vectors


@pytest.mark.parametrize("engine", ["exact", "hnsw"])
def test_a_shorter_search_is_the_start_of_a_longer_one_among_ties(engine):
    vectors = _tied_vectors()
    index = CosineIndex.build(vectors, params=IndexParams(exact_below=0 if engine == "hnsw"
                                                          else 10_000))
    assert index.kind == engine
    longest = index.search(vectors[0], 60)[0][0].tolist()
    assert longest[:40] == list(range(40)), "tied rows come first, in row order"
    for k in (1, 2, 3, 5, 10, 25, 39):
        assert index.search(vectors[0], k)[0][0].tolist() == longest[:k], k


def test_ties_below_better_rows_are_taken_in_row_order():
    """Rows that tie at the cut come after the rows that score above it, lowest row first,
    however many tie: silent files all score the same beside a song. The sorted ties gave
    this order too: this guards it against a regression of the unsorted pick (which took
    the tied columns in column order to speed up a library of many silent files); it does
    not measure that speed-up."""
    rng = np.random.default_rng(7)
    dim, n = 16, 400
    query = np.eye(dim, dtype=np.float32)[0]
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors[:, 0] = -np.abs(vectors[:, 0]) - 1.0  # every other row scores below the ties
    better = [350, 20, 199]  # scores 0.9, 0.8, 0.7
    for row, score in zip(better, (0.9, 0.8, 0.7)):
        vectors[row] = np.sqrt(1 - score ** 2) * np.eye(dim, dtype=np.float32)[1] + score * query
    tied = sorted(rng.choice([r for r in range(n) if r not in better], 150, replace=False))
    vectors[tied] = 0.5 * query + np.sqrt(0.75) * np.eye(dim, dtype=np.float32)[2]
    index = CosineIndex.build(vectors, params=IndexParams(exact_below=10_000))
    expected = better + [int(r) for r in tied]
    for k in (1, 3, 4, 5, 60, 153):
        assert index.search(query, k)[0][0].tolist() == expected[:k], k
    assert index.search(query, 200)[0][0].tolist()[:153] == expected


def test_zero_vectors_of_silent_files_list_in_row_order():
    """A silent query scores 0 beside every track: its list is the library in row order.
    The sorted ties gave this order too: a guard against a regression of the unsorted pick,
    not a proof of its speed."""
    vectors = clustered_vectors(120, dim=8, clusters=3, seed=2)
    vectors[::3] = 0.0
    index = CosineIndex.build(vectors, params=IndexParams(exact_below=10_000))
    rows, scores = index.search(vectors[:5], 50)
    assert rows[0].tolist() == list(range(50)) and not scores[0].any()
    assert rows[3].tolist() == list(range(50))


def test_similar_lists_keep_their_tracks_when_asked_for_more(ctx, library):
    library.add(60)
    vectors = clustered_vectors(60, clusters=4)
    vectors[:30] = vectors[0]
    library.embed(vectors)
    query = library.ids[0]

    def listed(k: int) -> list[int]:
        return [r["track_id"] for r in similar_tracks(ctx, query, k=k, space="audio").audio]

    ten = listed(10)
    assert ten == library.ids[1:11], "ties in track order"
    assert listed(1) == ten[:1] and listed(3) == ten[:3] and listed(20)[:10] == ten
