"""Signal-processing pieces shared by the audio models' front ends and the decoders.

The models were trained behind different front ends (OpenL3: kapre's HTK mel; MusiCNN:
librosa's Slaney mel; spectral: our own), so each keeps its own constants; what they share is
the arithmetic: the analysis window and the triangular mel filters. What every decoded
excerpt goes through before them, the mix-down to mono and the resampling to a model's rate
(soxr), is here too (:mod:`.decode` reads with them).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=8)
def periodic_hann(n: int) -> np.ndarray:
    """The periodic Hann window ``0.5 − 0.5·cos(2πk/n)``, k < n, as float32 (read-only, cached:
    copy it before handing it to code that may write, e.g. ``torch.from_numpy``).

    Periodic, not symmetric: what librosa, kapre and ``scipy.signal.get_window('hann', n)``
    use for spectral analysis, so frames overlap-add to a constant at hop n/2 and n/4.
    """
    k = np.arange(n, dtype=np.float64)
    window = (0.5 - 0.5 * np.cos(2.0 * np.pi * k / n)).astype(np.float32)
    window.setflags(write=False)
    return window


def triangular_filters(edges_hz: np.ndarray, bin_hz: np.ndarray) -> np.ndarray:
    """``[n_filters, n_bins]`` float64 area-normalised triangles (Slaney's ``2 / width``).

    Filter i rises from ``edges_hz[i]`` to ``edges_hz[i+1]`` and falls to ``edges_hz[i+2]``;
    the mel scale (HTK or Slaney) is the caller's choice of edges. Computed in float64 like
    librosa's reference; callers cast. Very narrow bands can be all zero (no bin inside).
    """
    widths = np.diff(edges_hz)
    dist = edges_hz[:, None] - bin_hz[None, :]  # edge − bin frequency
    rising = -dist[:-2] / widths[:-1, None]
    falling = dist[2:] / widths[1:, None]
    tri = np.maximum(0.0, np.minimum(rising, falling))
    tri *= (2.0 / (edges_hz[2:] - edges_hz[:-2]))[:, None]
    return tri


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Mono float32 ``x`` from ``sr_in`` to ``sr_out`` Hz (soxr HQ; a no-op when equal)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if sr_in == sr_out or x.size == 0:
        return x
    import soxr

    return soxr.resample(x, sr_in, sr_out, quality="HQ").astype(np.float32, copy=False)


def to_mono(x: np.ndarray) -> np.ndarray:
    """``[n, channels]`` (or ``[n]``) → ``[n]`` float32 by averaging channels; NaN/inf → 0.

    The channels are added column by column (the same float32 sums, in the same order, as
    ``x.mean(axis=1)``): numpy's reduction over a short inner axis costs ~5x more, and it was
    the largest single item of decoding a stereo file.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2 and x.shape[1] > 1:
        mono = x[:, 0] + x[:, 1]
        for c in range(2, x.shape[1]):
            mono += x[:, c]
        mono /= np.float32(x.shape[1])
    elif x.ndim == 2:
        mono = x[:, 0].copy()
    else:
        mono = x.copy()
    if not np.isfinite(mono).all():
        np.nan_to_num(mono, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return mono
