"""Small, named queries over the library DB that other packages build on.

Every function takes an open connection (from :func:`musicsage.library.db.connect`) and returns
plain data (``sqlite3.Row``, tuples, numpy arrays). Writers do not open their own transaction:
a single call autocommits, and a caller batching many calls wraps them in
``with transaction(conn):`` (see :mod:`musicsage.library.db`).

Embedding vectors are stored as float32 little-endian bytes; ``dim`` is stored alongside so a
corrupt or mixed-dimension row is caught instead of silently reshaped.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import Any, Iterable, Sequence

import numpy as np

from musicsage.audio_models import MODEL_ID_PREFIXES
from musicsage.errors import MusicsageError
from musicsage.library.db import NOW_SQL
from musicsage.library.under_paths import under_sql  # used here; callers say q.under_sql

_VECTOR_DTYPE = np.dtype("<f4")


# --- tracks -----------------------------------------------------------------------------------


def present_tracks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """All tracks with status 'present', by id. Includes dataset-imported tracks (no file)."""
    return conn.execute("SELECT * FROM tracks WHERE status = 'present' ORDER BY id").fetchall()


def all_tracks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every track, present or missing, by id."""
    return conn.execute("SELECT * FROM tracks ORDER BY id").fetchall()


def get_track(conn: sqlite3.Connection, track_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM tracks WHERE id = ?", (int(track_id),)).fetchone()


def track_by_path(conn: sqlite3.Connection, path: str) -> sqlite3.Row | None:
    """The track stored under ``path`` (the DB form, see :mod:`musicsage.library.paths`)."""
    return conn.execute("SELECT * FROM tracks WHERE path = ?", (path,)).fetchone()


def track_exists(conn: sqlite3.Connection, track_id: int) -> bool:
    return conn.execute("SELECT 1 FROM tracks WHERE id = ?", (int(track_id),)).fetchone() is not None


def present_file_track_ids(conn: sqlite3.Connection) -> set[int]:
    """Ids of the present tracks with an audio file (not a dataset import's made-up path):
    those an ``embed`` can analyse."""
    cur = conn.cursor()
    cur.row_factory = None
    return {r[0] for r in cur.execute(
        "SELECT id FROM tracks WHERE status = 'present' AND substr(path, 1, 1) = '/'")}


def present_track_ids(conn: sqlite3.Connection) -> np.ndarray:
    """Ids of the tracks whose file is present (int64, unordered). Read as plain tuples (not
    ``sqlite3.Row``): this runs on every click, over every track."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute("SELECT id FROM tracks WHERE status = 'present'")
    return np.fromiter(itertools.chain.from_iterable(cur), dtype=np.int64)


def library_track_ids(conn: sqlite3.Connection) -> np.ndarray:
    """Ids of every track in the library, present or missing (int64, unordered)."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute("SELECT id FROM tracks")
    return np.fromiter(itertools.chain.from_iterable(cur), dtype=np.int64)


def any_tracks(conn: sqlite3.Connection) -> bool:
    """Whether the library has a track at all (present or missing): what tells an empty
    library in one indexed step, where reading every id took 7 ms at 28,000 tracks."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM tracks)").fetchone()[0])


SUMMARY_FIELDS = ("track_id", "title", "artist", "album", "path", "duration", "status")
"""The fields of :func:`track_summaries` (what a neighbour list shows of a track)."""


def track_summaries(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, dict]:
    """``{track_id: {track_id, title, artist, album, path, duration, status}}`` of existing ids."""
    ids = [int(t) for t in track_ids]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's host-parameter limit
        chunk = ids[start:start + 900]
        for r in conn.execute("SELECT id AS track_id, title, artist, album, path, duration, status"
                              f" FROM tracks WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out[int(r["track_id"])] = {f: r[f] for f in SUMMARY_FIELDS}
    return out


def music_folders(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """The music folders (DB form), each with how many tracks lie under it."""
    out = []
    for root in library_roots(conn):
        where, params = under_sql("path", [root])
        out.append((root, conn.execute(f"SELECT COUNT(*) FROM tracks WHERE {where}",
                                       params).fetchone()[0]))
    return out


def library_roots(conn: sqlite3.Connection) -> list[str]:
    """The folders scanned before (DB form), sorted: what a plain ``scan`` re-scans."""
    return [r[0] for r in conn.execute("SELECT path FROM library_roots ORDER BY path")]


def change_stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """A value that changes whenever the DB may have: another connection's commit (SQLite's
    ``data_version``) or a write through this one (its change count). Cheap: no table read."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


