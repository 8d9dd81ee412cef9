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


def test_the_note_names_only_what_the_track_was_placed_by(trained, add_music, tmp_path):
    """"by its audio, playlists, album and artist" was said of a track with no playlist,
    album or artist: the note names what the track has."""
    import numpy as np
    import soundfile as sf

    from musicsage.usecases.library import list_tracks, scan_library

    ctx = trained
    new = add_music(ctx, n=1)  # tagged, in one playlist
    bare = tmp_path / "bare"
    bare.mkdir()
    t = np.arange(16000) / 16000
    sf.write(str(bare / "untitled.wav"), (0.3 * np.sin(2 * np.pi * 330 * t)).astype("float32"),
             16000)  # no tags, in no playlist
    known = set(new)
    scan_library(ctx, [str(bare)])
    untagged = [t.id for t in list_tracks(ctx) if str(t.path).endswith("untitled.wav")]
    assert len(untagged) == 1 and untagged[0] not in known
    embed_library(ctx, "spectral")

    assert "placed it by its audio, playlist, album and artist;" in placed_note(ctx, new[0])
    assert "placed it by its audio alone;" in placed_note(ctx, untagged[0])


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
