"""Two processes may keep one library's neighbour index at once (the window and a
``similar`` in a terminal, while an ``embed`` changes the vectors): one may save its index
(another set of vectors, the same number of tracks) just after the other checked the file's
MAC and before hnswlib opened it by its path. The file checked was then not the one loaded:
the other vectors' graph, answering with wrong neighbours. The file checked is now held open
and must still be the one at the path after loading; else the index is rebuilt."""

from __future__ import annotations

import os

import hnswlib
import numpy as np

from musicsage.search.index import INDEX_FILE, IndexParams, SpaceIndex

HNSW = IndexParams(exact_below=0)


def _space(directory, vectors: np.ndarray) -> SpaceIndex:
    return SpaceIndex("audio", np.arange(100, 100 + len(vectors)), vectors, model_id="m1",
                      directory=directory, params=HNSW)


def _vectors(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(600, 16)).astype(np.float32)


def test_an_index_replaced_between_its_check_and_its_load_is_rebuilt(tmp_path, monkeypatch):
    ours, theirs = _vectors(1), _vectors(2)
    _space(tmp_path / "theirs", theirs).neighbours(100, 5)  # another process's index file
    saved = _space(tmp_path / "ours", ours)
    expected = saved.neighbours(100, 5)
    assert saved.status == "built"

    load = hnswlib.Index.load_index

    def swapped_first(self, path, *args, **kwargs):
        """The other process's save lands between the MAC check and hnswlib's open."""
        os.replace(tmp_path / "theirs" / INDEX_FILE, path)
        monkeypatch.setattr(hnswlib.Index, "load_index", load)
        return load(self, path, *args, **kwargs)

    monkeypatch.setattr(hnswlib.Index, "load_index", swapped_first)
    again = _space(tmp_path / "ours", ours)
    hits = again.neighbours(100, 5)

    assert again.status == "rebuilt"
    assert hits == expected
