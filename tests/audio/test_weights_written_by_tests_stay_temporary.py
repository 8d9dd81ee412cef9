"""A run of the tests writes no audio-model weights into the checkout: its owner may write
its ``models/``, which was then the weights folder, and a test's 18 MB OpenL3 conversion was
left there for good. ``$MUSICSAGE_WEIGHTS_DIR`` (set to a temporary folder for every test by
``tests/conftest.py``) names where weights are written; the checkout's are still read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from audio_keras_files import keras_layers, write_keras_h5

import musicsage.context
from musicsage.audio import openl3
from musicsage.context import WEIGHTS_DIR_ENV

REPO = Path(__file__).resolve().parents[2]


def test_a_conversion_in_a_test_stays_out_of_a_writable_checkout(ctx, tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "models").mkdir(parents=True)  # writable, as the real one is for its owner
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: checkout)
    mine = tmp_path / "mine.h5"
    write_keras_h5(mine, keras_layers(np.random.default_rng(2)))
    embedder = openl3.create_embedder(ctx, weights=mine, download=False, device="cpu")
    assert not embedder.random_weights
    assert list((checkout / "models").iterdir()) == []
    assert len(list(Path(ctx.weights_dir).glob("*.pt"))) == 1  # converted, elsewhere
    assert not Path(ctx.weights_dir).is_relative_to(REPO)


def test_the_weights_folder_the_environment_names(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: None)  # an installed copy
    monkeypatch.setenv(WEIGHTS_DIR_ENV, str(tmp_path / "shared weights"))
    assert ctx.weights_dir == tmp_path / "shared weights" == ctx.model_dirs[0]
    assert ctx.model_dirs == [tmp_path / "shared weights", ctx.cache_dir / "models"]
    monkeypatch.setenv(WEIGHTS_DIR_ENV, "  ")  # blank: as if unset
    assert ctx.weights_dir == ctx.cache_dir / "models"
