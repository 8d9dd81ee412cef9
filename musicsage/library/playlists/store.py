"""Importing playlist files into the DB: parse, resolve, and replace the playlist's entries.

A playlist is identified by its file path. Re-importing the same file keeps its ``playlists.id``
(so anything keyed on it stays valid) and replaces its entries in the file's current order, in
one transaction. Entries that do not resolve are stored with ``track_id`` NULL and listed in the
:class:`PlaylistReport`; a file that cannot be parsed (or is refused as unsafe) gets an
``errors`` row (stage 'playlist') and leaves any earlier import of it untouched.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.playlists.base import PlaylistError, format_for
from musicsage.library.playlists.resolve import TrackIndex, playlist_dir_of, resolve_entry


@dataclass
class PlaylistReport:
    path: str
    name: str = ""
    format: str = ""
    playlist_id: int | None = None
    entries: int = 0
    resolved: int = 0
    unresolved: list[dict] = field(default_factory=list)
    """``{"position", "raw", "reason"}`` per entry that matched no track."""
    error: str | None = None
    """Set when the file could not be imported at all."""

    def to_dict(self) -> dict:
        return asdict(self)


def import_playlist_file(conn, fs_path: str, *, index: TrackIndex | None = None) -> PlaylistReport:
    """Parse, resolve and store one playlist file (``fs_path``: absolute OS path)."""
    db_path = P.from_fs(fs_path)
    rep = PlaylistReport(path=P.display(db_path))
    fmt = format_for(fs_path)
    if fmt is None:
        rep.error = "not a playlist file (extension not one of .m3u .m3u8 .pls .xspf)"
        return rep
    rep.format = fmt.name
    try:
        st = os.stat(fs_path)
        with open(fs_path, "rb") as fh:
            data = fh.read()
        parsed = fmt.parse(data, os.path.basename(fs_path))
    except OSError as exc:
        rep.error = f"cannot read: {exc.strerror or exc}"
    except PlaylistError as exc:
        rep.error = str(exc)
    if rep.error is not None:
        q.record_error(conn, db_path, "playlist", rep.error)
        return rep
    index = index or TrackIndex.from_db(conn)
    base = playlist_dir_of(db_path)
    rep.name = parsed.name or P.display(os.path.splitext(os.path.basename(db_path))[0])
    rows = []
    for position, entry in enumerate(parsed.entries):
        res = resolve_entry(entry.raw, base, index)
        rows.append((position, entry.raw, entry.title, res.track_id))
        if res.track_id is None:
            rep.unresolved.append({"position": position, "raw": entry.raw, "reason": res.reason})
    rep.entries = len(rows)
    rep.resolved = rep.entries - len(rep.unresolved)
    with transaction(conn):
        row = conn.execute("SELECT id FROM playlists WHERE path = ?", (db_path,)).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO playlists(path, name, format, size, mtime_ns) VALUES (?, ?, ?, ?, ?)",
                (db_path, rep.name, fmt.name, st.st_size, st.st_mtime_ns))
            playlist_id = cur.lastrowid
        else:
            playlist_id = row[0]
            conn.execute(f"UPDATE playlists SET name = ?, format = ?, size = ?, mtime_ns = ?,"
                         f" imported_at = {NOW_SQL} WHERE id = ?",
                         (rep.name, fmt.name, st.st_size, st.st_mtime_ns, playlist_id))
            conn.execute("DELETE FROM playlist_entries WHERE playlist_id = ?", (playlist_id,))
        conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, title, track_id)"
                         " VALUES (?, ?, ?, ?, ?)", [(playlist_id, *r) for r in rows])
        q.clear_error(conn, db_path, "playlist")
    rep.playlist_id = playlist_id
    return rep


def find_playlist_files(path: str) -> list[str]:
    """``path`` itself if it is a file, else every playlist file under the folder (sorted)."""
    if not os.path.isdir(path):
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(folder, f) for f in sorted(files) if format_for(f) is not None)
    return found
