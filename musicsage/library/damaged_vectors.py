"""Stored audio vectors that hold NaN or infinite values: which tracks an ``embed`` analyses
again although a vector of its model and version is stored (see :func:`damaged_vector_tracks`).
"""

from __future__ import annotations

import sqlite3

import numpy as np

from musicsage.library.queries import get_track


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
        " WHERE e.model_id = ? AND e.model_version = ? AND t.status = 'present'"
        " AND substr(t.path, 1, 1) = '/'", (model_id, model_version))
    bad = [int(track_id) for track_id, blob in cur
           if len(blob) % 4 or not np.isfinite(np.frombuffer(blob, dtype="<f4")).all()]
    return [row for row in (get_track(conn, i) for i in bad) if row is not None]
