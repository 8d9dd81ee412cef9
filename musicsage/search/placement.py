"""Keep the map a user knows when the library changes a little.

A UMAP layout is fitted to one set of vectors; add an album, remove a folder or re-embed one
changed file, and a fresh layout puts every point somewhere else — the user's sense of where
their music lies is gone, and a large library waits minutes of CPU for it (about 160 CPU s
at 100,000 tracks). UMAP's ``transform`` would need the fitted reducer, which is neither
kept nor cheap to keep. So a saved map is *extended* instead:

- a track whose vector is the one the map was made from keeps its point (the map file keeps
  a hash of every row's vector beside its track id: :func:`row_hashes`; of the vector as
  stored, before the audio space z-scores it over the whole library, which shifts every row
  a little whenever one track comes or goes);
- a track that is new, or whose vector changed, goes to the point of its nearest neighbour
  among the kept ones (cosine), moved just far enough not to hide it
  (:func:`~musicsage.search.declutter.spread_overlaps`, only the placed points move);
- a track that left the library simply leaves the map.

Placing by one neighbour is cruder than a layout, so it is bounded: once more than
:data:`MAX_PLACED_SHARE` of the map's tracks were placed since its last full layout (each
counted once, however often it was placed again: the map file names them), the
next map is laid out afresh (and Map ▸ Recompute map, ``map --relayout``, does so at once).
A new graph model or audio model changes every vector, so it always gets a full layout
(going back to an earlier graph model shows the map saved for it: :mod:`model_maps`; a new
graph model's layout starts from the previous model's map: :mod:`map_init`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from musicsage.search.fingerprint import as_id_array, as_matrix
from musicsage.vectors import unit_rows

MAX_PLACED_SHARE = 0.2
"""At most this share of a map's tracks placed since its last full layout (distinct tracks
still on it: a new track placed again at each embed after a playlist edit counted each time,
and laid a map out afresh after a few edits)."""
PLACEMENT_JITTER = 0.1
"""Offset of a placed track from its neighbour, as a share of the gap the map keeps between
points (the declutter then moves it just clear). A share of the whole map's spread, as it
once was, threw a track many neighbourhoods away on a large map: at 100,000 tracks its 15
nearest points on the map held 0.55 of its 15 nearest in sound; now 1.3, where a fresh
layout holds 2.4 (``bench/map_placement.py``)."""
_BLOCK = 4096


@dataclass(frozen=True)
class SavedLayout:
    """What an extension starts from: a saved map's tracks, points and row hashes."""

    track_ids: np.ndarray  # int64 [n]
    xy: np.ndarray  # float32 [n, 2]
    row_hashes: np.ndarray | None  # uint64 [n]; None: saved before maps kept them
    placed: int = 0
    """Tracks placed on it (rather than laid out) since its last full layout."""
    placed_ids: np.ndarray | None = None
    """Which tracks those are (int64), so that a track placed again (an embed after each
    playlist edit moves a new track's graph vector) counts once; None: saved before maps kept
    them (or unreadable), whose ``placed`` is kept as it is, tracks unknown."""

    def placed_unnamed(self) -> int:
        """How many of :attr:`placed` are not in :attr:`placed_ids` (an older map's count)."""
        named = 0 if self.placed_ids is None else len(self.placed_ids)
        return max(0, self.placed - named)


class Extension(NamedTuple):
    """A saved layout carried over to the current tracks (:func:`extend_layout`)."""

    xy: np.ndarray  # float32 [n, 2]
    placed: int
    """Tracks placed now (new, or their vector changed)."""
    placed_ids: np.ndarray
    """Every track placed since the last full layout and still on the map, each once."""
    placed_since_layout: int
    """What counts against :data:`MAX_PLACED_SHARE`: :attr:`placed_ids`, and an older
    map's count of tracks it did not name (:meth:`SavedLayout.placed_unnamed`)."""


def row_hashes(matrix) -> np.ndarray:
    """A 64-bit hash of each row's exact float32 bits (uint64 [n]), to tell which tracks'
    vectors are unchanged since a map was made. Not cryptographic: a collision would only
    keep one changed track where it was."""
    m = as_matrix(matrix)
    words = m.view("<u4")
    rng = np.random.default_rng(m.shape[1])  # fixed multipliers per width, the same everywhere
    mult = rng.integers(1, 2**63, size=m.shape[1], dtype=np.uint64) | np.uint64(1)
    out = np.empty(len(m), np.uint64)
    with np.errstate(over="ignore"):
        for lo in range(0, len(m), _BLOCK):
            block = words[lo:lo + _BLOCK].astype(np.uint64)
            out[lo:lo + _BLOCK] = (block * mult).sum(axis=1, dtype=np.uint64)
    return out


def extend_layout(saved: SavedLayout, track_ids, matrix, keys: np.ndarray, separation: float,
                  *, max_share: float = MAX_PLACED_SHARE) -> Extension | None:
    """The saved layout carried over to these tracks and vectors (``keys``:
    :func:`row_hashes` of the vectors as stored, see :attr:`SpaceIndex.row_keys`), with the
    tracks placed on it; None when a full layout is due (no row hashes saved, nothing kept,
    or too many distinct tracks placed since the last layout)."""
    if saved.row_hashes is None:
        return None
    ids = as_id_array(track_ids)
    rows = _kept_rows(saved, ids, np.asarray(keys, np.uint64))
    keep = rows >= 0
    todo = int((~keep).sum())
    since = ids[~keep]
    if saved.placed_ids is not None:  # placed before and still here, once with those now
        since = np.union1d(saved.placed_ids[np.isin(saved.placed_ids, ids)], since)
    count = saved.placed_unnamed() + len(since)
    if not keep.any() or count > max_share * len(ids):
        return None
    xy = np.zeros((len(ids), 2), np.float32)
    xy[keep] = saved.xy[rows[keep]]
    if todo:
        xy = place_rows(xy, matrix, keep, ids, separation)
    return Extension(xy, todo, since, count)


