"""A remembered ``--openl3-weights`` file damaged since: the advice that ends ``embed``'s line
must be one a user can follow.

It said "without them `musicsage embed` uses 'spectral'", but a plain ``embed`` chooses
OpenL3 again (the file is on disk) and fails the same way; passing the other model does work.
"""

from __future__ import annotations

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import remember_weights, variants
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track


def test_the_line_names_the_model_to_pass_and_passing_it_embeds(ctx, tmp_path, monkeypatch,
                                                                 no_checkout_models):
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: tmp_path / "models"))
    mine = tmp_path / "mine.h5"
    write_keras_h5(mine, keras_layers(np.random.default_rng(5)))
    mine.write_bytes(mine.read_bytes()[:4096])  # damaged on disk since it was given
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [make_track(music / "a.wav", 1, seconds=1.0)])
    connect(ctx)
    remember_weights(ctx, variants.parse_variant(None), str(mine))
    for _ in range(2):  # a plain embed chooses OpenL3 again: the line must not say otherwise
        with pytest.raises(MissingWeights) as caught:
            embed_library(ctx)
        text = str(caught.value)
        assert str(mine) in text and "\n" not in text, text
        assert "without them" not in text, text
        assert text.endswith("pass --model spectral to embed with it meanwhile"), text
    assert embed_library(ctx, "spectral").embedded == 1
