"""``suggest`` of a playlist whose every member's stored audio vector is damaged (NaN values,
or cut short: the search space drops them) said "no member of the playlist has an audio
embedding (Compute embeddings in the window, or musicsage embed)" (task fix_usecases2): they
have one, and it is damaged. It says so now, as ``similar`` and ``radio`` say it of a query or
a seed, with what mends it."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from musicsage.errors import EMBED_HINT
from musicsage.library.damaged_vectors import DAMAGE_WORDS


def _damage(ctx, track_ids: set[int], how: str) -> None:
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        for tid, dim in db.execute("SELECT track_id, dim FROM audio_embeddings").fetchall():
            if tid in track_ids:
                blob = np.full(dim, np.nan, "<f4").tobytes() if how == "nan" else b"\x00\x01"
                db.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                           (blob, tid))
    db.close()


@pytest.mark.parametrize("how", ["nan", "cut"])
def test_members_with_damaged_vectors_are_said_damaged(library, how):
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.usecases.suggest import suggest_tracks

    playlist = list_playlists(library)[0]
    members = set(playlist_track_ids(library, playlist.id))
    _damage(library, members, how)
    note = suggest_tracks(library, playlist.id, space="audio").notes["audio"]
    assert note == ("no member of the playlist has an audio embedding: each member's stored "
                    f"spectral vector is damaged ({DAMAGE_WORDS}); an embed analyses them "
                    f"again ({EMBED_HINT})"), note


def test_members_without_any_vector_are_still_said_to_have_none(library):
    """Not every member damaged: the note stays what it was."""
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.usecases.suggest import suggest_tracks

    playlist = list_playlists(library)[0]
    members = sorted(set(playlist_track_ids(library, playlist.id)))
    _damage(library, set(members[:1]), "nan")
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.executemany("DELETE FROM audio_embeddings WHERE track_id = ?",
                       [(t,) for t in members[1:]])
    db.close()
    note = suggest_tracks(library, playlist.id, space="audio").notes["audio"]
    assert note == f"no member of the playlist has an audio embedding ({EMBED_HINT})", note
