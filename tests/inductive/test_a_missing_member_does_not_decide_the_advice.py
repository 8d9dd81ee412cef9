"""A playlist (or any group of tracks) asked about after the library was re-analysed with
other settings than the graph model's training: one member with no vector whose file is
missing — which neither an embed nor a training places — must not send the whole group back
to "embed" where a training places the rest (``suggest`` said embed, the embed had nothing
to do, and the advice went in a circle)."""

from __future__ import annotations

from musicsage.errors import TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_unplaced import other_settings_note, settings_kinds


def test_a_missing_member_leaves_the_others_told_to_train(trained, add_music):
    from musicsage.library.db import connect

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)  # every track of other settings
    conn = connect(ctx)
    with conn:  # a track added since (no vector), its file then moved away
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))

    note = other_settings_note(ctx, "no member of the playlist", [new[0], new[1]])

    assert note is not None and note.endswith(f"train again on them ({TRAIN_HINT})"), note
    assert new[0] not in settings_kinds(ctx, [new[0], new[1]])  # map: keeps its embed words
