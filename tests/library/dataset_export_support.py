"""The setups the export tests share: a library of tracks without audio files (imported from
a small dataset dir), their stored vectors, an export folder's files, a mark as versions
before the record of the vectors wrote it, a library exported, and another export's vectors
moved into an export's folder."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from musicsage.context import AppContext
from musicsage.files import OUTPUT_MARKER
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset


def import_tracks(ctx: AppContext, src: Path, ids: Iterable[int]) -> None:
    """Import into ``ctx`` a dataset dir ``src`` (made here) listing the tracks ``ids``,
    titled ``T<id>``."""
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n" + "".join(f"{i},T{i}\n" for i in ids))
    import_dataset(ctx, src)


def library(tmp_path: Path, name: str, ids: Iterable[int]) -> AppContext:
    """A library ``data-<name>`` of the tracks ``ids`` without audio files or vectors."""
    ctx = AppContext.create(tmp_path / f"data-{name}")
    import_tracks(ctx, tmp_path / f"src-{name}", ids)
    return ctx


def store_vectors(ctx: AppContext, value: float, *, plus_id: bool = True) -> None:
    """Every track's spectral vector of 3 dimensions (embed run again): ``value`` plus the
    track's id, repeated — or ``value`` alone where not ``plus_id``."""
    conn = connect(ctx)
    for track in q.all_tracks(conn):
        filled = value + track["id"] if plus_id else value
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", np.full(3, filled))
    conn.commit()


def file_bytes(folder: Path) -> dict[str, bytes]:
    """The bytes of every regular file in ``folder`` but hidden ones (the mark)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def entries(folder: Path) -> dict[str, object]:
    """Every entry of ``folder`` but hidden ones (the mark): a file's bytes, what a link
    points to, or 'folder'."""
    found: dict[str, object] = {}
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        found[p.name] = (("link", os.readlink(p)) if p.is_symlink() else
                         "folder" if p.is_dir() else p.read_bytes())
    return found


def mark_as_an_older_version(out: Path) -> None:
    """The folder's mark as versions before the record of the vectors wrote it."""
    (out / OUTPUT_MARKER).write_text(json.dumps(
        {"app": "musicsage", "command": "export", "commands": ["export"]}) + "\n")


def exported(tmp_path: Path, value: float | None) -> tuple[AppContext, Path]:
    """A library ``a`` of tracks 1 and 2 with the vectors of :func:`store_vectors` from
    ``value`` (none where None), and its export in ``out``."""
    ctx = library(tmp_path, "a", range(1, 3))
    if value is not None:
        store_vectors(ctx, value)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    return ctx, out


def exported_beside(a: AppContext, b: AppContext, tmp_path: Path) -> Path:
    """B's export in ``other``, then A's in ``out``: the folder :func:`move_pair_in` moves
    B's features.npy and features.json into; returns ``out``."""
    other, out = tmp_path / "other", tmp_path / "out"
    export_dataset(b, other)
    export_dataset(a, out)
    return out


def move_pair_in(tmp_path: Path, out: Path) -> None:
    """``mv other/features.* out/``: another export's vectors and their record moved in."""
    for name in ("features.npy", "features.json"):
        os.replace(tmp_path / "other" / name, out / name)
