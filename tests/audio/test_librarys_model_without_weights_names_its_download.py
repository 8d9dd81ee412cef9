"""A plain ``embed`` on a library whose audio model's weights are not on disk names the
download that keeps the library's model, by the library's own model id.

A MusiCNN library (its weights cleared from the cache) was only told to switch every track
to spectral (``pass --model spectral …``), though ``embed --model musicnn`` fetches the
weights and keeps its vectors and graph model. An OpenL3 library of another variant than the
default was told "`musicsage embed --model openl3` downloads them": that command embeds with
the default variant, another model, and switched every track.
"""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio import musicnn
from musicsage.audio.embedder import MissingWeights
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, store_embeddings
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track


@pytest.fixture
def two_tracks(ctx, tmp_path, monkeypatch, no_checkout_models):
    """Two tracks and an empty models folder: no weights on disk, none fetched."""
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    music = tmp_path / "music"
    music.mkdir()
    return add_tracks(ctx, [make_track(music / f"{i}.wav", i, seconds=1.0) for i in (1, 2)])


@pytest.mark.parametrize("model_id", ["musicnn-msd-max_pool", "openl3-mel128-env-6144"])
def test_the_way_to_keep_the_librarys_model_is_named(ctx, two_tracks, monkeypatch, model_id):
    monkeypatch.setattr(musicnn, "weights_available", lambda _ctx, **_policy: False)
    conn = connect(ctx)
    store_embeddings(conn, [(two_tracks[0], np.ones(8, np.float32))], model_id, "v")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert f"— `musicsage embed --model {model_id}` downloads them" in text, text
    assert "\n" not in text
    assert embedding_counts(conn) == {model_id: 1}  # nothing embedded with another model
