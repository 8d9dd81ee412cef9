"""Recording the content hash of tracks that no scan has hashed: what move detection needs.

A part of its own, apart from :mod:`musicsage.library.moves` (which matches a new file with a
gone track by that hash): a file's hash can only be computed while the file is there, and a
scan hashes the files it writes; a track scanned before hashes were recorded, whose unchanged
file no scan opens again, is hashed here — by a full scan for its folders
(:func:`hash_unhashed`), by the folder watch when idle (:func:`backfill_hashes`), and by a
dataset import before it compares hashes (:func:`hash_tracks`).
"""

from __future__ import annotations

import os
import sqlite3
from typing import Iterable, Sequence

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.audio_hash import audio_hash
from musicsage.library.db import transaction
from musicsage.library.moves import content_hash, store_hashes
from musicsage.library.walk import stored_ns
from musicsage.progress import CancelToken, check_cancel


_UNHASHED_SQL = (
    "SELECT t.id, t.path, t.size, t.mtime_ns,"
    " (h.size IS t.size AND h.mtime_ns IS t.mtime_ns) AS hashed FROM tracks t"
    " LEFT JOIN track_hashes h ON h.track_id = t.id"
    " LEFT JOIN track_audio_hashes a ON a.track_id = t.id"
    " WHERE t.status = 'present' AND substr(t.path, 1, 1) = '/'"
    " AND (h.track_id IS NULL OR h.size != t.size OR h.mtime_ns != t.mtime_ns"
    " OR a.track_id IS NULL OR a.size != t.size OR a.mtime_ns != t.mtime_ns)")
"""Present tracks with a real file whose content hash or audio hash (:mod:`.audio_hash`: a
library scanned before it existed gets it here, once, not by analysing anything again) is
missing or stale; callers add conditions with ``AND``. ``hashed``: its content hash is
current (only the audio hash lacks: the first scan after the upgrade to it)."""


def tracks_without_hash(conn: sqlite3.Connection, *, after: int = 0, limit: int = 200,
                        under: Sequence[str] = ()) -> list[sqlite3.Row]:
    """Present tracks with a real file and id > ``after`` whose hash is missing or stale (only
    those inside one of the folders ``under``, DB form, when given)."""
    where, params = q.under_sql("t.path", under) if under else ("1", [])
    return conn.execute(f"{_UNHASHED_SQL} AND t.id > ? AND {where} ORDER BY t.id LIMIT ?",
                        (int(after), *params, int(limit))).fetchall()


def backfill_hashes(conn: sqlite3.Connection, *, after: int = 0, limit: int = 200,
                    under: Iterable[str] = ()) -> int | None:
    """Hash up to ``limit`` present tracks (ids > ``after``; inside one of the folders
    ``under``, DB form, when given) that lack a current hash; returns the last id looked at
    (pass it as ``after`` next time), or None when none is left.

    A file whose size or mtime no longer matches its row is skipped: hashing it would pair the
    old row with new content (the next scan re-reads it and records its hash)."""
    todo = tracks_without_hash(conn, after=after, limit=limit, under=list(under))
    if not todo:
        return None
    _hash_as_scanned(conn, todo)
    return int(todo[-1]["id"])


def hash_tracks(conn: sqlite3.Connection, track_ids: Iterable[int]) -> None:
    """Record the hash of those of ``track_ids`` (present, with a file) that lack a current
    one, as :func:`backfill_hashes` does: an import compares it with the hash its dataset
    names before it takes the vectors (2 × :data:`BLOCK` read per file)."""
    ids = sorted({int(t) for t in track_ids})
    for start in range(0, len(ids), 900):  # stay under SQLite's host-parameter limit
        chunk = ids[start:start + 900]
        _hash_as_scanned(conn, conn.execute(
            f"{_UNHASHED_SQL} AND t.id IN ({','.join('?' * len(chunk))})", chunk).fetchall())


def _hash_as_scanned(conn: sqlite3.Connection, todo: list[sqlite3.Row]) -> None:
    """Hash and store the files of ``todo`` (rows of :data:`_UNHASHED_SQL`) that are as their
    row says (see :func:`backfill_hashes`); a content hash still current is not computed
    again (a library upgraded to the audio hash had every one)."""
    rows, audio = [], []
    for r in todo:
        fs = P.to_fs(r["path"])
        try:
            st = os.stat(fs)
        except OSError:
            continue
        mtime_ns = stored_ns(st.st_mtime_ns)
        if (st.st_size, mtime_ns) != (r["size"], r["mtime_ns"]):
            continue
        digest = None if r["hashed"] else content_hash(fs, st.st_size)
        if digest is not None:
            rows.append((st.st_size, mtime_ns, digest, r["path"]))
        sound = audio_hash(fs, st.st_size)
        if sound is not None:
            audio.append((st.st_size, mtime_ns, sound, r["path"]))
    if rows or audio:
        with transaction(conn):
            store_hashes(conn, rows)
            store_hashes(conn, audio, "track_audio_hashes")


def hash_unhashed(conn: sqlite3.Connection, roots: Iterable[str],
                  cancel: CancelToken | None = None) -> None:
    """Record the hashes a full scan of ``roots`` (DB form) finds missing: tracks scanned
    before hashes were recorded, whose unchanged files the scan does not open. Once per
    library (a file already hashed is not read again), so a plain ``scan`` — not only the
    window's idle folder watch — readies an old library for move detection and copy folding.
    No roots (a scan of single files, the folder watch's): nothing to do."""
    roots = list(roots)
    cursor: int | None = 0 if roots else None
    while cursor is not None:
        check_cancel(cancel)
        cursor = backfill_hashes(conn, after=cursor, under=roots)
