"""Neighbour lists of one track in each embedding space: the ``similar --json`` shape.

Scores are cosine similarities in the space as indexed: graph vectors as the model made them,
audio vectors z-scored per dimension (:func:`musicsage.vectors.zscore`).

Policy on missing files (status 'missing'): they stay in the indexes and on the map (a vanished
file is not forgotten, and a file coming back costs no rebuild), but they are left out of
neighbour lists: a list is something to play or export as a playlist, and a missing file can
be neither. ``skipped_missing`` counts how many of them would have ranked. A missing *query*
track still gets its neighbours (its vector is known).
"""

from __future__ import annotations

import sqlite3
from typing import Mapping

import numpy as np

from musicsage.search.index import SpaceIndex
from musicsage.search.types import SPACES

TRACK_FIELDS = ("track_id", "title", "artist", "album", "path", "duration", "status")


def track_rows(conn: sqlite3.Connection, track_ids) -> dict[int, dict]:
    """``{track_id: {track_id, title, artist, album, path, duration, status}}``."""
    ids = [int(t) for t in track_ids]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's host-parameter limit
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute("SELECT id AS track_id, title, artist, album, path, duration, status"
                              f" FROM tracks WHERE id IN ({marks})", chunk):
            out[int(r["track_id"])] = {f: r[f] for f in TRACK_FIELDS}
    return out


def unplayable_ids(conn: sqlite3.Connection, space: SpaceIndex) -> tuple[np.ndarray, int]:
    """Ids in ``space`` that must not be listed (missing, or no longer in the library), and
    how many of them are missing files."""
    present = np.fromiter((r[0] for r in conn.execute(
        "SELECT id FROM tracks WHERE status = 'present'")), dtype=np.int64)
    out = space.track_ids[~np.isin(space.track_ids, present)]
    return out, len(out)


def _would_have_ranked(space: SpaceIndex, query_id: int, excluded: np.ndarray,
                       hits: list[tuple[int, float]]) -> int:
    """How many unplayable tracks score at least as high as the last listed neighbour."""
    from musicsage.search.index import unit_rows

    rows = [r for r in (space.row_of(t) for t in excluded.tolist())
            if r is not None and r != space.row_of(query_id)]
    if not rows:
        return 0
    q = unit_rows(space.vector_of(query_id)[None, :])[0]
    scores = unit_rows(space.matrix[rows]) @ q
    threshold = hits[-1][1] if hits else -np.inf
    return int((scores >= threshold - 1e-6).sum())


def similar_lists(conn: sqlite3.Connection, query_id: int,
                  spaces: Mapping[str, SpaceIndex | str], *, k: int) -> dict:
    """The result dict for ``query_id``: one list per space, or an empty list and a note.

    ``spaces`` maps each of "graph"/"audio" to its :class:`SpaceIndex`, or to a note saying
    why that space has no list (not requested, no model yet …).
    """
    query = track_rows(conn, [query_id]).get(int(query_id))
    if query is None:
        raise KeyError(query_id)
    result: dict = {"query": query, "k": k}
    notes: dict[str, str] = {}
    models: dict[str, str | None] = {}
    skipped: dict[str, int] = {}
    for name in SPACES:
        space = spaces.get(name, f"{name} space not requested")
        result[name] = []
        if isinstance(space, str):
            notes[name] = space
            continue
        models[name] = space.model_id
        if space.row_of(query_id) is None:
            notes[name] = (f"the query track has no {name} embedding"
                           + (" (run: musicsage embed)" if name == "audio" else
                              " (retrain the graph model: musicsage train)"))
            continue
        excluded, n_missing = unplayable_ids(conn, space)
        hits = space.neighbours(query_id, k, exclude_ids=excluded.tolist())
        if n_missing:
            would_rank = _would_have_ranked(space, query_id, excluded, hits)
            if would_rank:
                skipped[name] = would_rank
        info = track_rows(conn, [t for t, _ in hits])
        rank = 0
        for track_id, score in hits:
            row = info.get(track_id)
            if row is None:
                continue
            rank += 1
            result[name].append({**row, "score": round(score, 6), "rank": rank})
    both = {r["track_id"] for r in result["graph"]} & {r["track_id"] for r in result["audio"]}
    for name in SPACES:
        for row in result[name]:
            row["in_both"] = row["track_id"] in both
    result["in_both"] = len(both)
    result["models"] = models
    if skipped:
        result["skipped_missing"] = skipped
    if notes:
        result["notes"] = notes
        result["note"] = "; ".join(f"{name}: {msg}" for name, msg in notes.items())
        for name, msg in notes.items():
            result[f"{name}_note"] = msg
    return result


def playlist_tracks(result: Mapping) -> list[dict]:
    """The tracks of a result as a playlist: the query first, then the graph list, then the
    audio tracks not already in it (a "radio" seeded by the query)."""
    out, seen = [], set()
    for row in [result["query"], *result.get("graph", []), *result.get("audio", [])]:
        if row["track_id"] not in seen and row.get("status", "present") == "present":
            seen.add(row["track_id"])
            out.append(row)
    return out
