"""The library re-analysed with other settings than the graph model's training: a new track
with no audio vector is told to compute its vectors, then train again — but not one whose
file is missing, which no embed analyses (``embed`` said "nothing to embed", the training
ran, and the track was still unplaced). It keeps the embed words it always had, beside the
audio note that says its file is missing."""

from __future__ import annotations

from musicsage.errors import TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks


def test_a_missing_new_track_is_not_told_to_compute_its_vectors(trained, add_music):
    from musicsage.library.db import connect

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)  # every track of other settings
    conn = connect(ctx)
    with conn:  # a track added since (no vector), its file then moved away
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))

    notes = similar_tracks(ctx, new[0]).notes

    assert "compute its" not in notes["graph"] and "then train" not in notes["graph"], notes
    assert "missing" in notes["audio"], notes
    still = similar_tracks(ctx, new[1]).notes["graph"]  # one with a vector: train, as before
    assert still.endswith(f"train again on them ({TRAIN_HINT})"), still
