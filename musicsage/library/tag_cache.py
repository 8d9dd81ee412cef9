"""MusiCNN tags of tracks, kept once computed: what "why this neighbour" compares.

Tags come from running MusiCNN over a whole file (:mod:`musicsage.audio.musicnn.tagger`):
about a second or more per track on a CPU, too slow to run for every neighbour of every
query. So tags are computed where that cost is paid anyway — the window tags the track a
user selects, ``musicsage tags --library`` tags every track — and kept here; explanations
use the tags known and say when they are not.

The cache is derived data in the cache dir (``CACHE/tags.sqlite3``, safe to delete). An
entry is current for a track when it was computed on the file the track is now, as the
library's embeddings are (:mod:`musicsage.library.moves`): the same content hash — a file
touched (``touch``, a copy that does not keep times) or moved keeps its tags, where keyed on
its mtime it was tagged again (seconds a track) — or, for a track without a hash of its file
as it is now (a library not hashed yet), the same path, size and mtime. A changed file's tags
are stale and ignored. A file rewritten with the same size and mtime is seen by neither: the
scan does not read it again, so its embeddings stay too. A cache that cannot be written
(read-only cache dir) only costs a recomputation.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Iterable, Mapping, Sequence

log = logging.getLogger(__name__)

CACHE_FILE = "tags.sqlite3"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS track_tags (path TEXT NOT NULL, model TEXT NOT NULL,"
           " size INTEGER, mtime_ns INTEGER, tags TEXT NOT NULL, content_hash TEXT,"
           " PRIMARY KEY (path, model))")
_BY_HASH = "CREATE INDEX IF NOT EXISTS track_tags_hash ON track_tags(content_hash, model)"


def cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FILE


def _open(cache_dir: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(cache_path(cache_dir)), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(_SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(track_tags)")}
    if "content_hash" not in columns:  # a cache of an older version: its entries stay good
        try:
            conn.execute("ALTER TABLE track_tags ADD COLUMN content_hash TEXT")
        except sqlite3.OperationalError as exc:  # the window and `tags --library` opened it
            if "duplicate column" not in str(exc):  # at once: the other one added it first
                raise
    conn.execute(_BY_HASH)
    return conn


def store_tags(cache_dir: Path, track: Mapping, model: str,
               tags: Sequence[tuple[str, float]]) -> bool:
    """Keep ``tags`` (every tag with its probability) of ``track`` (a row with path, size,
    mtime_ns and, when the library has one for the file as it is, content_hash). False when
    the cache could not be written."""
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        with closing(_open(cache_dir)) as conn:
            conn.execute("INSERT OR REPLACE INTO track_tags(path, model, size, mtime_ns, tags,"
                         " content_hash) VALUES (?, ?, ?, ?, ?, ?)",
                         (track["path"], model, track["size"], track["mtime_ns"],
                          json.dumps([[t, round(float(p), 5)] for t, p in tags]),
                          track.get("content_hash")))
        return True
    except (sqlite3.Error, OSError) as exc:
        log.info("could not cache tags in %s: %s", cache_dir, exc)
        return False


def cached_tags(cache_dir: Path, tracks: Iterable[Mapping], model: str
                ) -> dict[int, list[tuple[str, float]]]:
    """``{track id: [(tag, p), …] most probable first}`` for the tracks (rows with id, path,
    size, mtime_ns and optionally content_hash) whose current file was tagged (module doc);
    others are absent."""
    tracks = list(tracks)
    if not tracks or not cache_path(cache_dir).is_file():
        return {}
    out: dict[int, list[tuple[str, float]]] = {}
    unhashed: list[tuple[str, str]] = []  # (hash, path) of entries an older version made
    try:
        with closing(_open(cache_dir)) as conn:
            for key in ("path", "content_hash"):  # the hash finds a moved file's entry too
                wanted: dict[str, list[Mapping]] = {}
                for t in tracks:
                    if t.get(key) and int(t["id"]) not in out:
                        wanted.setdefault(t[key], []).append(t)
                for row in _entries(conn, key, list(wanted), model):
                    for track in wanted[row[key]]:
                        if _current(row, track):
                            out[int(track["id"])] = [(str(t), float(p))
                                                     for t, p in json.loads(row["tags"])]
                            if track.get("content_hash") and not row["content_hash"]:
                                unhashed.append((track["content_hash"], row["path"]))
            _add_hashes(conn, unhashed, model)
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.info("ignoring the tag cache in %s: %s", cache_dir, exc)
        return {}
    return out


def _add_hashes(conn: sqlite3.Connection, unhashed: list[tuple[str, str]], model: str) -> None:
    """Give the current entries that an older version keyed on the mtime alone their file's
    hash, so that a touch or a move after the upgrade does not cost a tagging; a cache that
    cannot be written stays as it was."""
    if not unhashed:
        return
    try:
        conn.executemany("UPDATE track_tags SET content_hash = ? WHERE path = ? AND model = ?",
                         [(digest, path, model) for digest, path in unhashed])
    except sqlite3.Error as exc:
        log.info("could not add hashes to the tag cache: %s", exc)


def _entries(conn: sqlite3.Connection, key: str, values: list[str], model: str
             ) -> Iterable[sqlite3.Row]:
    """The entries of ``model`` whose ``key`` (path or content_hash) is one of ``values``."""
    conn.row_factory = sqlite3.Row
    for start in range(0, len(values), 900):  # stay under SQLite's host-parameter limit
        chunk = values[start:start + 900]
        yield from conn.execute(
            "SELECT path, size, mtime_ns, content_hash, tags FROM track_tags"
            f" WHERE model = ? AND {key} IN ({','.join('?' * len(chunk))})", [model, *chunk])


def _current(entry: sqlite3.Row, track: Mapping) -> bool:
    """Whether ``entry`` was computed on the file ``track`` is now: the same content hash,
    else (no hash on either side) the same path, size and mtime."""
    digest = track.get("content_hash")
    if digest and entry["content_hash"]:
        return entry["content_hash"] == digest
    return (entry["path"], entry["size"], entry["mtime_ns"]) == \
        (track["path"], track["size"], track["mtime_ns"])
