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
