"""One saved map per graph model, so that going back to a model shows the map it had.

A map is laid out once per set of vectors and then carried over to small changes
(:mod:`musicsage.search.placement`); a *different* model changes every vector, so its map
cannot be carried over from another model's. With one map file per space, a switch to an
earlier model (``models --use``, Analyse ▸ Graph model) and back laid the map out again each
time — minutes of UMAP on a large library, and a map of a new shape every time. So the graph
space keeps one map per model, in ``<space folder>/maps/<model label>/map.npz`` (label
``graph-<id>``); the neighbour index stays single in the space folder (rebuilt from the
vectors in seconds, and the larger file: one per model would multiply the disk it takes).

Every map file records the model it was made with (``model_id`` in its metadata), and the
map is only ever served after its vectors' fingerprint or row hashes match, so a file in the
wrong folder still could not show one model's map for another. The previous version kept one
``map.npz`` in the space folder itself: :func:`map_dirs_of` moves it into the folder of the
model it records (or reads it in place where it cannot be moved); a file of another model is
left where it is, for that model.

A model's folder under ``maps/`` that is a link or a file, or ``maps`` a file, is never
written, moved or deleted through (:func:`map_dirs_of`): a link this app never makes may lead
to another library's map; the map is kept in the spare folder instead, and one warning line
says where (:func:`map_folder_notes` gives the window that line: its user never sees the
log). ``maps`` itself may be a link to a folder (the cache moved onto another disk).

Disk: a map is 24 bytes a track (2.4 MB at 100,000 tracks); :func:`prune_model_maps` keeps
them only for models that still exist (``models --remove`` calls it).
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.files import write_temporary_pattern
from musicsage.library.lock import MAP_LOCK, idle_map_locks
from musicsage.search.saved_maps import MAP_FILE, map_dirs

log = logging.getLogger(__name__)

MAPS_DIR = "maps"
"""The folder, inside a space's cache folder, holding one folder per model."""
_LABEL = re.compile(r"^graph-\d+$")
_TEMP = re.compile(write_temporary_pattern(MAP_FILE))
"""A temporary file of an interrupted map write (:func:`musicsage.files.atomic_replacement`)."""


def is_model_label(label: str | None) -> bool:
    """Whether ``label`` names a graph model (``graph-<id>``): safe as a folder name."""
    return isinstance(label, str) and bool(_LABEL.match(label))


def saved_map_model(directory: Path) -> str | None:
    """The model label recorded in ``directory``'s map file (metadata only; None when there
    is no file, it cannot be read, or it records no model)."""
    path = Path(directory) / MAP_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
    except Exception as exc:  # a torn or foreign file: it names no model
        log.info("cannot tell the model of %s: %s", path, exc)
        return None
    label = meta.get("model_id") if isinstance(meta, dict) else None
    return label if isinstance(label, str) else None


def map_dirs_of(space_dir: Path, spare_dir: Path | None, label: str | None) -> list[Path]:
    """Where the map of model ``label`` is looked for and saved, in order: its folder in the
    space's own cache, its folder in the spare cache (a read-only library), then — only when
    they record this very model and could not be moved into its folder — the single maps the
    previous version kept. Not a model label (the audio space): the space's own folders."""
    dirs, notes = _dirs_and_notes(space_dir, spare_dir, label, _adopt)
    for note in notes:
        _tell(note)
    return dirs


def map_folder_notes(space_dir: Path, spare_dir: Path | None, label: str | None) -> list[str]:
    """What :func:`map_dirs_of` warns about for model ``label`` (a folder that is a file or
    a link: where its map is kept instead), for a front end to show: the window's user never
    sees the log. Moves nothing, and says it at every call (the caller says it once)."""
    return _dirs_and_notes(space_dir, spare_dir, label, lambda _base, _label: False)[1]


def _dirs_and_notes(space_dir: Path, spare_dir: Path | None, label: str | None,
                    adopt: Callable[[Path, str], bool]) -> tuple[list[Path], list[str]]:
    """:func:`map_dirs_of`'s folders and the notes on folders it could not use; ``adopt``
    moves a previous version's single map into its model's folder (True: moved)."""
    bases = map_dirs(space_dir, spare_dir)
    if not is_model_label(label):
        return bases, []
    unusable = {base: _unusable(base, label) for base in bases}
    dirs = [base / MAPS_DIR / label for base in bases if unusable[base] is None]
    for base in bases:
        if saved_map_model(base) == label and not adopt(base, label):
            dirs.append(base)  # read in place; never served for another model (see above)
    dirs = dirs or bases  # no model folder to use: where the previous version kept its map
    return dirs, [f"{what}: the map of {label} is kept in {dirs[0]} instead{advice}"
                  for what, advice in filter(None, unusable.values())]


