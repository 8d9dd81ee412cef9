"""Two map computations of one library at once (two `map`, or the window's and a terminal's)
each laid the whole map out — 260 s apiece on 28k tracks — for the same result. The second
now waits for the first, as a second `embed` or `train` does, saying so, and then takes the
map the first saved instead of laying it out again."""

from __future__ import annotations

import threading

import numpy as np
from search_helpers import clustered_vectors

from musicsage.library.lock import WAIT_WORDS, map_lock
from musicsage.search.index import SpaceIndex
from musicsage.search.projection import MapParams, compute_map, save_map


def test_a_second_map_waits_for_the_first_and_takes_its_map(tmp_path):
    space = SpaceIndex("audio", np.arange(1, 31), clustered_vectors(30, clusters=3),
                       model_id="m", directory=tmp_path)
    first_map = np.random.default_rng(0).normal(size=(30, 2)).astype(np.float32)
    said, waiting, results = [], threading.Event(), []

    def progress(p):
        said.append(p)
        if WAIT_WORDS in p.message:
            waiting.set()

    with map_lock([tmp_path]):  # the first run, laying the map out
        second = threading.Thread(target=lambda: results.append(
            compute_map(space, progress=progress)))
        second.start()
        assert waiting.wait(30), [(p.stage, p.message) for p in said]
        assert "another map computation of this library is running" in said[0].message
        save_map(tmp_path, fingerprint=space.fingerprint, model_id="m",
                 track_ids=space.track_ids, xy=first_map, params=MapParams(), method="umap")
    second.join(60)
    assert results and results[0].cached and results[0].method == "cached"
    assert np.array_equal(results[0].xy, first_map)  # the first run's map, not laid out again
    assert not any(p.stage == "map: layout" for p in said)


def test_a_removed_models_map_folder_goes_with_its_lock(tmp_path):
    from musicsage.search.model_maps import prune_model_maps

    folder = tmp_path / "maps" / "graph-1"
    space = SpaceIndex("graph", np.arange(1, 31), clustered_vectors(30, clusters=3),
                       model_id="graph-1", directory=tmp_path)
    compute_map(space, directories=[folder])
    assert (folder / "map-lock").exists()  # left by the layout, for the next one to lock
    prune_model_maps(tmp_path, None, keep=())
    assert not folder.exists(), "the lock kept the folder of a model that is gone"
