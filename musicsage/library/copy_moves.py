"""A track whose file went missing takes the place of its one copy in the library: a move
across drives is a copy, then a delete, which a scan or the folder watch may see apart
(:mod:`musicsage.library.moves`, "A copy is not a move"). Apart from it for size: a scan folds
such copies (:func:`fold_copies_into_moves`), and removing missing tracks first moves those
it can (:mod:`musicsage.library.missing_report`), where the user says the files are gone."""

from __future__ import annotations

import os
import re
import sqlite3
from typing import TYPE_CHECKING, Container, Iterable

from musicsage.library import paths as P
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.gone_roots import EMPTY_ROOT, empty_folders_holding, on_drives_not_mounted
from musicsage.library.in_chunks import in_chunks
from musicsage.library.scan_report import ShownPath
from musicsage.library.track_ids import retire_track_ids
from musicsage.text import counted, noun

if TYPE_CHECKING:
    from musicsage.library.scan_report import ScanReport

HEX_DIGEST = re.compile(r"[0-9a-f]{32}")
"""The form of a :func:`~musicsage.library.moves.content_hash` (here, where both modules can
read it: :mod:`.moves` imports this one): a hash an import kept may be any text."""
_SAME_AUDIO = ("audio_embeddings", "track_audio_hashes", "track_moves", "errors")

HASH_TELLS_FILE_SQL = ("((t.size = h.size AND t.mtime_ns = h.mtime_ns)"
                       " OR (t.size IS NULL AND h.size = 0 AND h.mtime_ns = 0))")
"""Where a track ``t``'s content hash ``h`` tells its file: computed on the file at the stamp
the track has, or brought by the import of a track no scan has recorded (size NULL; kept with
size and mtime 0: :func:`~musicsage.library.moves.record_imported_hashes`). The hash covers
the file's size, so an imported one matches a file as surely: without it, an export imported
on a machine whose music sits elsewhere found its 240 files new, and ``forget --missing``
then took the imported tracks' playlist places and vectors with them."""
_READ_COLUMNS = ("format", "title", "artist", "album", "albumartist", "genre", "track_number",
                 "year", "duration", "sample_rate", "channels")
"""What a scan reads from a file (:data:`.scan_write.TRACK_COLUMNS` but its path and stamp,
listed here: that module imports this one through :mod:`.moves`): an imported track that
takes its copy's place takes these too, as the scan of a moved file writes them
(tests/library/test_imported_library_whose_music_moved.py holds the two lists together)."""


