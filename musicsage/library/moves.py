"""Recognising a moved or renamed audio file as the track it was, not a new one.

A track's identity is its path (docs/architecture.md, "Conventions"), so a file moved to
another folder would otherwise become a new track while the old one is marked missing — losing
its playlist memberships' link and its audio embeddings, which cost the most to recompute.
Before a scan calls a file new, :class:`MoveFinder` looks for a track whose file is gone from its stored path
and whose content matches: same size and the same hash of the first and last
:data:`BLOCK` bytes (the same file, almost surely; reading two blocks costs far less than
decoding). The matched track takes the new path and keeps its id, memberships and embeddings.

The old path is remembered (``track_moves``): a playlist file still naming it keeps
resolving to the track when it is re-imported (:func:`musicsage.library.playlists.players.
library_index`).

The hash of a file that is gone cannot be computed, so it is recorded while the file is
there: for every file a scan writes (new, changed, moved), plus :func:`backfill_hashes` for
tracks scanned before this existed (a full scan runs it for its folders, :func:`hash_unhashed`;
the folder watch runs it when idle). It is stored in
``track_hashes`` with the (size, mtime_ns) it was computed on, so a stale hash never matches.

A copy is not a move: while the original is still at its path, the new file is a new track.

A track with no hash of its file as last scanned (a library of an older version, moved before
its first scan with this one; a file unreadable when it was to be hashed) is matched on what
its row knows (:meth:`MoveFinder.hold`): the same size to the byte, title, artist, album and
duration — only when one such gone track and one such new file are found among all the scan's
new files (:meth:`MoveFinder.settle`): two alike (a file and its copy) are new tracks.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Protocol, Sequence

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL, transaction
from musicsage.progress import CancelToken, check_cancel

BLOCK = 64 * 1024

DURATION_SLACK = 0.05
"""Seconds by which a moved file's duration and its track's may differ (:meth:`MoveFinder.hold`):
another version of a tag reader may read the same bytes a little differently."""

_NO_HASH_SQL = (
    "SELECT t.id, t.path, t.size, t.title, t.artist, t.album, t.duration FROM tracks t"
    " LEFT JOIN track_hashes h ON h.track_id = t.id AND h.size = t.size"
    " AND h.mtime_ns = t.mtime_ns WHERE h.track_id IS NULL AND t.size IS NOT NULL")

HASH_LABEL = "musicsage1"
"""The kind of :func:`content_hash` named in an export's ``tracks.csv``: values are written
``musicsage1:<32 hex digits>``, so that a hash another tool (or another version) wrote there —
a sha256 of the whole file, say — is told apart instead of taken for a rewritten file."""

_HEX = re.compile(r"[0-9a-f]{32}")


class FileFacts(Protocol):
    fs_path: str
    db_path: str
    size: int
    mtime_ns: int


def content_hash(fs_path: str, size: int) -> str | None:
    """Hash of the size and the first and last :data:`BLOCK` bytes; None if unreadable."""
    h = hashlib.blake2b(str(size).encode(), digest_size=16)
    try:
        with open(fs_path, "rb") as fh:
            h.update(fh.read(BLOCK))
            if size > BLOCK:
                fh.seek(max(BLOCK, size - BLOCK))
                h.update(fh.read(BLOCK))
    except OSError:
        return None
    return h.hexdigest()


def labelled_hash(digest: str) -> str:
    """``digest`` (a :func:`content_hash`) as an export writes it: ``musicsage1:<hex>``."""
    return f"{HASH_LABEL}:{digest}"


def our_hash(value: str) -> str | None:
    """The :func:`content_hash` that a ``tracks.csv`` ``content_hash`` value names, or None
    when the value is of another kind: another label, or not 32 hex digits. An unlabelled
    value of this form is taken as ours (the exports of the version before the label)."""
    label, colon, digest = value.strip().lower().rpartition(":")
    if colon and label != HASH_LABEL:
        return None
    return digest if _HEX.fullmatch(digest) else None


@dataclass(frozen=True)
class _Noted:
    db_path: str
    size: int
    mtime_ns: int
    hash: str | None


class MoveFinder:
    """One scan's move detection: :meth:`claim` new files, :meth:`note` every file written,
    :meth:`record` their hashes once the scan's rows are in the DB."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.moved: dict[int, str] = {}
        """track id -> new DB path, for tracks this scan moved."""
        self._moved_from: dict[int, str] = {}
        self._hashes: dict[str, str | None] = {}
        self._noted: list[_Noted] = []
        self._no_hash: dict[int, list[tuple]] | None = None  # size -> rows, read once
        self._held: list[tuple[FileFacts, object, list[tuple]]] = []

    def _hash(self, f: FileFacts) -> str | None:
        if f.fs_path not in self._hashes:
            self._hashes[f.fs_path] = content_hash(f.fs_path, f.size)
        return self._hashes[f.fs_path]

    def claim(self, f: FileFacts) -> int | None:
        """The id of the track ``f`` (a file not yet in the DB) was moved from, or None."""
        digest = self._hash(f)
        if digest is None:
            return None
        for track_id, path in self.conn.execute(
                "SELECT h.track_id, t.path FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
                " WHERE h.size = ? AND h.hash = ? AND t.size = h.size AND t.mtime_ns = h.mtime_ns"
                " ORDER BY h.track_id", (f.size, digest)).fetchall():
            if track_id in self.moved or not P.is_file_path(path) or path == f.db_path:
                continue
            if os.path.lexists(P.to_fs(path)):
                continue  # the original is still there: this is a copy
            self.moved[track_id] = f.db_path
            self._moved_from[track_id] = path
            return track_id
        return None

    def hold(self, f: FileFacts, values: dict, payload: object) -> bool:
        """Whether ``f``, a new file :meth:`claim` found no track for, may be a track with no
        hash moved (module doc): one whose file is gone, of ``f``'s size and the title, artist,
        album and duration of ``values`` (the row a scan writes for ``f``). If so it is held,
        with ``payload``, for :meth:`settle`, once every new file is seen."""
        if self._no_hash is None:
            self._no_hash = {}
            for row in self.conn.execute(_NO_HASH_SQL):
                self._no_hash.setdefault(int(row[2]), []).append(tuple(row))
        rows = [r for r in self._no_hash.get(f.size, ()) if _alike(r, values)
                and r[0] not in self.moved and P.is_file_path(r[1]) and r[1] != f.db_path
                and not os.path.lexists(P.to_fs(r[1]))]
        if rows:
            self._held.append((f, payload, rows))
        return bool(rows)

    def settle(self) -> list[tuple[FileFacts, object, int | None]]:
        """The files :meth:`hold` held, each with its payload and the id of the track it was
        moved from — when it is alike only one gone track, and that track only it — or None
        (a new track)."""
        claims = Counter(r[0] for _f, _payload, rows in self._held for r in rows)
        out: list[tuple[FileFacts, object, int | None]] = []
        for f, payload, rows in self._held:
            track_id = rows[0][0] if len(rows) == 1 and claims[rows[0][0]] == 1 else None
            if track_id is not None:
                self.moved[track_id] = f.db_path
                self._moved_from[track_id] = rows[0][1]
            out.append((f, payload, track_id))
        self._held.clear()
        return out

    def changed_since_export(self, f: FileFacts, track_id: int) -> bool:
        """Whether ``f``, the file of a track an import brought and no scan has recorded,
        is not the file its imported vectors were made from: the import kept the content
        hash the exporting library had for it (:func:`record_imported_hashes`), and this
        file's differs — rewritten in place since. False when no hash was kept, or one of
        another kind (an import before values were checked kept any text)."""
        row = self.conn.execute("SELECT hash FROM track_hashes WHERE track_id = ?",
                                (int(track_id),)).fetchone()
        if row is None or not _HEX.fullmatch(str(row[0])):
            return False
        digest = self._hash(f)
        return digest is not None and digest != row[0]

    def same_content(self, f: FileFacts, old: tuple) -> bool:
        """Whether ``f``, the file of a known track (``old``: id, size, mtime_ns, status)
        whose mtime changed, still holds the content the track was read from: same size and
        the hash recorded for the track's stamp (``touch``, a copy or restore that does not
        keep times, ``cp -r`` without ``-p``). Such a file is no changed one: its embeddings,
        hours of work for a library, stay. False when no hash was recorded for that stamp."""
        if old[1] is None or old[1] != f.size:
            return False
        row = self.conn.execute(
            "SELECT hash FROM track_hashes WHERE track_id = ? AND size = ? AND mtime_ns = ?",
            (int(old[0]), old[1], old[2])).fetchone()
        return row is not None and self._hash(f) == row[0]

    def note(self, f: FileFacts) -> None:
        """``f`` was (or is about to be) written as a track: record its hash in :meth:`record`."""
        self._noted.append(_Noted(f.db_path, f.size, f.mtime_ns, self._hash(f)))

    def record(self) -> None:
        """Store the hashes of the noted files (for rows that exist by now) and where the
        moved tracks came from."""
        rows = [(n.size, n.mtime_ns, n.hash, n.db_path) for n in self._noted if n.hash]
        moves = list(self._moved_from.items())
        self._noted.clear()
        self._moved_from.clear()
        if rows or moves:
            with transaction(self.conn):
                store_hashes(self.conn, rows)
                self.conn.executemany(
                    "INSERT INTO track_moves(old_path, track_id) VALUES (?, ?) ON CONFLICT(old_path)"
                    f" DO UPDATE SET track_id = excluded.track_id, moved_at = {NOW_SQL}",
                    [(old, tid) for tid, old in moves])


