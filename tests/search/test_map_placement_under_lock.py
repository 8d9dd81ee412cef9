"""Placing new tracks on a saved map (seconds, no UMAP) wrote the map file outside the map's
lock: beside a `map --relayout` laying the map out afresh it saved the old layout, with the
new tracks placed on it, over the new one (or the relayout's over it), so which layout the
user got back depended on timing. A placement now saves only under the lock and only over
the very map it placed on; a run that finds a layout going on waits for it and places on
its map."""

from __future__ import annotations

import threading

import numpy as np
from search_helpers import clustered_vectors

from musicsage.library.lock import WAIT_WORDS, map_lock
from musicsage.search import projection
from musicsage.search.index import SpaceIndex
from musicsage.search.placement import row_hashes
from musicsage.search.projection import (MAP_FILE, MapParams, compute_map, extend_saved_map,
                                         read_saved_layout, save_map)

N = 40


def saved_then_one_more(tmp_path, seed: int = 0):
    """A map saved for N tracks, and the space of those N plus one new track."""
    vectors = clustered_vectors(N + 1, clusters=3)
    old = SpaceIndex("audio", np.arange(1, N + 1), vectors[:N], model_id="m",
                     directory=tmp_path)
    xy = np.random.default_rng(seed).normal(size=(N, 2)).astype(np.float32)
    save_map(tmp_path, fingerprint=old.fingerprint, model_id="m", track_ids=old.track_ids,
             xy=xy, params=MapParams(), method="umap", row_keys=row_hashes(old.matrix))
    new = SpaceIndex("audio", np.arange(1, N + 2), vectors, model_id="m", directory=tmp_path)
    return new, xy


def relayout_of(space: SpaceIndex) -> np.ndarray:
    """What a relayout of ``space`` saves (any layout other than the first)."""
    return np.random.default_rng(99).normal(size=(len(space), 2)).astype(np.float32)


def save_relayout(directory, space: SpaceIndex, xy: np.ndarray) -> None:
    save_map(directory, fingerprint=space.fingerprint, model_id="m", track_ids=space.track_ids,
             xy=xy, params=MapParams(), method="umap", row_keys=row_hashes(space.matrix))


def extend(space: SpaceIndex, directory):
    return extend_saved_map([directory], fingerprint=space.fingerprint, model_id="m",
                            track_ids=space.track_ids, matrix=space.matrix)


def test_no_placement_is_saved_while_a_layout_holds_the_lock(tmp_path):
    space, _first = saved_then_one_more(tmp_path)
    before = (tmp_path / MAP_FILE).read_bytes()
    with map_lock([tmp_path]):  # a `map --relayout` laying the map out
        assert extend(space, tmp_path) is None
    assert (tmp_path / MAP_FILE).read_bytes() == before


def test_a_layout_saved_while_tracks_were_placed_is_not_overwritten(tmp_path, monkeypatch):
    space, _first = saved_then_one_more(tmp_path)
    fresh = relayout_of(space)
    placing = projection.extend_layout

    def relayout_meanwhile(*args, **kwargs):
        found = placing(*args, **kwargs)
        save_relayout(tmp_path, space, fresh)  # the relayout ends while the tracks are placed
        return found

    monkeypatch.setattr(projection, "extend_layout", relayout_meanwhile)
    assert extend(space, tmp_path) is None
    meta, saved = read_saved_layout(tmp_path, params=MapParams())
    assert meta["method"] == "umap" and np.array_equal(saved.xy, fresh)


def test_a_map_run_waits_for_a_relayout_and_places_on_its_map(tmp_path):
    space, first = saved_then_one_more(tmp_path)
    old_space = SpaceIndex("audio", space.track_ids[:N], space.matrix[:N], model_id="m",
                           directory=tmp_path)
    fresh = relayout_of(old_space)
    said, waiting, results = [], threading.Event(), []

    def progress(p):
        said.append(p)
        if WAIT_WORDS in p.message:
            waiting.set()

    with map_lock([tmp_path]):  # the relayout, of the library as it was
        run = threading.Thread(target=lambda: results.append(compute_map(space,
                                                                         progress=progress)))
        run.start()
        assert waiting.wait(30), [(p.stage, p.message) for p in said]
        save_relayout(tmp_path, old_space, fresh)
    run.join(60)
    assert results and results[0].method == "placed" and results[0].placed == 1
    np.testing.assert_array_equal(results[0].xy[:N], fresh)  # the relayout's, not the first
    assert not np.array_equal(results[0].xy[:N], first)
    _meta, saved = read_saved_layout(tmp_path, params=MapParams())
    np.testing.assert_array_equal(saved.xy, results[0].xy)


def test_a_placement_found_due_is_tried_once_when_nothing_waited(tmp_path, monkeypatch):
    space, _first = saved_then_one_more(tmp_path)
    tried = []
    placing = projection.extend_layout

    def too_much_change(*args, **kwargs):  # seconds each on a large library
        tried.append(placing(*args, **kwargs))
        return None  # a full layout is due

    monkeypatch.setattr(projection, "extend_layout", too_much_change)
    result = compute_map(space)
    assert result.method == "umap"
    assert len(tried) == 1, "the placement was worked out again under the lock for nothing"


def test_a_placement_left_for_a_held_lock_is_made_once_it_is_free(tmp_path):
    space, first = saved_then_one_more(tmp_path)
    waiting, results = threading.Event(), []

    def progress(p):
        if WAIT_WORDS in p.message:
            waiting.set()

    with map_lock([tmp_path]):  # a layout that ends saving nothing (cancelled)
        run = threading.Thread(target=lambda: results.append(compute_map(space,
                                                                         progress=progress)))
        run.start()
        assert waiting.wait(30)
    run.join(60)
    assert results and results[0].method == "placed" and results[0].placed == 1
    np.testing.assert_array_equal(results[0].xy[:N], first)
