"""A graph model places new tracks only from audio vectors of the analysis settings it was
trained on (their ``model_version``, recorded in its params): after a re-analysis with other
settings, feeding it the new features would place tracks silently wrong — they wait for a
Retrain, and the report's note says so (counting as new only the tracks the model never saw).
A model saved before the version was recorded goes on as it did."""

from __future__ import annotations

import json

from musicsage.library.db import connect
from musicsage.library.queries import shown_version
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import read_inductive
from musicsage.usecases.inductive import embed_new_tracks
from musicsage.usecases.training import current_graph_model

OTHER = "spectral-other-settings"


def reanalyse(ctx, track_ids=None) -> None:
    """Give these tracks' vectors (default: every track's) another analysis version, computed
    just now — as an ``embed`` with other settings would."""
    conn = connect(ctx)
    where, args = ("", ()) if track_ids is None else (
        f" WHERE track_id IN ({','.join('?' * len(track_ids))})", tuple(track_ids))
    conn.execute("UPDATE audio_embeddings SET model_version = ?, created_at = strftime("
                 "'%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second')" + where, (OTHER, *args))
    conn.commit()


def placed(ctx) -> set[int]:
    found = read_inductive(current_graph_model(ctx))
    return set() if found is None else set(found.track_ids.tolist())


def test_training_records_the_audio_version_it_trained_on(trained):
    version = shown_version(connect(ctx := trained), "spectral")
    assert version
    assert current_graph_model(ctx).params["audio_model_version"] == version


def test_a_new_track_of_other_analysis_settings_waits_for_a_retrain(trained, add_music):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    reanalyse(ctx, [new[0]])  # the library still reads the version the model trained on

    report = embed_new_tracks(ctx)

    assert report.embedded == len(new) - 1  # the others are placed as before
    assert placed(ctx) == set(new[1:])
    assert report.note == ("the graph model was trained on other audio analysis settings: "
                           "Retrain to place 1 new track")


def test_after_a_reanalysis_with_other_settings_nothing_is_placed(trained, add_music):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    assert placed(ctx) == set(new)
    reanalyse(ctx)  # every track: the library now reads the other version

    report = embed_new_tracks(ctx)

    assert report.embedded == 0 and report.unseen == len(new) + 72
    assert placed(ctx) == set()  # the vectors placed from the old features are dropped too
    assert "other audio analysis settings" in report.note  # the 72 trained on are not new
    assert report.note.endswith(f"Retrain to place {len(new)} new tracks and update 72 "
                                "re-analysed tracks, which keep their graph vectors from "
                                "training until then")


def test_a_reanalysis_of_the_tracks_trained_on_is_not_told_as_new_tracks(trained):
    """The note said "Retrain to place 72 new tracks" of a library where no track was new:
    every one had only been re-analysed, and keeps the graph vector training gave it."""
    ctx = trained
    reanalyse(ctx)

    report = embed_new_tracks(ctx)

    assert report.embedded == 0 and report.unseen == 72
    assert report.note == ("the graph model was trained on other audio analysis settings: "
                           "Retrain to update 72 re-analysed tracks, which keep their graph "
                           "vectors from training until then")


def test_a_model_saved_before_the_version_was_recorded_places_them_as_before(trained,
                                                                            add_music):
    ctx = trained
    conn = connect(ctx)
    params = current_graph_model(ctx).params
    del params["audio_model_version"]
    conn.execute("UPDATE graph_models SET params = ? WHERE id = ?",
                 (json.dumps(params), current_graph_model(ctx).id))
    conn.commit()
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    reanalyse(ctx)  # it cannot tell: every track is placed from the features there are

    report = embed_new_tracks(ctx)

    assert report.note == "" and report.embedded == len(new) + 72
    assert set(new) <= placed(ctx)
