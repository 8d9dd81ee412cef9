"""Which imported dataset dir names which track without an audio file, and which playlist.

An import stores a row without a ``path`` as the track ``dataset:<dir>#<track_id>`` — unless
its ``source`` names a track the library has (this library's export, imported back): then it
stores nothing, and the track stays under the other dir's path. A playlist the library
already has is not stored again either. So the paths alone said that the other dir's import
stored those tracks and playlists, and ``forget <other dir>`` took them from a dir still
imported. The import now records what each dir names (tables ``dataset_tracks`` and
``dataset_playlists``, by the id the dir's files give it: library/schema.py, migration 3),
and forgetting a dir (:mod:`musicsage.library.forget`) removes only what no other remembered
dir names; what another dir names is handed over to it — its path becomes that dir's
``dataset:<dir>#<id>``, as importing that dir alone would have stored it — keeping its id,
vectors and playlist entries.
"""

from __future__ import annotations

import sqlite3

from musicsage.library.paths import DATASET_PREFIX

_TABLES = {"tracks": ("dataset_tracks", "track_id"),
           "playlists": ("dataset_playlists", "playlist_id")}


def record_names(conn: sqlite3.Connection, synthetic: str, rows: list[dict[str, str]],
                 track_of: dict[str, int], playlists: dict[str, int]) -> None:
    """What the import of the dir ``synthetic`` (its ``dataset:<dir>#``) named, replacing
    what an earlier import of it recorded (its files may have changed): each row of
    tracks.csv without a path (its track has no audio file), and ``playlists``, the library
    id of each playlist_id of memberships.csv (stored, or the library's own it matched)."""
    for table, named in (("tracks", {r["track_id"]: track_of[r["track_id"]] for r in rows
                                     if not r.get("path")}), ("playlists", playlists)):
        records, column = _TABLES[table]
        conn.execute(f"DELETE FROM {records} WHERE dataset = ?", (synthetic,))
        conn.executemany(f"INSERT INTO {records}(dataset, row_id, {column}) VALUES (?, ?, ?)",
                         [(synthetic, key, id_) for key, id_ in named.items()])


