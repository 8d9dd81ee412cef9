"""Parity with the reference OpenL3 (openl3 0.3.x, kapre front-end) on shared/openl3/chirp_44k.

Runs whenever the official mel256_music weights are found — ``$MUSICSAGE_OPENL3_WEIGHTS``
(a .h5 or .h5.gz file), or ``models/openl3_audio_mel256_music-v0_4_0.h5.gz`` (or ``.h5``) of
this checkout, where ``musicsage embed --model openl3`` downloads them — and is skipped with
that reason otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from shared_data import shared_path

from musicsage.audio import decode
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import cached_source
from musicsage.context import repo_root

VARIANT = parse_variant("mel256_music_6144")


def official_weights() -> Path:
    env = os.environ.get("MUSICSAGE_OPENL3_WEIGHTS")
    if env:
        if not Path(env).is_file():
            pytest.fail(f"MUSICSAGE_OPENL3_WEIGHTS={env} does not exist")
        return Path(env)
    root = repo_root()
    found = cached_source(root / "models", VARIANT) if root else None
    if found is None:
        pytest.skip("official OpenL3 mel256_music weights absent: set MUSICSAGE_OPENL3_WEIGHTS "
                    f"or put {VARIANT.weights_stem}.h5.gz in models/ (musicsage embed --model "
                    "openl3 downloads it there)")
    return found


def test_chirp_matches_reference_embeddings(ctx, tmp_path):
    from musicsage.audio.openl3 import create_embedder

    weights = official_weights()
    reference = np.load(shared_path("openl3", "chirp_44k.npz"))
    audio = decode.load(shared_path("openl3", "chirp_44k.wav"), sr=48000)  # soxr 44.1 → 48 kHz
    emb = create_embedder(ctx, variant=VARIANT.name, weights=weights, weights_dir=tmp_path,
                          device="cpu")
    frames, timestamps = emb.frame_embeddings(audio, hop_s=0.1, center=True)
    assert frames.shape == reference["embedding"].shape == (16, 6144)
    assert np.allclose(timestamps, reference["timestamps"])
    ref = reference["embedding"]
    cos = (frames * ref).sum(1) / (np.linalg.norm(frames, axis=1) * np.linalg.norm(ref, axis=1))
    assert cos.min() >= 0.999, f"per-frame cosine {np.round(cos, 4)}"
    # The 512-d model is the global max over the 12 (h, w) cells of the 6144-d output.
    emb512 = create_embedder(ctx, variant="mel256_music_512", weights=weights,
                             weights_dir=tmp_path, device="cpu")
    small, _ = emb512.frame_embeddings(audio, hop_s=0.1, center=True)
    assert np.allclose(small, ref.reshape(16, 12, 512).max(axis=1), rtol=0.05, atol=0.05)
