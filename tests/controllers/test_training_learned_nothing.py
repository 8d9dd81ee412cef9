"""Retrain on a library too small to learn from: the window said the run succeeded, kept "the
best on validation" (none ran) and showed 1.000 everywhere from one held-out pair, while the
command line's notes never reached it. It now says what happened, and why."""

from __future__ import annotations

import csv

import numpy as np

from musicsage.controllers.evaluation import evaluation_table
from musicsage.graph.jobs import NOTHING_LEARNED
from musicsage.usecases.library import import_dataset

#: the audit's library: 15 tracks in 4 playlists that overlap (25 memberships)
OVERLAPPING = ([("chill", f"t{i}") for i in range(6)] + [("work", f"t{i}") for i in range(4, 10)]
               + [("party", f"t{i}") for i in range(8, 14)]
               + [("mix", f"t{i}") for i in (0, 1, 4, 5, 8, 9, 14)])


def _tiny_library(ctx, tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    with open(folder / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id"]] + [[f"t{i}"] for i in range(15)])
    with open(folder / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"]] + OVERLAPPING)
    np.save(folder / "features.npy", np.random.default_rng(0).normal(size=(15, 8)))
    import_dataset(ctx, folder)
    return ctx


def test_a_retrain_that_learned_nothing_says_so_and_keeps_no_step(ctx, tmp_path, make_app,
                                                                  recorder):
    app, runner = make_app(_tiny_library(ctx, tmp_path),
                           train_options={"max_steps": 20, "options": {"threads": 1}})
    finished, shown = recorder(app.training.finished), recorder(app.training.model_shown)
    app.training.start()
    runner.drain()
    outcome, metrics, message, best = finished.last
    assert outcome == "succeeded" and best is None  # no "kept" line on a flat curve
    assert message.startswith("Training finished: the new model is in use (20 steps, ")
    assert " s). It learned nothing from your playlists: see the note below." in message
    assert "validation" not in message
    notes = evaluation_table(metrics).notes.splitlines()
    assert notes[0] == f"Note: {NOTHING_LEARNED}."
    assert notes[1].startswith("Note: only 1 evaluation pair: too few for these figures")
    # the model in use says it too once the library is read again (a window opened later)
    _text, saved, _curves = shown.last
    assert evaluation_table(saved).notes.splitlines() == notes
