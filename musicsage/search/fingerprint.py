"""A short, stable name for one set of embeddings.

Indexes and map coordinates are derived data: they stay valid exactly as long as the track ids,
their vectors and the model that made them stay the same. Hashing all three (rather than,
say, a row count or a timestamp) means a re-embedded track, a retrained model or a reordered
matrix is always noticed, and an unchanged library never rebuilds anything.
"""

from __future__ import annotations

import hashlib

import numpy as np

_SALT = b"musicsage-embeddings-v1\0"


def as_id_array(track_ids) -> np.ndarray:
    """Track ids as a contiguous little-endian int64 array (the form every cache stores)."""
    return np.ascontiguousarray(np.asarray(track_ids, dtype="<i8").reshape(-1))


def as_matrix(matrix) -> np.ndarray:
    """Vectors as a contiguous little-endian float32 2-D array."""
    m = np.asarray(matrix, dtype="<f4")
    if m.ndim != 2:
        raise ValueError(f"embeddings must be a 2-D matrix, got shape {m.shape}")
    return np.ascontiguousarray(m)


def embedding_fingerprint(track_ids, matrix, model_id: str | None) -> str:
    """Hex digest of (model id, track ids, vectors); equal inputs give equal names on any machine."""
    ids = as_id_array(track_ids)
    m = as_matrix(matrix)
    if len(ids) != m.shape[0]:
        raise ValueError(f"{len(ids)} track ids for {m.shape[0]} vectors")
    h = hashlib.blake2b(digest_size=16)
    h.update(_SALT)
    h.update(str(model_id or "").encode("utf-8") + b"\0")
    h.update(np.array(m.shape, dtype="<i8").tobytes())
    h.update(ids.tobytes())
    if m.size:  # a memoryview of an empty matrix cannot be cast (a library with no vectors left)
        h.update(memoryview(m).cast("B"))
    return h.hexdigest()