def _unusable(base: Path, label: str) -> tuple[str, str] | None:
    """Why the map of model ``label`` must not go into its folder under ``base`` and what to
    do about it, or None. ``maps`` or the model's folder a file: no map can be saved there
    (and the file is not the app's to replace). The model's folder a link: this app never
    makes one, and a map saved through it would replace whatever ``map.npz`` it leads to
    (another library's map) — only the link's owner knows what that is. ``maps`` itself may
    be a link to a folder: a user moves the cache onto another disk that way."""
    maps = base / MAPS_DIR
    folder = maps / label
    if os.path.lexists(maps) and not maps.is_dir():
        return _not_a_folder(maps)
    if folder.is_symlink() and folder.exists():
        return (f"{folder} is a link musicsage did not make",
                ", never written through the link (remove the link to keep maps with the "
                "library)")
    if os.path.lexists(folder) and not folder.is_dir():
        return _not_a_folder(folder)
    return None


def _not_a_folder(path: Path) -> tuple[str, str]:
    if path.is_symlink() and not path.exists():
        return (f"{path} is a link that leads nowhere",
                " (remove the link to keep maps with the library)")
    return (f"{path} is a file, not a folder",
            " (move the file away to keep maps with the library)")


_told: set[str] = set()


def _tell(message: str) -> None:
    """Warn once a process: every map load asks for these folders (the window's often)."""
    if message not in _told:
        _told.add(message)
        log.warning("%s", message)


def _adopt(base: Path, label: str) -> bool:
    """Move the previous version's single map in ``base`` into its model's folder; False
    when it stays where it is (a read-only folder, or that model has a map there already)."""
    target = base / MAPS_DIR / label / MAP_FILE
    if target.exists() or _unusable(base, label) is not None:
        return False  # never moved through a link, or over another map
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(base / MAP_FILE, target)
    except OSError as exc:
        log.info("the map in %s stays there (%s)", base, exc)
        return False
    log.info("the map in %s is now kept for %s", base, label)
    return True


def _remove_map_folder(folder: Path, *, locked: bool = False) -> list[Path]:
    """Delete the map, its lock and interrupted writes of it in ``folder``, then the folder if
    that left it empty; any other file is left alone (and so is the folder). Under the map's
    lock (``locked``: the caller holds it): a folder whose map another process is laying out
    is left whole — deleting a held lock let that run write into a folder being removed."""
    if locked:
        return _remove_map_files(folder)
    with idle_map_locks([folder]) as busy:
        if busy is not None:
            log.info("the map in %s is being laid out%s: kept", folder, busy)
            return []
        return _remove_map_files(folder)


def _remove_map_files(folder: Path) -> list[Path]:
    """:func:`_remove_map_folder`'s deletions, its lock held."""
    removed = []
    for entry in list(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_file() and not entry.is_symlink() and (entry.name in (MAP_FILE, MAP_LOCK)
                                                            or _TEMP.fullmatch(entry.name)):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    try:
        folder.rmdir()
    except OSError:  # absent, or it holds something this module did not write
        pass
    return removed


@contextmanager
def model_maps_unused(space_dir: Path, spare_dir: Path | None, model_id: int
                      ) -> Iterator[list[Path]]:
    """The folders under ``maps/`` that may hold graph model ``model_id``'s map, their map
    locks held for the block (a removal of the model: no layout of it starts meanwhile,
    :func:`prune_model_maps` ``locked``). Refused in one line while another process lays its
    map out: its lock deleted under it, that run saved its map into a folder being removed,
    and the lock protected nothing."""
    folders = [base / MAPS_DIR / f"graph-{model_id}" for base in map_dirs(space_dir, spare_dir)]
    with idle_map_locks(folders) as busy:
        if busy is not None:  # from the window, mostly its own map job: not "another process"
            who = f"{busy.strip(' ()')}: " if busy else ""
            raise MusicsageError(f"graph model {model_id} not removed: its map is being "
                                 f"computed ({who}the window's map or a `musicsage map`); "
                                 "try again when that ends")
        yield folders


def saved_model_maps(space_dir: Path, spare_dir: Path | None
                     ) -> Iterator[tuple[str, Path, bool]]:
    """``(model label, folder, single)`` of every saved graph map in the space's own and spare
    folders: each per-model folder under ``maps/`` (``single`` False), then a previous
    version's single map, whose folder is the space's (``single`` True)."""
    for base in map_dirs(space_dir, spare_dir):
        folder = base / MAPS_DIR
        for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
            if sub.is_dir() and is_model_label(sub.name):
                yield sub.name, sub, False
        old = saved_map_model(base)
        if is_model_label(old):
            yield old, base, True


def prune_model_maps(space_dir: Path, spare_dir: Path | None, keep: Iterable[str],
                     *, locked: Iterable[Path] = ()) -> list[Path]:
    """Delete the saved maps of graph models not in ``keep`` (labels), in the space's own
    and spare folders — per-model folders and a previous version's single map alike, only
    files this app writes; a folder whose map another process is laying out is left alone.
    ``locked``: folders whose map lock the caller holds (:func:`idle_map_locks`). Returns
    the files deleted."""
    locked = set(locked)
    keep = set(keep)
    removed: list[Path] = []
    for label, folder, single in list(saved_model_maps(space_dir, spare_dir)):
        if label in keep:
            continue
        if single:
            if (folder / MAP_FILE).is_symlink():
                continue  # a link someone else made: not the app's to delete
            (folder / MAP_FILE).unlink(missing_ok=True)
            removed.append(folder / MAP_FILE)
        elif not folder.is_symlink():
            removed += _remove_map_folder(folder, locked=folder in locked)
    return removed
