"""``embed --openl3-variant V`` without ``--model`` embeds with OpenL3's V, and says so; the
OpenL3 options ``--model`` contradicts are refused in one line before any work.

It switched a library of another OpenL3 model while its line said "the library's audio model
(--model switches it)"; on a library of another family with no OpenL3 weights on disk it was
ignored without a word (spectral ran, or "nothing to embed"); with ``--model
openl3-mel256-music-512`` it embedded mel128_env under a line saying mel256_music was asked.
No download: weights are a small generated Keras file; the mirror is a closed local port.
"""

from __future__ import annotations

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5

from musicsage.audio.embedder import MissingWeights
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, set_setting, store_embeddings
from musicsage.usecases.embedding import current_audio_model_id, embed_library

from test_embed_job import add_tracks, make_track


@pytest.fixture
def tracks(ctx, tmp_path, monkeypatch) -> list[int]:
    """Two short tracks in a library whose models folder is empty (no weights on disk)."""
    empty = tmp_path / "models"
    empty.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: empty))
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", "http://127.0.0.1:9/")  # refused
    music = tmp_path / "music"
    music.mkdir()
    return add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.5) for i in range(2)])


def test_a_variant_on_a_library_of_another_model_is_not_ignored(ctx, tracks):
    embed_library(ctx, "spectral")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx, None, variant="mel128_env_512")
    message = str(caught.value)
    assert "openl3_audio_mel128_env" in message and "\n" not in message
    assert embedding_counts(connect(ctx)) == {"spectral": 2}


def test_a_variant_switching_an_openl3_library_says_it_was_requested(ctx, tracks, tmp_path):
    conn = connect(ctx)
    store_embeddings(conn, [(i, np.ones(512, np.float32)) for i in tracks],
                     "openl3-mel256-music-512", "an older analysis")
    set_setting(conn, "audio_model", "openl3-mel256-music-512")
    mine = tmp_path / "mine.h5"  # a name that says nothing of its variant
    write_keras_h5(mine, keras_layers(np.random.default_rng(4)))
    rep = embed_library(ctx, None, openl3_weights=str(mine), variant="mel128_env_512",
                        max_seconds=1.0, device="cpu")
    assert rep.model_id == "openl3-mel128-env-512" and rep.embedded == 2
    assert rep.reason.startswith("openl3-mel128-env-512: requested (--openl3-variant")
    assert "the library's audio model" not in rep.reason
    assert current_audio_model_id(ctx) == "openl3-mel128-env-512"


@pytest.mark.parametrize(("model", "options", "words"), [
    ("openl3-mel256-music-512", {"variant": "mel128_env_512"}, "give only one of them"),
    ("spectral", {"variant": "mel128_env_512"}, "--openl3-variant has no effect with --model"),
    ("spectral", {"openl3_weights": "w.h5"}, "--openl3-weights has no effect with --model"),
])
def test_openl3_options_that_model_contradicts_are_refused(ctx, tracks, model, options, words):
    with pytest.raises(MusicsageError, match=words) as caught:
        embed_library(ctx, model, **options)
    assert "\n" not in str(caught.value)
    assert embedding_counts(connect(ctx)) == {}  # nothing embedded


def test_a_variant_with_the_family_name_is_that_variant(ctx, tracks, tmp_path):
    mine = tmp_path / "mine.h5"
    write_keras_h5(mine, keras_layers(np.random.default_rng(4)))
    rep = embed_library(ctx, "openl3", openl3_weights=str(mine), variant="mel128_env_512",
                        max_seconds=1.0, device="cpu")
    assert rep.model_id == "openl3-mel128-env-512" and rep.embedded == 2


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_variant_is_refused_not_taken_for_the_default_model(ctx, tracks, tmp_path,
                                                                    blank):
    embed_library(ctx, "spectral")
    mine = tmp_path / "mine.h5"  # the default model's weights at hand: it would embed at once
    write_keras_h5(mine, keras_layers(np.random.default_rng(4)))
    with pytest.raises(MusicsageError, match="--openl3-variant is empty") as caught:
        embed_library(ctx, None, variant=blank, openl3_weights=str(mine), max_seconds=1.0,
                      device="cpu")
    assert "\n" not in str(caught.value)
    assert embedding_counts(connect(ctx)) == {"spectral": 2}  # nothing re-embedded
    assert current_audio_model_id(ctx) == "spectral"

