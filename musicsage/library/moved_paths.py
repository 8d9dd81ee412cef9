"""Which tracks were moved from given paths (``track_moves``, written by the scan's move
detection, :mod:`.moves`): something kept outside the library by track id and path — the
window's play queue (:mod:`musicsage.usecases.queue_file`) — tells a track moved since from
an id now another track's (a library built anew in the same folder)."""

from __future__ import annotations

import sqlite3
from typing import Mapping

from musicsage.library.in_chunks import in_chunks


def moved_from(conn: sqlite3.Connection, paths: Mapping[int, str]) -> set[int]:
    """Of ``paths`` (track id → the path it was kept with), the ids whose track was moved
    from that path: the move detection recorded it under that id."""
    found: set[int] = set()
    for marks, ids in in_chunks(list(paths)):
        found.update(int(t) for t, old in conn.execute(
            f"SELECT track_id, old_path FROM track_moves WHERE track_id IN ({marks})", ids)
            if paths.get(int(t)) == old)
    return found
