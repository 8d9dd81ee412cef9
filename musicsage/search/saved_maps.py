"""A space's saved map file (``map.npz``): read, checked, written.

Why apart from :mod:`.projection`: the file is a job of its own beside the layout — how it
is read, checked and written, and told apart for the messages that say why a map was laid out
again (:data:`SETTINGS_CHANGED`, :data:`UNREADABLE`) — and the layout had filled
:mod:`.projection` to the project's 450 lines. :mod:`.model_maps` needs only these names;
:mod:`.projection` re-exports them. The file is written atomically
(temp file + rename), so a killed run leaves the map before it; a file torn otherwise (a
copy or restore interrupted, a full disk) is found unreadable and laid out again, saying so.
"""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from musicsage.files import replace_atomically
from musicsage.search.fingerprint import as_id_array
from musicsage.search.placement import SavedLayout

if TYPE_CHECKING:
    from musicsage.search.projection import MapParams

log = logging.getLogger(__name__)

MAP_FILE = "map.npz"
_FORMAT = 1


def read_saved_layout(directory: Path, *, params: MapParams) -> tuple[dict, SavedLayout] | None:
    """The map saved in ``directory`` with these params, whatever vectors it was made from, and
    its metadata; None when there is none usable (absent, unreadable, other params or format)."""
    path = Path(directory) / MAP_FILE
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            ids, xy = data["track_ids"], data["xy"]
            hashes = data["row_hashes"] if "row_hashes" in data.files else None
            placed_ids = data["placed_ids"] if "placed_ids" in data.files else None
        if meta.get("format") != _FORMAT or meta.get("params") != params.key():
            return None
        if meta.get("method") == "pca" and not meta.get("spread"):
            return None  # a small map saved before its overlaps were spread: instant to redo
        if xy.shape != (len(ids), 2) or not np.isfinite(xy).all():
            return None
        if hashes is not None and hashes.shape != (len(ids),):
            hashes = None
        return meta, SavedLayout(as_id_array(ids), xy.astype(np.float32),
                                 None if hashes is None else hashes.astype(np.uint64),
                                 int(meta.get("placed", 0)), _id_list(placed_ids))
    except Exception as exc:  # truncated zip, bad JSON, wrong dtype …: recompute
        log.info("ignoring unreadable map cache %s: %s", path, exc)
        return None


def _id_list(ids: np.ndarray | None) -> np.ndarray | None:
    """A saved list of track ids (``placed_ids``) as int64, or None when it is absent (a map
    saved before maps kept it) or not one (damaged): its map then keeps its count of tracks
    placed as it is (:meth:`~musicsage.search.placement.SavedLayout.placed_unnamed`) rather
    than being laid out again for it."""
    if ids is None or ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        return None
    return as_id_array(ids)


def load_cached_map(directory: Path, *, fingerprint: str, track_ids: np.ndarray,
                    params: MapParams) -> np.ndarray | None:
    """The stored coordinates if they were made from these embeddings and params, else None."""
    meta, saved = read_saved_layout(directory, params=params) or ({}, None)
    if saved is None or meta.get("fingerprint") != fingerprint or not np.array_equal(
            saved.track_ids, track_ids):
        return None
    return saved.xy


SETTINGS_CHANGED = "the map's settings changed since it was saved"
"""Why a saved map of other settings is laid out again (minutes, once without a word of it)."""


def saved_with_other_settings(directories: list[Path], params: MapParams) -> bool:
    """Whether a map saved in ``directories`` was laid out with other settings than these."""
    for path in (Path(directory) / MAP_FILE for directory in directories):
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
        except Exception:  # absent or unreadable: a first layout, nothing to explain
            continue
        if not isinstance(meta, dict):  # JSON, but not our metadata: :func:`unreadable_map`'s
            continue
        if meta.get("format") == _FORMAT and meta.get("params") != params.key():
            return True
    return False


UNREADABLE = "the saved map could not be read (damaged or cut short)"


def unreadable_map(directories: list[Path]) -> bool:
    """Whether a map file in ``directories`` cannot be read whole, or its metadata is not
    ours (JSON, but not an object: foreign or damaged, not a map of other settings): laid out
    again, saying so (:data:`UNREADABLE`; a torn file was replaced without a word)."""
    for path in (Path(directory) / MAP_FILE for directory in directories):
        try:
            if os.path.lexists(path):
                with np.load(path, allow_pickle=False) as data:
                    arrays = {name: data[name] for name in data.files}  # a cut file fails
                if not isinstance(json.loads(str(arrays["meta"])), dict):
                    return True
        except Exception:  # a torn zip, a folder, no map at all: one to lay out again
            return True
    return False


def map_dirs(directory: Path, spare_dir: Path | None) -> list[Path]:
    """Where a space's map is looked for and saved, in order: its own folder, then the spare
    one (see :func:`~musicsage.search.projection.compute_map`)."""
    return [Path(directory)] + ([Path(spare_dir)] if spare_dir is not None else [])


def load_cached_map_from(directories: list[Path], **how) -> np.ndarray | None:
    """The first of :func:`load_cached_map`'s answers that is a map, over ``directories``."""
    for directory in directories:
        xy = load_cached_map(directory, **how)
        if xy is not None:
            return xy
    return None


def save_map(directory: Path, *, fingerprint: str, model_id: str | None, track_ids: np.ndarray,
             xy: np.ndarray, params: MapParams, method: str, row_keys=None, placed: int = 0,
             placed_ids=()) -> Path:
    """Store coordinates atomically (temp file + rename); with ``row_keys`` (a hash of each
    track's vector, :attr:`~musicsage.search.index.SpaceIndex.row_keys`) too, so that the map
    can later be extended (:mod:`musicsage.search.placement`).
    ``placed``: tracks placed rather than laid out since the last full layout; ``placed_ids``:
    which (all of them but an older map's count). An array beside the others, in the same
    format: a version before it reads the file as ever and ignores them, one after reads
    such a version's file as having named none."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"format": _FORMAT, "fingerprint": fingerprint, "model_id": model_id,
                       "params": params.key(), "method": method, "spread": True,
                       "placed": int(placed)})
    arrays = {"track_ids": as_id_array(track_ids), "xy": np.asarray(xy, np.float32),
              "meta": np.array(meta), "placed_ids": as_id_array(placed_ids)}
    if row_keys is not None:
        arrays["row_hashes"] = np.asarray(row_keys, np.uint64)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    final = directory / MAP_FILE
    replace_atomically(final, buf.getvalue())
    return final


def save_map_somewhere(directories: list[Path], **how) -> None:
    """:func:`save_map` into the first of ``directories`` that can be written (a read-only
    library's map goes to the spare folder); a warning in the log if none can."""
    failures = []
    for directory in directories:
        try:
            save_map(directory, **how)
        except OSError as exc:
            failures.append(f"{directory}: {exc}")
            continue
        if failures:  # a read-only library: kept in the spare folder, nothing to warn about
            log.info("the map was kept in %s (%s)", directory, failures[0])
        return
    log.warning("could not save the map (%s)", "; ".join(failures))


def map_stamp(directories: list[Path]) -> list[tuple[int, int] | None]:
    """Which map files are in ``directories`` now (inode, mtime): changed by a map saved."""
    stamps = []
    for path in (Path(directory) / MAP_FILE for directory in directories):
        try:
            st = path.stat()
        except OSError:
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_mtime_ns))
    return stamps
