"""A graph model saved before its audio analysis version was recorded, on a library whose
re-analysis was cut short (some tracks' vectors of other settings than most): the tracks of
the version the library reads are still placed, and the others are said to wait for an embed.

The saved model embeds on the graph of the version the library reads; a track of the other
version is not in it. So every new track went unplaced, and the note blamed the model:
"new tracks get no graph vectors: the graph model (model 1) cannot be used (1 track(s) are
not in the data to embed (e.g. 77)); retrain to rebuild it" — a model that was fine, and a
Retrain that would leave those tracks out again."""

from __future__ import annotations

import json

from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import read_inductive
from musicsage.usecases.inductive import embed_new_tracks
from musicsage.usecases.training import current_graph_model


def _as_saved_before_the_version_was_recorded(ctx) -> None:
    conn = connect(ctx)
    model = current_graph_model(ctx)
    params = dict(model.params)
    del params["audio_model_version"]
    conn.execute("UPDATE graph_models SET params = ? WHERE id = ?",
                 (json.dumps(params), model.id))
    conn.commit()


def _reanalysed(ctx, track_ids) -> None:
    """These tracks' vectors of other settings, as an embed cut short after they changed."""
    conn = connect(ctx)
    conn.execute("UPDATE audio_embeddings SET model_version = 'spectral-other-settings', "
                 "created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second') "
                 f"WHERE track_id IN ({','.join('?' * len(track_ids))})", tuple(track_ids))
    conn.commit()


def test_a_new_track_of_a_reanalysis_cut_short_does_not_stop_the_others(trained, add_music):
    ctx = trained
    _as_saved_before_the_version_was_recorded(ctx)
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    _reanalysed(ctx, [new[0]])  # the library still reads the version the others have

    report = embed_new_tracks(ctx)

    assert "cannot be used" not in report.note and "retrain" not in report.note.lower()
    assert report.note.startswith(
        "the audio vector of 1 track not seen in training was made with other analysis "
        "settings than the library's other tracks (a re-analysis cut short), so the graph "
        "model did not place it: an embed finishes the re-analysis, then places it (")
    assert report.embedded == len(new) - 1
    found = read_inductive(current_graph_model(ctx))  # placed from the features there are
    assert found is not None and set(found.track_ids.tolist()) == set(new[1:])
