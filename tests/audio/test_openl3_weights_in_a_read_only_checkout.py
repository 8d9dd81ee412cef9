"""Weights the setup put in a source checkout's ``models/`` are used when this user cannot
write there: reading them needs no writing. They were passed over for the user cache, so
``embed`` downloaded them again (and, offline, found none)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5

import musicsage.context
from musicsage.audio import openl3
from musicsage.audio.openl3 import variants

VARIANT = variants.parse_variant("mel256_music_512")


@pytest.fixture
def read_only_checkout(tmp_path, monkeypatch) -> Path:
    """A checkout whose ``models/`` holds the weights and cannot be written by this user."""
    root = tmp_path / "checkout"
    models = root / "models"
    models.mkdir(parents=True)
    write_keras_h5(models / (VARIANT.weights_stem + ".h5"), keras_layers(np.random.default_rng(5)))
    models.chmod(0o555)
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # as for another user, even when run as root
        if Path(path) == models and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: root)
    yield models
    models.chmod(0o755)


def test_weights_in_a_read_only_checkout_are_found(ctx, read_only_checkout):
    assert Path(ctx.weights_dir) != read_only_checkout  # downloads would go to the user cache
    assert openl3.weights_available(ctx)
    assert openl3.resolve_source(ctx, VARIANT) == read_only_checkout / (VARIANT.weights_stem
                                                                      + ".h5")
    embedder = openl3.create_embedder(ctx, download=False, device="cpu")
    assert not embedder.random_weights
    assert not list(Path(ctx.weights_dir).glob("*.h5*"))  # nothing downloaded or copied
    assert sorted(p.name for p in read_only_checkout.iterdir()) == [VARIANT.weights_stem + ".h5"]