def adopt_copies(conn: sqlite3.Connection, vanished: Iterable[int],
                 rewritten: Container[int] = ()) -> dict[int, str]:
    """Of ``vanished`` (tracks a scan has just marked missing, or missing tracks the user
    removes), those whose file was copied into the library before it went take their copy's
    path back: ``{track id: new DB path}`` (a move across drives, a copy then a delete, that
    scans saw apart — the folder watch's batches split a long copy — lost its playlist places
    and vectors to a new track).

    Only when it tells one, and costs nothing: the vanished track's content hash, current at
    its stamp, is that of exactly one other track, and that one is present, newer (a larger
    id: made after it), in no playlist and named by no dataset dir — a copy with nothing of
    its own. A vanished track imported from a dataset dir and never scanned (its hash the
    export's, :data:`HASH_TELLS_FILE_SQL`) takes an older copy's place too, and one in
    playlists (:func:`_has_its_own`): a library exported to a new machine whose music was
    scanned first (with its playlist files), then imported, lost every imported track's
    playlist places and vectors to ``forget --missing``; a copy with vectors of its own in a
    playlist of the user's own stays the user's track. It also takes what the scan read of
    the file (:func:`_take_what_was_read`) and the copy's playlist places. The copy's row
    leaves the library (its id retired, as :mod:`.forget` does); of its rows of the same
    audio (:data:`_SAME_AUDIO`: a vector the watch made of it, its audio hash, old paths,
    errors) the track takes those it has none of or whose own is out of date
    (:func:`_drop_outdated`), with its path and stamp, and remembers the old path
    (``track_moves``). In the caller's transaction if any. A copy in ``rewritten`` (read with
    other content by the scan) is no copy, but a file the track's was moved over (``mv a.wav
    b.wav``), its audio gone: taken whatever the ids, with its playlist places (its path's)."""
    out: dict[int, str] = {}
    groups: HashGroups = {}
    for tid in sorted({int(t) for t in vanished}):
        if (found := _lone_copy(conn, tid, groups, rewritten=rewritten)) is None:
            continue
        key, (copy_id, path, size, mtime_ns) = found
        del groups[key]  # the hash's two tracks are one now: read again if asked
        old_path, *stamp = conn.execute("SELECT path, size, mtime_ns FROM tracks WHERE id = ?",
                                        (tid,)).fetchone()
        imported = stamp[0] is None  # no scan recorded it: its hash is the import's
        with transaction(conn):
            retire_track_ids(conn)
            for table in ("track_hashes", "track_audio_hashes"):  # a stale hash stays stale
                conn.execute(f"UPDATE {table} SET size = ?, mtime_ns = ? WHERE track_id = ? AND"
                             " size = ? AND mtime_ns = ?",
                             (size, mtime_ns, tid, *((0, 0) if imported else stamp)))
            _drop_outdated(conn, tid, copy_id, size, mtime_ns)
            if imported or copy_id in rewritten:  # the file as read now (a title from its name),
                _take_what_was_read(conn, tid, copy_id)  # and the copy's playlist places:
                conn.execute("UPDATE playlist_entries SET track_id = ? WHERE track_id = ?",
                             (tid, copy_id))  # deleted with the copy, left unresolved
            for table in _SAME_AUDIO:  # the copy's, where the track has none: same audio
                conn.execute(f"UPDATE OR IGNORE {table} SET track_id = ? WHERE track_id = ?",
                             (tid, copy_id))
            conn.execute("DELETE FROM tracks WHERE id = ?", (copy_id,))
            conn.execute("UPDATE tracks SET path = ?, size = ?, mtime_ns = ?, status = 'present',"
                         f" updated_at = {NOW_SQL} WHERE id = ?", (path, size, mtime_ns, tid))
            conn.execute("INSERT INTO track_moves(old_path, track_id) VALUES (?, ?) ON CONFLICT"
                         f"(old_path) DO UPDATE SET track_id = excluded.track_id, moved_at = "
                         f"{NOW_SQL}", (old_path, tid))
        out[tid] = path
    return out


def _take_what_was_read(conn: sqlite3.Connection, tid: int, copy_id: int) -> None:
    """An imported track taking its copy's place takes what a scan read of the file
    (:data:`_READ_COLUMNS`): left with the import's, it would never show a length, for the
    next scan finds the file unchanged at the stamp it takes. So does a track whose file was
    moved over another's: the scan read it at its new path (an untagged file's title is its
    new name, as after a plain rename; it kept its old name's). (:func:`adopt_copies` gives
    either the copy's playlist places too: the copy's entries, read from playlist files
    scanned with the music before the import, or naming the path the file now has.)"""
    columns = ", ".join(_READ_COLUMNS)  # a row value (SQLite 3.15), not UPDATE … FROM (3.33)
    conn.execute(f"UPDATE tracks SET ({columns}) = (SELECT {columns} FROM tracks WHERE id = ?)"
                 " WHERE id = ?", (copy_id, tid))


def _drop_outdated(conn: sqlite3.Connection, tid: int, copy_id: int, size: int,
                   mtime_ns: int) -> None:
    """Drop the track's audio hash when it is not of its file as it is (its stamp is not the
    copy's, set just before) and the copy has one, so the copy's replaces it
    (:func:`adopt_copies`). Vectors are not weighed here: the track's own stays whatever its
    version (an out-of-date one costs the next ``embed`` one track's analysis); choosing by
    the library's searched version per moved track made a scan of a moved album flip that
    version and take 10 s per 1,000 tracks moved."""
    conn.execute("DELETE FROM track_audio_hashes WHERE track_id = ? AND (size != ? OR mtime_ns"
                 " != ?) AND EXISTS (SELECT 1 FROM track_audio_hashes WHERE track_id = ?)",
                 (tid, size, mtime_ns, copy_id))


CopyRow = tuple[int, str, int | None, int | None, str]
"""A track of a content hash that tells its file (:data:`HASH_TELLS_FILE_SQL`): (id, path,
size, mtime_ns, status); size and mtime_ns None for one imported and never scanned."""
HashGroups = dict[str, list[CopyRow]]
"""content hash -> its tracks (:data:`CopyRow`), read once in a pass (the hash covers the
file's size). Under :data:`_ALL_READ`, once a track imported and never scanned asked for its
hash's: its hash is stored with no size to look it up by, so every hash's tracks were read at
once (one read per such track made removing thousands of them quadratic)."""
_ALL_READ = ""


