"""A small library whose neighbour index is a real hnsw index with its files, for the tests
of where that index and its key are kept."""

from __future__ import annotations

import numpy as np
import pytest

import musicsage.search.index as search_index
from musicsage.usecases.library import import_dataset


@pytest.fixture
def library(ctx, tmp_path, monkeypatch):
    """40 tracks with 8-d vectors; the hnsw engine (and its files) even at this size."""
    monkeypatch.setattr(search_index, "DEFAULT_PARAMS", search_index.IndexParams(exact_below=0))
    src = tmp_path / "dataset"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(40)))
    (src / "memberships.csv").write_text("playlist_id,track_id\np0,t0\np0,t1\n")
    np.save(src / "features.npy",
            np.random.default_rng(1).normal(size=(40, 8)).astype(np.float32))
    import_dataset(ctx, src)
    return ctx
