"""Map points that would be drawn on top of each other are moved apart (``declutter``):
every track stays clickable, groups stay groups, and a spread-out map is left as it is."""

from __future__ import annotations

import numpy as np

from musicsage.search import projection
from musicsage.search.declutter import extent, separation_for, spread_overlaps


def _nearest_gaps(xy: np.ndarray) -> np.ndarray:
    gaps = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    return gaps.min(axis=1)


def test_stacked_groups_come_apart_and_stay_groups():
    rng = np.random.default_rng(0)
    spots = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], float)
    groups = np.repeat(np.arange(4), 20)
    xy = spots[groups] + rng.normal(0, 1e-6, (80, 2))  # 4 dots of 20 tracks each
    xy[:20] = spots[0]  # one group of exact duplicates
    gap = separation_for(xy, projection.SEPARATION)

    spread = spread_overlaps(xy, projection.SEPARATION)

    assert _nearest_gaps(xy).max() < 1e-3 * gap
    assert _nearest_gaps(spread).min() > 0.8 * gap  # every point can be told apart
    to_spot = np.linalg.norm(spread[:, None] - spots[None], axis=2)
    assert (to_spot.argmin(axis=1) == groups).all()  # ... and is still with its group
    assert to_spot[np.arange(80), groups].max() < 2.0  # a small disc, not a smear
    assert np.array_equal(spread_overlaps(xy, projection.SEPARATION), spread)  # deterministic


def test_a_spread_out_layout_is_left_alone():
    grid = np.stack(np.meshgrid(np.arange(12.0), np.arange(12.0)), axis=-1).reshape(-1, 2)
    assert separation_for(grid, projection.SEPARATION) < 1.0  # the grid's spacing
    assert np.array_equal(spread_overlaps(grid, projection.SEPARATION), grid.astype(np.float32))
    assert np.array_equal(spread_overlaps(grid[:1], projection.SEPARATION), grid[:1])
    assert spread_overlaps(np.zeros((0, 2)), projection.SEPARATION).shape == (0, 2)


def test_only_movable_points_move():
    """New tracks placed on a map the user knows: they step aside, the others stay."""
    rng = np.random.default_rng(2)
    known = rng.uniform(0, 10, (60, 2))
    placed = known[:5] + 1e-6  # each on top of a known track
    xy = np.concatenate([known, placed])
    movable = np.arange(65) >= 60

    out = spread_overlaps(xy, projection.SEPARATION, movable=movable)

    assert np.array_equal(out[:60], known.astype(np.float32))
    gap = separation_for(xy, projection.SEPARATION)
    assert _nearest_gaps(out)[60:].min() > 0.8 * gap
    assert np.linalg.norm(out[60:] - known[:5], axis=1).max() < 2 * gap  # still by its anchor


def test_tracks_with_near_identical_vectors_are_separate_points_on_the_map():
    """What a graph model does to one artist's album: near-identical vectors. UMAP alone
    stacks each group into one dot; the app's map keeps every track visible."""
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(5, 24))
    groups = np.repeat(np.arange(5), 16)
    vectors = (centres[groups] + rng.normal(0, 1e-4, (80, 24))).astype(np.float32)

    raw, _ = projection.layout(vectors, params=projection.MapParams(separation=0))
    xy, method = projection.layout(vectors)

    assert method == "umap"
    assert np.mean(_nearest_gaps(raw) >= 0.01 * extent(raw)) < 0.2  # stacked
    assert (_nearest_gaps(xy) >= 0.01 * extent(xy)).all()  # apart
    centroids = np.stack([xy[groups == g].mean(axis=0) for g in range(5)])
    nearest = np.linalg.norm(xy[:, None] - centroids[None], axis=2).argmin(axis=1)
    assert (nearest == groups).all()


def test_a_map_cached_with_another_separation_is_recomputed(tmp_path):
    ids = np.arange(5, dtype=np.int64)
    xy = np.zeros((5, 2), np.float32)
    old = projection.MapParams(separation=0)
    projection.save_map(tmp_path, fingerprint="f", model_id=None, track_ids=ids, xy=xy,
                        params=old, method="umap")
    assert projection.load_cached_map(tmp_path, fingerprint="f", track_ids=ids,
                                      params=old) is not None
    assert projection.load_cached_map(tmp_path, fingerprint="f", track_ids=ids,
                                      params=projection.MapParams()) is None