def lone_copy(conn: sqlite3.Connection, track_id: int, groups: HashGroups | None = None,
              *, any_playlist: bool = False) -> tuple[int, str, int, int] | None:
    """(id, path, size, mtime_ns) of the one copy :func:`adopt_copies` may fold ``track_id``
    (a missing track) into, or None. ``groups``, shared by the calls of one pass over many
    tracks, holds each hash's tracks once read: read for each track, deleting 2,000 of 3,000
    identical copies (a sound effect, a silence) made the next scan take 7 s, against 0.5 s
    for other files: each missing copy fetched every other copy's row. ``any_playlist``: a
    track imported and never scanned may have a copy in any playlist — asked by an import
    before it records which playlists its own are (the twins of its files' playlists,
    :mod:`.dataset_moved`); :func:`adopt_copies` never moves such a track to one so."""
    found = _lone_copy(conn, int(track_id), {} if groups is None else groups, any_playlist)
    return None if found is None else found[1]


def _lone_copy(conn: sqlite3.Connection, track_id: int, groups: HashGroups,
               any_playlist: bool = False, rewritten: Container[int] = ()
               ) -> tuple[str, tuple[int, str, int, int]] | None:
    """:func:`lone_copy`, with the hash of ``groups`` it was found through. A track imported
    and never scanned may take a copy in playlists (:func:`_has_its_own` says which); one
    named by a dataset dir stays its own. So does one in ``rewritten``, taken whatever its id
    and playlists (the track's file moved over its own: :func:`adopt_copies`)."""
    mine = conn.execute(
        "SELECT t.size, h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        f" WHERE t.id = ? AND t.status = 'missing' AND {HASH_TELLS_FILE_SQL}",
        (track_id,)).fetchone()
    if mine is None or not HEX_DIGEST.fullmatch(str(mine[1])):
        return None
    key = str(mine[1])
    rows = _hash_group(conn, key, mine[0], groups)
    same = [r for r in rows if r[0] != track_id] if len(rows) <= 2 else rows  # many: none
    if len(same) != 1:
        return None
    copy_id, path, size, mtime_ns, status = same[0]
    imported = mine[0] is None  # never scanned: its file may have been scanned first
    over = copy_id in rewritten  # then only a dataset dir's naming it keeps it (_has_its_own)
    if (status != "present" or (copy_id < track_id and not (imported or over)) or size is None
            or not P.is_file_path(path) or not os.path.lexists(P.to_fs(path))
            or _has_its_own(conn, copy_id, imported=imported or over,
                            any_playlist=any_playlist or over)):
        return None
    return key, (int(copy_id), path, int(size), int(mtime_ns))


_IN_PLAYLISTS_SQL = "SELECT 1 FROM playlist_entries WHERE track_id = ?"
_OWN_VECTORS_IN_OWN_PLAYLISTS_SQL = (
    _IN_PLAYLISTS_SQL + " AND playlist_id NOT IN (SELECT playlist_id FROM dataset_playlists)"
    " AND EXISTS (SELECT 1 FROM audio_embeddings e WHERE e.track_id = ?)")


def _has_its_own(conn: sqlite3.Connection, copy_id: int, *, imported: bool,
                 any_playlist: bool = False) -> bool:
    """Whether the copy is a track of its own, not a copy to fold: a dataset dir names it, or
    it is in a playlist — for a track ``imported`` and never scanned, one no import recorded,
    and only while the copy has vectors of its own, which the move would lose (``any_playlist``:
    no playlist counts). Its own export imported after its music and playlist files were
    scanned records each file's playlist as the dir's
    (:func:`~.dataset_moved.import_playlists_beside_files`): their copies move. Waiving every
    playlist let a friend's export holding a file of the user's take the user's track: its
    id, vector and playlist places went to the friend's. Counting every other playlist kept
    a freshly scanned copy (no vector) in a playlist file added on the new machine, and
    ``forget --missing`` deleted the imported track with the export's vector."""
    if conn.execute("SELECT 1 FROM dataset_tracks WHERE track_id = ? LIMIT 1",
                    (copy_id,)).fetchone() is not None:
        return True
    if imported and any_playlist:
        return False
    if imported:
        return conn.execute(_OWN_VECTORS_IN_OWN_PLAYLISTS_SQL + " LIMIT 1",
                            (copy_id, copy_id)).fetchone() is not None
    return conn.execute(_IN_PLAYLISTS_SQL + " LIMIT 1", (copy_id,)).fetchone() is not None


