"""The library re-analysed with other settings than the graph model's training, a new track
with no audio vector whose file is missing was told "once it is back, a rescan and an embed
place it": the embed makes a vector of the other settings, which the model does not place,
so a training must follow. The note names it with the rescan and the embed."""

from __future__ import annotations

from musicsage.errors import RESCAN_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks


def test_a_missing_track_after_a_reanalysis_is_told_a_training_follows(trained, add_music):
    from musicsage.library.db import connect

    new = add_music(trained)
    embed_library(trained, "spectral", max_seconds=20)  # every track of other settings
    conn = connect(trained)
    with conn:  # a track added since, never embedded, then missing
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))

    notes = similar_tracks(trained, new[0]).notes
    assert notes["graph"] == (
        "the query track has no graph embedding yet: its file is missing: once it is back, a "
        f"rescan ({RESCAN_HINT}), an embed and a training ({TRAIN_HINT}) place it"), notes
    assert "missing" in notes["audio"], notes
