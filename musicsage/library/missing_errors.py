"""The recorded errors of tracks whose files are gone (``stats``): counted apart.

A track that failed (its analysis, a re-read) keeps its error row when its file is deleted or
its drive unmounted — the track stays, as missing, and the row says why it had no vector if
it comes back. ``stats`` counted those rows among its errors, where nothing can be done about
them short of the file's return: "errors 2" of a library whose one failing file is in place.
"""

from __future__ import annotations

import sqlite3


def missing_tracks_errors(conn: sqlite3.Connection) -> dict[str, int]:
    """How many recorded errors are of missing tracks, by stage (``{"embed:spectral": 1}``),
    in stage order; empty when none."""
    return dict(conn.execute(
        "SELECT e.stage, COUNT(*) FROM errors e JOIN tracks t ON t.path = e.path"
        " WHERE t.status = 'missing' GROUP BY e.stage ORDER BY e.stage").fetchall())
