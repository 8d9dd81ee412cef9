"""The fixed (non-learned) parts of the OpenL3 front-end, in numpy: the mel filterbank.

The OpenL3 weights were trained behind kapre 0.1.4 layers, whose mel matrix is librosa's
``filters.mel(sr=48000, n_fft=2048, n_mels, fmin=0, fmax=24000, htk=True, norm=1)``: triangles
spaced evenly on the HTK mel scale (``2595·log10(1 + f/700)``), each scaled to unit area
(Slaney's normalisation, ``2 / (f_right − f_left)``). Re-implemented here so neither librosa nor
kapre is needed; tests compare against the matrices the reference models used. The window
is the shared periodic Hann of :mod:`musicsage.audio.dsp`.
"""

from __future__ import annotations

import numpy as np

from musicsage.audio.dsp import triangular_filters

SAMPLE_RATE = 48000
MEL_N_DFT = 2048
LINEAR_N_DFT = 512
N_HOP = 242


def hz_to_mel_htk(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_to_hz_htk(mel: np.ndarray | float) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(n_mels: int, *, sr: int = SAMPLE_RATE, n_dft: int = MEL_N_DFT,
                   fmin: float = 0.0, fmax: float | None = None) -> np.ndarray:
    """``[n_dft // 2 + 1, n_mels]`` float32: power-spectrum bins → mel bands (HTK, area-normed).

    Computed in float64, like the reference, and cast at the end. Very narrow low bands can be
    all zero (no FFT bin falls inside them); that is faithful to the reference too.
    """
    fmax = sr / 2.0 if fmax is None else fmax
    bin_hz = np.linspace(0.0, sr / 2.0, n_dft // 2 + 1)
    edges_hz = mel_to_hz_htk(np.linspace(hz_to_mel_htk(fmin), hz_to_mel_htk(fmax), n_mels + 2))
    return triangular_filters(edges_hz, bin_hz).T.astype(np.float32)
