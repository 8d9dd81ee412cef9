"""An export imported where its music is not at the paths it names (docs/dataset-dir.md): the
import lists those tracks missing, a scan of the music's folder then finds them moved (by the
``content_hash`` the export wrote) and remembers their old paths (``track_moves``).

Importing the same export again matched its rows by path alone: every moved track was stored
a second time, missing, its playlists pointed at the copies (the tracks they held before kept
only their vectors). :func:`moved_track` takes the track found moved instead — only when its
content is the row's, so two contents are never merged — or, the old path still reaching
it, the track whose file it is (a music folder the library now spells through its link).
:func:`no_file_note` words what the import says of the rows that stay missing, with the way
out.

Where the music was scanned with its playlist files before the import, the import stored each
playlist a second time beside its file's (40 became 80: its tracks are the missing imported
ones, the file's the scanned copies); :func:`import_playlists_beside_files` leaves such a
playlist to its file, as a scan of the file after the import does
(:mod:`musicsage.library.playlists.twins`), and ``forget --missing`` then gives the file's
entries to the imported tracks (:func:`~musicsage.library.copy_moves.adopt_copies`)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from musicsage.library import paths as P
from musicsage.library.copy_moves import HASH_TELLS_FILE_SQL, HashGroups, lone_copy
from musicsage.library.dataset_playlists import StoredPlaylists, import_playlists
from musicsage.library.dataset_read import DatasetFiles, row_id, unkept_ids_note
from musicsage.library.hash_backfill import hash_tracks
from musicsage.library.moves import our_hash
from musicsage.library.playlists.store import retire_playlist_ids
from musicsage.library.playlists.twins import file_twin
from musicsage.text import counted, noun

Entries = list[tuple[int, str, str | None, int | None]]
"""A stored playlist's entries: (position, raw, title, track_id) each, in order."""


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
    if _hashes_of_files(conn) & set(hashes):  # files a scan took, not lone: no way told
        return said
    return (f"{said} (the music is in another folder now? `musicsage scan FOLDER` finds them "
            "moved there, keeping their playlist places and vectors)")


def _hashes_of_files(conn: sqlite3.Connection) -> set[str]:
    """The content hashes of the present tracks' files (current at their stamp)."""
    return {str(r[0]) for r in conn.execute(
        "SELECT h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        " WHERE t.status = 'present' AND t.size = h.size AND t.mtime_ns = h.mtime_ns")}


def import_playlists_beside_files(conn: sqlite3.Connection, read: DatasetFiles, synthetic: str,
                                  track_of: dict[str, int], *,
                                  own_export: bool = False) -> StoredPlaylists:
    """:func:`~musicsage.library.dataset_playlists.import_playlists`, then each playlist it
    stored that the library has from a file scanned before the import (the same name and
    files, :func:`~musicsage.library.playlists.twins.file_twin`: the imported tracks'
    copies, :func:`~musicsage.library.copy_moves.lone_copy`) removed again, counted as
    already in the library, its playlist_id the file's playlist (for ``forget DIR``)."""
    copies = _scanned_copies(conn, set(track_of.values()))
    before = _entries_under(conn, synthetic) if copies else {}
    stored = import_playlists(conn, read, synthetic, track_of, own_export=own_export)
    if copies:
        held = {copies.get(t, t) for t in track_of.values()}
        _leave_to_files(conn, stored, read, synthetic, copies, held, before)
    return stored


def _scanned_copies(conn: sqlite3.Connection, imported: set[int]) -> dict[int, int]:
    """Of ``imported``, the missing tracks no scan recorded that have a scanned copy
    ``forget --missing`` would move them to: {track id: the copy's id}."""
    groups: HashGroups = {}
    unscanned = [int(r[0]) for r in conn.execute(
        "SELECT id FROM tracks WHERE status = 'missing' AND size IS NULL")]
    return {t: found[0] for t in unscanned if t in imported
            and (found := lone_copy(conn, t, groups, any_playlist=True)) is not None}


def _entries_under(conn: sqlite3.Connection, synthetic: str) -> dict[str, tuple[str, Entries]]:
    """The name and entries of each playlist an earlier import of the dir ``synthetic``
    stored, by path: what tells whether this import updated it."""
    rows = conn.execute("SELECT id, path, name FROM playlists WHERE substr(path, 1, ?) = ?",
                        (len(synthetic), synthetic)).fetchall()
    return {str(path): (name, _entries(conn, pid)) for pid, path, name in rows}


def _entries(conn: sqlite3.Connection, playlist_id: int) -> Entries:
    """The entries of playlist ``playlist_id`` (:data:`Entries`)."""
    return [tuple(e) for e in conn.execute(
        "SELECT position, raw, title, track_id FROM playlist_entries WHERE playlist_id = ?"
        " ORDER BY position", (playlist_id,))]


def _leave_to_files(conn: sqlite3.Connection, stored: StoredPlaylists, read: DatasetFiles,
                    synthetic: str, copies: dict[int, int], held: set[int],
                    before: dict[str, tuple[str, Entries]]) -> None:
    """Remove the playlists of the dir ``synthetic`` this import stored that a playlist file
    stands for (their entries read as the tracks' ``copies``, among the ``held`` ones), each
    counted in ``stored`` as already in the library; one an earlier import stored
    (``before``) as a copy removed, not as new or updated. The note on playlist ids not kept
    then names only the playlists that stay."""
    gone, renumbered = [], []
    own_names: dict[str, list[str]] = {}  # one read, not one per playlist
    for (own,) in conn.execute("SELECT DISTINCT name FROM playlists WHERE substr(path, 1, ?)"
                               " != ?", (len(P.DATASET_PREFIX), P.DATASET_PREFIX)):
        # by the name as the dir's reader reads it (spaces around dropped: ``mix .m3u``)
        own_names.setdefault(str(own or "").strip(), []).append(str(own or ""))
    for pkey, pid in list(stored.named.items()):
        row = conn.execute("SELECT path, name FROM playlists WHERE id = ?", (pid,)).fetchone()
        if row is None or row[0] != synthetic + pkey:  # the library's own: not stored
            continue
        entries, name = _entries(conn, pid), read.names.get(pkey) or ""
        ids = [copies.get(e[3], e[3]) for e in entries]
        twin = next((found for own in own_names.get(name, ())
                     if (found := file_twin(conn, own, ids, held)) is not None), None)
        if twin is None:
            if row[0] not in before and pid != row_id(pkey):  # new, its id not kept
                renumbered.append((pkey, pid))
            continue
        gone.append((pid,))
        stored.named[pkey] = twin
        stored.playlists, stored.known = stored.playlists - 1, stored.known + 1
        stored.memberships -= len(entries)
        if (earlier := before.get(row[0])) is None:
            stored.new -= 1
        else:
            stored.mended += 1
            stored.updated -= earlier != (row[1], entries)
    if gone:
        retire_playlist_ids(conn)  # as for every playlist removed
        conn.executemany("DELETE FROM playlists WHERE id = ?", gone)
        stored.unkept_note = unkept_ids_note(renumbered, item="playlist",
                                             file="memberships.csv", kind="playlist")
