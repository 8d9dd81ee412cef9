"""The two vector operations every space shares: per-dimension z-scores and unit rows.

"Audio-only" means one thing everywhere — the evaluation's baseline, the audio list and map a
user sees: the input features z-scored per dimension, compared by cosine. Keeping the one
definition here (numpy only, no Qt, no torch) is what makes the audio list a user sees the
baseline the graph model is evaluated against.
"""

from __future__ import annotations

import numpy as np


def zscore(matrix) -> np.ndarray:
    """Columns z-scored (mean 0, standard deviation 1) as float32.

    A *constant* column (every value equal) carries no information: it becomes all zeros, so
    it neither moves a cosine nor blows rounding noise up to unit scale. Statistics are
    computed in float64 over every row given.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {m.shape}")
    if len(m) == 0:
        return m.astype(np.float32)
    constant = np.ptp(m, axis=0) == 0
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
