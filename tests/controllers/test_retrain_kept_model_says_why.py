"""A Retrain that learned nothing, where the model before it had learned: that model stays
current, and the library read after the run fills the dock's table and notes with its
figures. The dock's line said "this run learned nothing (see the note) … see the note
below" — of a note that was the run's own, gone from under the table with the load. It now
says why in the line itself, once, and leaves the table to the model in use; the notes on
what the run read (tracks left out) are no reason for it and follow as their own sentences."""

from __future__ import annotations

import csv

import numpy as np

from musicsage.controllers.evaluation import evaluation_table
from musicsage.controllers.summaries import describe_training
from musicsage.graph.jobs import NOTHING_LEARNED
from musicsage.usecases.training import LibraryTrainReport, kept_current_text

QUICK = {"comember": False, "two_hop": False, "choose_contexts": False, "threads": 1}


def _library(ctx, tmp_path):
    """24 tracks in 6 random playlists (60 memberships): a dataset dir imported."""
    from musicsage.usecases.library import import_dataset

    rng = np.random.default_rng(0)
    pairs = set()
    while len(pairs) < 60:
        pairs.add((f"p{int(rng.integers(6))}", f"t{int(rng.integers(24))}"))
    folder = tmp_path / "ds"
    folder.mkdir()
    with open(folder / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id"]] + [[f"t{i}"] for i in range(24)])
    with open(folder / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"]] + sorted(pairs))
    np.save(folder / "features.npy", rng.normal(size=(24, 8)))
    import_dataset(ctx, folder)
    return ctx


def test_a_retrain_that_kept_the_model_before_says_why_in_its_own_line(
        ctx, tmp_path, make_app, recorder, monkeypatch):
    import musicsage.graph.jobs as jobs

    app, runner = make_app(_library(ctx, tmp_path),
                           train_options={"max_steps": 3, "options": QUICK})
    app.library.reload()
    runner.drain()
    app.training.start()  # model 1: it learned
    runner.drain()
    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    finished, shown = recorder(app.training.finished), recorder(app.training.model_shown)
    app.training.start()  # model 2 learned nothing: model 1 stays current
    runner.drain()

    outcome, metrics, message, best = finished.last
    assert outcome == "succeeded" and best is None
    assert kept_current_text(1, 2, NOTHING_LEARNED) in message, "the reason, in its line"
    assert message.count("learned nothing") == 1, message
    assert "see the note" not in message
    assert metrics is None, "the table stays the model in use's (model 1)"
    text, in_use, _curves = shown.last
    assert text.startswith("Model 1 on ")
    assert NOTHING_LEARNED not in evaluation_table(in_use).notes  # why the line must say it


def test_a_retrain_that_learned_nothing_with_no_model_to_keep_keeps_its_note(
        ctx, tmp_path, make_app, recorder, monkeypatch):
    """The first model of a library is current whatever it learned: its table and note are
    the model in use's, so the line goes on pointing at the note."""
    import musicsage.graph.jobs as jobs

    app, runner = make_app(_library(ctx, tmp_path),
                           train_options={"max_steps": 3, "options": QUICK})
    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    finished = recorder(app.training.finished)
    app.training.start()
    runner.drain()
    outcome, metrics, message, _best = finished.last
    assert outcome == "succeeded" and "see the note below" in message
    assert evaluation_table(metrics).notes.splitlines()[0] == f"Note: {NOTHING_LEARNED}."


LEFT_OUT = "left out 1 track whose spectral vectors hold NaN or infinite values"


def _kept_report(metrics: dict | None) -> LibraryTrainReport:
    """A run that learned nothing, kept model 1 current, and left a damaged track out."""
    return LibraryTrainReport(metrics=metrics, steps=3, best_step=3, best_val_hr10=None,
                              seconds=2.0, contexts=("playlist",), objective="infonce",
                              model_id=2, learned=False, notes=(NOTHING_LEARNED, LEFT_OUT),
                              kept_current=1)


def test_a_note_on_what_the_run_read_is_not_given_as_why_it_learned_nothing():
    for metrics in ({"graph": {"hr@10": 0.5}, "notes": [NOTHING_LEARNED, LEFT_OUT]}, None):
        line = describe_training(_kept_report(metrics), notes_inline=True)
        assert line == ("Training finished (3 steps, 2 s) and kept model 1 current: this run "
                        f"learned nothing — {NOTHING_LEARNED}. `musicsage models --use 2` "
                        "makes it current anyway. Left out 1 track whose spectral vectors "
                        "hold NaN or infinite values.")


def test_a_kept_run_says_once_that_it_learned_nothing():
    line = describe_training(_kept_report(None))
    assert line == ("Training finished (3 steps, 2 s) and kept model 1 current: this run "
                    "learned nothing (see the note); `musicsage models --use 2` makes it "
                    "current anyway.")
