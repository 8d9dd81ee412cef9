"""The library re-analysed with other settings than the graph model's training: a new track
with no audio vector is told to compute its vectors, then train again — but not one whose
file is missing, which no embed analyses (``embed`` said "nothing to embed", the training
ran, and the track was still unplaced). It is told that its file is missing, as the audio
note beside it says, and that once it is back a rescan, an embed and a training place it."""

from __future__ import annotations

from musicsage.errors import TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_unplaced import other_settings_note, settings_kinds
from musicsage.usecases.search import similar_tracks


def _new_track_missing(ctx, add_music) -> list[int]:
    """New tracks, the library re-analysed with other settings; the first one's vector gone
    and its file moved away (a track added since, never embedded, then missing)."""
    from musicsage.library.db import connect

    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)  # every track of other settings
    conn = connect(ctx)
    with conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))
    return new


def test_a_missing_new_track_is_not_told_to_compute_its_vectors(trained, add_music):
    ctx = trained
    new = _new_track_missing(ctx, add_music)

    notes = similar_tracks(ctx, new[0]).notes

    assert "compute its" not in notes["graph"] and "then train" not in notes["graph"], notes
    assert "missing" in notes["audio"], notes
    still = similar_tracks(ctx, new[1]).notes["graph"]  # one with a vector: train, as before
    assert still.endswith(f"train again on them ({TRAIN_HINT})"), still


def test_a_missing_member_leaves_the_others_told_to_train(trained, add_music):
    """A group (a playlist in ``suggest``) with such a member beside one a training places:
    the missing one, which neither an embed nor a training places, must not send the whole
    group back to "embed" (the embed had nothing to do: the advice went in a circle)."""
    ctx = trained
    new = _new_track_missing(ctx, add_music)

    note = other_settings_note(ctx, "no member of the playlist", [new[0], new[1]])

    assert note is not None and note.endswith(f"train again on them ({TRAIN_HINT})"), note
    assert new[0] not in settings_kinds(ctx, [new[0], new[1]])  # map: keeps its embed words
