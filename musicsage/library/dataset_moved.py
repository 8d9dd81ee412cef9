"""An export imported where its music is not at the paths it names (docs/dataset-dir.md): the
import lists those tracks missing, a scan of the music's folder then finds them moved (by the
``content_hash`` the export wrote) and remembers their old paths (``track_moves``).

Importing the same export again matched its rows by path alone: every moved track was stored
a second time, missing, its playlists pointed at the copies (the tracks they held before kept
only their vectors). :func:`moved_track` takes the track found moved instead — only when its
content is the row's, so two contents are never merged — or, the old path still reaching
it, the track whose file it is (a music folder the library now spells through its link).
:func:`no_file_note` words what the import says of the rows that stay missing, with the way
out."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from musicsage.library import paths as P
from musicsage.library.copy_moves import HASH_TELLS_FILE_SQL, HashGroups, lone_copy
from musicsage.library.hash_backfill import hash_tracks
from musicsage.library.moves import our_hash
from musicsage.text import counted, noun


def moved_track(conn: sqlite3.Connection, db_path: str, row: dict[str, str]) -> int | None:
    """The track a scan found moved away from ``db_path`` (a row's path, which no track has
    now): when the file there is that track's own, reached by its old spelling (a link the
    scan resolved), or when no file is there and the track's content hash is the row's
    ``content_hash`` (the file the row was exported from, now elsewhere). None otherwise:
    a row without a hash of musicsage's kind tells no content, one of another content is
    another track, and so is another file at the old path (the music copied back)."""
    if not row.get("path"):
        return None
    moved = conn.execute(
        "SELECT m.track_id, t.path FROM track_moves m JOIN tracks t ON t.id = m.track_id"
        " WHERE m.old_path = ?", (db_path,)).fetchone()
    if moved is None:
        return None
    track_id = int(moved[0])
    if os.path.isfile(P.to_fs(db_path)):
        return track_id if _same_file(db_path, str(moved[1])) else None
    digest = our_hash(row.get("content_hash") or "")
    if digest is None:
        return None
    hash_tracks(conn, [track_id])  # one a scan left without a current hash (2 blocks read)
    found = conn.execute(
        "SELECT h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        f" WHERE t.id = ? AND {HASH_TELLS_FILE_SQL}", (track_id,)).fetchone()
    return track_id if found is not None and found[0] == digest else None


def _same_file(one: str, other: str) -> bool:
    """Whether two stored paths reach one file (device and inode), as a scan tells it."""
    try:
        return os.path.samefile(P.to_fs(one), P.to_fs(other))
    except (OSError, ValueError):  # gone, unreadable, a NUL in a path
        return False


def no_file_note(conn: sqlite3.Connection, rows: list[dict[str, str]],
                 track_of: dict[str, int], src: Path) -> str | None:
    """The import's note on the rows whose path names no file and whose track is listed
    missing (the first named), with what to do: rows found moved (:func:`moved_track`) are
    not among them. A row whose ``content_hash`` is musicsage's is found moved by a scan of
    the folder its file is in now; when the library already has such a file (its music
    scanned before the import), ``forget --missing`` moves the track there instead — said
    only of the tracks it would move (:func:`~.copy_moves.lone_copy`): of the others it
    removes playlist places and vectors."""
    missing = {int(r[0]) for r in conn.execute("SELECT id FROM tracks WHERE status = 'missing'")}
    no_file = [r for r in rows if r.get("path") and track_of.get(r["track_id"]) in missing
               and not os.path.isfile(P.to_fs(os.path.join(str(src), r["path"])))]
    if not no_file:
        return None
    n, first = len(no_file), no_file[0]
    # a stored path (not UTF-8: escaped, see library.paths) as a person reads it
    said = (f"{counted(n, 'row')} of tracks.csv {noun(n, 'names', 'name')} no file (first: "
            f"track_id {first['track_id']!r}, path {P.display(first['path'])!r}): listed as "
            "missing")
    hashes = [h for r in no_file if (h := our_hash(r.get("content_hash") or ""))]
    if not hashes:  # no content to find them by: a scan takes their files for new tracks
        return said
    groups: HashGroups = {}
    movable = sum(lone_copy(conn, track_of[r["track_id"]], groups) is not None for r in no_file)
    if movable:
        which = "their files" if movable == n else f"the files of {movable} of them"
        rest = " (and removes the other missing tracks)" if len(missing) > movable else ""
        return (f"{said}; the library has {which} elsewhere (scanned before the import): "
                "`musicsage forget --missing` moves each such track to its file, keeping its "
                f"playlist places and vectors{rest}")
    if _hashes_of_files(conn) & set(hashes):  # files a scan took, in playlists: no way told
        return said
    return (f"{said} (the music is in another folder now? `musicsage scan FOLDER` finds them "
            "moved there, keeping their playlist places and vectors)")


def _hashes_of_files(conn: sqlite3.Connection) -> set[str]:
    """The content hashes of the present tracks' files (current at their stamp)."""
    return {str(r[0]) for r in conn.execute(
        "SELECT h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        " WHERE t.status = 'present' AND t.size = h.size AND t.mtime_ns = h.mtime_ns")}
