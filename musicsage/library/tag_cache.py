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
(read-only cache dir) costs the window a recomputation; ``tags --library`` stops with the
reason (:func:`tags_not_kept`).

The cache has a version (``PRAGMA user_version``, :data:`SCHEMA_VERSION`): one written before
silent files had no tags kept the network's answer to silence as a silent track's tags, and
its first opening by this version deletes those entries alone (:func:`_upgrade`), so they are
tagged again; a newer version's cache is read, never changed.
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
SCHEMA_VERSION = 1
"""The cache's ``PRAGMA user_version``. 0: written before silent and too quiet files had no
tags (:class:`~musicsage.audio.musicnn.tagger.NoTags`), so it may keep the network's answer
to silence as a track's tags; 1: such a track is kept with no tags."""
SILENCE_MODEL = "MSD_musicnn"
"""The tag set whose answer to silence :data:`SILENCE_ANSWER` is (the one the cache keeps)."""
SILENCE_ANSWER = {"rock": (0.19, 0.22), "indie": (0.10, 0.135), "electronic": (0.10, 0.135)}
"""The network's answer when it hears nothing: its three most probable :data:`SILENCE_MODEL`
tags are these, in any order, each within its range of probability (measured: silence rock
0.2003, indie 0.1259, electronic 0.1140; a Brahms dance at -50 dBFS rock 0.2014, indie 0.123,
electronic 0.1213, at -46 dBFS electronic second)."""


def cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FILE


def _open(cache_dir: Path) -> sqlite3.Connection:
    """The cache, brought up to :data:`SCHEMA_VERSION` (:func:`_upgrade`); one a newer version
    of the app wrote is opened as it is, and :func:`newer` says so: read, never written."""
    conn = sqlite3.connect(str(cache_path(cache_dir)), timeout=10, isolation_level=None)
    if newer(conn):
        return conn
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
    _upgrade(conn)
    return conn


def _version(conn: sqlite3.Connection) -> int:
    """The cache's ``PRAGMA user_version`` (:data:`SCHEMA_VERSION` when this version made it)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def newer(conn: sqlite3.Connection) -> bool:
    """Whether a newer version of the app wrote the cache (its ``user_version`` is above
    :data:`SCHEMA_VERSION`): its entries may mean what this version does not know, so it is
    only read, never upgraded or written (a downgrade must not undo a newer one's work)."""
    return _version(conn) > SCHEMA_VERSION


def _upgrade(conn: sqlite3.Connection) -> None:
    """From version 0 (before silence had no tags): delete the ``MSD_musicnn`` entries that
    are the network's answer to silence (:func:`is_silence_answer`), so that ``tags
    --library`` and the window tag those tracks again, now as having no tags. A real answer
    that looks like it would be deleted too: it costs one tagging, nothing is lost (the cache
    is rebuilt from the files). A cache that cannot be written stays at 0; :func:`cached_tags`
    leaves such entries out all the same."""
    if _version(conn) >= SCHEMA_VERSION:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")  # the window and `tags --library` may open it at once
        try:
            if _version(conn) < SCHEMA_VERSION:
                silent = [path for path, tags in conn.execute(
                    "SELECT path, tags FROM track_tags WHERE model = ? AND tags LIKE ?",
                    (SILENCE_MODEL, '[["rock", %'))  # rock leads every such answer (ranges)
                    if is_silence_answer(tags)]
                conn.executemany("DELETE FROM track_tags WHERE path = ? AND model = ?",
                                 [(path, SILENCE_MODEL) for path in silent])
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        log.info("could not upgrade the tag cache: %s", exc)


def is_silence_answer(tags_json: str) -> bool:
    """Whether stored tags (JSON, most probable first) are the network's "nothing heard"
    answer: their top three are :data:`SILENCE_ANSWER`'s tags, in any order, each within its
    range."""
    try:
        top = {str(tag): float(p) for tag, p in json.loads(tags_json)[:len(SILENCE_ANSWER)]}
        return top.keys() == SILENCE_ANSWER.keys() and all(
            low <= top[tag] <= high for tag, (low, high) in SILENCE_ANSWER.items())
    except (ValueError, TypeError):
        return False


def newer_cache_problem(cache_dir: Path) -> str | None:
    """Why tags computed now could not be kept: the cache was written by a newer version
    (:func:`newer`), which this one never writes; None otherwise (also for no cache yet)."""
    path = cache_path(cache_dir)
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(str(path), timeout=10)) as conn:  # it is: none made
            if not newer(conn):
                return None
    except sqlite3.Error:  # unreadable: the run goes on, each store says why it cannot keep
        return None
    return _written_by_newer(path)


