"""A library whose stored audio vectors hold NaN or infinite values (a damaged database, an
older bug) was refused by train with the remedy ``embed --max-seconds N``, which re-analysed
every track, while a plain ``embed`` said "nothing to embed". Now a plain ``embed`` (the
window's Compute embeddings is the same service) re-analyses just the damaged tracks and says
so, and the refusal names that remedy."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from musicsage.controllers.summaries import describe_embed
from musicsage.errors import MusicsageError
from musicsage.graph.data import _refuse_damaged
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library


def _damage(ctx, track_id: int, value: float) -> bytes:
    """Write ``value`` into the first entry of the track's stored vector, as damage would."""
    with sqlite3.connect(ctx.data_dir / "library.sqlite3") as db:
        blob = db.execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                          (track_id,)).fetchone()[0]
        vector = np.frombuffer(blob, dtype="<f4").copy()
        vector[0] = value
        db.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                   (vector.tobytes(), track_id))
    db.close()
    return blob


def _vectors(ctx) -> dict[int, bytes]:
    return {int(t): bytes(v) for t, v in connect(ctx).execute(
        "SELECT track_id, vector FROM audio_embeddings")}


def test_embed_reanalyses_only_the_tracks_whose_vectors_are_damaged(ctx, tmp_path, make_audio):
    for i in range(4):
        make_audio(tmp_path / "music" / f"t{i}.wav", freq=300.0 + 120 * i)
    scan_library(ctx, [str(tmp_path / "music")], [])
    embed_library(ctx, "spectral")
    good = _vectors(ctx)
    ids = sorted(good)
    _damage(ctx, ids[1], np.nan)
    _damage(ctx, ids[3], np.inf)

    rep = embed_library(ctx)  # plain: the library's model and settings
    assert (rep.total, rep.embedded, rep.failed) == (2, 2, 0)
    assert rep.reanalysis == ("re-analysing 2 tracks whose stored vectors were damaged "
                              "(NaN or infinite values, or the wrong length)")
    assert _vectors(ctx) == good, "the same vectors again, the other tracks untouched"
    assert "; re-analysing 2 tracks whose stored vectors" in describe_embed(rep)

    again = embed_library(ctx)
    assert again.total == 0 and again.reanalysis == "" and again.nothing_to_do


def test_the_training_refusal_names_a_plain_embed(ctx):
    conn = connect(ctx)
    with pytest.raises(MusicsageError) as refused:
        _refuse_damaged(conn, np.array([7]), np.array([[np.nan, 1.0]], np.float32), "spectral")
    line = str(refused.value)
    assert "(Compute embeddings in the window, or musicsage embed: it redoes just these)" in line
    assert "--max-seconds" not in line
