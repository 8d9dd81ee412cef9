"""``similar`` on a track added after training, with its audio vector: the advice names the
command that gives it a graph vector. Embedded with the analysis settings the graph model
trained on, the saved model placed it (no advice to run anything). After an ``embed`` with
other settings (``--max-seconds 20``) the model places nothing, and another ``embed`` has
nothing to do: the note said "the graph model places new tracks without retraining (…
musicsage embed)"; it says to train, and a training does give the track its list. A track
the model can still place keeps pointing at ``embed`` (test_similar_suggests_embed.py)."""

from __future__ import annotations

from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.training import train_graph


def test_a_track_placed_by_the_saved_model_has_its_graph_list(trained, add_music):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")

    result = similar_tracks(ctx, new[0])

    assert result.graph
    assert "a retrain learns from it" in result.notes["graph"]


def test_after_an_embed_with_other_settings_the_note_says_train_not_embed(trained, add_music):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)  # every track, the new ones too

    note = similar_tracks(ctx, new[0]).notes["graph"]

    assert EMBED_HINT not in note and TRAIN_HINT in note, note
    assert note.startswith("the query track has no graph embedding: graph model "), note
    assert "analysis settings it was trained on" in note, note
    assert embed_library(ctx, "spectral").embedded == 0  # embed: nothing to do, as said

    train_graph(ctx, max_steps=2)  # what the note says: the track has its list now
    assert similar_tracks(ctx, new[0]).graph


def test_suggest_says_so_of_a_playlists_members(trained, add_music):
    from musicsage.usecases.graph_unplaced import other_settings_note

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)

    note = other_settings_note(ctx, "no member of the playlist", new)

    assert note is not None and note.startswith("no member of the playlist has a graph "
                                                 "embedding: graph model "), note