def _hash_group(conn: sqlite3.Connection, digest: str, size: int | None,
                groups: HashGroups) -> list[CopyRow]:
    """The tracks whose hash (:data:`HASH_TELLS_FILE_SQL`) is ``digest``, read once per pass:
    by the index, of ``size`` (the asking track's; imported ones are stored under 0), or, for
    an imported track (``size`` None), with every other hash's (:data:`HashGroups`)."""
    if digest in groups:
        return groups[digest]
    select = ("SELECT h.hash, t.id, t.path, t.size, t.mtime_ns, t.status FROM track_hashes h"
              f" JOIN tracks t ON t.id = h.track_id WHERE {HASH_TELLS_FILE_SQL}")
    if size is not None:
        groups[digest] = [tuple(r[1:]) for r in conn.execute(
            f"{select} AND h.size IN (?, 0) AND h.hash = ?", (size, digest))]
        return groups[digest]
    if _ALL_READ not in groups:
        groups[_ALL_READ] = []
        every: HashGroups = {}
        for r in conn.execute(select):
            every.setdefault(str(r[0]), []).append(tuple(r[1:]))
        for key, rows in every.items():
            groups.setdefault(key, rows)
    return groups.get(digest, [])  # read, then adopted in this pass: told none


def fold_copies_into_moves(conn: sqlite3.Connection, marked: set[int], moved: set[int],
                           result: "ScanReport", rewritten: dict[int, str] | None = None
                           ) -> None:
    """:func:`adopt_copies` of the tracks a scan has just marked missing (``marked``) but a
    drive's not mounted (:func:`.gone_roots.on_drives_not_mounted`: a laptop copy is no move),
    the scan's sets and counts set right (``moved``: its moved ids; ``result``: its report):
    each track adopted is moved, not missing, and no longer named as missing. ``rewritten``:
    the tracks (id -> DB path) the scan read changed; one whose file turns out to be a
    marked track's, moved over it, is no longer counted changed (:func:`_tell_moved_over`)."""
    held = on_drives_not_mounted(conn, marked)
    _tell_held_copies(conn, held, result)
    rewritten = rewritten or {}
    places = _playlist_places(conn, list(rewritten)) if marked - held else {}
    adopted = adopt_copies(conn, marked - held, rewritten)
    if not adopted:
        return
    marked.difference_update(adopted)  # the caller's sets, in place
    moved.update(adopted)
    result.missing -= len(adopted)
    result.moved += len(adopted)
    _drop_examples(result, "missing", _old_paths_shown(conn, list(adopted)))
    for path in adopted.values():
        result.note("moved", path)
    _tell_moved_over(conn, adopted, rewritten, places, result)


def _drop_examples(result: "ScanReport", kind: str, shown: set[str]) -> None:
    """Take the paths ``shown`` out of the report's examples of ``kind`` (with their URIs)."""
    names, uris = result.examples.get(kind, []), result.example_uris.get(kind, [])
    keep = [i for i, name in enumerate(names) if name not in shown]
    if kind in result.examples:
        result.examples[kind] = [names[i] for i in keep]
        result.example_uris[kind] = [uris[i] for i in keep if i < len(uris)]


