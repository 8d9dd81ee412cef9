"""The library's schema: every table, as numbered migrations (applied by
:func:`musicsage.library.db.migrate`, each in its own transaction).

Append only: a released migration is never edited; a schema change is a new migration, so a
user's existing database is upgraded in place and never rebuilt.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable

NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
"""SQL expression for "now" in the timestamp format used by every table."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]
    gained: str = ""
    """CREATE statements the migration gained after its release (it was edited, against the
    rule below): a library that recorded it earlier lacks them, and every open makes the
    ones missing (:func:`musicsage.library.db_migrate.migrate`), with no version of its own."""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """A migration made of plain statements (executed one by one, inside the caller's
    transaction: ``executescript`` would commit first)."""

    def run(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return run


_SCHEMA_1 = f"""
CREATE TABLE tracks (
    id             INTEGER PRIMARY KEY,
    path           TEXT NOT NULL UNIQUE,
    size           INTEGER,
    mtime_ns       INTEGER,
    format         TEXT,
    title          TEXT,
    artist         TEXT,
    album          TEXT,
    albumartist    TEXT,
    genre          TEXT,
    track_number   INTEGER,
    year           INTEGER,
    duration       REAL,
    sample_rate    INTEGER,
    channels       INTEGER,
    status         TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present', 'missing')),
    needs_analysis INTEGER NOT NULL DEFAULT 1,
    added_at       TEXT NOT NULL DEFAULT ({NOW_SQL}),
    updated_at     TEXT NOT NULL DEFAULT ({NOW_SQL})
);
CREATE INDEX tracks_status ON tracks(status);

CREATE TABLE library_roots (
    path     TEXT PRIMARY KEY,
    added_at TEXT NOT NULL DEFAULT ({NOW_SQL})
);

CREATE TABLE playlists (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    name        TEXT,
    format      TEXT,
    size        INTEGER,
    mtime_ns    INTEGER,
    imported_at TEXT NOT NULL DEFAULT ({NOW_SQL})
);

CREATE TABLE playlist_entries (
    playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    raw         TEXT NOT NULL,
    title       TEXT,
    track_id    INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    PRIMARY KEY (playlist_id, position)
);
CREATE INDEX playlist_entries_track ON playlist_entries(track_id);

CREATE TABLE errors (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,
    track_id   INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    stage      TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT ({NOW_SQL}),
    UNIQUE (path, stage)
);

CREATE TABLE audio_embeddings (
    track_id      INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    model_id      TEXT NOT NULL,
    model_version TEXT NOT NULL,
    dim           INTEGER NOT NULL,
    vector        BLOB NOT NULL,
    created_at    TEXT NOT NULL DEFAULT ({NOW_SQL}),
    PRIMARY KEY (track_id, model_id)
);
CREATE INDEX audio_embeddings_model ON audio_embeddings(model_id, model_version);

CREATE TABLE graph_models (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    audio_model TEXT,
    created_at  TEXT NOT NULL DEFAULT ({NOW_SQL}),
    dir         TEXT,
    params      TEXT,
    metrics     TEXT,
    fingerprint TEXT,
    is_current  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
)
"""

_TRACK_HASHES = """
CREATE TABLE track_hashes (
    track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX track_hashes_key ON track_hashes(size, hash)
"""

_TRACK_MOVES = f"""
CREATE TABLE track_moves (
    old_path TEXT PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    moved_at TEXT NOT NULL DEFAULT ({NOW_SQL})
)
"""
"""Move detection (library/moves.py): a content hash (first and last blocks) per track, and the
paths tracks were moved from, so playlists that still name the old path keep resolving. The
moved-from paths were added to migration 2 after 76dc584 had released it without them."""

_DATASET_NAMES = """
CREATE TABLE dataset_tracks (
    dataset  TEXT NOT NULL,
    row_id   TEXT NOT NULL,
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    PRIMARY KEY (dataset, row_id)
);
CREATE INDEX dataset_tracks_track ON dataset_tracks(track_id);
CREATE TABLE dataset_playlists (
    dataset     TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    PRIMARY KEY (dataset, row_id)
);
CREATE INDEX dataset_playlists_playlist ON dataset_playlists(playlist_id)
"""
"""Which imported dataset dir (its ``dataset:<dir>#`` prefix) names which track without an
audio file, and which playlist, by the id its files give it (library/dataset_names.py): a
dir may name what another import stored (this library's export, imported back), and
forgetting that other dir must not take them. Created empty: an older library's paths
cannot say which dir named what (a ``#`` may be part of a dir's name or of an id, so
``dataset:<dir>#<id>`` has no one split), so its imports record nothing until imported again
(docs/dataset-dir.md), and forgetting one of them works as before."""

_TRACK_AUDIO_HASHES = """
CREATE TABLE track_audio_hashes (
    track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX track_audio_hashes_key ON track_audio_hashes(hash)
"""
"""A retagged file is the audio its track was made from (library/audio_hash.py): the hash
of its audio alone, '' for a format whose tags are not told apart; filled lazily
(library/hash_backfill.py), so an older library is not analysed again."""

_RETAG_WAV_AIFF = """
CREATE TEMP TABLE retag AS SELECT t.id, t.mtime_ns FROM tracks t JOIN track_hashes h
    ON h.track_id = t.id AND h.size = t.size AND h.mtime_ns = t.mtime_ns
    WHERE t.format IN ('wav', 'aiff') AND t.artist IS NULL AND t.album IS NULL
    AND t.albumartist IS NULL AND t.status = 'present';
UPDATE track_hashes SET mtime_ns = mtime_ns - 1 WHERE track_id IN (SELECT id FROM retag);
UPDATE tracks SET mtime_ns = mtime_ns - 1 WHERE id IN (SELECT id FROM retag);
DROP TABLE temp.retag
"""
"""Versions before 1f263a7 read no tags from a WAV's RIFF INFO nor an AIFF's NAME/AUTH
chunks, and a rescan never opens an unchanged file: such a library's WAV and AIFF tracks
stayed without artist and album for good (no album or artist contexts for the graph model).
Their stamp, and that of the content hash recorded for it, is moved back 1 ns: the next scan
finds the file touched (same size and content, :mod:`musicsage.library.scan`) and reads
its tags again, keeping its vectors and counting it unchanged. Only tracks with no artist,
album or album artist whose hash was recorded at their stamp; any other would be
analysed again."""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _script(_SCHEMA_1)),
    Migration(2, "move detection: track content hashes, moved-from paths",
              _script(_TRACK_HASHES + ";" + _TRACK_MOVES), gained=_TRACK_MOVES),
    Migration(3, "which imported dataset dirs name which tracks and playlists",
              _script(_DATASET_NAMES)),
    Migration(4, "a hash of each track's audio alone, its tags left out",
              _script(_TRACK_AUDIO_HASHES)),
    Migration(5, "WAV and AIFF tags read again by the next scan (RIFF INFO, NAME/AUTH)",
              _script(_RETAG_WAV_AIFF)),
)
"""Every schema change, in order. Append only: never edit a released migration."""

SCHEMA_VERSION = MIGRATIONS[-1].version
