"""Task training: a library whose playlists each hold one track is refused by ``train`` and
``eval`` in the words ``models`` and ``similar`` use for it. They said "nothing to train on:
no two tracks share a playlist among the 34 training memberships (the evaluation moves up to
half of the tracks out of all their playlists …)", blaming an evaluation split for what the
library lacks, and never named ``--objective dgi``, which trains on it."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import evaluate_graph, train_graph
from musicsage.usecases.training_reach import command_line_need

N = 40


def _one_track_playlists(ctx, tmp_path, *, pair: bool = False):
    """``N`` tracks, each alone in a playlist of its own (``pair``: t2 … t19 join t1's too)."""
    folder = tmp_path / "ds"
    folder.mkdir()
    members = [(f"p{i}", f"t{i}") for i in range(N)]
    members += [("p1", f"t{i}") for i in range(2, 20)] if pair else []
    with open(folder / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id"]] + [[f"t{i}"] for i in range(N)])
    with open(folder / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"]] + members)
    np.save(folder / "features.npy", np.random.default_rng(0).normal(size=(N, 8)))
    import_dataset(ctx, folder)
    return ctx


@pytest.mark.parametrize("run", [train_graph, evaluate_graph])
def test_playlists_of_one_track_are_told_as_models_tells_them(ctx, tmp_path, run):
    ctx = _one_track_playlists(ctx, tmp_path)
    need = command_line_need(ctx)
    assert need is not None and need.startswith("needs playlists of at least two tracks")
    with pytest.raises(MusicsageError) as caught:
        run(ctx, max_steps=2, options={"threads": 1})
    said = str(caught.value)
    assert said == f"the graph model {need}"
    assert "--objective dgi" in said and "evaluation" not in said


def test_one_shared_playlist_still_trains(ctx, tmp_path):
    """The check looks at the library, not at a split: one playlist that holds several
    tracks is enough to train."""
    ctx = _one_track_playlists(ctx, tmp_path, pair=True)
    report = train_graph(ctx, max_steps=2, holdout=0, options={"threads": 1})
    assert report.model_id is not None


def _db_ids(ctx) -> dict[str, int]:
    """The library's track id of each dataset row (t0 … t39)."""
    from musicsage.library.db import connect

    return {r: int(t) for r, t in connect(ctx).execute("SELECT row_id, track_id "
                                                       "FROM dataset_tracks")}


NO_PAIR_WITH_VECTORS = ("the graph model needs playlists of at least two tracks with audio "
                        "embeddings: no playlist of this library holds two of its tracks that "
                        "have one")


@pytest.mark.parametrize("run", [train_graph, evaluate_graph])
def test_another_audio_models_vectors_are_judged_by_that_model(ctx, tmp_path, run):
    """``--audio-model B`` whose vectors give each playlist one track: the library's current
    model shares t1's playlist with 18 tracks, so the check judged it trainable and the run
    said "nothing to train on: … (the evaluation moves up to half …)" of a library where no
    evaluation was to blame."""
    from musicsage.library.db import connect
    from musicsage.library.queries import store_embeddings

    ctx = _one_track_playlists(ctx, tmp_path, pair=True)
    ids = _db_ids(ctx)
    kept = ["t0", "t1"] + [f"t{i}" for i in range(20, N)]  # t1 alone of p1's tracks
    conn = connect(ctx)
    with conn:
        store_embeddings(conn, [(ids[t], np.ones(8) * k) for k, t in enumerate(kept)],
                         "spectral-b", "1")
    with pytest.raises(MusicsageError) as caught:
        run(ctx, audio_model="spectral-b", max_steps=2, options={"threads": 1})
    said = str(caught.value)
    assert said.startswith(NO_PAIR_WITH_VECTORS.replace(
        "the graph model", "the graph model (on its 'spectral-b' vectors, --audio-model)")), said
    assert "--objective dgi" in said and "evaluation" not in said
    assert "`musicsage" not in said  # an embed computes the current model's vectors, not B's


@pytest.mark.parametrize("run", [train_graph, evaluate_graph])
def test_a_shared_playlist_whose_other_vectors_are_damaged_is_refused_as_such(ctx, tmp_path,
                                                                              run):
    """t1's playlist shares t2 … t19, whose vectors hold NaN and cannot be analysed again (no
    audio file): training leaves them out, so no playlist holds two of the tracks it trains
    on. The database's count of vectors sees a shared playlist: the run said "nothing to
    train on: … (the evaluation moves up to half …)"."""
    from musicsage.library.db import connect
    from musicsage.library.queries import store_embeddings

    ctx = _one_track_playlists(ctx, tmp_path, pair=True)
    ids = _db_ids(ctx)
    conn = connect(ctx)
    model, version = conn.execute("SELECT model_id, model_version FROM audio_embeddings "
                                  "LIMIT 1").fetchone()
    with conn:
        store_embeddings(conn, [(ids[f"t{i}"], np.full(8, np.nan)) for i in range(2, 20)],
                         model, version)
    with pytest.raises(MusicsageError) as caught:
        run(ctx, max_steps=2, options={"threads": 1})
    said = str(caught.value)
    assert said.startswith(NO_PAIR_WITH_VECTORS), said
    assert "--objective dgi" in said and "evaluation" not in said
