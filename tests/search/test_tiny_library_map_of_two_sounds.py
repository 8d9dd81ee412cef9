"""A library too small for UMAP whose tracks are two sounds (an album and its copies, two
albums of near-identical tracks) has vectors that spread in one direction only. Its map was a
circle in track-id order, the two sounds' tracks interleaved round it: a track's neighbour on
the map was a track of the other sound. They now lie on a line, each sound together; only a
library whose every vector is the same still gets the circle."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.search.index import SpaceIndex
from musicsage.search.projection import compute_map


def two_sounds(n: int) -> np.ndarray:
    """``n`` vectors alternating between two sounds (track ids in the order a scan gives)."""
    sounds = np.random.default_rng(3).normal(size=(2, 16)).astype(np.float32)
    return sounds[np.arange(n) % 2]


@pytest.mark.parametrize("n", [2, 3, 6, 16])
def test_each_sound_is_drawn_together(tmp_path, n):
    vectors = two_sounds(n)
    space = SpaceIndex("audio", np.arange(1, n + 1), vectors, model_id="m", directory=tmp_path)
    result = compute_map(space)
    xy = result.xy
    assert np.isfinite(xy).all() and len(np.unique(np.round(xy, 4), axis=0)) == n
    sound = np.arange(n) % 2
    distances = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(distances, np.inf)
    for track in range(n):
        same = sound == sound[track]
        same[track] = False
        if same.any():  # every track of its own sound is nearer than any of the other
            assert distances[track, same].max() < distances[track, ~same & (
                np.arange(n) != track)].min(), (result.method, xy)


def test_one_vector_for_every_track_is_still_a_circle(tmp_path):
    vectors = np.tile(two_sounds(1), (5, 1))
    space = SpaceIndex("audio", np.arange(1, 6), vectors, model_id="m", directory=tmp_path)
    result = compute_map(space)
    assert result.method == "circle"
    assert len(np.unique(np.round(result.xy, 4), axis=0)) == 5
