"""A track the saved graph model placed after training is said to be, beside its graph list.

Its graph neighbours come from what the model learnt of other tracks, not from this track's
own playlists, and only a retrain learns from it. The window's graph list for it looked like
any trained track's, without a word of that."""

from __future__ import annotations

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.controllers.selection import beside_lists
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import placed_note, trained_track_ids
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.training import current_graph_model


def test_only_a_track_the_saved_model_placed_gets_the_note(trained, add_music):
    ctx = trained
    new = add_music(ctx, n=2)
    model = current_graph_model(ctx)
    old = int(trained_track_ids(model)[0])
    assert placed_note(ctx, new[0]) is None, "no graph vector yet: nothing placed"

    embed_library(ctx, "spectral")

    note = placed_note(ctx, new[0])
    assert note is not None and f"not in graph model {model.id}'s training" in note
    assert "placed it" in note and "retrain" in note
    assert placed_note(ctx, old) is None, "a track seen in training"


def test_the_window_says_it_under_the_lists(trained, add_music, qtbot):
    """The words the key line under the lists shows (the controller adds the note to the
    result it shows: tests/gui/test_placed_track_said_in_the_window.py)."""
    ctx = trained
    new = add_music(ctx, n=2)
    embed_library(ctx, "spectral")
    result = similar_tracks(ctx, new[0])
    assert result.graph, "placed: it has graph neighbours"
    shown = type(result)(**{**result.__dict__,
                            "notes": {**result.notes, "graph": placed_note(ctx, new[0])}})

    said = beside_lists(shown)
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.show_result(shown, {})

    assert said.startswith("Graph model: This track is not in graph model")
    assert "(press Retrain)" in said and "musicsage train" not in said
    assert said in panel.legend.text()