def _kept_rows(saved: SavedLayout, track_ids: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """For each track, its row in the saved layout if its vector is unchanged, else -1."""
    row_of = {int(t): i for i, t in enumerate(saved.track_ids.tolist())}
    rows = np.array([row_of.get(int(t), -1) for t in track_ids.tolist()], dtype=np.int64)
    found = rows >= 0
    rows[found] = np.where(saved.row_hashes[rows[found]] == hashes[found], rows[found], -1)
    return rows


def place_rows(xy: np.ndarray, matrix, keep: np.ndarray, track_ids, separation: float
               ) -> np.ndarray:
    """``xy`` with every row not in ``keep`` moved to the point of its nearest kept row
    (cosine of ``matrix`` rows), offset a little (seeded by its track id: the same library
    gives the same map) and spread so that it hides no other point."""
    from musicsage.search.declutter import extent, spread_overlaps

    xy = np.array(xy, dtype=np.float32)
    anchors, todo = np.flatnonzero(keep), np.flatnonzero(~keep)
    ids = as_id_array(track_ids)
    base = _unit_rows_in_place(as_matrix(matrix)[anchors])  # a copy already: no second one
    gap = separation * extent(xy[anchors]) / float(np.sqrt(len(xy)))  # as the declutter's
    for lo in range(0, len(todo), 1024):
        chunk = todo[lo:lo + 1024]
        best = np.argmax(unit_rows(as_matrix(matrix)[chunk]) @ base.T, axis=1)
        for i, b in zip(chunk.tolist(), best.tolist()):
            rng = np.random.default_rng(int(ids[i]) & 0x7FFFFFFF)
            xy[i] = xy[anchors[b]] + rng.normal(0, PLACEMENT_JITTER * gap, 2)
    return _clear_of_others(spread_overlaps(xy, separation, movable=~keep), ~keep, gap)


def _unit_rows_in_place(m: np.ndarray) -> np.ndarray:
    """:func:`~musicsage.vectors.unit_rows` of a float32 matrix the caller owns, without its
    copy (the kept rows of a 100,000-track library are 300 MB: the copy was a tenth of the
    placing time), to the same bits."""
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    np.divide(m, norms, out=m, where=norms > 0)
    if not np.isfinite(norms).all():  # a finite norm means finite entries
        m[~np.isfinite(m)] = 0.0
    return m


_RINGS = (0.75, 1.0, 1.5, 2.0, 3.0)
"""Where a hidden placed point looks for room, in gaps from where the declutter left it."""
HIDDEN, FREE = 0.5, 0.75
"""A placed point closer than HIDDEN gaps to another is moved to a spot FREE gaps clear."""
_ANGLES = np.arange(12) * (2 * np.pi / 12)


def _clear_of_others(xy: np.ndarray, placed: np.ndarray, gap: float) -> np.ndarray:
    """A placed point the declutter left wedged between fixed ones (in a dense cluster the
    pushes from every side cancel, less than half a gap from another) goes to the nearest
    free spot around where it is: the first of rings of twelve spots with room around it.
    Only those move: each move takes a point a little further from its neighbour."""
    from scipy.spatial import cKDTree

    if gap <= 0 or not placed.any():
        return xy
    xy = np.array(xy, dtype=np.float32)
    fixed = cKDTree(xy[~placed]) if (~placed).any() else None
    done: dict[tuple[int, int], list[np.ndarray]] = {}  # placed so far, by cells of one gap
    ring = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)
    for i in np.flatnonzero(placed).tolist():
        if _first_free(xy[i][None], fixed, done, gap, HIDDEN) is None:
            for r in _RINGS:
                spots = xy[i] + r * gap * ring
                k = _first_free(spots, fixed, done, gap, FREE)
                if k is not None:
                    xy[i] = spots[k]
                    break
        done.setdefault(tuple(int(v) for v in np.floor(xy[i] / gap)), []).append(xy[i].copy())
    return xy


def _first_free(spots: np.ndarray, fixed, done: dict[tuple[int, int], list[np.ndarray]],
                gap: float, share: float) -> int | None:
    """The first of ``spots`` at least ``share`` gaps from every fixed point and every placed
    one in ``done`` (None: none is). The fixed points are asked in one tree query for all
    spots: one query per spot, in Python, was most of the placing time on a large map."""
    if fixed is None:
        candidates = range(len(spots))
    else:
        candidates = np.flatnonzero(~(fixed.query(spots)[0] < share * gap)).tolist()
    for k in candidates:
        point = spots[k]
        cx, cy = (int(v) for v in np.floor(point / gap))
        near = [q for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for q in done.get((cx + dx, cy + dy), ())]
        if not near or float(np.min(np.linalg.norm(np.asarray(near) - point,
                                                      axis=1))) >= share * gap:
            return k
    return None