# --- playlists --------------------------------------------------------------------------------


def album_tags(conn: sqlite3.Connection) -> dict[int, sqlite3.Row]:
    """Every track's ``artist``, ``album`` and ``albumartist`` tags (rows by track id): what
    the graph model reads its album and artist contexts from."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return {int(r["id"]): r for r in cur.execute(
        "SELECT id, artist, album, albumartist FROM tracks")}


def memberships(conn: sqlite3.Connection, *, present_only: bool = False) -> list[tuple[int, int]]:
    """Resolved playlist entries as distinct ``(playlist_id, track_id)`` pairs, by playlist,
    then first position; unresolved entries (track_id NULL) left out. Missing tracks keep their
    memberships (a vanished file is not a changed taste); ``present_only=True`` drops them."""
    sql = ("SELECT e.playlist_id, e.track_id, MIN(e.position) AS first FROM playlist_entries e "
           + ("JOIN tracks t ON t.id = e.track_id AND t.status = 'present' " if present_only else "")
           + "WHERE e.track_id IS NOT NULL GROUP BY e.playlist_id, e.track_id "
             "ORDER BY e.playlist_id, first")
    return [(int(r[0]), int(r[1])) for r in conn.execute(sql)]


def playlist_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Playlists with entry counts: id, path, name, format, entries, resolved, unresolved."""
    return conn.execute(
        "SELECT p.*, COUNT(e.position) AS entries, COUNT(e.track_id) AS resolved,"
        " COUNT(e.position) - COUNT(e.track_id) AS unresolved"
        " FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id"
        " GROUP BY p.id ORDER BY p.id").fetchall()


def playlist_entries(conn: sqlite3.Connection, playlist_id: int) -> list[sqlite3.Row]:
    """A playlist's entries in order (track_id NULL where unresolved)."""
    return conn.execute("SELECT * FROM playlist_entries WHERE playlist_id = ? ORDER BY position",
                        (int(playlist_id),)).fetchall()


# --- audio embeddings -------------------------------------------------------------------------


def check_model_id(model_id: str) -> str:
    """``model_id`` if it names a registered audio model family (see musicsage.audio_models)."""
    if not isinstance(model_id, str) or not model_id.startswith(MODEL_ID_PREFIXES):
        raise ValueError(f"audio model id must start with one of {MODEL_ID_PREFIXES}: {model_id!r}")
    return model_id


def _vector_bytes(vector: Any) -> tuple[int, bytes]:
    v = np.asarray(vector, dtype=_VECTOR_DTYPE)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"an embedding must be a non-empty 1-D vector, got shape {v.shape}")
    return int(v.size), v.tobytes()


def store_embedding(conn: sqlite3.Connection, track_id: int, model_id: str, model_version: str,
                    vector: Any) -> None:
    """Insert or replace the ``(track_id, model_id)`` embedding (float32 little-endian)."""
    store_embeddings(conn, [(track_id, vector)], model_id, model_version)


def store_embeddings(conn: sqlite3.Connection, rows: Iterable[tuple[int, Any]], model_id: str,
                     model_version: str, *, keep_same: bool = False) -> int:
    """Upsert many ``(track_id, vector)`` rows of one model; returns how many were written.

    ``keep_same``: a row whose stored vector is this one (same version, same bytes) is left
    as it is, ``created_at`` included — a re-stamped vector reads as re-analysed, one a graph
    model did not see (a library's own export imported back made every track unseen)."""
    check_model_id(model_id)
    params = []
    for track_id, vector in rows:
        dim, blob = _vector_bytes(vector)
        params.append((int(track_id), model_id, str(model_version), dim, blob))
    same = (" WHERE audio_embeddings.model_version IS NOT excluded.model_version"
            " OR audio_embeddings.vector IS NOT excluded.vector") if keep_same else ""
    before = conn.total_changes
    conn.executemany(
        "INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(track_id, model_id) DO UPDATE SET model_version = excluded.model_version,"
        f" dim = excluded.dim, vector = excluded.vector, created_at = {NOW_SQL}{same}", params)
    return conn.total_changes - before


