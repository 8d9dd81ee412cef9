"""OpenL3 looks for its weights where MusiCNN does (``ctx.model_dirs``): the weights folder, the
user cache's, a checkout's ``models/`` only read. A file fetched into the user cache while
``$MUSICSAGE_WEIGHTS_DIR`` named another folder was not found (downloaded again, or offline
"not found"); and the note after a remembered file is gone names the folder that served."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from audio_keras_files import keras_layers, write_keras_h5

import musicsage.context
from musicsage.audio import openl3
from musicsage.audio.openl3 import variants
from musicsage.context import WEIGHTS_DIR_ENV

VARIANT = variants.parse_variant("mel256_music_512")


def _keras(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (VARIANT.weights_stem + ".h5")
    write_keras_h5(path, keras_layers(np.random.default_rng(6)))
    return path


def test_weights_in_the_user_cache_are_found_with_another_weights_folder(ctx, monkeypatch):
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: None)
    cached = _keras(Path(ctx.cache_dir) / "models")
    assert Path(ctx.weights_dir) != cached.parent
    assert openl3.weights_available(ctx)
    assert openl3.resolve_source(ctx, VARIANT) == cached
    embedder = openl3.create_embedder(ctx, download=False, device="cpu")
    assert not embedder.random_weights


def test_the_gone_note_names_the_folder_that_served(ctx, tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: checkout)
    served = _keras(checkout / "models")  # not the weights folder: only read
    openl3.remember_weights(ctx, VARIANT, str(tmp_path / "moved away.h5"))
    embedder = openl3.create_embedder(ctx, download=False, device="cpu")
    assert f"this run uses the weights in {served.parent} (" in embedder.weights_note
    assert str(ctx.weights_dir) not in embedder.weights_note


def test_a_weights_folder_spelled_through_a_link_is_the_checkouts(ctx, tmp_path, monkeypatch):
    """``$MUSICSAGE_WEIGHTS_DIR`` naming the checkout's ``models/`` through a symlink: it is
    the weights folder (written), not also a folder only read, and is listed once."""
    checkout = tmp_path / "checkout"
    (checkout / "models").mkdir(parents=True)
    (tmp_path / "link").symlink_to(checkout / "models")
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: checkout)
    monkeypatch.setenv(WEIGHTS_DIR_ENV, str(tmp_path / "link"))
    assert ctx.model_dirs == [tmp_path / "link", ctx.cache_dir / "models"]
    assert ctx.not_written_models_dir is None