def _alike(row: tuple, values: dict) -> bool:
    """Whether a track row of :data:`_NO_HASH_SQL` has the tags and duration of ``values``."""
    if any(row[i] != values[k] for i, k in ((3, "title"), (4, "artist"), (5, "album"))):
        return False
    a, b = row[6], values["duration"]
    return (a is None and b is None) or (
        a is not None and b is not None and abs(a - b) <= DURATION_SLACK)


def store_hashes(conn: sqlite3.Connection, rows: list[tuple[int, int, str, str]]) -> None:
    """Upsert ``(size, mtime_ns, hash, db_path)`` for the tracks at those paths."""
    conn.executemany(
        "INSERT INTO track_hashes(track_id, size, mtime_ns, hash)"
        " SELECT id, ?, ?, ? FROM tracks WHERE path = ?"
        " ON CONFLICT(track_id) DO UPDATE SET size = excluded.size,"
        " mtime_ns = excluded.mtime_ns, hash = excluded.hash", rows)


def record_imported_hashes(conn: sqlite3.Connection, hashes: dict[int, str]) -> None:
    """Keep ``{track_id: hash}``, the content hashes a dataset dir's ``tracks.csv`` gives
    tracks that no scan has recorded, for their first scan to compare with their file
    (:meth:`MoveFinder.changed_since_export`). Stored with size and mtime 0, which no file's
    stamp matches: until a scan records the file (and its own hash over this one), the hash
    serves no move detection nor copy folding."""
    conn.executemany(
        "INSERT INTO track_hashes(track_id, size, mtime_ns, hash) VALUES (?, 0, 0, ?)"
        " ON CONFLICT(track_id) DO UPDATE SET size = 0, mtime_ns = 0, hash = excluded.hash",
        [(int(t), h) for t, h in hashes.items()])


