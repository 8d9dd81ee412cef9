"""Scores of every track of a space against one or several anchor vectors.

One anchor (a query track): cosine similarity. Several (a playlist's members), two ways:

- ``centroid``: cosine to the mean of the members' unit vectors — "what the playlist sounds
  like on average"; one index query.
- ``nearest``: the best cosine to any one member — a candidate close to a single member
  ranks high even when the playlist mixes styles and its mean lies between them.

``bench/suggest_bench.py`` measures both on held-out members (the default is chosen there).
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from musicsage.search.index import SpaceIndex
from musicsage.vectors import unit_rows

METHODS = ("centroid", "nearest")

_NORMS: "weakref.WeakKeyDictionary[SpaceIndex, np.ndarray]" = weakref.WeakKeyDictionary()
_NORMS_LOCK = threading.Lock()
"""Row lengths per loaded space. A space's vectors never change (a new fingerprint makes a
new SpaceIndex), and the entry goes with the space: nothing is shared between libraries."""


def row_norms(space: SpaceIndex) -> np.ndarray:
    """The length of every row of ``space`` (zero rows: 1, so they score 0), kept with it."""
    with _NORMS_LOCK:
        norms = _NORMS.get(space)
    if norms is None:
        norms = np.sqrt(np.einsum("ij,ij->i", space.matrix, space.matrix, dtype=np.float64))
        norms[norms == 0] = 1.0
        norms = norms.astype(np.float32)
        with _NORMS_LOCK:
            _NORMS[space] = norms
    return norms


MIN_DISTINCT_AUDIO = 3
"""Fewest different audio vectors whose cosines say anything. The audio space is z-scored
per dimension over its own rows (:func:`musicsage.vectors.zscore`): of two, each dimension
becomes +1 and -1, so the two tracks always scored exactly -1.000, however alike they
sound ("not close in sound (score -1.00)", in a new library of two songs)."""

_TOO_FEW: "weakref.WeakKeyDictionary[SpaceIndex, bool]" = weakref.WeakKeyDictionary()


def too_few_to_score(space: SpaceIndex) -> bool:
    """Whether ``space``'s scores between tracks carry no information: an audio space of
    more than one row but fewer than :data:`MIN_DISTINCT_AUDIO` different vectors (copies
    of one song count once). O(n·d), once per space."""
    if space.space != "audio" or len(space) < 2:
        return False
    with _NORMS_LOCK:
        known = _TOO_FEW.get(space)
    if known is None:
        known = _distinct_rows_below(space.matrix, MIN_DISTINCT_AUDIO)
        with _NORMS_LOCK:
            _TOO_FEW[space] = known
    return known


def _distinct_rows_below(matrix: np.ndarray, limit: int) -> bool:
    """Whether ``matrix`` has fewer than ``limit`` different rows, without sorting them:
    each step keeps the rows unlike every one seen so far. Its first rows are looked at
    first: they settle it for any real library without a pass over a large matrix."""
    if len(matrix) > 64 and not _distinct_rows_below(matrix[:64], limit):
        return False
    rest = matrix
    for _ in range(limit):
        if not len(rest):
            return True
        rest = rest[(rest != rest[0]).any(axis=1)]
    return False


def centroid(vectors: np.ndarray) -> np.ndarray:
    """The mean of the unit rows of ``vectors`` ``[m, d]`` (not normalised: cosine ignores it)."""
    return unit_rows(np.atleast_2d(vectors)).mean(axis=0)


def space_scores(space: SpaceIndex, vectors: np.ndarray, method: str = "centroid") -> np.ndarray:
    """Score of every row of ``space`` (float32 ``[n]``) against the anchors ``vectors``
    (``[m, d]``); see the module docstring for ``method``."""
    vectors = np.atleast_2d(np.asarray(vectors, np.float32))
    norms = row_norms(space)
    if method == "centroid" or len(vectors) == 1:
        q = centroid(vectors)
        q /= np.linalg.norm(q) or 1.0
        return (space.matrix @ q) / norms
    if method != "nearest":
        raise ValueError(f"unknown method {method!r} (choose: {', '.join(METHODS)})")
    best = np.full(len(space.matrix), -np.inf, np.float32)
    anchors = unit_rows(vectors).T
    for start in range(0, len(space.matrix), 8192):  # bounded memory: 8192 × m scores at once
        block = space.matrix[start:start + 8192] @ anchors
        best[start:start + 8192] = block.max(axis=1) / norms[start:start + 8192]
    return best
