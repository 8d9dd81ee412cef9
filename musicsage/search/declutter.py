"""Move apart map points that would be drawn on top of each other.

Why: a graph model gives tracks that share every context (one artist's album, the same
playlists) nearly the same vector, and UMAP then draws each such group as one dot: their
neighbour graph has no edge out of the group, so it becomes its own component and lands far
from the others. On the demo library 240 tracks came out as about 30 dots, with no single
track to click (``bench/map_readability.py`` measures it). The map should still show the
group as a group, just as a small disc of separate points.

How: a few rounds of collision relaxation. Points closer than ``separation`` push each other
apart along the line between them, each by its mean push (so a dense group inflates instead
of exploding), until no pair is closer or the rounds run out. The separation scales with the
layout's extent over √n: at the default it is the spacing at which n points cover about a
seventh of the map, so a layout that is already spread out (any library whose vectors differ)
hardly moves, and a large library moves by less than a pixel at the fitted view while its
groups still come apart when zoomed in. Deterministic: exact duplicates start from a fixed
golden-angle direction per point, not from random jitter, so the same library gives the same
map.
"""

from __future__ import annotations

import numpy as np

ROUNDS = 60
"""Relaxation rounds; each costs one KD-tree pair query."""

_GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))


def extent(xy: np.ndarray) -> float:
    """A layout's size: the diagonal of the box holding the central 98 % of its points, so a
    few outliers do not decide it."""
    lo, hi = np.percentile(xy, 1, axis=0), np.percentile(xy, 99, axis=0)
    return float(np.linalg.norm(hi - lo))


def separation_for(xy: np.ndarray, factor: float) -> float:
    """The smallest gap to keep: ``factor`` × the layout's :func:`extent` / √n."""
    n = len(xy)
    if n < 2 or factor <= 0:
        return 0.0
    return factor * extent(xy) / float(np.sqrt(n))


def spread_overlaps(xy: np.ndarray, factor: float, rounds: int = ROUNDS, *,
                    movable: np.ndarray | None = None) -> np.ndarray:
    """``xy`` with points closer than :func:`separation_for` pushed apart (float32 [n, 2]).

    ``movable`` (bool [n]): only these points move, the others keep their place and push
    (new tracks placed on a map the user already knows; None: all move).
    """
    points = np.asarray(xy, dtype=np.float64).copy()
    movable = None if movable is None else np.asarray(movable, dtype=bool)
    gap = separation_for(points, factor)
    if gap <= 0 or not np.isfinite(gap):
        return np.asarray(xy, dtype=np.float32)
    n = len(points)
    angles = np.arange(n) * _GOLDEN_ANGLE
    fallback = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # for exact duplicates
    close = _pairs_among if movable is None else _pairs_with(points, movable, gap)
    for _ in range(rounds):
        pairs = close(points, gap)
        if len(pairs) == 0:
            break
        first, second = pairs[:, 0], pairs[:, 1]
        apart = points[second] - points[first]
        dist = np.linalg.norm(apart, axis=1)
        same = dist < 1e-9 * gap
        apart[same] = fallback[second[same]] - fallback[first[same]]
        length = np.linalg.norm(apart, axis=1)
        overlap = (gap - dist) / 2  # a duplicate's dist is ~0: it moves by half a gap
        push = apart / np.maximum(length, 1e-12)[:, None] * overlap[:, None]
        moves = np.zeros_like(points)
        np.add.at(moves, first, -push)
        np.add.at(moves, second, push)
        counts = np.bincount(pairs.ravel(), minlength=n)
        moves /= np.maximum(counts, 1)[:, None]
        if movable is not None:
            moves[~movable] = 0.0
        points += 0.8 * moves
    return points.astype(np.float32)


def _pairs_among(points: np.ndarray, gap: float) -> np.ndarray:
    """Every pair of points closer than ``gap`` ([m, 2] row indices)."""
    from scipy.spatial import cKDTree

    return cKDTree(points).query_pairs(gap, output_type="ndarray")


def _pairs_with(points: np.ndarray, movable: np.ndarray, gap: float):
    """A pair finder for when only ``movable`` points move: pairs with at least one of them.
    The fixed points' tree is built once, not every round (two fixed points too close stay
    so: no round can help) — a few placed tracks on a 100,000-point map cost milliseconds a
    round, not a tree of every point."""
    from scipy.spatial import cKDTree

    fixed_rows, moving_rows = np.flatnonzero(~movable), np.flatnonzero(movable)
    fixed = cKDTree(points[fixed_rows]) if len(fixed_rows) else None

    def pairs(points: np.ndarray, gap: float) -> np.ndarray:
        moving = points[moving_rows]
        found = [moving_rows[cKDTree(moving).query_pairs(gap, output_type="ndarray")]]
        if fixed is not None:
            near = fixed.query_ball_point(moving, gap)
            counts = np.fromiter((len(x) for x in near), np.int64, len(near))
            if counts.sum():
                found.append(np.stack([np.repeat(moving_rows, counts),
                                       fixed_rows[np.concatenate(near).astype(np.int64)]], axis=1))
        return np.concatenate([f.reshape(-1, 2) for f in found]).astype(np.int64)

    return pairs
