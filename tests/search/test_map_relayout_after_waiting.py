"""``map --relayout`` (Map ▸ Recompute map) while another run of the library's map holds its
lock: it waited, then took the map the other run saved — "(cached)" — though a fresh layout,
from UMAP's own start, was asked for (the other's may have started from the previous model's
map, or be the very layout the user wanted redone). It now lays the map out afresh after the
wait, and its result says that it waited."""

from __future__ import annotations

import threading

import numpy as np
from search_helpers import clustered_vectors

from musicsage.library.lock import WAIT_WORDS, map_lock
from musicsage.search.index import SpaceIndex
from musicsage.search.projection import WAITED_NOTE, MapParams, compute_map, save_map


def test_a_relayout_that_waited_lays_the_map_out_afresh(tmp_path):
    space = SpaceIndex("audio", np.arange(1, 31), clustered_vectors(30, clusters=3),
                       model_id="m", directory=tmp_path)
    others_map = np.random.default_rng(0).normal(size=(30, 2)).astype(np.float32)
    said, waiting, results = [], threading.Event(), []

    def progress(p):
        said.append(p)
        if WAIT_WORDS in p.message:
            waiting.set()

    with map_lock([tmp_path]):  # the other run, laying the map out
        relayout = threading.Thread(target=lambda: results.append(
            compute_map(space, progress=progress, use_cache=False)))
        relayout.start()
        assert waiting.wait(60), [(p.stage, p.message) for p in said]
        save_map(tmp_path, fingerprint=space.fingerprint, model_id="m",
                 track_ids=space.track_ids, xy=others_map, params=MapParams(), method="umap")
    relayout.join(120)
    assert results, "the relayout did not end"
    res = results[0]
    assert not res.cached and res.method != "cached"
    assert not np.array_equal(res.xy, others_map), "the other run's map, not laid out afresh"
    assert res.note == WAITED_NOTE
    assert compute_map(space).cached  # the fresh layout is the one saved
