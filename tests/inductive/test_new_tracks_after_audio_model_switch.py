"""New tracks after ``embed --model`` switched the library to another audio model than its
graph model's: the graph model places a new track by its vector of the graph model's audio
model, which they never get. Each ``embed`` placed none of them and said nothing (its graph
report: 0 unseen, no note), while ``similar`` sent the user back to ``embed``: both now say
why, and that a retrain places them."""

from __future__ import annotations

from pathlib import Path

import pytest

from new_music_support import build_trained, new_music

WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "fetches it")
def test_embed_says_why_new_tracks_get_no_graph_vectors(tmp_path):
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.search import similar_tracks
    from musicsage.usecases.training import current_graph_model

    ctx, paths = build_trained(tmp_path / "old")  # its graph model: on spectral vectors
    assert current_graph_model(ctx).audio_model == "spectral"
    switched = embed_library(ctx, "musicnn", max_seconds=3.0)  # every track: nothing lacks
    assert switched.embedded == len(paths) and not switched.graph.note
    music, _ = new_music(tmp_path / "new", paths, n=2)
    scan_library(ctx, [str(music)])
    rep = embed_library(ctx)  # the library's model now: MusiCNN
    assert rep.model_id.startswith("musicnn") and rep.embedded == 2
    assert rep.graph.embedded == 0
    note = rep.graph.note
    assert "spectral vectors, which 2 tracks lack" in note, note
    assert "retrain" in note.lower() and "musicsage train" in note
    new_id = connect(ctx).execute("SELECT id FROM tracks ORDER BY id DESC").fetchone()[0]
    said = similar_tracks(ctx, new_id).notes["graph"]  # it sent the user back to embed
    assert "musicsage embed" not in said and "spectral vectors" in said, said
    assert "musicsage train" in said


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "fetches it")
def test_a_new_track_without_the_library_s_vector_is_sent_to_embed_first(tmp_path):
    """Before its first MusiCNN vector the note said "train again on the musicnn vectors":
    a training would leave the track out, it needs an ``embed`` first."""
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.radio import radio_tracks
    from musicsage.usecases.search import similar_tracks

    ctx, paths = build_trained(tmp_path / "old")  # its graph model: on spectral vectors
    embed_library(ctx, "musicnn", max_seconds=3.0)
    music, _ = new_music(tmp_path / "new", paths, n=2)
    scan_library(ctx, [str(music)])
    new_id = connect(ctx).execute("SELECT id FROM tracks ORDER BY id DESC").fetchone()[0]
    said = similar_tracks(ctx, new_id).notes["graph"]
    assert "compute its musicnn" in said and "musicsage embed" in said, said
    assert said.index("musicsage embed") < said.index("musicsage train"), said

    embed_library(ctx)  # now it has its MusiCNN vector: only a training places it
    said = similar_tracks(ctx, new_id).notes["graph"]
    assert "train again on the musicnn" in said and "musicsage embed" not in said, said
    radio = radio_tracks(ctx, new_id, 3)
    assert "train again on the musicnn" in radio.note, radio.note
