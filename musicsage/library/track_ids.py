"""Track ids are never handed out twice, even after tracks leave the library.

SQLite gives a new row the largest id in the table plus one, so deleting the tracks with the
largest ids (:mod:`musicsage.library.forget`) would let the next scan give their ids to new
tracks. Much is keyed by track id outside the tracks table — a trained graph model's vectors,
the vectors it computed later for new tracks, the window's selection — and a new track must
not inherit any of it. So before tracks are deleted the largest id ever used is recorded
(:func:`retire_track_ids`), and every new track takes its id from :func:`next_track_id`.
Graph models follow the same rule (:mod:`musicsage.graph.store`).
"""

from __future__ import annotations

import sqlite3

FLOOR_KEY = "track_id_floor"
"""``settings`` key: the largest track id ever used by a track that was deleted since."""


def next_id(conn: sqlite3.Connection, table: str, floor_key: str) -> int:
    """The id for a new row of ``table`` (``tracks``, ``graph_models``): above every id in
    use and the largest one retired, recorded under ``settings`` key ``floor_key``."""
    row = conn.execute(
        f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0),"
        " coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0))",
        (floor_key,)).fetchone()
    return int(row[0]) + 1


def retire_ids(conn: sqlite3.Connection, table: str, floor_key: str) -> None:
    """Record the largest id of ``table`` in use, before rows are deleted (inside their
    transaction), so that :func:`next_id` never gives it out again."""
    floor = next_id(conn, table, floor_key) - 1
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (floor_key, str(floor)))


def next_track_id(conn: sqlite3.Connection) -> int:
    """The id for a new track: above every id in use and every id retired."""
    return next_id(conn, "tracks", FLOOR_KEY)


def retire_track_ids(conn: sqlite3.Connection) -> None:
    """Record the largest id in use, before tracks are deleted (inside their transaction)."""
    retire_ids(conn, "tracks", FLOOR_KEY)


def free_track_id(conn: sqlite3.Connection, wanted: int | None) -> int | None:
    """``wanted`` when a new track may take it (a dataset dir's own id): not in use and never
    retired; else None (the caller takes :func:`next_track_id`)."""
    if wanted is None:
        return None
    if conn.execute("SELECT 1 FROM tracks WHERE id = ?", (wanted,)).fetchone():
        return None
    floor = conn.execute("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?",
                         (FLOOR_KEY,)).fetchone()
    return None if floor is not None and wanted <= int(floor[0]) else wanted
