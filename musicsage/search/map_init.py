"""Start a new graph model's map from the map the user had, so a Retrain keeps its arrangement.

A Retrain makes a new graph model, and a new model changes every vector: the saved map cannot
be carried over (:mod:`musicsage.search.placement` keeps only tracks whose vector is
unchanged), so the map is laid out again. UMAP's own start (a spectral embedding of the kNN
graph, or PCA on a large library) has no memory of the previous map, so every cluster landed
somewhere new and the user's sense of where their music lies was gone after each Retrain.

So a new model's layout starts from the previous model's map instead: a track in both keeps
its old point as its starting point; a track only in the new one starts at the point of its
nearest neighbour (cosine, in the *new* vectors) that has an old point, a little off
(:func:`~musicsage.search.placement.place_rows`). It is still a full UMAP run over the new
vectors — the map shows the new model's neighbourhoods, only oriented and arranged like the
old one where the data allow (``bench/map_retrain.py`` measures both).

Which map: the model's own saved map, when a full layout of the same model is due (a fifth of
its map placed since the last layout): the user keeps the map they have. Else the most
recently written map of another graph model of the same space (this library's own cache
folders; a graph label's folder under ``maps/``, or a previous version's single map recording
another model), usually the one the Retrain replaced (a map served from
the cache is not rewritten, so after switching back to an older model the newest file may be
another's: still a map the user saw). The audio space never gets one (it has no models), and
``map --relayout`` / Map ▸ Recompute map does not use one: a fresh layout is asked for.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import numpy as np

from musicsage.search.fingerprint import as_id_array, as_matrix
from musicsage.search.model_maps import is_model_label, saved_model_maps
from musicsage.search.placement import SavedLayout, place_rows
from musicsage.search.projection import MAP_FILE, MapParams, read_saved_layout

log = logging.getLogger(__name__)

INIT_SPAN = 10.0
"""Largest |coordinate| of the starting layout. It has no effect on the layout: umap-learn
(0.5, ``simplicial_set_embedding``) rescales every start, an array ``init`` as much as its own
spectral or PCA one, to [0, 10] on each axis before optimising, which undoes any scale or
offset given here (a flat old map is also stretched to a square start: its aspect ratio is
not kept, only each track's order along each axis). It only keeps the array's values in a
known range; the result is the same at any other span, but for float rounding."""
MIN_SHARED = 0.5
"""Below this share of the new tracks on the previous map, UMAP's own start is used: a start
made mostly of guesses would keep little of the old map and could only hurt the new one."""

InitFn = Callable[[np.ndarray, np.ndarray], "np.ndarray | None"]
"""``(track_ids, matrix) -> init or None``: what :func:`~musicsage.search.projection.compute_map`
calls when a full UMAP layout is due."""


def previous_model_map(space_dir: Path, spare_dir: Path | None, label: str,
                       params: MapParams) -> SavedLayout | None:
    """The map a layout of model ``label`` starts from, made with ``params``: its own saved
    map when it has one (a full layout after much change keeps the map the user has), else
    the newest saved map of another graph model in this space's folders; None when there is
    none (or ``label`` is not a graph model)."""
    if not is_model_label(label):
        return None
    own, found = [], []
    for model, directory, _single in saved_model_maps(space_dir, spare_dir):
        if (directory / MAP_FILE).is_file():
            (own if model == label else found).append(directory)
    found.sort(key=_written, reverse=True)
    for directory in own + found:
        read = read_saved_layout(directory, params=params)
        if read is None:
            continue
        meta, saved = read
        recorded = meta.get("model_id")
        if is_model_label(recorded) and (recorded == label) == (directory in own):
            log.info("the new layout starts from %s's map (%s)", recorded, directory)
            return saved
    return None


def _written(directory: Path) -> float:
    """When ``directory``'s map was last written (0 when it is gone meanwhile)."""
    try:
        return (directory / MAP_FILE).stat().st_mtime
    except OSError:
        return 0.0


def init_from_layout(saved: SavedLayout, track_ids, matrix, *, separation: float
                     ) -> np.ndarray | None:
    """A starting layout for UMAP (float32 [n, 2], centred, largest |coordinate|
    :data:`INIT_SPAN`, which UMAP rescales per axis anyway): ``saved``'s point for each track
    it holds, the point of the nearest such track (cosine of ``matrix`` rows) for the
    others; None when ``saved`` holds under :data:`MIN_SHARED`
    of the tracks."""
    ids = as_id_array(track_ids)
    row_of = {int(t): i for i, t in enumerate(saved.track_ids.tolist())}
    rows = np.array([row_of.get(int(t), -1) for t in ids.tolist()], dtype=np.int64)
    keep = rows >= 0
    if len(ids) < 3 or keep.sum() < max(3, MIN_SHARED * len(ids)):
        return None
    xy = np.zeros((len(ids), 2), np.float32)
    xy[keep] = saved.xy[rows[keep]]
    if not keep.all():
        xy = place_rows(xy, as_matrix(matrix), keep, ids, separation)
    xy = xy.astype(np.float64) - xy.mean(axis=0, keepdims=True)
    span = float(np.abs(xy).max())
    if not np.isfinite(span) or span <= 0:
        return None  # every track on one point: nothing to keep
    return (xy * (INIT_SPAN / span)).astype(np.float32)


def retrain_init(space_dir: Path, spare_dir: Path | None, label: str | None,
                 params: MapParams = MapParams()) -> InitFn:
    """What :func:`~musicsage.search.projection.compute_map` starts a graph model's layout
    from: the previous model's map (:func:`previous_model_map`), read only when a layout is
    due; UMAP's own start when there is none."""
    def init(track_ids: np.ndarray, matrix: np.ndarray) -> np.ndarray | None:
        saved = previous_model_map(space_dir, spare_dir, label, params) if label else None
        if saved is None:
            return None
        return init_from_layout(saved, track_ids, matrix, separation=params.separation)

    return init
