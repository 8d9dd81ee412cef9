"""2-D map coordinates of an embedding space (UMAP), cached per embedding fingerprint.

Why it is shaped like this:

- **numba's compile cache in the user cache dir**, so that a second process loads umap's
  machine code instead of compiling it for tens of seconds (:mod:`.umap_runtime`).
- **Neighbours from our own index.** The kNN graph comes from :class:`SpaceIndex` (hnswlib,
  kept for ``similar``) and is passed to UMAP as ``precomputed_knn``, so pynndescent does not
  run at all.
- **Seeded** (``random_state``): the same library gives the same map on every launch (UMAP
  then runs its layout single-threaded; that is the price of reproducibility).
- **Large libraries start from PCA.** From ``PCA_INIT_FROM`` tracks on, the layout starts
  from the vectors' first two principal components instead of UMAP's spectral embedding of
  the kNN graph, whose eigen-solve grows faster than the library. Measured at 100,000
  generated tracks (``bench/umap_scale.py``): 48 CPU s instead of 81 for the layout, with the
  same map quality (trustworthiness 0.988 vs 0.987, 11 % of each track's 15 nearest
  neighbours kept on the map in both). Fewer epochs (100) would halve that again but lost
  some (0.986, 10 %), so the epoch count stays umap's default.
- **Near-identical vectors are drawn as separate points.** A graph model gives one artist's
  album nearly one vector and UMAP stacks such a group into a single dot; the layout is
  decluttered afterwards (:mod:`musicsage.search.declutter`), so every track can be clicked.
- **Tiny libraries** (fewer than ``n_neighbors + 2`` tracks) get a PCA layout (a circle when
  every vector is the same) instead of a UMAP error.
- **Progress and cancel** per stage and per layout epoch, through the epoch hook of
  :mod:`.umap_runtime` (other threads and other callers keep plain tqdm).
- **The saved map file** is read and written by :mod:`.saved_maps` (its names are kept
  importable from here).
"""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from musicsage.library.lock import Gone, map_lock, map_lock_now
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report
from musicsage.search.declutter import spread_overlaps
from musicsage.search.fingerprint import as_id_array
from musicsage.search.index import SpaceIndex, unit_rows
from musicsage.search.placement import extend_layout, row_hashes
from musicsage.search.saved_maps import (MAP_FILE, SETTINGS_CHANGED, UNREADABLE,  # noqa: F401
                                         load_cached_map, load_cached_map_from, map_dirs,
                                         map_stamp, read_saved_layout, save_map,
                                         save_map_somewhere, saved_with_other_settings,
                                         unreadable_map)
from musicsage.search.umap_runtime import EPOCH_HOOK, import_umap

PCA_INIT_FROM = 10_000
"""From this many tracks on, UMAP starts from PCA rather than its spectral initialisation."""
SEPARATION = 0.3
"""Points closer than this × extent / √n are pushed apart after UMAP, and after a small
library's PCA layout (:mod:`declutter`)."""
INIT_LEARNING_RATE = 0.3
"""UMAP's starting learning rate when it starts from a given layout (a Retrain's, from the
previous model's map: :mod:`musicsage.search.map_init`) instead of its default 1.0, whose
first epochs scatter such a start: on 2,000 generated tracks (two seeds) a track moved 0.26
of the map's radius from the old map at 1.0 (0.37 from UMAP's own start), 0.19 at 0.3, which
also kept more of each track's 15 neighbours (0.42 vs 0.39; ``bench/map_retrain.py``)."""


@dataclass(frozen=True)
class MapParams:
    n_neighbors: int = 15
    min_dist: float = 0.1
    seed: int = 42
    n_epochs: int | None = None  # None: umap's default (200 above 10k points, else 500)
    init: str | None = None  # None: "pca" from PCA_INIT_FROM tracks on, else "spectral"
    separation: float = SEPARATION  # 0: UMAP's layout as it is (see declutter)

    def key(self) -> dict:
        # ``init`` joins the key only when asked for: a map cached before large libraries
        # started from PCA is still a map of the same vectors, so it stays valid.
        key = {"n_neighbors": self.n_neighbors, "min_dist": self.min_dist, "seed": self.seed,
               "n_epochs": self.n_epochs, "metric": "cosine", "separation": self.separation}
        if self.init is not None:
            key["init"] = self.init
        return key

    def init_for(self, n: int) -> str:
        """The initial layout UMAP starts from for ``n`` tracks."""
        return self.init or ("pca" if n >= PCA_INIT_FROM else "spectral")


