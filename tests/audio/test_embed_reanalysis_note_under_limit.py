"""``embed --limit N`` says it re-analyses the vectors of the tracks it analyses, not every
stale or damaged vector of the library.

``embed --max-seconds 5 --limit 1`` on a library of 3 tracks analysed with the defaults said
"3 vectors of spectral were made with other analysis settings than this run's (5 s per
track): re-analysing" above "embedded 1 of 1 track needing it".
"""

from __future__ import annotations

import numpy as np

from musicsage.audio.spectral import create_embedder
from musicsage.library.db import connect
from musicsage.library.queries import delete_embeddings, store_embeddings
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track


def _analysed_library(ctx, tmp_path) -> list[int]:
    """Three tracks with spectral vectors made with the default settings."""
    music = tmp_path / "music"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(3)])
    embed_library(ctx, "spectral")
    return ids


def test_stale_vectors_beyond_the_limit_are_not_announced(ctx, tmp_path):
    _analysed_library(ctx, tmp_path)
    rep = embed_library(ctx, "spectral", max_seconds=5.0, limit=1)
    assert (rep.total, rep.embedded) == (1, 1)
    assert rep.reanalysis.startswith("1 vector of spectral was made with other analysis "
                                     "settings than this run's (5 s per track)")


def test_a_limited_run_counts_only_the_stale_vectors_it_redoes(ctx, tmp_path):
    ids = _analysed_library(ctx, tmp_path)
    delete_embeddings(connect(ctx), ids[0])  # the first track analysed has no vector
    rep = embed_library(ctx, "spectral", max_seconds=5.0, limit=1)
    assert (rep.total, rep.embedded, rep.reanalysis) == (1, 1, "")
    rep = embed_library(ctx, "spectral", max_seconds=5.0, limit=1)
    assert rep.reanalysis.startswith("1 vector of spectral was made")


def test_damaged_vectors_beyond_the_limit_are_not_announced(ctx, tmp_path):
    ids = _analysed_library(ctx, tmp_path)
    made = create_embedder(ctx)
    store_embeddings(connect(ctx), [(i, np.full(made.dim, np.nan, np.float32)) for i in ids],
                     made.model_id, made.model_version)
    rep = embed_library(ctx, "spectral", limit=2)
    assert (rep.total, rep.embedded) == (2, 2)
    assert rep.reanalysis == ("re-analysing 2 tracks whose stored vectors were damaged "
                              "(NaN or infinite values, or the wrong length)")
