"""Signal-processing pieces shared by the audio models' front ends (numpy only).

The models were trained behind different front ends (OpenL3: kapre's HTK mel; MusiCNN:
librosa's Slaney mel; spectral: our own), so each keeps its own constants; what they share is
the arithmetic: the analysis window and the triangular mel filters.
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