@dataclass
class MapResult:
    track_ids: np.ndarray  # int64 [n]
    xy: np.ndarray  # float32 [n, 2]
    method: str  # umap | pca | circle | trivial | cached | placed
    cached: bool
    seconds: float
    placed: int = 0
    """Tracks placed on a saved map rather than laid out (method ``placed``)."""
    note: str | None = None
    """Why a saved map was laid out again (:data:`SETTINGS_CHANGED`, :data:`UNREADABLE`,
    :data:`WAITED_NOTE`), kept for the summary: the progress bar that said it is gone once the
    layout ends."""
    note_level: str = "info"
    """How loudly :attr:`note` is told: "warning" when the map the user knew is lost (a torn
    file), else "info"."""


# --- layouts --------------------------------------------------------------------------------------


def _scaled(xy: np.ndarray) -> np.ndarray:
    """Centre and scale to unit standard deviation (small layouts only; UMAP's is kept)."""
    xy = xy - xy.mean(axis=0, keepdims=True)
    s = float(np.abs(xy).max()) or 1.0
    return (xy / s).astype(np.float32)


def circle_layout(n: int) -> np.ndarray:
    angles = 2 * np.pi * np.arange(n) / max(n, 1)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)


def small_layout(matrix: np.ndarray) -> tuple[np.ndarray, str]:
    """PCA of the unit vectors for libraries too small for UMAP, a line if they spread one way
    only (a circle, in track order, mixed two sounds); a circle if all are one vector."""
    n = len(matrix)
    if n < 2:
        return np.zeros((n, 2), np.float32), "trivial"
    x = unit_rows(matrix).astype(np.float64)
    try:
        u, s, _ = np.linalg.svd(x - x.mean(axis=0, keepdims=True), full_matrices=False)
    except np.linalg.LinAlgError:
        s = np.zeros(0)
    if not len(s) or s[0] <= 1e-9:  # every vector the same (or no SVD): nothing to go by
        return circle_layout(n), "circle"
    s = np.where(s > 1e-6 * s[0], s, 0.0)  # a direction of rounding noise only: flat
    xy = u[:, :2] * s[:2] if len(s) > 1 else np.hstack([u[:, :1] * s[0], np.zeros((n, 1))])
    return _scaled(xy), "pca"


