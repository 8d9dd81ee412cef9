"""A map is laid out afresh once a fifth of its tracks were placed since its last layout — a
fifth of DISTINCT tracks still on it. Every embed after a playlist or tag change places the
same unseen tracks again (their graph vectors move a little): counting them at each placing
laid a 64-track map with 4 new tracks out again at the third edit, and every old point moved."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage.search.index import SpaceIndex
from musicsage.search.placement import MAX_PLACED_SHARE
from musicsage.search.projection import MAP_FILE, MapParams, compute_map, read_saved_layout

N = 40


def space_of(ids, matrix, directory) -> SpaceIndex:
    return SpaceIndex("audio", np.asarray(ids), matrix, model_id="m", directory=directory)


@pytest.fixture
def laid_out(tmp_path):
    """40 clustered tracks (ids 1–40) and their UMAP layout, saved in ``tmp_path``."""
    ids, matrix = np.arange(1, N + 1), clustered_vectors(N, clusters=4)
    first = compute_map(space_of(ids, matrix, tmp_path))
    assert first.method == "umap"
    return ids, matrix, first.xy


def saved_meta(directory) -> dict:
    with np.load(directory / MAP_FILE) as data:
        return json.loads(str(data["meta"]))


def nudged(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same tracks' vectors after another embed: a little different, so placed again."""
    return vectors + rng.normal(0, 0.01, vectors.shape).astype(np.float32)


def test_the_same_new_tracks_placed_again_count_once(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    rng = np.random.default_rng(1)
    new = matrix[:4] + rng.normal(0, 0.05, (4, matrix.shape[1])).astype(np.float32)
    assert 3 * 4 > MAX_PLACED_SHARE * (N + 4) >= 4  # counted at each placing: due at the 3rd
    for _edit in range(4):
        new = nudged(new, rng)
        res = compute_map(space_of(np.r_[ids, 101:105], np.r_[matrix, new], tmp_path))
        assert (res.method, res.placed) == ("placed", 4)
        np.testing.assert_array_equal(res.xy[:N], xy)  # no old point moved
        assert saved_meta(tmp_path)["placed"] == 4


def test_tracks_that_left_the_map_leave_the_count(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    more = clustered_vectors(12, clusters=4, seed=5)
    for lo in (0, 4, 8):  # 4 tracks come, go at the next change, 4 others come
        res = compute_map(space_of(np.r_[ids, 101 + lo:105 + lo],
                                   np.r_[matrix, more[lo:lo + 4]], tmp_path))
        assert res.method == "placed", lo
        np.testing.assert_array_equal(res.xy[:N], xy)
    assert saved_meta(tmp_path)["placed"] == 4


def test_distinct_new_tracks_still_lay_the_map_out_afresh(tmp_path, laid_out):
    ids, matrix, _xy = laid_out
    more = clustered_vectors(12, clusters=4, seed=5)
    step1 = compute_map(space_of(np.r_[ids, 101:105], np.r_[matrix, more[:4]], tmp_path))
    step2 = compute_map(space_of(np.r_[ids, 101:109], np.r_[matrix, more[:8]], tmp_path))
    assert (step1.method, step2.method) == ("placed", "placed")  # 8 of 48
    step3 = compute_map(space_of(np.r_[ids, 101:113], np.r_[matrix, more], tmp_path))
    assert step3.method == "umap"  # 12 distinct of 52: more than a fifth
    assert saved_meta(tmp_path)["placed"] == 0


def as_older_version_saved_it(directory, placed: int) -> None:
    """Rewrite the map file as a version that counted placings without their ids did."""
    path = directory / MAP_FILE
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files if name != "placed_ids"}
    meta = json.loads(str(arrays["meta"]))
    arrays["meta"] = np.array(json.dumps({**meta, "placed": placed}))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())


def test_an_older_map_keeps_its_count_and_then_counts_tracks_once(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    rng = np.random.default_rng(2)
    new = matrix[:4] + rng.normal(0, 0.05, (4, matrix.shape[1])).astype(np.float32)
    both = np.r_[ids, 101:105]
    compute_map(space_of(both, np.r_[matrix, nudged(new, rng)], tmp_path))
    as_older_version_saved_it(tmp_path, placed=4)  # whose 4, it did not say
    for _edit in range(3):  # 4 + 4 of 44 allowed; the same 4 again add nothing
        res = compute_map(space_of(both, np.r_[matrix, nudged(new, rng)], tmp_path))
        assert res.method == "placed"
        np.testing.assert_array_equal(res.xy[:N], xy)
        assert saved_meta(tmp_path)["placed"] == 8
    as_older_version_saved_it(tmp_path, placed=6)  # 6 + 4 of 44: a layout is due
    assert compute_map(space_of(both, np.r_[matrix, nudged(new, rng)], tmp_path)).method == "umap"


@pytest.mark.parametrize("damaged", [np.zeros((2, 2), np.int64), np.array([1.5, 2.5]),
                                     np.array(["a", "b"])])
def test_damaged_placed_ids_keep_the_saved_count(tmp_path, laid_out, damaged):
    ids, matrix, _xy = laid_out
    compute_map(space_of(np.r_[ids, 101:105], np.r_[matrix, matrix[:4] + 0.05], tmp_path))
    path = tmp_path / MAP_FILE
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["placed_ids"] = damaged
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    _meta, saved = read_saved_layout(tmp_path, params=MapParams())  # read, not refused
    assert saved.placed == 4 and saved.placed_ids is None
