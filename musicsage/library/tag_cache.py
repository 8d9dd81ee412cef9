"""MusiCNN tags of tracks, kept once computed: what "why this neighbour" compares.

Tags come from running MusiCNN over a whole file (:mod:`musicsage.audio.musicnn.tagger`):
about a second or more per track on a CPU, too slow to run for every neighbour of every
query. So tags are computed where that cost is paid anyway — the window tags the track a
user selects, ``musicsage tags --library`` tags every track — and kept here; explanations
use the tags known and say when they are not.

The cache is derived data in the cache dir (``CACHE/tags.sqlite3``, safe to delete). An
entry is keyed by the file's identity (stored path, size, mtime): a changed file's tags are
stale and ignored. A cache that cannot be written (read-only cache dir) only costs a
recomputation.
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
           " size INTEGER, mtime_ns INTEGER, tags TEXT NOT NULL, PRIMARY KEY (path, model))")


def cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FILE


def _open(cache_dir: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(cache_path(cache_dir)), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(_SCHEMA)
    return conn


def store_tags(cache_dir: Path, track: Mapping, model: str,
               tags: Sequence[tuple[str, float]]) -> bool:
    """Keep ``tags`` (every tag with its probability) of ``track`` (a row with path, size,
    mtime_ns). False when the cache could not be written."""
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        with closing(_open(cache_dir)) as conn:
            conn.execute("INSERT OR REPLACE INTO track_tags(path, model, size, mtime_ns, tags)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (track["path"], model, track["size"], track["mtime_ns"],
                          json.dumps([[t, round(float(p), 5)] for t, p in tags])))
        return True
    except (sqlite3.Error, OSError) as exc:
        log.info("could not cache tags in %s: %s", cache_dir, exc)
        return False


def cached_tags(cache_dir: Path, tracks: Iterable[Mapping], model: str
                ) -> dict[int, list[tuple[str, float]]]:
    """``{track id: [(tag, p), …] most probable first}`` for the tracks (rows with id, path,
    size, mtime_ns) whose current file was tagged; others are absent."""
    wanted = {t["path"]: t for t in tracks}
    if not wanted or not cache_path(cache_dir).is_file():
        return {}
    out: dict[int, list[tuple[str, float]]] = {}
    try:
        with closing(_open(cache_dir)) as conn:
            paths = list(wanted)
            for start in range(0, len(paths), 900):
                chunk = paths[start:start + 900]
                marks = ",".join("?" * len(chunk))
                for path, size, mtime_ns, text in conn.execute(
                        "SELECT path, size, mtime_ns, tags FROM track_tags"
                        f" WHERE model = ? AND path IN ({marks})", [model, *chunk]):
                    track = wanted[path]
                    if (size, mtime_ns) == (track["size"], track["mtime_ns"]):
                        out[int(track["id"])] = [(str(t), float(p)) for t, p in json.loads(text)]
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.info("ignoring the tag cache in %s: %s", cache_dir, exc)
        return {}
    return out
