"""One file reached by two spellings of its path (links): the same track, not two.

A part of its own, apart from :mod:`musicsage.library.moves` (a file that moved is matched
by its content): here the file has not moved at all, the walk reached it through a linked
folder (``Link -> Music``) or a hard link, so the device and inode tell it — a scan gives it
the path the library has (:func:`known_spellings`), does not mark the track missing
(:func:`still_there`), and folds a music folder that lies inside another through a link into
it (:func:`respelled_inside`).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from typing import Callable, Iterable

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL


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


def respelled_inside(conn: sqlite3.Connection, old: str, root: str,
                     resolve: Callable[[str], str] = os.path.realpath) -> bool:
    """Whether the music folder ``old`` (DB form) lies inside the music folder ``root`` once
    links are resolved (``scan Link/sub``, then ``scan Music`` with ``Link -> Music``); if
    so, its tracks are given ``root``'s spelling (``…/Music/sub/…``), so that ``old`` can be
    folded into ``root`` and ``forget`` of it takes them. Ids, memberships and vectors stay;
    the old paths are recorded as moves, so playlists naming them keep resolving. False
    (nothing changed) when a track already has one of the new paths — a library that holds
    the folder twice: merging two tracks is not done here, and ``old`` stays a folder of its
    own. Runs inside the caller's transaction. ``resolve``: the real path of a folder (a
    scan of many folders resolves each once)."""
    tail = P.real_tail(P.to_fs(old), P.to_fs(root), resolve)
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
