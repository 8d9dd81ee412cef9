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

from musicsage.errors import MusicsageError

ID_LIMIT = 2**62
"""The ids an import keeps stay below it (:func:`~musicsage.library.dataset_read.row_id`):
SQLite's largest integer is 2**63 - 1, and a kept id of 2**63 - 1 left "the largest id plus
one" beyond it — every later scan and import crashed. Below 2**62, 2**62 new ids are left
above the largest one kept. A library that holds an id at SQLite's limit (kept before this
rule) gives new ids from the largest one below 2**62 on."""

MAX_ID = 2**63 - 1
"""SQLite's largest integer."""

FLOOR_KEY = "track_id_floor"
"""``settings`` key: the largest track id ever used by a track that was deleted since."""


def next_id(conn: sqlite3.Connection, table: str, floor_key: str) -> int:
    """The id for a new row of ``table`` (``tracks``, ``graph_models``): above every id in
    use and the largest one retired, recorded under ``settings`` key ``floor_key`` (of those
    below :data:`ID_LIMIT` once one is :data:`MAX_ID`); refused in one line, not an
    overflow, when no id is left."""
    largest = _largest_given(conn, table, floor_key)
    if largest == ID_LIMIT - 1 and _largest(conn, table, floor_key) == MAX_ID:
        raise MusicsageError(f"no new {table} id is left (ids {largest} and {MAX_ID} are "
                             "taken): export the library and import that export into a new "
                             "library")
    return largest + 1


def _largest(conn: sqlite3.Connection, table: str, floor_key: str,
             at_most: int = MAX_ID) -> int:
    """The largest id of ``table`` up to ``at_most`` in use or retired (``floor_key``), or 0."""
    row = conn.execute(
        f"SELECT max(coalesce((SELECT max(id) FROM {table} WHERE id <= ?), 0),"
        " coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?"
        " AND CAST(value AS INTEGER) <= ?), 0))", (at_most, floor_key, at_most)).fetchone()
    return int(row[0])


def _largest_given(conn: sqlite3.Connection, table: str, floor_key: str) -> int:
    """The id new ids go on from: the largest in use or retired, unless that is
    :data:`MAX_ID` (nothing above it): then the largest below :data:`ID_LIMIT`."""
    largest = _largest(conn, table, floor_key)
    return largest if largest < MAX_ID else _largest(conn, table, floor_key, ID_LIMIT - 1)


def retire_ids(conn: sqlite3.Connection, table: str, floor_key: str) -> None:
    """Record the largest id of ``table`` given out, before rows are deleted (inside their
    transaction), so that :func:`next_id` never gives it out again."""
    floor = _largest_given(conn, table, floor_key)
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
