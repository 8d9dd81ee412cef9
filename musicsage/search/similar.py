"""Neighbour lists of one track in each embedding space: the ``similar --json`` shape.

Scores are cosine similarities in the space as indexed: graph vectors as the model made them,
audio vectors z-scored per dimension (see :func:`musicsage.search.index.standardise`).

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

from musicsage.library.queries import present_track_ids, track_summaries
from musicsage.search.index import SpaceIndex
from musicsage.search.types import SPACES, SimilarResult


def unplayable_ids(conn: sqlite3.Connection, space: SpaceIndex) -> tuple[np.ndarray, int]:
    """Ids in ``space`` that must not be listed (missing, or no longer in the library), and
    how many of them are missing files."""
    out = space.track_ids[~np.isin(space.track_ids, present_track_ids(conn))]
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


def _neighbour_rows(conn: sqlite3.Connection, space: SpaceIndex, query_id: int, k: int
                    ) -> tuple[list[dict], int]:
    """The playable neighbours of ``query_id`` in ``space`` (track fields + score and rank),
    and how many missing files would have ranked among them."""
    excluded, n_missing = unplayable_ids(conn, space)
    hits = space.neighbours(query_id, k, exclude_ids=excluded.tolist())
    skipped = _would_have_ranked(space, query_id, excluded, hits) if n_missing else 0
    info = track_summaries(conn, [t for t, _ in hits])
    rows = []
    for track_id, score in hits:
        row = info.get(track_id)
        if row is not None:
            rows.append({**row, "score": round(score, 6), "rank": len(rows) + 1})
    return rows, skipped


def similar_lists(conn: sqlite3.Connection, query_id: int,
                  spaces: Mapping[str, SpaceIndex | str], *, k: int,
                  space: str = "both") -> SimilarResult:
    """The neighbour lists of ``query_id``: one per space, or an empty list and a note.

    ``spaces`` maps each of "graph"/"audio" to its :class:`SpaceIndex`, or to a note saying
    why that space has no list (not requested, no model yet …). ``space`` is what was asked.
    """
    query = track_summaries(conn, [query_id]).get(int(query_id))
    if query is None:
        raise KeyError(query_id)
    lists: dict[str, list[dict]] = {name: [] for name in SPACES}
    notes: dict[str, str] = {}
    models: dict[str, str | None] = {}
    skipped: dict[str, int] = {}
    for name in SPACES:
        found = spaces.get(name, f"{name} space not requested")
        if isinstance(found, str):
            notes[name] = found
            continue
        models[name] = found.model_id
        if found.row_of(query_id) is None:
            notes[name] = (f"the query track has no {name} embedding"
                           + (" (run: musicsage embed)" if name == "audio" else
                              " (retrain the graph model: musicsage train)"))
            continue
        lists[name], would_rank = _neighbour_rows(conn, found, query_id, k)
        if would_rank:
            skipped[name] = would_rank
    both = {r["track_id"] for r in lists["graph"]} & {r["track_id"] for r in lists["audio"]}
    for rows in lists.values():
        for row in rows:
            row["in_both"] = row["track_id"] in both
    return SimilarResult(query=query, graph=lists["graph"], audio=lists["audio"], k=k,
                         models=models, notes=notes, skipped_missing=skipped, space=space)
