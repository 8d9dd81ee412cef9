"""Signal-processing pieces shared by the audio models' front ends and the decoders.

The models were trained behind different front ends (OpenL3: kapre's HTK mel; MusiCNN:
librosa's Slaney mel; spectral: our own), so each keeps its own constants; what they share is
the arithmetic: the analysis window and the triangular mel filters. What every decoded
excerpt goes through before them, the mix-down to mono and the resampling to a model's rate
(soxr), is here too (:mod:`.decode` reads with them).
"""

from __future__ import annotations

import math
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


class BlockResampler:
    """Mono float32 blocks at ``sr_in`` → one array at ``sr_out``, resampled as they are read
    (soxr's stream): a long excerpt is never held at the file's rate beside its resampled copy
    (``resample`` of the joined blocks held both, and the joining a second copy of the first:
    a 1-hour excerpt of a 44.1 kHz file cost 1.4 GB to decode for 320 MB of audio at 22,050 Hz).
    The samples are the ones :func:`resample` of the joined blocks gives, to the byte (soxr's
    stream and its one-shot call share their arithmetic; a test pins it).

    ``max_in``: the most samples that will be added, when known: the output is then written
    into one array of that size (what it grows past, if the estimate was short, is joined)."""

    def __init__(self, sr_in: int, sr_out: int, max_in: int | None = None) -> None:
        self._stream = None
        if sr_in != sr_out:
            import soxr

            self._stream = soxr.ResampleStream(sr_in, sr_out, 1, dtype="float32", quality="HQ")
        size = None if max_in is None else (max_in if self._stream is None
                                            else math.ceil(max_in * sr_out / sr_in) + 64)
        self._out = np.empty(size, np.float32) if size is not None else None
        self._parts: list[np.ndarray] = []
        self._size = 0

    def add(self, x: np.ndarray) -> None:
        """The next block of samples (mono float32 at ``sr_in``)."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        self._put(x if self._stream is None else self._stream.resample_chunk(x))

    def finish(self) -> np.ndarray:
        """All the samples at ``sr_out`` (the resampler's tail flushed)."""
        if self._stream is not None:
            self._put(self._stream.resample_chunk(np.zeros(0, np.float32), last=True))
            self._stream = None
        if self._out is not None:
            return self._out[:self._size]
        return np.concatenate(self._parts) if self._parts else np.zeros(0, np.float32)

    def _put(self, y: np.ndarray) -> None:
        if self._out is not None and self._size + len(y) > len(self._out):  # past the estimate
            self._parts, self._out = [self._out[:self._size]], None
        if self._out is None:
            self._parts.append(np.asarray(y, dtype=np.float32))
        else:
            self._out[self._size:self._size + len(y)] = y
        self._size += len(y)