def featureless_tracks(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """``(count, least path)`` of the present tracks a dataset dir gave without a vector
    (imported without a features.npy: no ``embed`` can help them), ``(0, None)`` while a
    track has an audio file (``embed`` helps there)."""
    if conn.execute("SELECT 1 FROM tracks WHERE status = 'present' AND substr(path, 1, 1) = '/'"
                    " LIMIT 1").fetchone():
        return 0, None
    row = conn.execute(
        "SELECT count(*), min(path) FROM tracks t WHERE status = 'present' AND substr(path, 1, ?)"
        " = ? AND NOT EXISTS (SELECT 1 FROM audio_embeddings e WHERE e.track_id = t.id)",
        (len(DATASET_PREFIX), DATASET_PREFIX)).fetchone()
    return int(row[0]), row[1]


def stored_by_sql(conn: sqlite3.Connection, column: str, synthetic: str
                  ) -> tuple[str, tuple]:
    """``(condition, parameters)``: ``column`` is a path the import of the dir ``synthetic``
    stored — it starts with ``dataset:<dir>#``, but not with another recorded dir's that
    goes on from there (``dataset:<dir>#x#`` of the dir ``<dir>#x``). A '#' may be part of a
    dir's name: by its prefix alone, ``forget A`` took the rows of ``A#x`` for its own and
    called them kept, every time, and ``forget A`` of a dir never imported did the same.
    The longer dirs are read first (a handful): as a subquery beside each row the condition
    ran for minutes on 28,000 tracks. ``substr``, not LIKE: that would read ``_`` and ``%``
    in a dir's name as wildcards."""
    n = len(synthetic)
    known = [row[0] for row in conn.execute(
        "SELECT dataset FROM dataset_tracks UNION SELECT dataset FROM dataset_playlists")]
    longer = [d for d in known if len(d) > n and d.startswith(synthetic)]
    theirs = _ids_with_hash(conn, synthetic, [d for d in known if len(d) < n
                                              and synthetic.startswith(d)])
    condition = " AND ".join([f"substr({column}, 1, ?) = ?"]
                             + [f"substr({column}, 1, ?) != ?"] * len(longer)
                             + ([f"{column} NOT IN ({', '.join('?' * len(theirs))})"]
                                if theirs else []))
    params: list = [n, synthetic]
    for other in longer:
        params += [len(other), other]
    return condition, tuple(params + theirs)


def _ids_with_hash(conn: sqlite3.Connection, synthetic: str, shorter: list[str]) -> list[str]:
    """The paths under ``synthetic`` that a dir of ``shorter`` (``dataset:<dir>#`` prefixes
    it starts with) recorded as its own — an id with a '#' (``dataset:<dir>#mix#1`` of the
    id ``mix#1``) —, and the dir ``synthetic`` did not: ``forget <dir>#mix``, never imported,
    took them and said it removed it."""
    found: set[str] = set()
    for records, _ in _TABLES.values():
        for other in shorter:
            found.update(r[0] for r in conn.execute(
                f"SELECT dataset || row_id FROM {records} WHERE dataset = ?"
                " AND substr(dataset || row_id, 1, ?) = ?", (other, len(synthetic), synthetic)))
        found.difference_update(r[0] for r in conn.execute(
            f"SELECT dataset || row_id FROM {records} WHERE dataset = ?", (synthetic,)))
    return sorted(found)


def named_by(conn: sqlite3.Connection, synthetic: str) -> bool:
    """Whether the dir ``synthetic`` names a track without an audio file or a playlist
    without a file of its own (one whose file took its place counts no more: a scan's)."""
    return any(conn.execute(
        f"SELECT 1 FROM {records} d JOIN {table} t ON t.id = d.{column} WHERE d.dataset = ?"
        " AND substr(t.path, 1, ?) = ? LIMIT 1",
        (synthetic, len(DATASET_PREFIX), DATASET_PREFIX)).fetchone()
        for table, (records, column) in _TABLES.items())


def release(conn: sqlite3.Connection, table: str, synthetic: str) -> tuple[list[int], int]:
    """Of the ``table`` rows (tracks or playlists) of the dir ``synthetic`` being forgotten —
    stored under its prefix, or named by it, and without an audio file or a playlist file —
    the ids no other remembered dir names, to delete; and how many are kept, each handed
    over to another dir that names it (its path becomes that dir's, when free). The dir's
    records go."""
    records, column = _TABLES[table]
    stored, params = stored_by_sql(conn, "path", synthetic)
    ids = [int(r[0]) for r in conn.execute(
        f"SELECT id FROM {table} WHERE {stored} UNION SELECT t.id FROM {table} t"
        f" JOIN {records} d ON d.{column} = t.id WHERE d.dataset = ?"
        " AND substr(t.path, 1, ?) = ?",
        (*params, synthetic, len(DATASET_PREFIX), DATASET_PREFIX))]
    gone = [id_ for id_ in ids if not hand_over(conn, table, id_, synthetic)]
    conn.execute(f"DELETE FROM {records} WHERE dataset = ?", (synthetic,))
    return gone, len(ids) - len(gone)


def hand_over(conn: sqlite3.Connection, table: str, id_: int, synthetic: str) -> bool:
    """Pass the ``table`` row ``id_`` of the dir ``synthetic`` to the first other dir that
    names it — its path, while the dir's, becomes that dir's, when free; False when no other
    dir names it (``forget`` deletes it then)."""
    records, column = _TABLES[table]
    other = conn.execute(f"SELECT dataset || row_id FROM {records} WHERE {column} = ?"
                         " AND dataset != ? ORDER BY dataset, row_id LIMIT 1",
                         (id_, synthetic)).fetchone()
    if other is None:
        return False
    conn.execute(f"UPDATE {table} SET path = ? WHERE id = ? AND substr(path, 1, ?) = ?"
                 f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE path = ?)",
                 (other[0], id_, len(synthetic), synthetic, other[0]))
    return True
