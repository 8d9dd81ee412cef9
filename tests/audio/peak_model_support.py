"""A stand-in audio model whose units carry a track's peak sample, shared by the tests of
tracks whose vectors come out NaN or infinite (far-too-loud float WAVs): each subclass says
how the peak overflows (``infer`` or ``pool``) without loading a real model."""

from __future__ import annotations

import numpy as np

from musicsage.audio.embedder import AudioEmbedder

SR = 22050


class PeakModel(AudioEmbedder):
    """One excerpt per track, prepared as ``units`` rows of ``[peak, 1.0]``."""

    model_id = "spectral"
    sample_rate = SR
    dim = 2
    units = 1

    def spans(self, duration_s):
        return [(0.0, 1.0)]

    def prepare(self, excerpts):
        peak = float(np.abs(excerpts[0]).max())
        return np.array([[peak, 1.0]] * self.units, np.float32)
