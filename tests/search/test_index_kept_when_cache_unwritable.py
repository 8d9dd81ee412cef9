"""A library whose cache folder cannot be written (a read-only library or mount; here a file
in the way of ``cache/search``): the neighbour index was saved nowhere, so every `similar`
built it again (1.5 s at 28k tracks of 12-d vectors, 9 s at 128-d). It is kept in the spare
folder the maps fall back to, and loaded from there by the next command."""

from __future__ import annotations

import numpy as np
import pytest

import musicsage.search.index as search_index
from musicsage.search.index import INDEX_FILE, META_FILE
from musicsage.usecases.graph_vectors import spare_space_directory
from musicsage.usecases.library import import_dataset
from musicsage.usecases.spaces import SearchSpaces


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


def _a_command(ctx) -> "search_index.SpaceIndex":
    """What one `similar` does: spaces of its own, one neighbour lookup."""
    space = SearchSpaces(ctx).get("audio")
    assert not isinstance(space, str), space
    assert len(space.neighbours(int(space.track_ids[0]), 5)) == 5
    return space


def test_an_index_that_cannot_be_kept_in_the_cache_is_kept_in_the_spare_folder(library):
    ctx = library
    ctx.search_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.search_dir.write_text("not a folder")  # in the way of cache/search

    first = _a_command(ctx)
    assert first.status == "built"
    spare = spare_space_directory(ctx, "audio")
    assert (spare / INDEX_FILE).is_file() and (spare / META_FILE).is_file()

    again = _a_command(ctx)  # the next command loads it: no rebuild
    assert again.status == "loaded" and again.directory == spare
    assert ctx.search_dir.read_text() == "not a folder"  # the file in the way is left alone


def test_a_writable_cache_keeps_the_index_in_its_own_folder(library):
    ctx = library
    assert _a_command(ctx).directory == ctx.search_dir / "audio"
    assert _a_command(ctx).status == "loaded"
    assert not spare_space_directory(ctx, "audio").exists()