def get_embeddings(conn: sqlite3.Connection, model_id: str, *, model_version: str | None = None,
                   track_ids: Sequence[int] | None = None, present_only: bool = False
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``(track_ids int64 [n], matrix float32 [n, d])`` of one audio model, ordered by track id.

    Of one version only: ``model_version``, else the library's (:func:`shown_version`) —
    vectors of two versions were computed differently (other analysis settings, another
    code version) and are not comparable, so a search, a map or a training never mixes them.
    ``track_ids`` keeps only those tracks; ``present_only`` drops missing tracks. No rows →
    shapes ``(0,)`` and ``(0, 0)``. Rows of different dimensions (a bug upstream) raise
    :class:`MusicsageError` instead of mixing; a blob not ``dim`` floats long (cut short:
    ``similar`` exited 70) is a NaN row — every row such, as wide as their agreed ``dim``."""
    sql = "SELECT e.track_id, e.dim, e.vector FROM audio_embeddings e"
    where, args = ["e.model_id = ?", "e.model_version = ?"], [model_id]
    if present_only:
        sql += " JOIN tracks t ON t.id = e.track_id"
        where.append("t.status = 'present'")
    args.append(model_version if model_version is not None else shown_version(conn, model_id))
    rows = conn.execute(f"{sql} WHERE {' AND '.join(where)} ORDER BY e.track_id", args).fetchall()
    wanted = None if track_ids is None else {int(t) for t in track_ids}
    rows = [r for r in rows if wanted is None or r[0] in wanted]
    blobs = [v if whole_vector(d, v) else None for _t, d, v in rows]  # a REAL dim 4.5: NaN
    dims = {len(b) // _VECTOR_DTYPE.itemsize for b in blobs if b is not None}
    if len(dims) > 1:
        raise MusicsageError(f"embeddings of {model_id} have mixed dimensions {sorted(dims)}; "
                             "re-run embed for this model")
    declared = {d for _t, d, _v in rows if isinstance(d, int) and 0 < d <= 65536}  # 2e9: width 1
    dim = dims.pop() if dims else declared.pop() if len(declared) == 1 else min(len(rows), 1)
    nan = np.full(dim, np.nan, dtype=_VECTOR_DTYPE).tobytes()
    matrix = np.frombuffer(b"".join(b or nan for b in blobs), _VECTOR_DTYPE).reshape(len(rows), dim)
    return np.fromiter((r[0] for r in rows), np.int64, len(rows)), matrix.astype(np.float32)


def whole_vector(dim: object, blob: object) -> bool:
    """Whether ``blob`` is the ``dim`` float32s its row declares (a whole ``dim``, not empty):
    what every reader asks, so a vector ``stats`` calls damaged is one no search reads."""
    return isinstance(blob, bytes) and isinstance(dim, int) and 0 < len(blob) == 4 * dim


def shown_version(conn: sqlite3.Connection, model_id: str) -> str | None:
    """The one version of ``model_id``'s vectors the library searches, maps and trains on:
    the version most present tracks have (while a re-analysis runs, or after one was cut
    short, the rest are of another); on a tie the newest. None without vectors."""
    row = conn.execute(
        "SELECT e.model_version FROM audio_embeddings e JOIN tracks t ON t.id = e.track_id"
        " WHERE e.model_id = ? GROUP BY e.model_version"
        " ORDER BY SUM(t.status = 'present') DESC, COUNT(*) DESC, MAX(e.created_at) DESC,"
        " e.model_version DESC LIMIT 1", (model_id,)).fetchone()
    return None if row is None else str(row[0])


def other_version_tracks(conn: sqlite3.Connection, model_id: str, *,
                         version: str | None = None) -> dict[int, bool]:
    """``{track_id: present}`` of the tracks whose ``model_id`` vector is not of ``version``
    (default :func:`shown_version`), missing ones included: the audio space and its map hold
    missing tracks too, so these drop out of them as well (``embed`` redoes them once they
    are back). Present tracks alone choose the version: a search lists only those."""
    version = version if version is not None else shown_version(conn, model_id)
    if version is None:
        return {}
    return {int(r[0]): r[1] == "present" for r in conn.execute(
        "SELECT e.track_id, t.status FROM audio_embeddings e JOIN tracks t ON t.id = e.track_id"
        " WHERE e.model_id = ? AND e.model_version != ?", (model_id, version))}


def embedding_times(conn: sqlite3.Connection, model_id: str) -> tuple[np.ndarray, list[str]]:
    """``(track ids int64, created_at)`` of one audio model's vectors whose track is still in
    the library, by track id — when each vector was (re)computed, without reading vectors
    (what tells a graph model's trained tracks from those added or changed since)."""
    cur = conn.cursor()
    cur.row_factory = None
    rows = cur.execute("SELECT e.track_id, e.created_at FROM audio_embeddings e"
                       " JOIN tracks t ON t.id = e.track_id WHERE e.model_id = ?"
                       " ORDER BY e.track_id", (model_id,)).fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return ids, [str(r[1] or "") for r in rows]


def database_now(conn: sqlite3.Connection) -> str:
    """The DB's "now" in the format of every table's ``created_at`` (so comparable with
    :func:`embedding_times`' stamps as text): what a training notes before it reads the
    library, to tell later which vectors it did not see."""
    return str(conn.execute(f"SELECT {NOW_SQL}").fetchone()[0])


def embedding_counts(conn: sqlite3.Connection, *, present_only: bool = False) -> dict[str, int]:
    """Number of stored embeddings per audio model id; ``present_only``: of present tracks (a
    missing one keeps its vectors, and counted with them hid a present track lacking one)."""
    join = " JOIN tracks t ON t.id = track_id AND t.status = 'present'" if present_only else ""
    return {r[0]: int(r[1]) for r in conn.execute(
        f"SELECT model_id, COUNT(*) FROM audio_embeddings{join} GROUP BY model_id"
        " ORDER BY model_id")}


def tracks_needing_embedding(conn: sqlite3.Connection, model_id: str,
                             model_version: str) -> list[sqlite3.Row]:
    """Present tracks with a real file that lack an embedding of this model id AND version
    (a row of the same model id with another version is stale and counts as lacking). Tracks
    with a synthetic path (imported from a dataset dir: no audio to read) are left out."""
    return conn.execute(f"SELECT t.* FROM tracks t WHERE {_NEEDS_EMBEDDING} ORDER BY t.id",
                        (model_id, model_version)).fetchall()


_NEEDS_EMBEDDING = (
    "t.status = 'present' AND substr(t.path, 1, 1) = '/'"
    " AND NOT EXISTS (SELECT 1 FROM audio_embeddings e WHERE e.track_id = t.id"
    "                 AND e.model_id = ? AND e.model_version = ?)")
"""Which tracks an ``embed`` of a model id and version analyses (two parameters): present,
with a real file, lacking a vector of that id and version."""


def count_tracks_needing_embedding(conn: sqlite3.Connection, model_id: str,
                                   model_version: str) -> tuple[int, int]:
    """``(needing, stale)``: how many tracks :func:`tracks_needing_embedding` lists, and how
    many of them hold a vector of this model id made with another version (other analysis
    settings): what ``stats`` counts as to analyse, and what ``embed`` says it re-analyses."""
    row = conn.execute(
        "SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM audio_embeddings e WHERE e.track_id = t.id"
        f"                             AND e.model_id = ?)) FROM tracks t WHERE {_NEEDS_EMBEDDING}",
        (model_id, model_id, model_version)).fetchone()
    return int(row[0]), int(row[1] or 0)


def count_failed_needing_embedding(conn: sqlite3.Connection, model_id: str,
                                   model_version: str) -> int:
    """Of the tracks :func:`tracks_needing_embedding` lists, how many failed their analysis
    with ``model_id`` since their file last changed (an ``embed:<model id>`` error, read as
    :func:`read_failure` reads it): files that could not be decoded, which every ``embed``
    tries again. ``stats`` tells them from the tracks still to analyse."""
    return int(conn.execute(
        f"SELECT COUNT(*) FROM tracks t WHERE {_NEEDS_EMBEDDING} AND EXISTS (SELECT 1 FROM"
        " errors r WHERE r.path = t.path AND r.stage = ?"
        " AND r.created_at >= COALESCE(t.updated_at, ''))",
        (model_id, model_version, f"embed:{model_id}")).fetchone()[0])


def embedding_version_counts(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Stored vectors per ``(model id, model version)``."""
    return {(r[0], r[1]): int(r[2]) for r in conn.execute(
        "SELECT model_id, model_version, COUNT(*) FROM audio_embeddings"
        " GROUP BY model_id, model_version")}


def embedding_versions(conn: sqlite3.Connection, model_id: str) -> dict[int, str]:
    """``track id -> model version`` of one audio model's stored vectors: which analysis
    settings each was computed with (a graph model places a new track only from vectors of
    the version it was trained on, :mod:`musicsage.usecases.inductive`)."""
    return {int(r[0]): str(r[1]) for r in conn.execute(
        "SELECT track_id, model_version FROM audio_embeddings WHERE model_id = ?", (model_id,))}


def delete_embeddings(conn: sqlite3.Connection, track_id: int) -> None:
    """Forget every audio embedding of a track (its file changed)."""
    conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (int(track_id),))


def mark_analysed(conn: sqlite3.Connection, track_ids: Iterable[int]) -> None:
    """Clear ``needs_analysis`` once a track has an embedding (a later scan that finds the file
    changed sets it again)."""
    conn.executemany("UPDATE tracks SET needs_analysis = 0 WHERE id = ?",
                     [(int(t),) for t in track_ids])


# --- errors -----------------------------------------------------------------------------------


def record_error(conn: sqlite3.Connection, path: str, stage: str, message: str,
                 track_id: int | None = None) -> None:
    """Remember that ``path`` failed at ``stage`` ('scan', 'playlist', 'embed:<model id>'),
    one row per (path, stage): a repeated failure updates the message and time."""
    conn.execute("INSERT INTO errors(path, track_id, stage, message) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT(path, stage) DO UPDATE SET message = excluded.message,"
                 f" track_id = excluded.track_id, created_at = {NOW_SQL}",
                 (path, None if track_id is None else int(track_id), stage, str(message)))


def clear_error(conn: sqlite3.Connection, path: str, stage: str) -> None:
    """Forget an earlier failure (the file now reads fine)."""
    conn.execute("DELETE FROM errors WHERE path = ? AND stage = ?", (path, stage))


def list_errors(conn: sqlite3.Connection, stage: str | None = None) -> list[sqlite3.Row]:
    """Recorded errors, oldest first; ``stage`` filters exactly, or as a prefix ending in ':'."""
    if stage is None:
        return conn.execute("SELECT * FROM errors ORDER BY id").fetchall()
    if stage.endswith(":"):
        return conn.execute("SELECT * FROM errors WHERE substr(stage, 1, ?) = ? ORDER BY id",
                            (len(stage), stage)).fetchall()
    return conn.execute("SELECT * FROM errors WHERE stage = ? ORDER BY id", (stage,)).fetchall()


def read_failure(conn: sqlite3.Connection, paths: Iterable[str],
                 model_id: str | None = None) -> sqlite3.Row | None:
    """Why the file at ``paths`` (its stored forms) is no track, or has no ``model_id`` vector:
    the newest of the last scan not reading it and (``model_id``) its analysis failing since
    the track last changed, as ``(stage, message)``; None when neither, and only then is
    "scan it" or "embed it" the advice (advice that can only fail again was given before)."""
    paths = list(dict.fromkeys(paths))
    return conn.execute(
        "SELECT e.stage, e.message FROM errors e LEFT JOIN tracks t ON t.path = e.path"
        f" WHERE e.path IN ({', '.join('?' for _ in paths)}) AND (e.stage = 'scan'"
        " OR (e.stage = ? AND e.created_at >= COALESCE(t.updated_at, '')))"
        " ORDER BY e.created_at DESC, e.id DESC LIMIT 1",
        [*paths, f"embed:{model_id}"]).fetchone()


# --- settings ---------------------------------------------------------------------------------


def get_setting(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    """An app setting (stored as JSON), or ``default`` when unset or unreadable."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if row is None or row[0] is None:
        return default
    try:
        return json.loads(row[0])
    except ValueError:
        return default


def set_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store an app setting as JSON; ``None`` removes it. One holding ``value`` already is not
    written again: a run that changes nothing writes nothing (and answers on a read-only one)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if value is None:
        if row is not None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        return
    text = json.dumps(value)
    if row is None or row[0] != text:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, text))


# --- graph models (read side; the graph package owns writes) ----------------------------------


def current_graph_model_row(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The graph_models row marked current (the newest if several are), or None."""
    return conn.execute("SELECT * FROM graph_models WHERE is_current = 1"
                        " ORDER BY id DESC LIMIT 1").fetchone()
