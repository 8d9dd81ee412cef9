"""What tracks have in common in the library: playlists, artist, album, genre.

The queries behind "why this neighbour" (:mod:`musicsage.search.why`) and behind playlist
suggestions: plain facts read from the DB, no vectors.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Iterable

FACT_FIELDS = ("id", "path", "size", "mtime_ns", "title", "artist", "album", "albumartist",
               "genre", "status")

NO_PLAYLISTS = ("no playlists in the library: import some with `musicsage scan --playlists "
                "PATH` (playlist files, folders of them, or a player's library file)")
"""Said by ``playlists`` (exit 0) and by every command given a PLAYLIST (exit 1) alike."""


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def track_facts(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, dict]:
    """``{id: {id, path, size, mtime_ns, title, artist, album, albumartist, genre, status}}``."""
    ids = sorted({int(t) for t in track_ids})
    out: dict[int, dict] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT {', '.join(FACT_FIELDS)} FROM tracks WHERE id IN ({marks})",
                              chunk):
            out[int(r["id"])] = {f: r[f] for f in FACT_FIELDS}
    return out


def playlists_of(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, set[int]]:
    """``{track id: {playlist ids holding it}}`` (resolved entries; tracks in none absent)."""
    ids = sorted({int(t) for t in track_ids})
    out: dict[int, set[int]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for tid, pid in conn.execute("SELECT DISTINCT track_id, playlist_id FROM playlist_entries"
                                     f" WHERE track_id IN ({marks})", chunk):
            out.setdefault(int(tid), set()).add(int(pid))
    return out


def playlist_names(conn: sqlite3.Connection) -> dict[int, str]:
    """``{playlist id: name}`` (the file's stem when the playlist has no name)."""
    import posixpath

    from musicsage.library.paths import display

    return {int(r["id"]): r["name"] or display(posixpath.splitext(posixpath.basename(r["path"]))[0])
            for r in conn.execute("SELECT id, name, path FROM playlists")}


def playlist_paths(conn: sqlite3.Connection) -> dict[str, int]:
    """``{stored path of the playlist file: playlist id}``."""
    return {r["path"]: int(r["id"]) for r in conn.execute("SELECT id, path FROM playlists")}


def playlist_at(conn: sqlite3.Connection, path: str | os.PathLike) -> int | None:
    """The id of the library playlist whose file is at ``path`` (``~`` expanded, a relative
    path read from the current folder), else None: its stored path as given, or through its
    symbolic links; else the same file under another name (a hard link, or the file a
    stored playlist link points to), compared by device and inode, a stored path that is
    not a file here (a dataset's playlist, a moved one) skipped. Saving over a playlist
    and asking ``similar`` about one are refused by it."""
    from musicsage.library import paths as P

    full = os.path.abspath(os.path.expanduser(os.fspath(path)))
    known = playlist_paths(conn)
    for spelling in (full, os.path.realpath(full)):
        if P.from_fs(spelling) in known:
            return known[P.from_fs(spelling)]
    try:
        target = os.stat(full)
    except OSError:
        return None  # nothing there
    for stored, pid in known.items():
        try:
            if os.path.samestat(target, os.stat(P.to_fs(stored))):
                return pid
        except (OSError, ValueError):
            continue
    return None


def playlist_row(conn: sqlite3.Connection, playlist_id: int) -> sqlite3.Row | None:
    """One playlist: id, path, name, format, size, mtime_ns."""
    return conn.execute("SELECT id, path, name, format, size, mtime_ns FROM playlists WHERE id = ?",
                        (int(playlist_id),)).fetchone()


def playlist_member_ids(conn: sqlite3.Connection, playlist_id: int) -> list[int]:
    """Distinct resolved track ids of a playlist, in first-position order."""
    return [int(r[0]) for r in conn.execute(
        "SELECT track_id, MIN(position) AS first FROM playlist_entries WHERE playlist_id = ?"
        " AND track_id IS NOT NULL GROUP BY track_id ORDER BY first", (int(playlist_id),))]


def usable_memberships(conn: sqlite3.Connection, model_id: str | None, *,
                       up_to: int | None = None) -> int:
    """Distinct (playlist, track) pairs whose track has a ``model_id`` vector of the version
    training reads (:func:`~musicsage.library.queries.shown_version`): the memberships it
    keeps (:meth:`GraphData.from_library <musicsage.graph.data.GraphData.from_library>` drops
    tracks without one). ``up_to``: stop counting there — whether a library has enough
    costs next to nothing, where counting all 32,000 of a 28k-track library took 20 ms."""
    from musicsage.library.queries import shown_version

    version = shown_version(conn, model_id) if model_id else None
    return usable_memberships_of(conn, model_id, version, up_to=up_to)


def usable_memberships_of(conn: sqlite3.Connection, model_id: str | None, version: str | None,
                          *, up_to: int | None = None) -> int:
    """:func:`usable_memberships` for ``version``, the shown version already read (None: the
    model has no vectors): a window's reload reads it once for this count and for
    :func:`~musicsage.usecases.training_reach.training_reach`, where each read it again
    (about 20 ms each of a 20k-track library)."""
    return 0 if version is None else int(conn.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT e.playlist_id, e.track_id FROM playlist_entries e"
        " JOIN audio_embeddings a ON a.track_id = e.track_id AND a.model_id = ?"
        " AND a.model_version = ? LIMIT ?)",
        (model_id, version, -1 if up_to is None else int(up_to))).fetchone()[0])


