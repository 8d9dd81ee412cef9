"""The fixed (non-learned) parts of the OpenL3 front-end, in numpy: mel filterbank and window.

The OpenL3 weights were trained behind kapre 0.1.4 layers, whose mel matrix is librosa's
``filters.mel(sr=48000, n_fft=2048, n_mels, fmin=0, fmax=24000, htk=True, norm=1)``: triangles
spaced evenly on the HTK mel scale (``2595·log10(1 + f/700)``), each scaled to unit area
(Slaney's normalisation, ``2 / (f_right − f_left)``). Re-implemented here so neither librosa nor
kapre is needed; tests compare against the matrices the reference models used
(``shared/openl3/mel{256,128}_weights.npy``).
"""

from __future__ import annotations

import numpy as np

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
    widths = np.diff(edges_hz)
    dist = edges_hz[:, None] - bin_hz[None, :]  # edge − bin frequency
    rising = -dist[:-2] / widths[:-1, None]
    falling = dist[2:] / widths[1:, None]
    tri = np.maximum(0.0, np.minimum(rising, falling))
    tri *= (2.0 / (edges_hz[2:] - edges_hz[:-2]))[:, None]
    return tri.T.astype(np.float32)


def periodic_hann(n: int) -> np.ndarray:
    """Hann window for spectral analysis (periodic: ``0.5 − 0.5·cos(2πk/n)``, k < n)."""
    k = np.arange(n, dtype=np.float64)
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * k / n)).astype(np.float32)
