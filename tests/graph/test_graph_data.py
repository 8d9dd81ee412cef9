"""GraphData from a dataset dir, and the context graph built from training memberships."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.build import build_context_graph, parse_contexts
from musicsage.graph.data import GraphData


def _write(d, tracks: str, members: str, features) -> None:
    d.mkdir(parents=True, exist_ok=True)
    (d / "tracks.csv").write_text(tracks)
    (d / "memberships.csv").write_text(members)
    np.save(d / "features.npy", np.asarray(features, np.float32))


@pytest.fixture
def small():
    ids = ["a", "b", "c", "d", "e"]
    pairs = [("p1", "a"), ("p1", "b"), ("p1", "b"), ("p2", "b"), ("p2", "c"), ("p2", "d")]
    meta = {"artist": ["x", "x", "y", "y", ""], "album": ["x1", "x1", "y1", "", ""]}
    return GraphData.build(ids, np.arange(10, dtype=np.float32).reshape(5, 2), pairs,
                           metadata=meta)


def test_build_deduplicates_and_interns(small):
    assert len(small.memberships) == 5  # ("p1", "b") twice -> once
    assert small.playlist_keys.tolist() == ["p1", "p2"]
    assert small.metadata["artist"].tolist() == [0, 0, 1, 1, -1]


def test_context_graph_holds_only_given_memberships_and_shared_metadata(small):
    train = small.memberships[:3]
    g = build_context_graph(small, train)
    playlist_edges = {tuple(e) for e in g.edges.tolist() if g.context_type[e[1]] == 0}
    assert playlist_edges == {tuple(e) for e in train.tolist()}
    kinds = [k.split(":")[0] for k in g.context_keys]
    # every playlist indexed; album y1 has one track -> no context node
    assert kinds == ["playlist", "playlist", "album", "artist", "artist"]
    flat, offsets, weights = g.bags(np.array([1, 4]))
    # track b: p1, p2 (mean: 1/2 each), album x1 (1), artist x (1); track e: nothing
    assert offsets.tolist() == [0, 4] and sorted(weights.tolist()) == [0.5, 0.5, 1.0, 1.0]
    only = build_context_graph(small, train, parse_contexts("artist"))
    assert [k.split(":")[0] for k in only.context_keys] == ["artist", "artist"]
    assert len(g.without(train[:1]).edges) == len(g.edges) - 1


def test_parse_contexts():
    assert parse_contexts("artist, playlist") == ("playlist", "artist")
    assert parse_contexts(None) == ("playlist", "album", "artist")
    with pytest.raises(MusicsageError, match="unknown contexts"):
        parse_contexts("playlist,genre")


@pytest.mark.parametrize("tracks, members, features, message", [
    ("track_id\na\nb\n", "playlist_id,track_id\np,a\np,z\n", [[1], [2]],
     "1 membership names a track that is not in the track list"),
    ("track_id\na\nb\n", "playlist_id,track_id\np,a\n", [[1], [2], [3]], "has shape"),
    ("id\na\nb\n", "playlist_id,track_id\np,a\n", [[1], [2]], r"missing column\(s\) track_id"),
    ("track_id\na\na\n", "playlist_id,track_id\np,a\n", [[1], [2]], "not unique"),
    ("track_id\na\nb\n", "playlist,track\np,a\n", [[1], [2]],
     r"missing column\(s\) playlist_id, track_id"),
    ("track_id\na\nb\n", "playlist_id,track_id\np,a\n", [[1], [np.nan]], "NaN"),
])
def test_bad_dataset_dirs_are_refused_clearly(tmp_path, tracks, members, features, message):
    _write(tmp_path / "ds", tracks, members, features)
    with pytest.raises(MusicsageError, match=message):
        GraphData.from_dataset_dir(tmp_path / "ds")


def test_missing_file(tmp_path):
    with pytest.raises(MusicsageError, match="features.npy is missing"):
        _write(tmp_path / "ds", "track_id\na\n", "playlist_id,track_id\n", [[1]])
        (tmp_path / "ds" / "features.npy").unlink()
        GraphData.from_dataset_dir(tmp_path / "ds")


def test_the_api_says_what_is_wrong_with_a_file_as_the_commands_do(tmp_path):
    """``GraphData.from_dataset_dir(DIR)`` (docs/dataset-dir.md) said "is missing" of a
    folder where a file belongs, and of a folder that is not there; only ``train``/``eval
    --dataset`` asked :func:`~musicsage.library.dataset_files.check_training_dataset`."""
    _write(tmp_path / "ds", "track_id\na\n", "playlist_id,track_id\n", [[1]])
    (tmp_path / "ds" / "features.npy").unlink()
    (tmp_path / "ds" / "features.npy").mkdir()
    with pytest.raises(MusicsageError, match="features.npy is a folder, not a file"):
        GraphData.from_dataset_dir(tmp_path / "ds")
    with pytest.raises(MusicsageError, match="nowhere is not a dataset dir: no such folder"):
        GraphData.from_dataset_dir(tmp_path / "nowhere")


def test_spaces_around_cells_mean_what_import_reads(tmp_path):
    """`import` drops spaces around every cell; `train --dataset` on the same dir used to keep
    them, and then refused " a" in memberships.csv as "not in the track list"."""
    _write(tmp_path / "padded", "track_id, artist\na , X\nb,Y \n",
           "playlist_id, track_id\np , a\np,b\n", [[1], [2]])
    _write(tmp_path / "plain", "track_id,artist\na,X\nb,Y\n", "playlist_id,track_id\np,a\np,b\n",
           [[1], [2]])
    padded, plain = (GraphData.from_dataset_dir(tmp_path / n) for n in ("padded", "plain"))
    assert padded.track_ids.tolist() == plain.track_ids.tolist() == ["a", "b"]
    assert padded.playlist_keys.tolist() == ["p"]
    assert padded.memberships.tolist() == plain.memberships.tolist()
    assert padded.metadata["artist"].tolist() == plain.metadata["artist"].tolist() == [0, 1]
