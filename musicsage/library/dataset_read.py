"""Reading a dataset dir (docs/dataset-dir.md) for ``import``, every check included, without
touching a library: :func:`read_dataset`. Kept apart from the writing half
(:mod:`musicsage.library.dataset`) so that the CLI can run every refusal the files earn before
it makes a new library — a refused first ``import`` left an empty library behind."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.dataset_features import (
    check_feature_shape, header_hint, load_features, not_utf8, read_features_json,
    refuse_duplicate_ids, refuse_empty_ids)

DATASET_MODEL_ID = "spectral-dataset"
DATASET_MODEL_VERSION = "dataset"


def read_csv_rows(path: Path, required: tuple[str, ...],
                  overlong: list[int] | None = None) -> list[dict[str, str]]:
    """A dataset dir's CSV file as rows of stripped text cells, refused in one line naming
    it when a ``required`` column is missing, it is not UTF-8 or not CSV. A row with more
    cells than the header keeps the header's; ``overlong`` (when given) gets the line of each
    row whose extra cells held text (a trailing comma's empty cell is no loss), for a note."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise MusicsageError(f"{path.name}: missing column(s) {', '.join(missing)}"
                                     f"{header_hint(header, missing[0])}")
            reader.fieldnames = header
            rows = []
            for row in reader:
                if overlong is not None and any(v.strip() for v in row.get(None) or ()):
                    overlong.append(reader.line_num)
                rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
            return rows
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    except csv.Error as exc:
        raise MusicsageError(f"{path.name}: not a valid CSV file ({exc})") from exc


def _read_features(src: Path, keys: list[str]
                   ) -> tuple[np.ndarray | None, str, str, dict | None]:
    """features.npy, checked against tracks.csv's ``keys``, and the model id, version and
    analysis settings features.json names (the dataset defaults, no settings, without one)."""
    n_tracks = len(keys)
    path = src / "features.npy"
    if not path.exists():
        return None, DATASET_MODEL_ID, DATASET_MODEL_VERSION, None
    feats = load_features(path)
    check_feature_shape(feats, n_tracks)
    feats = feats.astype(np.float32)  # every value fits: load_features checked them
    info = read_features_json(src, keys, feats)
    if info is None:
        return feats, DATASET_MODEL_ID, DATASET_MODEL_VERSION, None
    model_id, version, analysis = info
    return feats, model_id, version or DATASET_MODEL_VERSION, analysis


def dataset_source(src_dir: str | os.PathLike) -> Path:
    """The absolute dataset dir ``src_dir`` names, refused unless it holds a tracks.csv.
    Checked before the library is opened (``import /typo`` made an empty library first)."""
    P.given_path(src_dir, "the dataset dir", "a folder holding a tracks.csv")
    src = Path(src_dir).expanduser().resolve()
    if not src.exists():
        raise MusicsageError(f"{src_dir} is not a dataset dir: no such folder (nothing was "
                             "imported)")
    if not (src / "tracks.csv").is_file():
        raise MusicsageError(f"{src} is not a dataset dir (no tracks.csv)")
    return src


@dataclass
class DatasetFiles:
    """A dataset dir as read and checked, before anything is written (:func:`read_dataset`)."""

    src: Path
    rows: list[dict[str, str]]
    keys: list[str]
    memberships: list[dict[str, str]]
    names: dict[str, str]
    features: np.ndarray | None
    model_id: str | None
    version: str | None
    analysis: dict | None
    overlong: list[int]
    """Lines of tracks.csv whose rows had more cells than its header, with text in them."""


def read_dataset(src_dir: str | os.PathLike) -> DatasetFiles:
    """Read and check every file of the dataset dir ``src_dir``, touching no library: each
    refusal of :func:`import_dataset` that its files earn, which the CLI also runs before it
    makes a new library (a refused first ``import`` left an empty one behind)."""
    src = dataset_source(src_dir)
    overlong: list[int] = []
    rows = read_csv_rows(src / "tracks.csv", ("track_id",), overlong)
    keys = [r["track_id"] for r in rows]
    refuse_empty_ids(keys, src / "tracks.csv")
    refuse_duplicate_ids(keys, src / "tracks.csv", "track_id")
    memberships = _read_memberships(src / "memberships.csv")
    names = _read_playlist_names(src / "playlists.csv")
    feats, model_id, version, analysis = _read_features(src, keys)
    return DatasetFiles(src, rows, keys, memberships, names, feats, model_id, version, analysis,
                        overlong)


def _read_playlist_names(path: Path) -> dict[str, str]:
    """playlists.csv's ``playlist_id -> name`` (none without the file)."""
    if not path.is_file():
        return {}
    rows = read_csv_rows(path, ("playlist_id",))
    refuse_duplicate_ids([r["playlist_id"] for r in rows], path, "playlist_id")
    return {r["playlist_id"]: r.get("name", "") for r in rows}


def _read_memberships(path: Path) -> list[dict[str, str]]:
    """memberships.csv's rows (none without the file), refused in one line naming the first
    row without a playlist_id or a track_id: an empty playlist_id made a playlist named ''."""
    if not path.is_file():
        return []
    rows = read_csv_rows(path, ("playlist_id", "track_id"))
    for column in ("playlist_id", "track_id"):
        refuse_empty_ids([r[column] for r in rows], path, column)
    return rows