def _playlist_places(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
    """How many playlist entries each of the tracks ``ids`` has (those in none are absent),
    asked before :func:`adopt_copies` gives a rewritten copy's entries to the track."""
    places: dict[int, int] = {}
    for marks, chunk in in_chunks(ids):
        places.update((int(t), int(n)) for t, n in conn.execute(
            f"SELECT track_id, COUNT(*) FROM playlist_entries WHERE track_id IN ({marks})"
            " GROUP BY track_id", chunk))
    return places


def _tell_moved_over(conn: sqlite3.Connection, adopted: dict[int, str],
                     rewritten: dict[int, str], places: dict[int, int],
                     result: "ScanReport") -> None:
    """Of the tracks ``adopted``, those whose file was moved over a ``rewritten`` track's
    (``mv a.wav b.wav``): the scan counted that file changed, then the move — "1 changed, 1
    moved" for one file moved. Each is a move only, with a note of where it came from and
    what became of the track it replaced (:func:`moved_over_note`)."""
    over = {path: tid for tid, path in rewritten.items()}
    told = {tid: path for tid, path in adopted.items() if path in over}
    result.updated -= len(told)
    _drop_examples(result, "changed", {P.display(path) for path in told.values()})
    for tid, path in told.items():
        old = conn.execute("SELECT old_path FROM track_moves WHERE track_id = ?"
                           " ORDER BY moved_at DESC LIMIT 1", (tid,)).fetchone()[0]
        result.notes.append((ShownPath.of(path),
                             moved_over_note(old, path, places.get(over[path], 0))))


def moved_over_note(old_path: str, path: str, entries: int) -> str:
    """What a scan says of the file at ``path`` (DB form), a track's file moved there from
    ``old_path`` over another track's: the track kept its vectors and playlists; the other
    track's audio is gone, so it left the library, and its ``entries`` in playlists, which
    name this path, play this file now."""
    folder, _slash, name = old_path.rpartition("/")
    source = name if folder == path.rpartition("/")[0] else old_path
    plays = (f"; its {counted(entries, 'playlist entry', 'playlist entries')} now "
             f"{noun(entries, 'plays', 'play')} this file" if entries else "")
    return (f"moved here from {P.display(source)}, over another track's file: that track "
            f"left the library (its audio was overwritten){plays}")


def _old_paths_shown(conn: sqlite3.Connection, ids: list[int]) -> set[str]:
    """The old paths (as shown) of the tracks ``ids`` moved, asked in chunks: one query for
    all made a scan that folded more than 999 copies (a large album folder copied to another
    drive, then deleted) fail with "too many SQL variables" on older SQLite builds."""
    shown: set[str] = set()
    for marks, chunk in in_chunks(ids):
        shown.update(P.display(p) for (p,) in conn.execute(
            f"SELECT old_path FROM track_moves WHERE track_id IN ({marks})", chunk))
    return shown


HELD_FOLDERS_LISTED = 3
"""The most folders :func:`_tell_held_copies` notes one a line; more are summed in one."""

def held_copies_remedy(folders: str) -> str:
    """How both front ends move tracks held back from their copies, named by their
    ``folders`` ("this folder"): a bare ``forget --missing`` would also remove the missing
    tracks of a drive unplugged elsewhere, which have no copy."""
    return (f"`musicsage forget --missing` of {folders} (or File › Remove missing tracks, "
            "which asks first)")


def _tell_held_copies(conn: sqlite3.Connection, held: set[int], result: "ScanReport") -> None:
    """Note each plain folder left empty inside a music folder (:func:`.gone_roots.
    empty_folders_holding`) whose missing tracks of ``held`` (those the scan keeps from their
    copies: a drive not mounted?) have a lone copy: an album's files moved elsewhere, its
    folder left, said "0 moved, 2 now missing" beside 2 new tracks and no word of the way to
    move them. Many folders are summed in one note, on the first."""
    groups: HashGroups = {}
    folders = {folder: n for folder, ids in empty_folders_holding(conn, held).items()
               if (n := sum(lone_copy(conn, t, groups) is not None for t in ids))}
    if len(folders) > HELD_FOLDERS_LISTED:
        first, n = next(iter(folders)), sum(folders.values())
        result.notes.append((ShownPath.of(first), held_copies_note(n, len(folders) - 1)))
        return
    for folder, n in folders.items():
        result.notes.append((ShownPath.of(folder), held_copies_note(n)))


def held_copies_note(n: int, others: int = 0) -> str:
    """What a scan says of an empty folder's ``n`` missing tracks with copies (``others``: more
    such folders summed in): a guess, as the unplugged-drive notes are, with the way to move
    them should they have been moved."""
    whose = f", as are {counted(others, 'other folder')}: their" if others else ": its"
    return (f"{EMPTY_ROOT}{whose} {counted(n, 'missing track')} "
            f"{noun(n, 'has a copy', 'have copies')} in the library; if "
            f"{noun(n, 'it was', 'they were')} moved, "
            f"{held_copies_remedy('these folders' if others else 'this folder')} moves "
            f"{noun(n, 'it', 'them')} to {noun(n, 'its copy', 'their copies')}")