def exported_hashes(conn: sqlite3.Connection) -> dict[int, str]:
    """``{track_id: hash}`` of the content each track's vectors were made from, for
    ``export``: the hash a scan recorded for the file as the library knows it (same size and
    mtime), or, for a track no scan has recorded, the one its own import brought (if of
    this kind: an import before values were checked kept any text). Labelled as written
    (:func:`labelled_hash`)."""
    return {int(r[0]): labelled_hash(str(r[1])) for r in conn.execute(
        "SELECT h.track_id, h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        " WHERE (t.size = h.size AND t.mtime_ns = h.mtime_ns)"
        " OR (t.size IS NULL AND h.size = 0 AND h.mtime_ns = 0)") if _HEX.fullmatch(str(r[1]))}


def current_hashes(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, str]:
    """``{track_id: hash}`` for those of ``track_ids`` whose hash was computed on their file as
    it is now (same size and mtime). Two tracks with the same one are one file copied: what
    neighbour lists fold as copies where the tags cannot tell (an untagged file)."""
    ids = [int(t) for t in track_ids]
    out: dict[int, str] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's host-parameter limit
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        out.update((int(r[0]), str(r[1])) for r in conn.execute(
            "SELECT h.track_id, h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
            " WHERE t.size = h.size AND t.mtime_ns = h.mtime_ns"
            f" AND h.track_id IN ({marks})", chunk))
    return out


_UNHASHED_SQL = (
    "SELECT t.id, t.path, t.size, t.mtime_ns FROM tracks t"
    " LEFT JOIN track_hashes h ON h.track_id = t.id"
    " WHERE t.status = 'present' AND substr(t.path, 1, 1) = '/'"
    " AND (h.track_id IS NULL OR h.size != t.size OR h.mtime_ns != t.mtime_ns)")
"""Present tracks with a real file whose hash is missing or stale; callers add conditions
with ``AND``."""


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
    """Hash and store the files of ``todo`` (track rows: id, path, size, mtime_ns) that are
    as their row says (see :func:`backfill_hashes`)."""
    rows = []
    for r in todo:
        fs = P.to_fs(r["path"])
        try:
            st = os.stat(fs)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) != (r["size"], r["mtime_ns"]):
            continue
        digest = content_hash(fs, st.st_size)
        if digest is not None:
            rows.append((st.st_size, st.st_mtime_ns, digest, r["path"]))
    if rows:
        with transaction(conn):
            store_hashes(conn, rows)


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


