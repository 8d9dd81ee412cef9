"""A map the user knows survives small changes: tracks removed leave it, tracks added (or
re-embedded) are placed by their nearest neighbour, every other point stays where it was; much
change, a new model or Recompute map lays it out afresh."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage import cli
from musicsage.search.declutter import separation_for
from musicsage.search.index import SpaceIndex
from musicsage.search.placement import MAX_PLACED_SHARE, row_hashes
from musicsage.search.projection import MAP_FILE, MapParams, compute_map, save_map


def space_of(ids, matrix, directory) -> SpaceIndex:
    return SpaceIndex("audio", np.asarray(ids), matrix, model_id="m", directory=directory)


@pytest.fixture
def laid_out(tmp_path):
    """40 clustered tracks (ids 1–40) and their UMAP layout, saved in ``tmp_path``."""
    ids, matrix = np.arange(1, 41), clustered_vectors(40, clusters=4)
    first = compute_map(space_of(ids, matrix, tmp_path))
    assert first.method == "umap"
    return ids, matrix, first.xy


def saved_meta(directory) -> dict:
    with np.load(directory / MAP_FILE) as data:
        return json.loads(str(data["meta"]))


def test_removed_tracks_leave_the_map_and_the_others_stay_put(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    res = compute_map(space_of(ids[5:], matrix[5:], tmp_path))
    assert (res.method, res.placed) == ("placed", 0)
    assert np.array_equal(res.xy, xy[5:])
    again = compute_map(space_of(ids[5:], matrix[5:], tmp_path))
    assert again.cached and np.array_equal(again.xy, xy[5:])


def test_new_tracks_sit_by_their_nearest_neighbour_and_hide_no_one(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    rng = np.random.default_rng(3)
    near = [0, 1, 2]  # each new track is a copy of one of these, a little off
    new = matrix[near] + rng.normal(0, 0.05, (3, matrix.shape[1])).astype(np.float32)
    res = compute_map(space_of(np.r_[ids, 101, 102, 103], np.r_[matrix, new], tmp_path))
    assert (res.method, res.placed) == ("placed", 3)
    assert np.array_equal(res.xy[:40], xy)  # nobody else moved
    gap = separation_for(res.xy, MapParams().separation)
    for row, anchor in zip(range(40, 43), near):  # beside it, on the nearest free spot
        assert np.linalg.norm(res.xy[row] - xy[anchor]) < 2.5 * gap
        others = np.delete(res.xy, row, axis=0)
        assert np.linalg.norm(others - res.xy[row], axis=1).min() > 0.5 * gap
    # the same change on another machine gives the same map
    other_dir = tmp_path / "again"
    compute_map(space_of(ids, matrix, other_dir), use_cache=False)
    twin = compute_map(space_of(np.r_[ids, 101, 102, 103], np.r_[matrix, new], other_dir))
    assert np.array_equal(twin.xy, res.xy)


def test_a_changed_vector_moves_only_its_own_track(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    changed = matrix.copy()
    changed[7] = matrix[20]  # re-embedded: it now sounds like track 21
    res = compute_map(space_of(ids, changed, tmp_path))
    assert (res.method, res.placed) == ("placed", 1)
    assert np.array_equal(np.delete(res.xy, 7, axis=0), np.delete(xy, 7, axis=0))
    assert np.linalg.norm(res.xy[7] - xy[20]) < 2.5 * separation_for(res.xy, MapParams().separation)


def test_much_change_since_the_last_layout_lays_the_map_out_afresh(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    more = clustered_vectors(12, clusters=4, seed=5)
    step1 = compute_map(space_of(np.r_[ids, 101:107], np.r_[matrix, more[:6]], tmp_path))
    assert (step1.method, step1.placed) == ("placed", 6)  # 6 of 46: 13 %
    assert saved_meta(tmp_path)["placed"] == 6
    # 6 more: 12 placed since the layout, of 52 tracks, is more than the share allowed
    assert 12 > MAX_PLACED_SHARE * 52
    step2 = compute_map(space_of(np.r_[ids, 101:113], np.r_[matrix, more], tmp_path))
    assert step2.method == "umap"
    assert saved_meta(tmp_path)["placed"] == 0


def test_a_new_model_and_recompute_map_lay_out_afresh(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    retrained = clustered_vectors(40, clusters=4, seed=9)  # every vector new
    assert compute_map(space_of(ids, retrained, tmp_path)).method == "umap"
    fewer = compute_map(space_of(ids[1:], retrained[1:], tmp_path), use_cache=False)
    assert fewer.method == "umap"


def test_a_map_saved_before_row_hashes_is_laid_out_once_more(tmp_path, laid_out):
    ids, matrix, xy = laid_out
    space = space_of(ids, matrix, tmp_path)
    save_map(tmp_path, fingerprint=space.fingerprint, model_id="m", track_ids=ids, xy=xy,
             params=MapParams(), method="umap")  # as an earlier version saved it
    assert compute_map(space_of(ids[2:], matrix[2:], tmp_path)).method == "umap"
    assert compute_map(space_of(ids[3:], matrix[3:], tmp_path)).method == "placed"


def test_row_hashes_tell_every_changed_vector_apart():
    m = clustered_vectors(50, dim=8)
    h = row_hashes(m)
    assert h.dtype == np.uint64 and len(np.unique(h)) == 50
    assert np.array_equal(row_hashes(m.copy()), h)
    nudged = m.copy()
    nudged[4, 3] = np.nextafter(nudged[4, 3], np.float32(np.inf))  # one bit
    changed = row_hashes(nudged) != h
    assert changed.tolist() == [i == 4 for i in range(50)]
    assert not np.array_equal(row_hashes(m[:, ::-1]), h)


def test_adding_music_keeps_the_audio_map_though_z_scores_shift(capsys, ctx, library):
    """The audio space z-scores the whole library, so one new track changes every row a
    little; the map still knows its tracks by their vectors as stored."""
    library.add(40)
    vectors = clustered_vectors(44, clusters=4)
    library.embed(vectors[:40])
    args = ["map", "--space", "audio", "--data-dir", str(ctx.data_dir)]
    assert cli.main(args + ["--json"]) == 0
    first = json.loads(capsys.readouterr().out)["audio"]
    before = {p["track_id"]: (p["x"], p["y"]) for p in first["points"]}
    new = library.add(4, start=40)
    library.embed(vectors[40:], ids=new)

    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "4 new or changed tracks placed on the saved map" in out and "--relayout" in out
    assert cli.main(args + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)["audio"]
    assert data["cached"] and data["tracks"] == 44
    after = {p["track_id"]: (p["x"], p["y"]) for p in data["points"]}
    assert all(after[t] == xy for t, xy in before.items())

    assert cli.main(args + ["--relayout"]) == 0
    assert "umap" in capsys.readouterr().out
