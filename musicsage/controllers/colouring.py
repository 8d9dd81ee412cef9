"""Colour categories for the map (Qt-free, so it is tested and reused without a window).

A map coloured by 3,000 artists is noise: only the most frequent categories get a colour (the
palette's size), the rest are grey "other". A track in several playlists takes the largest
coloured playlist it belongs to.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np

MAX_CATEGORIES = 12


def categorical(values: Sequence[str | None], *, max_categories: int = MAX_CATEGORIES
                ) -> tuple[np.ndarray, list[str]]:
    """codes[i] = index in names of values[i], or -1 (empty or not among the most frequent)."""
    counts = Counter(v for v in values if v)
    names = [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_categories]]
    index = {n: i for i, n in enumerate(names)}
    codes = np.fromiter((index.get(v, -1) if v else -1 for v in values), np.int64, len(values))
    return codes, names


def multi_categorical(track_ids: Sequence[int], memberships: Iterable[tuple[str, int]], *,
                      max_categories: int = MAX_CATEGORIES) -> tuple[np.ndarray, list[str]]:
    """Like :func:`categorical` for many-to-many labels (playlist name, track id)."""
    members: dict[str, set[int]] = {}
    for name, tid in memberships:
        members.setdefault(name, set()).add(int(tid))
    order = sorted(members, key=lambda n: (-len(members[n]), n))[:max_categories]
    row = {int(t): i for i, t in enumerate(track_ids)}
    codes = np.full(len(track_ids), -1, np.int64)
    for code in range(len(order) - 1, -1, -1):  # largest last, so it wins
        rows = [row[t] for t in members[order[code]] if t in row]
        codes[rows] = code
    return codes, order
