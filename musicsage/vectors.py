"""The two vector operations every space shares: per-dimension z-scores and unit rows.

"Audio-only" means one thing everywhere — the evaluation's baseline, the audio list and map a
user sees: the input features z-scored per dimension, compared by cosine. Keeping the one
definition here (numpy only, no Qt, no torch) is what makes the audio list a user sees the
baseline the graph model is evaluated against.
"""

from __future__ import annotations

import numpy as np


NOISE_SPREAD = 1e-5
"""A column whose standard deviation is at most this fraction of its values' magnitude (at
least 1: :func:`constant_columns`) is constant up to rounding. float32 keeps 24 bits (one
part in 1.7e7); through a feature's computation (2048-point FFTs, averages over hundreds of
frames, an onset autocorrelation) that rounding, and differences no ear hears, grow to a few
parts in 10^6. Measured: copies of one recording, one sample nudged by 1e-4 in each, spread
the spectral model's columns by up to 2e-6 (2-s clips; 1.4e-7 at 20 s); MusiCNN's demo
library has five dead units (values ~2e-6, spread 1e-13 to 3e-10). 1e-5 sits above that
and two orders below the smallest real spread measured: 1.0e-3 (MusiCNN, demo library),
7.5e-3 (spectral, demo library), 0.065 (the Spotify set's features, 0-1 fractions to
milliseconds: the evaluation's audio-only baseline is unchanged). MusiCNN's own response to
that nudge (up to 4e-4 in values near 0.6) is above it, and stays."""


def constant_columns(matrix) -> np.ndarray:
    """Which columns of ``matrix`` (2-D) are constant, exactly or up to rounding: a boolean
    mask. A column spread by no more than :data:`NOISE_SPREAD` times ``max(1, max |value|)``
    holds no information, only the rounding of the computation that made it; the magnitude
    counts from 1 at least because a feature is computed with numbers of the scale of the
    whole vector, not only of its own (a column of values near 1e-5 beside columns near 1
    carries their rounding). Any NaN leaves its column counted as not constant."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {m.shape}")
    if len(m) == 0:
        return np.zeros(m.shape[1], dtype=bool)
    magnitude = np.maximum(1.0, np.abs(m).max(axis=0))
    return (np.ptp(m, axis=0) == 0) | (m.std(axis=0) <= NOISE_SPREAD * magnitude)


def zscore(matrix) -> np.ndarray:
    """Columns z-scored (mean 0, standard deviation 1) as float32.

    A *constant* column (every value equal, or equal up to rounding: :func:`constant_columns`)
    carries no information: it becomes all zeros, so it neither moves a cosine nor blows
    rounding noise up to unit scale — a library of near-identical audio scored its tracks
    -0.74 to 0.95 against each other by that noise alone, and a dead unit of a neural model
    weighed as much as any real feature. Statistics are computed in float64 over every row
    given.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {m.shape}")
    if len(m) == 0:
        return m.astype(np.float32)
    constant = constant_columns(m)
    std = m.std(axis=0)
    std[constant] = 1.0
    out = (m - m.mean(axis=0)) / std
    out[:, constant] = 0.0
    return out.astype(np.float32)


def unit_rows(matrix) -> np.ndarray:
    """Rows scaled to unit length, as a float32 copy.

    An all-zero row has no direction and stays zero; non-finite values become 0 (a search
    index must not be poisoned by one bad vector — callers that must *refuse* such vectors,
    like the evaluation, check with :func:`require_finite` first).
    """
    m = np.array(matrix, dtype=np.float32, copy=True)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {m.shape}")
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    np.divide(m, norms, out=m, where=norms > 0)
    m[~np.isfinite(m)] = 0.0
    return m


def require_finite(matrix, what: str) -> None:
    """Raise ``ValueError`` naming ``what`` and the first bad row when ``matrix`` holds a NaN
    or an infinity (a non-finite vector has no rank: scoring it would be a silent guess)."""
    m = np.asarray(matrix)
    bad = ~np.isfinite(m)
    if bad.any():
        rows = np.flatnonzero(bad.reshape(len(m), -1).any(axis=1))
        raise ValueError(f"{what} holds non-finite values in {len(rows)} row(s) "
                         f"(first: row {int(rows[0])})")
