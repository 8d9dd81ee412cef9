"""Where a stored playlist's file is: gone for good or only out of reach, and the same file
stored under another spelling of its path (or, imported apart, under another name: read again
after each edit of it).

Both guard a playlist's id, which a trained graph model keeps a vector for: a playlist removed
while its drive was unplugged came back (imported again by hand) under a new id, and one file
imported through a symlinked folder and its real path was two playlists, each membership
counted twice in training.
"""

from __future__ import annotations

import os

from musicsage.library import paths as P
from musicsage.library.playlists.base import format_for
from musicsage.library.tags import audio_format
from musicsage.library.walk import is_hidden_folder, is_resource_fork


CLOCK_SLACK_SECONDS = 2.0
"""How much earlier than the import a folder's time must be to count as "not modified since":
a file system's clock is coarser than the database's (FAT keeps two-second times; the kernel's
file clock lags by a few ms), and a file deleted just after its import must still count as
deleted. A drive's mount point was made long before."""


def file_unreachable(conn, playlist_id: int, fs_path: str) -> bool:
    """Whether a playlist whose file is missing from its folder (``fs_path``) may only be out
    of reach — its drive not mounted — rather than deleted: it is kept, and not said removed.

    An unmounted drive leaves its mount point, a folder that is there but empty, and takes the
    music on it along. So the file counts as out of reach when its folder holds nothing but
    what a bare mount point may hold (:func:`_mount_point_litter`) and was not modified since
    the file was last imported from it — deleting the file would have modified it: this is
    another folder, the one under the drive —, or when the playlist has tracks and not one of
    their files is there now (they went with it). A file the user deleted leaves its folder
    modified, or other things in it, and its tracks in place: that playlist leaves the
    library. Its tracks are looked at on disk, not by their ``status``: ``scan --playlists``
    alone does not re-scan the music, and a track still marked present may be on the
    unplugged drive."""
    folder = os.path.dirname(fs_path)
    try:
        with os.scandir(folder) as entries:
            empty = all(_mount_point_litter(e) for e in entries)
        modified = os.stat(folder).st_mtime
    except OSError:
        return True  # nothing can be known of it
    imported = conn.execute("SELECT (julianday(imported_at) - 2440587.5) * 86400.0"
                            " FROM playlists WHERE id = ?", (playlist_id,)).fetchone()
    if (empty and imported is not None and imported[0] is not None
            and modified < imported[0] - CLOCK_SLACK_SECONDS):
        return True
    tracks = conn.execute("SELECT DISTINCT t.path FROM playlist_entries e JOIN tracks t"
                          " ON t.id = e.track_id WHERE e.playlist_id = ?", (playlist_id,))
    paths = [r[0] for r in tracks if P.is_file_path(r[0])]
    return bool(paths) and not any(os.path.lexists(P.to_fs(p)) for p in paths)


def _mount_point_litter(entry: os.DirEntry) -> bool:
    """Whether ``entry`` is something a bare mount point may hold, the drive's music gone
    with it: a folder the scan skips as hidden (``.Trash-1000``:
    :func:`~musicsage.library.walk.is_hidden_folder`), a file it skips as macOS litter
    (``._mix.m3u``: :func:`~musicsage.library.walk.is_resource_fork`), or a dotted file it
    reads nothing from (``.DS_Store``, ``.directory``). Not what the scan reads: an album's
    ``...And Justice for All/``, a dotted track (``.hidden take.wav``) or playlist — a
    folder holding music is no bare mount point, so the file was deleted. The folders' rule
    was applied to file names: a dotted track counted as litter, and a playlist deleted
    from beside it was kept as one that "cannot be reached"."""
    name = entry.name
    if entry.is_dir():
        return is_hidden_folder(name)
    if is_resource_fork(name):
        return True
    return name.startswith(".") and audio_format(name) is None and format_for(name) is None


def same_file_rows(conn, fs_path: str) -> list[tuple[int, str]]:
    """The playlists stored for the file at ``fs_path`` (``(id, DB path)``, oldest first):
    its own path's, and those under another spelling of it (a symlinked folder and its real
    path, a hard link) — the same file by device and inode, looked for among the stored paths
    with its file name, so an import stats a few files, not every playlist's."""
    name = P.from_fs(os.path.basename(fs_path))
    own = P.from_fs(fs_path)
    rows = conn.execute("SELECT id, path FROM playlists WHERE path = ? OR substr(path, ?) = ?"
                        " ORDER BY id", (own, -len(name) - 1, "/" + name)).fetchall()
    return [(r[0], r[1]) for r in rows if r[1] == own or _same_file(P.to_fs(r[1]), fs_path)]


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one file; False when either cannot be looked at."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def gone_file_line(fs_path: str, name: str, verb: str) -> str:
    """Why a stored playlist's file at ``fs_path`` could not be opened to ``verb`` (add,
    remove) tracks, and what to do. A file deleted from its folder leaves the library at the
    next scan; but a folder that is gone (a drive not mounted, a folder moved) keeps its
    playlists (:func:`~.store.playlist_file_gone`), and "re-scan the library, then add again"
    sent the user round in a circle: the scan kept it, the add said the same again."""
    folder = os.path.dirname(fs_path)
    if not os.path.isdir(folder):
        return (f"playlist {name!r}: its folder {P.shown(folder)} is not there (a drive not "
                f"mounted, or the folder moved?); mount it or put it back, then {verb} again "
                "— the library keeps the playlist while its folder is missing")
    return (f"playlist {name!r}: its file {P.shown(fs_path)} is gone; re-scan the library, "
            f"then {verb} again")


def other_names(conn, fs_path: str, row) -> list[str]:
    """The files (OS paths) of the library's other playlists that are the file at ``fs_path``
    under another name (a symlink or a hard link named otherwise, imported as a playlist of
    its own), for an add or a remove that wrote it to import again; ``row``: the written
    playlist as imported before the write. Not imported again, they kept the entries from
    before the write, and an edit through them was refused as "changed on disk since it was
    imported" for musicsage's own write. Only the playlists stored with ``row``'s size and
    time are looked at on disk: a few stats, never one per playlist of the library (a stale
    network mount hangs each)."""
    others = conn.execute("SELECT path FROM playlists WHERE size = ? AND mtime_ns = ?"
                          " AND id != ? ORDER BY id",
                          (row["size"], row["mtime_ns"], row["id"])).fetchall()
    return [P.to_fs(r[0]) for r in others
            if P.is_file_path(r[0]) and _same_file(P.to_fs(r[0]), fs_path)]
