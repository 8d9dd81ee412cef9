"""Stored audio vectors that hold NaN or infinite values: which tracks an ``embed`` analyses
again although a vector of its model and version is stored (see :func:`damaged_vector_tracks`),
and which it cannot (:func:`beyond_reanalysis`: training leaves those out instead).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np

from musicsage.library.queries import get_track

_REANALYSABLE = "t.status = 'present' AND substr(t.path, 1, 1) = '/'"
"""The tracks an ``embed`` can analyse: present, with an audio file (a dataset dir's track has
a synthetic path and no audio)."""


def damaged_vector_tracks(conn: sqlite3.Connection, model_id: str,
                          model_version: str) -> list[sqlite3.Row]:
    """The tracks an embed analyses again although they hold a vector of this model and
    version: present, with an audio file, and that vector holds NaN or infinite values (a
    damaged database, an older bug). Training refuses such a vector and a search leaves its
    track out, so it counts as none; only re-analysing these spares a big library the hours
    of an ``embed`` with other settings, which redid every track. One pass over the stored
    blobs when embed runs (no decoding), never on the window's reads of the library."""
    cur = conn.execute(
        "SELECT e.track_id, e.vector FROM audio_embeddings e JOIN tracks t ON t.id = e.track_id"
        f" WHERE e.model_id = ? AND e.model_version = ? AND {_REANALYSABLE}",
        (model_id, model_version))
    bad = [int(track_id) for track_id, blob in cur
           if len(blob) % 4 or not np.isfinite(np.frombuffer(blob, dtype="<f4")).all()]
    return [row for row in (get_track(conn, i) for i in bad) if row is not None]


def beyond_reanalysis(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, str]:
    """Of ``track_ids`` (tracks with damaged vectors), those no ``embed`` can analyse again,
    each with why: ``"missing"`` (its file is gone) or ``"no audio"`` (imported from a dataset
    dir). Training leaves them out, as it does tracks without a vector: refusing sent the user
    to an ``embed`` that skips them, for ever. The others are :func:`damaged_vector_tracks`'."""
    ids = [int(i) for i in track_ids]
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # SQLite's bound on a statement's parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for track_id, has_file in conn.execute(
                f"SELECT t.id, substr(t.path, 1, 1) = '/' FROM tracks t"
                f" WHERE t.id IN ({marks}) AND NOT ({_REANALYSABLE})", chunk):
            out[int(track_id)] = "no audio" if not has_file else "missing"
    return out


def left_out_for_damage(conn: sqlite3.Connection, model_id: str,
                        track_ids: Iterable[int]) -> np.ndarray:
    """Of ``track_ids``, those whose ``model_id`` vector is damaged and that no ``embed`` can
    analyse again (:func:`beyond_reanalysis`): training left them out, so they are no new
    tracks for its model to place, nor ones to "retrain to learn from". Reads the vectors of
    missing and dataset tracks only, which are few: a present track's damage an embed mends."""
    candidates = list(beyond_reanalysis(conn, track_ids))
    bad = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start:start + 500]
        bad += [int(track_id) for track_id, blob in conn.execute(
            f"SELECT track_id, vector FROM audio_embeddings WHERE model_id = ?"
            f" AND track_id IN ({','.join('?' * len(chunk))})", [model_id, *chunk])
            if len(blob) % 4 or not np.isfinite(np.frombuffer(blob, dtype="<f4")).all()]
    return np.array(bad, dtype=np.int64)


def damaged_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Stored vectors holding NaN or infinite values per audio model id (none: absent), for
    ``stats``: a user saw them only when ``train`` refused. One pass over every stored blob,
    read in bounded batches (~0.2 s for 28k vectors of the default 512 dimensions), so never
    on the window's frequent reads."""
    out: dict[str, int] = {}
    cur = conn.execute("SELECT model_id, vector FROM audio_embeddings")
    while batch := cur.fetchmany(4096):
        groups: dict[tuple[str, int], list[bytes]] = {}
        for model_id, blob in batch:
            groups.setdefault((model_id, len(blob)), []).append(blob)
        for (model_id, size), blobs in groups.items():
            bad = _damaged_among(blobs, size)
            if bad:
                out[model_id] = out.get(model_id, 0) + bad
    return out


def _damaged_among(blobs: list[bytes], size: int) -> int:
    """How many of ``blobs`` (all ``size`` bytes long) are damaged: cut short of a whole
    float32, or holding NaN or infinite values (as :func:`damaged_vector_tracks` reads them)."""
    if size % 4:
        return len(blobs)
    if not size:
        return 0
    rows = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1)
    return int((~np.isfinite(rows).all(axis=1)).sum())
