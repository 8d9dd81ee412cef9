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
