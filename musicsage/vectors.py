"""The two vector operations every space shares: per-dimension z-scores and unit rows.

"Audio-only" means one thing everywhere — the evaluation's baseline, the audio list and map a
user sees: the input features z-scored per dimension, compared by cosine. Keeping the one
definition here (numpy only, no Qt, no torch) is what makes the audio list a user sees the
baseline the graph model is evaluated against.
"""

from __future__ import annotations

import numpy as np


NOISE_SPREAD = 3e-6
"""A column whose standard deviation is at most this fraction of its own largest magnitude is
constant up to rounding (:func:`constant_columns`). float32 keeps one part in 8.4e6 (1.2e-7);
a network's dead units, equal but for the rounding of its sums, spread by up to 9.6e-7 of
their values (MusiCNN: the demo library's 240 tracks, and the three recordings of
shared/audio, where 274 columns spread by 2.8e-8 to 7.2e-7). The smallest real spread
measured there is 4.0e-5 of its values (MusiCNN), 8.4e-3 (spectral, the three recordings),
0.065 (the Spotify set's features: none is near, so the evaluation's audio-only baseline is
bit-identical). The bound sits three times above rounding and below a column near 5e4
spread by 0.3 (6e-6). Measured against a column's own values, never a floor: a model's
small values (a rare tag's probability, 1e-7 to 3e-5) have float32's precision too, and a
floor of 1 zeroed such columns however real their spread."""


def constant_columns(matrix) -> np.ndarray:
    """Which columns of ``matrix`` (2-D) are constant, exactly or up to rounding: a boolean
    mask. A column spread by no more than :data:`NOISE_SPREAD` times its largest magnitude
    holds no information, only the rounding of the computation that made it (a dead unit
    weighed, z-scored, as much as any real feature). Any NaN leaves its column counted as
    not constant."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {m.shape}")
    if len(m) == 0:
        return np.zeros(m.shape[1], dtype=bool)
    magnitude = np.abs(m).max(axis=0)
    return (np.ptp(m, axis=0) == 0) | (m.std(axis=0) <= NOISE_SPREAD * magnitude)


def zscore(matrix) -> np.ndarray:
    """Columns z-scored (mean 0, standard deviation 1) as float32.

    A *constant* column (every value equal, or equal up to rounding: :func:`constant_columns`)
    carries no information: it becomes all zeros, so it neither moves a cosine nor blows
    rounding noise up to unit scale — copies of one sound, their vectors apart by rounding
    alone, were scored against each other by that noise, and a dead unit of a neural model
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
