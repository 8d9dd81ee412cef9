"""The recorded errors of tracks whose files are gone (``stats``): counted apart.

A track that failed (its analysis, a re-read) keeps its error row when its file is deleted or
its drive unmounted — the track stays, as missing, and the row says why it had no vector if
it comes back. ``stats`` counted those rows among its errors, where nothing can be done about
them short of the file's return: "errors 2" of a library whose one failing file is in place.
"""

from __future__ import annotations

import sqlite3

_OF_MISSING_TRACKS = """
SELECT e.stage, COUNT(*) FROM errors e
JOIN tracks t ON t.id = COALESCE(e.track_id, (SELECT id FROM tracks WHERE path = e.path))
WHERE t.status = 'missing'
  AND NOT (e.track_id IS NULL AND e.path IN (SELECT path FROM library_roots))
GROUP BY e.stage ORDER BY e.stage
"""


def missing_tracks_errors(conn: sqlite3.Connection) -> dict[str, int]:
    """How many recorded errors are of missing tracks, by stage (``{"embed:spectral": 1}``),
    in stage order; empty when none. A row is the track's by its ``track_id``, which follows
    a file found moved (its ``path`` stays the old one: a track renamed, then deleted, was
    missed), else by its path. A music folder's own row (one that is a single file, gone:
    "not found", which names no track) is left with the errors one can act on — forget the
    folder, mount its drive — as a folder's is; its track's own rows (a failed analysis)
    are of a missing track, as in a folder."""
    return dict(conn.execute(_OF_MISSING_TRACKS).fetchall())