def known_spellings(conn: sqlite3.Connection, found: list, known: dict[str, tuple]) -> list:
    """``found`` (a walk's files, :class:`~musicsage.library.walk.FoundFile`), each under the
    path the library already has for it when the walk reached it by another spelling: through
    a linked folder (``Link -> Music``; ``Music/again -> .``) or a hard link. The same file
    (device and inode) is the same track, not a second one beside it. ``known`` (path -> (id,
    size, mtime_ns, status), what the scan compares with) gains the tracks so found.

    Only files no track has the path of are looked at, and only tracks of their size and
    mtime are stat'ed: a re-scan with nothing new costs nothing more."""
    new = {(f.size, f.mtime_ns) for f in found if f.db_path not in known}
    if not new:
        return found
    rows: dict[tuple, list[tuple]] = {}
    for row in conn.execute("SELECT id, path, size, mtime_ns, status FROM tracks"):
        if (row[2], row[3]) in new and P.is_file_path(row[1]):
            rows.setdefault((row[2], row[3]), []).append(tuple(row))
    out = []
    for f in found:
        other = None if f.db_path in known else _same_file(f, rows.get((f.size, f.mtime_ns)))
        if other is not None:
            known[other[1]] = (other[0], other[2], other[3], other[4])
            f = replace(f, fs_path=P.to_fs(other[1]), db_path=other[1])
        out.append(f)
    return out


def _same_file(f, rows: list[tuple] | None) -> tuple | None:
    """The track row (id, path, size, mtime_ns, status) of ``rows`` whose path is the file
    ``f`` under another spelling, or None. A link to the file itself (either way) is not
    one: such a link has been a track of its own, beside its target's, all along; nor is a
    hard link (the same inode under another real path: a track in two folders on purpose,
    each named by playlists), so the real paths must agree as well as the inodes."""
    real = None
    for row in rows or ():
        if f.via_link or os.path.islink(P.to_fs(row[1])):
            continue
        try:
            st = os.stat(P.to_fs(row[1]))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) != f.inode:
            continue
        real = real or os.path.realpath(f.fs_path)
        if os.path.realpath(P.to_fs(row[1])) == real:
            return row
    return None


def still_there(paths: Iterable[str], inodes: set[tuple[int, int]]) -> set[str]:
    """Of the DB paths of tracks a scan did not find, those whose file is one it found all
    the same, reached by a spelling the walk did not take (it had entered the folder by
    another link first, and enters each folder once). Such a track is not missing: in a
    library that already holds a folder under two spellings, a re-scan marked the files of
    one of them missing though nothing had moved."""
    there = set()
    for path in paths:
        try:
            st = os.stat(P.to_fs(path))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in inodes:
            there.add(path)
    return there


def respelled_inside(conn: sqlite3.Connection, old: str, root: str) -> bool:
    """Whether the music folder ``old`` (DB form) lies inside the music folder ``root`` once
    links are resolved (``scan Link/sub``, then ``scan Music`` with ``Link -> Music``); if
    so, its tracks are given ``root``'s spelling (``…/Music/sub/…``), so that ``old`` can be
    folded into ``root`` and ``forget`` of it takes them. Ids, memberships and vectors stay;
    the old paths are recorded as moves, so playlists naming them keep resolving. False
    (nothing changed) when a track already has one of the new paths — a library that holds
    the folder twice: merging two tracks is not done here, and ``old`` stays a folder of its
    own. Runs inside the caller's transaction."""
    tail = P.real_tail(P.to_fs(old), P.to_fs(root))
    if tail is None:
        return False
    new = root.rstrip("/") + "/" + P.from_fs(tail) if tail else root
    where, params = q.under_sql("path", [old])
    rows = conn.execute(f"SELECT id, path FROM tracks WHERE {where}", params).fetchall()
    renamed = [(new + path[len(old.rstrip("/")):], tid, path) for tid, path in rows]
    if any(conn.execute("SELECT 1 FROM tracks WHERE path = ?", (r[0],)).fetchone()
           for r in renamed):
        return False
    conn.executemany(f"UPDATE tracks SET path = ?, updated_at = {NOW_SQL} WHERE id = ?",
                     [r[:2] for r in renamed])
    conn.executemany("INSERT INTO track_moves(old_path, track_id) VALUES (?, ?) ON CONFLICT"
                     f"(old_path) DO UPDATE SET track_id = excluded.track_id, moved_at = {NOW_SQL}",
                     [(old_path, tid) for _new, tid, old_path in renamed])
    return True
