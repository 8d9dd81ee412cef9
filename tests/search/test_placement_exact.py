"""The placing shortcuts (one tree query per ring of spots, normalising the kept rows in
place) must choose what the plain per-row, per-spot versions choose."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from musicsage.search import placement
from musicsage.vectors import unit_rows


def test_placed_tracks_sit_on_the_brute_force_nearest_even_with_duplicates():
    rng = np.random.default_rng(3)
    kept = rng.normal(size=(300, 16)).astype(np.float32)
    kept[50] = kept[10]  # duplicate vectors: the first one wins, as argmax does
    kept[51] = 2 * kept[10]  # same direction, other length: a cosine tie
    kept[60] = 0.0  # no direction
    new = np.vstack([rng.normal(size=(40, 16)), kept[[10, 60, 7]]]).astype(np.float32)
    new[5, 3] = np.nan
    matrix = np.vstack([kept, new])
    keep = np.arange(len(matrix)) < len(kept)
    xy = np.zeros((len(matrix), 2), np.float32)
    xy[keep] = np.stack([np.arange(len(kept)), np.zeros(len(kept))], axis=1)
    out = placement.place_rows(xy, matrix, keep, np.arange(len(matrix)) + 1, 0.0)
    cos = unit_rows(new).astype(np.float64) @ unit_rows(kept).astype(np.float64).T
    expect = np.array([np.flatnonzero(row == row.max())[0] for row in cos])
    assert np.array_equal(out[~keep, 0].astype(int), expect)
    assert out[len(kept) + 40, 0] == 10


def test_in_place_unit_rows_gives_unit_rows_bits():
    m = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)
    m[3], m[4, 2], m[5, 1] = 0.0, np.inf, np.nan
    assert np.array_equal(placement._unit_rows_in_place(m.copy()), unit_rows(m))


def _reference_clear(xy, placed, gap):
    """Every spot asked on its own, as placement did before."""
    xy = np.array(xy, dtype=np.float32)
    fixed, done = cKDTree(xy[~placed]), []

    def room(p, share):
        return fixed.query(p)[0] >= share * gap and all(
            np.linalg.norm(q - p) >= share * gap for q in done)

    ring = np.stack([np.cos(placement._ANGLES), np.sin(placement._ANGLES)], axis=1)
    for i in np.flatnonzero(placed):
        if not room(xy[i], placement.HIDDEN):
            for r in placement._RINGS:
                free = [p for p in xy[i] + r * gap * ring if room(p, placement.FREE)]
                if free:
                    xy[i] = free[0]
                    break
        done.append(xy[i].copy())
    return xy


def test_clearing_hidden_points_matches_asking_each_spot_alone():
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 10, size=(2000, 2)).astype(np.float32)
    placed = np.zeros(len(xy), bool)
    placed[-150:] = True
    xy[-150:-100] = xy[:50]  # on top of fixed points
    xy[-100:-80] = xy[-80:-60]  # on top of each other
    got = placement._clear_of_others(xy, placed, 0.2)
    assert np.array_equal(got, _reference_clear(xy, placed, 0.2))
