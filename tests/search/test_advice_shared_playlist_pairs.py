"""Whether some playlist holds two tracks with a vector of the version training reads
(:func:`~musicsage.library.relations.shared_playlist`), asked at every window reload: found
by the first such pair (grouping every membership took 30 ms of a 20k-track library). A
track listed twice is one track, another model's or version's vector is none, and a pair
split over two playlists shares none."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import AUDIO_MODEL, add_playlist

from musicsage.library.relations import shared_playlist


@pytest.fixture
def four(library):
    library.add(6)
    library.embed(np.ones((4, 8), np.float32), library.ids[:4])  # the last two have none
    library.embed(np.ones((2, 8), np.float32), library.ids[4:], model_id="spectral-other")
    return library


@pytest.mark.parametrize("members, shared", [
    ([0, 0, 0, 4, 5], False),  # one track listed three times, beside tracks without a vector
    ([0, 4, 5], False),
    ([4, 5], False),  # vectors of another model
    ([0, 4, 1], True),
    ([3, 3, 2], True),
])
def test_one_playlist(four, members, shared):
    add_playlist(four.conn, "/p/a.m3u", "a", [four.ids[i] for i in members])
    assert shared_playlist(four.conn, AUDIO_MODEL, "v1") is shared
    assert shared_playlist(four.conn, AUDIO_MODEL, "v2") is False  # another version


def test_a_pair_split_over_two_playlists_shares_none(four):
    add_playlist(four.conn, "/p/a.m3u", "a", [four.ids[0], four.ids[4], four.ids[0]])
    add_playlist(four.conn, "/p/b.m3u", "b", [four.ids[1], four.ids[5]])
    assert shared_playlist(four.conn, AUDIO_MODEL, "v1") is False
    add_playlist(four.conn, "/p/c.m3u", "c", [four.ids[5], four.ids[2], four.ids[1]])
    assert shared_playlist(four.conn, AUDIO_MODEL, "v1") is True
