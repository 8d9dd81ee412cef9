"""``similar`` and ``radio`` of a track whose stored audio vector is damaged (NaN or infinite
values, or the wrong length: the search space drops it) said "the query track has no audio
embedding (… embed)": it has one, and it is damaged. They say so now, in the words ``map``
and ``stats`` use (DAMAGE_WORDS), with what mends it: an embed analyses it again."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from musicsage.errors import EMBED_HINT
from musicsage.library.damaged_vectors import DAMAGE_WORDS
from musicsage.usecases.spaces import SearchSpaces


def _damage(ctx, track_id: int, how: str) -> None:
    """Overwrite the track's stored audio vector: NaN values, or cut short."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    try:
        (dim,) = db.execute("SELECT dim FROM audio_embeddings WHERE track_id = ?",
                            (track_id,)).fetchone()
        blob = np.full(dim, np.nan, "<f4").tobytes() if how == "nan" else b"\x00\x01\x02"
        db.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?", (blob, track_id))
        db.commit()
    finally:
        db.close()


def _a_track(ctx) -> int:
    from musicsage.usecases.library import list_tracks

    return list_tracks(ctx)[0].id


@pytest.mark.parametrize("how", ["nan", "cut"])
def test_similar_says_the_query_vector_is_damaged(library, how):
    from musicsage.usecases.search import similar_tracks

    track = _a_track(library)
    _damage(library, track, how)
    note = similar_tracks(library, track, space="audio", spaces=SearchSpaces(library)
                          ).notes["audio"]
    assert "has no audio embedding (" not in note, note
    assert f"vector is damaged ({DAMAGE_WORDS})" in note, note
    assert note.endswith(f"an embed analyses it again ({EMBED_HINT})"), note


def test_radio_says_the_seed_vector_is_damaged(library):
    from musicsage.usecases.radio import radio_start

    track = _a_track(library)
    _damage(library, track, "nan")
    said = radio_start(library, track, 5, spaces=SearchSpaces(library))
    assert isinstance(said, str), said
    assert said.startswith("the seed track has no audio embedding: its stored"), said
    assert f"vector is damaged ({DAMAGE_WORDS})" in said, said


def test_a_track_without_a_vector_is_still_told_to_embed(library):
    """The other case keeps its words: no vector stored at all."""
    from musicsage.usecases.search import similar_tracks

    track = _a_track(library)
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (track,))
    db.close()
    note = similar_tracks(library, track, space="audio", spaces=SearchSpaces(library)
                          ).notes["audio"]
    assert note == f"the query track has no audio embedding ({EMBED_HINT})", note


def test_the_advice_given_mends_it(library):
    """The note's advice is one a user can follow: an embed analyses the track again, and
    then it has neighbours."""
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.search import similar_tracks

    track = _a_track(library)
    _damage(library, track, "nan")
    embed_library(library, "spectral")
    result = similar_tracks(library, track, space="audio", spaces=SearchSpaces(library))
    assert result.audio and "audio" not in result.notes, result.notes