def write_problem(cache_dir: Path) -> str | None:
    """Why no tags could be kept now (one line: a read-only cache or cache dir, a full disk),
    else None: a write tried and rolled back, so that ``tags --library`` refuses before it
    tags anything, where it tagged the first track for nothing. Makes the cache if absent."""
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        with closing(_open(cache_dir)) as conn:
            if newer(conn):
                return _written_by_newer(cache_path(cache_dir))
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR REPLACE INTO track_tags(path, model, tags)"
                             " VALUES ('', '', '[]')")
            finally:
                conn.execute("ROLLBACK")
        return None
    except (sqlite3.Error, OSError) as exc:
        return _cache_error(cache_dir, exc)


def _cache_error(cache_dir: Path, exc: Exception) -> str:
    """Why the cache could not be written, on one line, naming the cache file; a damaged one
    (not SQLite, or corrupt: a disk full or a crash while it was written) with what to do:
    "file is not a database" alone left the user stuck, every run of ``tags --library``
    refused, where the cache is derived data that a deletion rebuilds."""
    line = f"{cache_path(cache_dir)}: {' '.join(str(exc).split())}"
    if getattr(exc, "sqlite_errorname", None) in _DAMAGED:
        line += " (the tag cache is damaged: delete it, and the tags are computed again)"
    return line


_DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})
"""SQLite's names for a file that is no database, or a damaged one."""


def _written_by_newer(path: Path) -> str:
    """Why a cache a newer version wrote takes no tags from this one, and what to do."""
    return (f"{path} was written by a newer musicsage (upgrade musicsage, or delete it to tag "
            "everything again)")


def as_on_disk(track: Mapping) -> Mapping:
    """``track`` (a row with path, size, mtime_ns and its ``content_hash``) as its file is now,
    which is how tags are computed and kept: a file whose size or mtime differ from the scan's
    gets the stamp and the content hash (:func:`~musicsage.library.moves.content_hash`) of its
    file as it is. A touched file keeps its hash, so its tags are found (dropping the hash had
    ``tags --library`` tag every touched file again); a changed one gets its new content's
    hash, so neither a copy of the old content nor its own old entry lends it tags, and the
    rescan that gives the file that hash finds them current. Reads the file: only for tagging,
    never for "why" (a sleeping or hung mount would hold every neighbour list). A track never
    scanned (no stamp) or a file that cannot be read stays as it is (the tagging says why)."""
    stamp = changed_stamp(track)
    return track if stamp is None else rehashed(track, stamp)


