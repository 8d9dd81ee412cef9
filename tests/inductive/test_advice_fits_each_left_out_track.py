"""The library analysed with other settings than the graph model's training (``embed
--max-seconds 20``): each track without a graph vector is told what gives it one. ``map``
said "embed" of every track left out, those ``similar`` told to train too, as soon as one of
them had no audio vector at all; it now says each kind on a line of its own, counted. A
track with no audio vector then needs an embed *and* a training (the embed makes a vector of
the other settings, which the model does not place: "embed" alone placed nothing). Where
what an embed makes cannot be told (an audio model's weights absent: the embed is refused)
the tracks with vectors are told to train, which reads the stored vectors (they were told to
embed)."""

from __future__ import annotations

from musicsage.cli import main
from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks

TRAIN_WORDS = "analysis settings it was trained on"
THEN_TRAIN = f"({EMBED_HINT}; then {TRAIN_HINT})"


def _one_without_vector(ctx, add_music) -> list[int]:
    """New tracks, every track analysed with other settings, then the first new one's audio
    vector dropped (no vector at all, as a track added since)."""
    from musicsage.library.db import connect

    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)
    conn = connect(ctx)
    with conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
    return new


def _graph_notes(ctx, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "map", "--space", "graph"]) == 0
    err = capsys.readouterr().err.replace(f"--data-dir {ctx.data_dir} ", "")  # the hints bare
    return [x for x in err.splitlines() if x.startswith("note: graph: ")]


def test_map_says_each_kind_its_own_advice(trained, add_music, capsys):
    ctx = trained
    new = _one_without_vector(ctx, add_music)

    notes = _graph_notes(ctx, capsys)

    assert len(notes) == 2, notes
    train, then_train = notes
    assert train.startswith(f"note: graph: {len(new) - 1} tracks left out: each has no "), notes
    assert train.endswith(f"train again on them ({TRAIN_HINT})"), notes
    assert then_train.startswith("note: graph: 1 track left out: it has no graph "), notes
    assert then_train.endswith(f"then train again {THEN_TRAIN}"), notes
    said = similar_tracks(ctx, new[1]).notes["graph"]  # the same words as similar's
    assert train.endswith(said.partition("graph embedding")[2]), (train, said)


def test_a_track_without_a_vector_is_told_to_embed_then_train(trained, add_music):
    ctx = trained
    new = _one_without_vector(ctx, add_music)

    note = similar_tracks(ctx, new[0]).notes["graph"]

    assert TRAIN_WORDS in note and note.endswith(THEN_TRAIN), note
    embed_library(ctx, "spectral")  # what an embed alone does: it has a vector, no place
    assert not similar_tracks(ctx, new[0]).graph


def test_weights_absent_tracks_with_vectors_are_told_to_train(trained, add_music,
                                                              monkeypatch):
    import musicsage.audio.selection as selection

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)
    monkeypatch.setattr(selection, "current_identity", lambda *_a, **_k: None)  # as MusiCNN's

    note = similar_tracks(ctx, new[0]).notes["graph"]

    assert TRAIN_WORDS in note and note.endswith(f"({TRAIN_HINT})"), note
    assert EMBED_HINT not in note, note

