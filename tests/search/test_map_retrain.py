"""A Retrain keeps the map's arrangement: a new graph model's layout starts from the previous
model's map (musicsage.search.map_init) — only that library's graph maps, never the audio
map — while ``map --relayout`` / Recompute map still lays it out from UMAP's own start."""

from __future__ import annotations

import os

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage.search import projection
from musicsage.search.index import SpaceIndex
from musicsage.search.map_init import INIT_SPAN, init_from_layout, previous_model_map, retrain_init
from musicsage.search.model_maps import MAPS_DIR
from musicsage.search.placement import SavedLayout
from musicsage.search.projection import MAP_FILE, MapParams, compute_map, save_map


def moved_map_share(old_xy: np.ndarray, new_xy: np.ndarray) -> float:
    """Mean move of a point after the best shift/turn/mirror/scale, / the RMS radius."""
    from scipy.spatial import procrustes

    a, b, _ = procrustes(old_xy.astype(np.float64), new_xy.astype(np.float64))
    return float(np.linalg.norm(a - b, axis=1).mean() * np.sqrt(len(a)))


def graph_map(space_dir, label, ids, matrix, **how):
    space = SpaceIndex("graph", np.asarray(ids), matrix, model_id=label, directory=space_dir)
    return compute_map(space, directories=[space_dir / MAPS_DIR / label], **how)


def retrained(matrix: np.ndarray, seed: int = 2, noise: float = 0.5) -> np.ndarray:
    """Every vector changed, as by a new model: perturbed, then the whole space turned."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(matrix.shape[1],) * 2))
    return ((matrix + noise * rng.normal(size=matrix.shape)) @ q).astype(np.float32)


def test_a_retrained_models_map_keeps_the_old_arrangement(tmp_path):
    ids, old = np.arange(1, 201), clustered_vectors(200, clusters=10, seed=2)
    first = graph_map(tmp_path, "graph-1", ids, old)
    new = retrained(old)
    plain = graph_map(tmp_path / "plain", "graph-2", ids, new)
    kept = graph_map(tmp_path, "graph-2", ids, new, init_from=retrain_init(tmp_path, None,
                                                                           "graph-2"))
    assert plain.method == kept.method == "umap"
    assert moved_map_share(first.xy, kept.xy) < 0.6 * moved_map_share(first.xy, plain.xy)  # ~0.5
    # --relayout (no init): the plain layout, the same as on a library with no earlier model
    fresh = graph_map(tmp_path, "graph-2", ids, new, use_cache=False)
    np.testing.assert_array_equal(fresh.xy, plain.xy)


def test_a_new_track_starts_at_its_nearest_neighbours_point():
    rng = np.random.default_rng(0)
    old_ids, xy = np.arange(1, 31), rng.normal(size=(30, 2)).astype(np.float32) * 7
    saved = SavedLayout(old_ids, xy, None)
    matrix = clustered_vectors(31, clusters=3, seed=4)
    matrix[30] = matrix[12] + 0.01  # new track 99 sounds like track 13
    ids = np.r_[old_ids, 99]
    init = init_from_layout(saved, ids, matrix, separation=0.3)
    assert init.shape == (31, 2) and init.dtype == np.float32
    assert np.abs(init).max() == pytest.approx(INIT_SPAN)
    kept, was = init[:30] - init[:30].mean(axis=0), xy - xy.mean(axis=0)
    scale = np.linalg.norm(kept) / np.linalg.norm(was)
    np.testing.assert_allclose(kept, was * scale, atol=1e-4)  # old points, only scaled
    others = np.linalg.norm(init[:30] - init[30], axis=1)
    assert int(np.argmin(others)) == 12 and others[12] < 0.2 * np.median(others)
    # mostly new tracks: no start made of guesses
    assert init_from_layout(saved, np.r_[old_ids[:10], 100 + old_ids], np.r_[matrix[:30],
                            matrix[:30]], separation=0.3) is None


def write_map(directory, label, ids, xy, params=MapParams()):
    return save_map(directory, fingerprint="f", model_id=label, track_ids=ids, xy=xy,
                    params=params, method="umap")


def test_only_another_graph_model_of_this_library_is_a_start(tmp_path):
    ids, xy = np.arange(1, 11), np.arange(20, dtype=np.float32).reshape(10, 2)
    mine, other_library = tmp_path / "lib" / "graph", tmp_path / "other" / "graph"
    write_map(other_library / MAPS_DIR / "graph-1", "graph-1", ids, xy)
    write_map(mine, "spectral", ids, xy)  # the audio space's kind of map: no model label
    assert previous_model_map(mine, None, "graph-2", MapParams()) is None
    assert previous_model_map(mine, None, None, MapParams()) is None  # the audio space
    write_map(mine / MAPS_DIR / "graph-1", "graph-1", ids, xy + 1, MapParams(seed=7))
    assert previous_model_map(mine, None, "graph-2", MapParams()) is None  # other params
    write_map(mine / MAPS_DIR / "graph-3", "graph-1", ids, xy)  # records another folder's
    found = previous_model_map(mine, None, "graph-2", MapParams())
    assert found is not None and np.array_equal(found.xy, xy)
    spare = tmp_path / "spare" / "graph"  # a read-only library's maps: the newest one wins
    write_map(spare / MAPS_DIR / "graph-4", "graph-4", ids, xy + 5)
    found = previous_model_map(mine, spare, "graph-2", MapParams())
    assert np.array_equal(found.xy, xy + 5)
    # a full layout of a model that has a map of its own (much change since) starts from
    # it, however old: it is the map the user has
    write_map(mine / MAPS_DIR / "graph-2", "graph-2", ids, xy + 9)
    os.utime(mine / MAPS_DIR / "graph-2" / MAP_FILE, (1, 1))
    found = previous_model_map(mine, spare, "graph-2", MapParams())
    assert np.array_equal(found.xy, xy + 9)


def test_the_audio_space_and_relayout_never_start_from_a_saved_map(two_models, monkeypatch):
    from musicsage.usecases.models import use_graph_model
    from musicsage.usecases.search import map_points

    ctx, first, second = two_models
    starts = []
    real = projection.layout

    def spy(matrix, **how):
        starts.append(how.get("init"))
        return real(matrix, **how)

    monkeypatch.setattr(projection, "layout", spy)
    map_points(ctx, "audio")
    map_points(ctx, "graph")  # `second`, the first graph map of this library
    assert starts == [None, None]
    use_graph_model(ctx, first)
    map_points(ctx, "graph")  # another model: starts from `second`'s map
    assert starts[-1] is not None and starts[-1].shape == (len(starts[-1]), 2)
    map_points(ctx, "graph", relayout=True)
    map_points(ctx, "audio", relayout=True)
    assert starts[-2:] == [None, None]
