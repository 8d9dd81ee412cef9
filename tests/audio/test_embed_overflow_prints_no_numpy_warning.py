"""A track whose pooled vector overflows is one failure line, with no numpy warning beside it.

MusiCNN's mean over the patches of a far-too-loud float WAV overflows float32: the track
failed as it should ("gave NaN or infinite values"), but numpy's RuntimeWarning was printed
too, and under the progress bar only its source line was left among the command's lines:
``  ret = umr_sum(arr, axis, dtype, out, keepdims, where=where)``.
"""

from __future__ import annotations

import warnings

import numpy as np
import soundfile as sf
from peak_model_support import SR, PeakModel

from musicsage.audio.embed_job import run_embed_job
from musicsage.library.db import connect


class _MeanPoolingModel(PeakModel):
    """A model pooling its units with a plain mean, as MusiCNN's ``max_pool`` does."""

    model_version = "overflow-warning-test"
    units = 2

    def infer(self, units):
        return np.asarray(units, np.float32)

    def pool(self, unit_embeddings):
        return unit_embeddings.mean(axis=0)  # 3e38 + 3e38 overflows float32


def test_an_overflowing_pool_is_a_failure_without_a_warning(ctx, tmp_path):
    t = np.arange(2 * SR) / SR
    sf.write(tmp_path / "loud.wav", (3e38 * np.sin(2 * np.pi * 440 * t)).astype(np.float32),
             SR, subtype="FLOAT")
    connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                         (str(tmp_path / "loud.wav"), "loud"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rep = run_embed_job(ctx, _MeanPoolingModel(), cores=1)
    assert (rep.embedded, rep.failed) == (0, 1)
    assert "NaN or infinite" in rep.errors[0][1]
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