def has_unresolved_entries(conn: sqlite3.Connection) -> bool:
    """Whether some playlist entry matches no track of the library."""
    return conn.execute("SELECT 1 FROM playlist_entries WHERE track_id IS NULL"
                        " LIMIT 1").fetchone() is not None


#: a playlist track ``t`` lacking a ``:model`` vector of ``:version`` (every track where the
#: model has no vectors at all: ``:version`` NULL)
_LACKING = ("(:version IS NULL OR NOT EXISTS (SELECT 1 FROM audio_embeddings a WHERE"
            " a.track_id = t.id AND a.model_id = :model AND a.model_version = :version))")
#: a track ``t`` an embed analyses now: present, with an audio file, neither its last scan
#: nor its analysis since it changed failed (:func:`~musicsage.library.queries.read_failure`'s
#: rule); with no audio model known (``:model`` NULL, nothing embedded yet), a failure of
#: any model's analysis counts — "embed:None" matched none, and a library whose every file
#: failed (no decoder) was sent to embed
_ANALYSABLE = ("t.status = 'present' AND substr(t.path, 1, 1) = '/' AND NOT EXISTS (SELECT 1"
               " FROM errors r WHERE r.path = t.path AND (r.stage = 'scan' OR ((r.stage ="
               " 'embed:' || :model OR (:model IS NULL AND r.stage LIKE 'embed:%'))"
               " AND r.created_at >= COALESCE(t.updated_at, ''))))")


def embeddable_playlist_tracks(conn: sqlite3.Connection, model_id: str | None,
                               version: str | None, *, up_to: int | None = None) -> int:
    """How many playlist tracks lack a ``model_id`` vector of ``version`` and an embed can
    give them one now (present, with a file, no failed analysis since they changed), counted
    up to ``up_to``: what decides whether training's advice names an embed, for ``models``,
    the window and ``train`` alike. One query: reading each such track's row and its
    failures one at a time took 3.8 s of a 141k-track library whose analyses mostly failed."""
    return int(conn.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT t.id FROM playlist_entries e JOIN tracks t"
        f" ON t.id = e.track_id WHERE {_LACKING} AND {_ANALYSABLE} LIMIT :up_to)",
        {"model": model_id, "version": version,
         "up_to": -1 if up_to is None else int(up_to)}).fetchone()[0])


def analysable_tracks(conn: sqlite3.Connection, track_ids: Iterable[int],
                      model_id: str | None) -> set[int]:
    """Which of ``track_ids`` an embed with ``model_id`` gives a vector now (present, with a
    file, no failed scan or analysis since they changed): the rule of
    :func:`embeddable_playlist_tracks`, for the tracks ``train`` left out."""
    out: set[int] = set()
    for chunk in _chunks(sorted({int(t) for t in track_ids})):
        marks = {f"t{i}": t for i, t in enumerate(chunk)}
        out.update(int(r[0]) for r in conn.execute(
            f"SELECT t.id FROM tracks t WHERE t.id IN ({', '.join(':' + k for k in marks)})"
            f" AND {_ANALYSABLE}", {**marks, "model": model_id}))
    return out


def shared_playlist(conn: sqlite3.Connection, model_id: str | None, version: str | None, *,
                    by_embed: bool = False, once_back: bool = False) -> bool:
    """Whether some playlist holds two tracks with a ``model_id`` vector of ``version`` (what
    training keeps: a playlist of one such track beside tracks without one is none);
    ``by_embed``: two that have one or that an embed can give one now — only then does an
    embed give training a shared playlist ("or run embed" was said where none could);
    ``once_back``: missing files count too (a rescan once they are back, then an embed)."""
    args = {"model": model_id, "version": version}
    if not by_embed and not once_back:  # from the vectors: few of them, few rows read
        return bool(conn.execute(
            "SELECT EXISTS (SELECT 1 FROM audio_embeddings a JOIN playlist_entries e ON"
            " e.track_id = a.track_id WHERE a.model_id = :model AND a.model_version = :version"
            " GROUP BY e.playlist_id HAVING COUNT(DISTINCT e.track_id) >= 2)", args).fetchone()[0])
    which = [f"NOT {_LACKING}", *([f"({_ANALYSABLE})"] if by_embed else []),
             *(["t.status = 'missing'"] if once_back else [])]
    return bool(conn.execute(
        "SELECT EXISTS (SELECT 1 FROM playlist_entries e JOIN tracks t ON t.id = e.track_id"
        f" WHERE {' OR '.join(which)}"
        " GROUP BY e.playlist_id HAVING COUNT(DISTINCT t.id) >= 2)", args).fetchone()[0])


def missing_playlist_track(conn: sqlite3.Connection, model_id: str | None,
                           version: str | None) -> bool:
    """Whether some playlist track lacking a ``model_id`` vector of ``version`` is a missing
    file (a drive unplugged: once it is back, a rescan and an embed analyse it)."""
    return bool(conn.execute(
        "SELECT EXISTS (SELECT 1 FROM playlist_entries e JOIN tracks t ON t.id = e.track_id"
        f" WHERE t.status = 'missing' AND {_LACKING})",
        {"model": model_id, "version": version}).fetchone()[0])