def changed_stamp(track: Mapping) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of ``track``'s file now when it differs from the library's stamp;
    None for a track never scanned (no stamp), a file that cannot be stat'ed, or one as the
    scan saw it. One stat, no read: ``tags --library`` asks it of every track."""
    from musicsage.library.paths import to_fs
    from musicsage.library.probed import stored_stamp

    if track.get("size") is None or track.get("mtime_ns") is None:
        return None
    stamp = stored_stamp(to_fs(track["path"]))
    if stamp is None or stamp == (track["size"], track["mtime_ns"]):
        return None
    return stamp


def rehashed(track: Mapping, stamp: tuple[int, int]) -> Mapping:
    """``track`` with the ``stamp`` (:func:`changed_stamp`) of its file now and the content
    hash of the file as it is (reads it)."""
    from musicsage.library.moves import content_hash
    from musicsage.library.paths import to_fs

    return {**track, "size": stamp[0], "mtime_ns": stamp[1],
            "content_hash": content_hash(to_fs(track["path"]), stamp[0])}


def store_tags(cache_dir: Path, track: Mapping, model: str,
               tags: Sequence[tuple[str, float]]) -> bool:
    """Keep ``tags`` of ``track`` (see :func:`tags_not_kept`); False when the cache could not
    be written."""
    return tags_not_kept(cache_dir, track, model, tags) is None


def tags_not_kept(cache_dir: Path, track: Mapping, model: str,
                  tags: Sequence[tuple[str, float]]) -> str | None:
    """Keep ``tags`` (every tag with its probability) of ``track`` (a row with path, size,
    mtime_ns and, when the library has one for the file as it is, content_hash): None when
    kept, else why not (one line), so that ``tags --library`` stops with it at the first
    track instead of tagging every track for nothing."""
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        with closing(_open(cache_dir)) as conn:
            if newer(conn):
                log.info("not caching tags in %s: a newer version of the app wrote it",
                         cache_dir)
                return _written_by_newer(cache_path(cache_dir))
            conn.execute("INSERT OR REPLACE INTO track_tags(path, model, size, mtime_ns, tags,"
                         " content_hash) VALUES (?, ?, ?, ?, ?, ?)",
                         (track["path"], model, track["size"], track["mtime_ns"],
                          json.dumps([[t, round(float(p), 5)] for t, p in tags]),
                          track.get("content_hash")))
        return None
    except (sqlite3.Error, OSError) as exc:
        log.info("could not cache tags in %s: %s", cache_dir, exc)
        return _cache_error(cache_dir, exc)


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
            version = _version(conn)
            for key in ("path", "content_hash"):  # the hash finds a moved file's entry too
                wanted: dict[str, list[Mapping]] = {}
                for t in tracks:
                    if t.get(key) and int(t["id"]) not in out:
                        wanted.setdefault(t[key], []).append(t)
                for row in _entries(conn, key, list(wanted), model):
                    if version < SCHEMA_VERSION and _stale_silence(row, model):
                        continue  # a cache not upgraded (read-only): tag the track again
                    for track in wanted[row[key]]:  # its own newer entry: no hash pass
                        if _current(row, track) or (key == "path" and _newer(row, track)):
                            out[int(track["id"])] = [(str(t), float(p))
                                                     for t, p in json.loads(row["tags"])]
                            if track.get("content_hash") and not row["content_hash"]:
                                unhashed.append((track["content_hash"], row["path"]))
            if version <= SCHEMA_VERSION:  # a newer version's cache is only read
                _add_hashes(conn, unhashed, model)
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.info("ignoring the tag cache in %s: %s", cache_dir, exc)
        return {}
    return out


def _stale_silence(entry: sqlite3.Row, model: str) -> bool:
    """Whether ``entry`` of a version-0 cache is the network's answer to silence (what
    :func:`_upgrade` deletes when it can write)."""
    return model == SILENCE_MODEL and is_silence_answer(entry["tags"])


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


def _newer(entry: sqlite3.Row, track: Mapping) -> bool:
    """Whether ``entry`` (the track's own path's) was computed on its file changed since the
    scan: dated after the library's mtime, with another content hash. "Why" looks up with
    the library's facts (no file read), whose hash of the old content found a copy's entry:
    it named the old content's tags, where the tags line showed the new ones."""
    return (entry["mtime_ns"] is not None and track.get("mtime_ns") is not None
            and entry["mtime_ns"] > track["mtime_ns"] and bool(entry["content_hash"])
            and entry["content_hash"] != track.get("content_hash"))


def _current(entry: sqlite3.Row, track: Mapping) -> bool:
    """Whether ``entry`` was computed on the file ``track`` is now: the same content hash,
    else (no hash on either side) the same path, size and mtime."""
    digest = track.get("content_hash")
    if digest and entry["content_hash"]:
        return entry["content_hash"] == digest
    return (entry["path"], entry["size"], entry["mtime_ns"]) == \
        (track["path"], track["size"], track["mtime_ns"])
