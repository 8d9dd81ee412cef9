"""Task training: the dock's evaluation notes never send a Retrain user to a command-line
option as if the window had it. A split with no evaluation pair was noted "use more tracks
and playlists, or a larger --holdout" under the table, beside a Retrain with no hold-out."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.controllers.evaluation import evaluation_table
from musicsage.graph.evaluate import small_split_notes


@pytest.mark.parametrize("held", [None, 0])
def test_a_split_without_pairs_names_holdout_as_the_command_lines(held):
    note = small_split_notes(0, 40, held=held, eligible=30, fraction=0.1)[0]
    assert note.endswith("a larger --holdout")  # the evaluation's words, as `train` says them
    notes = evaluation_table({"pairs": 0, "notes": [note]}).notes
    assert notes.startswith("Note: no evaluation pair: ")
    assert notes.endswith("a larger hold-out (--holdout on the command line: the window's "
                          "Retrain has no such setting).")


def test_a_model_saved_without_an_evaluation_says_why_its_table_is_empty(ctx, tmp_path):
    """A model trained by ``train --holdout 0`` has no figures (saved as {}): the dock showed
    its placeholder table, all "–", and no word of why, beside the model in use."""
    from musicsage.usecases.library import import_dataset
    from musicsage.usecases.snapshot import load_snapshot
    from musicsage.usecases.training import train_graph

    folder = tmp_path / "ds"
    folder.mkdir()  # 60 tracks dealt into 6 playlists
    (folder / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(60)))
    (folder / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"p{i % 6},t{i}\n" for i in range(60)))
    np.save(folder / "features.npy", np.random.default_rng(0).normal(size=(60, 8)))
    import_dataset(ctx, folder)
    report = train_graph(ctx, max_steps=2, holdout=0, options={"threads": 1})
    assert report.best_val_hr10 is not None  # validation set some memberships aside
    metrics = load_snapshot(ctx).stats.graph_model["metrics"]
    assert metrics == {}  # what the dock is handed for the model in use
    table = evaluation_table(metrics)
    assert all(cell == "–" for row in table.rows for cell in row.cells)
    assert table.notes == ("Note: this model has no evaluation: it trained on every playlist "
                           "membership, none held out for an evaluation (train --holdout 0 on "
                           "the command line); a Retrain evaluates the model it trains.")
    # ("none held out" alone was untrue: validation still sets some aside as it trains)
    assert evaluation_table(None).notes == ""  # no model yet: nothing to explain