def layout(matrix: np.ndarray, *, knn: tuple[np.ndarray, np.ndarray] | None = None,
           params: MapParams = MapParams(), progress: ProgressFn | None = None,
           cancel: CancelToken | None = None, init: np.ndarray | None = None
           ) -> tuple[np.ndarray, str]:
    """2-D coordinates for the rows of ``matrix`` (cosine UMAP, or the small-library fallback).

    ``knn``: (indices [n, k], cosine distances [n, k]) with each row's own index first and
    k >= n_neighbors; computed by UMAP itself when None. ``init``: UMAP's starting layout
    [n, 2] (:mod:`musicsage.search.map_init`), else its own (``params.init_for``).
    """
    n = len(matrix)
    if n < params.n_neighbors + 2:
        xy, method = small_layout(matrix)
        # two copies of one file have one vector: drawn as one dot, one could not be clicked
        return (spread_overlaps(xy, params.separation) if method == "pca" else xy), method
    umap = import_umap()
    import numba

    reducer = umap.UMAP(n_neighbors=params.n_neighbors, min_dist=params.min_dist,
                        metric="cosine", random_state=params.seed, n_jobs=1, n_components=2,
                        n_epochs=params.n_epochs, verbose=False,
                        init=params.init_for(n) if init is None else init,
                        learning_rate=1.0 if init is None else INIT_LEARNING_RATE,
                        precomputed_knn=(None, None, None) if knn is None else
                        (np.ascontiguousarray(knn[0][:, :params.n_neighbors], dtype=np.int32),
                         np.ascontiguousarray(knn[1][:, :params.n_neighbors], dtype=np.float32)))

    def epochs(iterable):
        report(progress, "map: fuzzy graph", n, n)  # umap's graph is made: its layout starts
        total = len(iterable)
        step = max(1, total // 100)
        for i, item in enumerate(iterable):
            if i % step == 0:
                check_cancel(cancel)
                report(progress, "map: layout", i, total)
            yield item
        report(progress, "map: layout", total, total)

    torch = sys.modules.get("torch")  # imported by a training or an embed in this process
    torch_threads = None if torch is None else torch.get_num_threads()
    threads = numba.get_num_threads()
    EPOCH_HOOK.hook = epochs
    try:
        report(progress, "map: fuzzy graph", 0, n)  # counted in tracks, as the neighbours
        xy = reducer.fit_transform(unit_rows(matrix))
    finally:
        EPOCH_HOOK.hook = None
        numba.set_num_threads(threads)  # umap lowers it for a seeded fit; a cancel skips its reset
        if torch is not None and torch.get_num_threads() != torch_threads:
            # numba starts its threads in the OpenMP runtime torch's count lives in, with its
            # own count (every logical CPU): torch ran on 16 threads instead of 2 (or 8, or
            # OMP_NUM_THREADS) after the first map of a process on a 16-CPU machine
            torch.set_num_threads(torch_threads)
    check_cancel(cancel)
    return spread_overlaps(xy, params.separation), "umap"


# --- layouts saved and carried over --------------------------------------------------------------

WAITED_NOTE = "it waited for another map computation of this library, whose map it replaced"
"""What ``--relayout`` says when it waited for another run's layout and laid out afresh after
it anyway: it took that run's map, "cached", though a fresh layout was asked for."""


BUSY = "busy"
"""What :func:`_placed_on_saved` gives when a placement was due but another process held
the map's lock: :func:`compute_map` tries it again once it holds the lock itself."""


def extend_saved_map(directories: list[Path], *, fingerprint: str, model_id: str | None,
                     track_ids: np.ndarray, matrix, row_keys=None,
                     params: MapParams = MapParams(), locked: bool = False,
                     gone: Gone | None = None) -> MapResult | None:
    """The map saved for an earlier state of these vectors, carried over to them and saved
    (:mod:`musicsage.search.placement`: kept tracks keep their points, new or changed ones are
    placed by their nearest kept neighbour); None when a full layout is due. No UMAP: seconds
    at most, so the window shows it at once. ``row_keys``: as :attr:`SpaceIndex.row_keys`
    (None: hashes of ``matrix``'s rows).

    Saved under the map's lock (``locked``: held by the caller), only over the map it placed
    on — beside a ``map --relayout`` it saved the old layout over the new one; else None
    (also while a layout holds the lock, or when ``gone()``: nothing placed, nothing made)."""
    found = _placed_on_saved(directories, fingerprint=fingerprint, model_id=model_id,
                             track_ids=track_ids, matrix=matrix, row_keys=row_keys,
                             params=params, locked=locked, gone=gone)
    return found if isinstance(found, MapResult) else None


def _placed_on_saved(directories: list[Path], *, fingerprint: str, model_id: str | None,
                     track_ids: np.ndarray, matrix, row_keys, params: MapParams, locked: bool,
                     gone: Gone | None) -> MapResult | str | None:
    """:func:`extend_saved_map`, telling a placement left undone for a held lock (:data:`BUSY`)
    from a layout being due (None)."""
    start = time.perf_counter()
    keys = row_hashes(matrix) if row_keys is None else row_keys
    before = map_stamp(directories)
    for directory in directories:
        found = read_saved_layout(directory, params=params)
        if found is None:
            continue
        extended = extend_layout(found[1], track_ids, matrix, keys, params.separation)
        if extended is None:
            return None
        with nullcontext(True) if locked else map_lock_now(directories, gone=gone) as held:
            if not held:
                return BUSY
            if map_stamp(directories) != before:
                return None
            save_map_somewhere(directories, fingerprint=fingerprint, model_id=model_id,
                               track_ids=track_ids, xy=extended.xy, params=params,
                               method="placed", row_keys=keys,
                               placed=extended.placed_since_layout,
                               placed_ids=extended.placed_ids)
        return MapResult(as_id_array(track_ids), extended.xy, "placed", False,
                         time.perf_counter() - start, placed=extended.placed)
    return None


def _as_neighbours(progress: ProgressFn | None) -> ProgressFn | None:
    """``progress`` with the index build's reports counted on the neighbours' bar: under
    their own stage they closed it, and it opened again at 100 % once the index was built
    ("map: neighbours … 3214423897.95it/s", a whole library in no time)."""
    if progress is None:
        return None
    return lambda p: progress(replace(p, stage="map: neighbours") if p.stage == "index" else p)


def _saved_result(directories: list[Path], space: SpaceIndex, params: MapParams,
                  locked: bool = False, gone: Gone | None = None) -> MapResult | str | None:
    """The saved map of ``space`` as it is (``cached``) or carried over to its current vectors
    (:func:`extend_saved_map`, ``locked`` and ``gone`` as there); None when a layout is due,
    :data:`BUSY` when a placement was due but another process held the map's lock."""
    start = time.perf_counter()
    xy = load_cached_map_from(directories, fingerprint=space.fingerprint,
                              track_ids=space.track_ids, params=params)
    if xy is not None:
        return MapResult(space.track_ids, xy, "cached", True, time.perf_counter() - start)
    return _placed_on_saved(directories, fingerprint=space.fingerprint, model_id=space.model_id,
                            track_ids=space.track_ids, matrix=space.matrix,
                            row_keys=space.row_keys, params=params, locked=locked, gone=gone)


def compute_map(space: SpaceIndex, *, params: MapParams = MapParams(),
                progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                use_cache: bool = True, spare_dir: Path | None = None,
                directories: list[Path] | None = None,
                init_from: Callable[[np.ndarray, np.ndarray], np.ndarray | None] | None = None,
                gone: Gone | None = None) -> MapResult:
    """Coordinates of every track in ``space``: from the cache if its fingerprint matches,
    else the saved map extended to the space's current vectors when it changed only a little
    (:func:`extend_saved_map`), else computed (kNN from the space's index, then UMAP) and
    cached next to the index. ``use_cache=False`` lays the map out afresh. One process at a
    time lays a map out or places tracks on it (:func:`~musicsage.library.lock.map_lock`);
    one that waited takes the map the other saved.

    ``spare_dir``: where the map is kept when the space's own folder cannot be written (a
    read-only library); without it, such a library's map was computed again at every start
    — minutes of UMAP on a large library. ``directories``: where instead (the graph space
    keeps a map per model: :mod:`musicsage.search.model_maps`). ``init_from(track_ids,
    matrix)``: where a UMAP layout starts (None: UMAP's own start), asked only when one is
    due — a new graph model's map starts from the previous one's (:mod:`map_init`).
    ``gone()``: whether the map's graph model was removed meanwhile, asked before its folder
    is made and once the lock is held: then one line (``MAP_REMOVED``), nothing saved.
    """
    directories = directories or map_dirs(space.directory, spare_dir)
    before = map_stamp(directories)  # taken first: a map saved after the look below changes it
    busy = False
    if use_cache:
        found = _saved_result(directories, space, params, gone=gone)
        if isinstance(found, MapResult):
            return found
        busy = found == BUSY
    with map_lock(directories, progress=progress, cancel=cancel, gone=gone):
        waited = map_stamp(directories) != before
        # not for --relayout (a fresh layout was asked for); and only when the files changed
        # (another run's map) or a placement was left for the lock: else the same answer again
        if use_cache and (waited or busy):
            found = _saved_result(directories, space, params, locked=True)
            if isinstance(found, MapResult):
                return found
        res = _laid_out(space, directories, params=params, progress=progress, cancel=cancel,
                        use_cache=use_cache, init_from=init_from)
        return replace(res, note=WAITED_NOTE) if waited and not use_cache else res


def _laid_out(space: SpaceIndex, directories: list[Path], *, params: MapParams,
              progress: ProgressFn | None, cancel: CancelToken | None, use_cache: bool,
              init_from: Callable[[np.ndarray, np.ndarray], np.ndarray | None] | None
              ) -> MapResult:
    """:func:`compute_map`'s layout (kNN from the space's index, then UMAP), saved."""
    start = time.perf_counter()
    note, level = None, "info"
    if use_cache:  # say why minutes of UMAP run where a saved map was
        if saved_with_other_settings(directories, params):
            note = SETTINGS_CHANGED
        elif unreadable_map(directories):
            note, level = UNREADABLE, "warning"
        if note and progress is not None:
            say = progress
            progress = lambda p: say(p if p.message else replace(p, message=note))
    check_cancel(cancel)
    knn = None
    if len(space) >= params.n_neighbors + 2:
        report(progress, "map: neighbours", 0, len(space))
        knn = space.knn_graph(params.n_neighbors, progress=_as_neighbours(progress),
                              cancel=cancel)
        report(progress, "map: neighbours", len(space), len(space))
    check_cancel(cancel)
    init = init_from(space.track_ids, space.matrix) if knn is not None and init_from else None
    xy, method = layout(space.matrix, knn=knn, params=params, progress=progress, cancel=cancel,
                        init=init)
    check_cancel(cancel)
    save_map_somewhere(directories, fingerprint=space.fingerprint, model_id=space.model_id,
                       track_ids=space.track_ids, xy=xy, params=params, method=method,
                       row_keys=space.row_keys)
    return MapResult(space.track_ids, xy, method, False, time.perf_counter() - start, note=note,
                     note_level=level)
