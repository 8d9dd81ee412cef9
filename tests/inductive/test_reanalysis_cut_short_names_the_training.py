"""A re-analysis with other settings than the graph model's training, cut short (``embed
--max-seconds 20 --limit 3``): most vectors are still of the trained settings, so the notes
took the library for one an embed serves, and a new track with no audio vector was told
"embed" — a missing one "once it is back, a rescan and an embed place it". The next plain
embed finishes the re-analysis with the other settings, after which only a training places
either. The notes name the training, as they do once the re-analysis has finished."""

from __future__ import annotations

from musicsage.errors import EMBED_HINT, RESCAN_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks


def _cut_short(ctx, add_music) -> list[int]:
    """New tracks after a re-analysis cut short; the first two with no audio vector (added
    since), the first one's file missing."""
    from musicsage.library.db import connect
    from musicsage.library.queries import shown_version

    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20, limit=3)
    conn = connect(ctx)
    with conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id IN (?, ?)", new[:2])
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))
    assert "max=20" not in shown_version(conn, "spectral")  # the trained settings, still
    return new


def test_a_missing_track_is_told_a_training_follows(trained, add_music):
    new = _cut_short(trained, add_music)

    notes = similar_tracks(trained, new[0]).notes

    assert notes["graph"] == (
        "the query track has no graph embedding yet: its file is missing: once it is back, a "
        f"rescan ({RESCAN_HINT}), an embed and a training ({TRAIN_HINT}) place it"), notes


def test_a_track_to_analyse_is_told_to_compute_then_train(trained, add_music):
    new = _cut_short(trained, add_music)

    note = similar_tracks(trained, new[1]).notes["graph"]

    assert note.endswith(f"then train again ({EMBED_HINT}; then {TRAIN_HINT})"), note
    embed_library(trained)  # what "embed" alone did: the re-analysis finished, no place
    after = similar_tracks(trained, new[1]).notes["graph"]
    assert after.endswith(f"train again on them ({TRAIN_HINT})"), after
