"""A float file whose samples are far out of range (1e20 where music stays within ±1): MusiCNN's
patch vectors overflow when pooled, and numpy printed "RuntimeWarning: overflow encountered
in reduce" and its bare source line ("ret = umr_sum(arr, …)") among the command's lines —
for every caller but the embed job, which kept them quiet itself. Pooling keeps them quiet
for all, and still hands back the non-finite vector its callers refuse; ``mean-unit`` too, whose
patches over their infinite norms gave a finite zero vector, stored as the track's."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from musicsage.audio.musicnn.embedding import pool_patches
from musicsage.errors import MusicsageError

WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"


@pytest.mark.parametrize("how", ["mean", "mean-unit"])
def test_pooling_overflowing_patches_warns_nothing_and_is_not_finite(how):
    rows = np.full((6, 5), 3e38, np.float32)  # their sum overflows float32
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        vector = pool_patches(rows, how)
    assert vector.shape == (5,)
    assert not np.isfinite(vector).all()  # what the embed job counts as a failed track
    assert np.geterr() == before  # the caller's settings are left as they were


def test_pooling_still_refuses_what_it_cannot_pool():
    with pytest.raises(MusicsageError, match="no patches to pool"):
        pool_patches(np.zeros((0, 5), np.float32))
    with pytest.raises(ValueError, match="unknown pooling"):
        pool_patches(np.ones((2, 5), np.float32), "max")
    assert np.allclose(pool_patches(np.array([[1, 2], [3, 4]], np.float32)), [2, 3])


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "downloads it into models/")
def test_a_far_too_loud_excerpt_warns_nothing_and_is_refused(ctx):
    from musicsage.audio.musicnn.embedding import MusicnnEmbedder

    t = np.arange(16000 * 4) / 16000
    loud = (np.sin(2 * np.pi * 440 * t) * 1e20).astype(np.float32)
    embedder = MusicnnEmbedder(ctx)
    with warnings.catch_warnings(), pytest.raises(MusicsageError, match="NaN or infinite"):
        warnings.simplefilter("error")  # refused before the network: no warning on the way
        embedder.embed_track(loud)  # a failed track, in the embed job's words
