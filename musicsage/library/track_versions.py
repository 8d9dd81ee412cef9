"""Which analysis version the stored audio vectors of a few named tracks are of.

A query or a playlist's members without a graph vector are told to train only when their
own vectors are of the version the library reads
(:mod:`musicsage.usecases.graph_unplaced`): reading every track's version for that
(``queries.embedding_versions``) took ~130 ms at 50,000 tracks, for one query track.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from musicsage.library.in_chunks import in_chunks


def versions_of(conn: sqlite3.Connection, model_id: str,
                track_ids: Iterable[int]) -> dict[int, str]:
    """``track id -> model version`` of ``track_ids``' stored ``model_id`` vectors; a track
    without one is not in it."""
    found: dict[int, str] = {}
    for marks, chunk in in_chunks(sorted({int(t) for t in track_ids})):
        found.update((int(r[0]), str(r[1])) for r in conn.execute(
            "SELECT track_id, model_version FROM audio_embeddings WHERE model_id = ?"
            f" AND track_id IN ({marks})", (model_id, *chunk)))
    return found
