"""Playlists: a small format registry (M3U/M3U8, PLS, XSPF), entry resolution, DB import.

Importing the format modules registers them; :func:`import_playlists` is the entry point the
scan service uses. Music players' own libraries (Apple Music/iTunes, Rhythmbox, Strawberry,
Clementine: many playlists in one file) are recognised by content, see :mod:`.players`.
"""

from __future__ import annotations

import os
from typing import Collection, Iterable, Mapping

from musicsage.library import paths as P
from musicsage.library.lock import scan_lock
from musicsage.library.playlists import m3u, pls, xspf  # noqa: F401  (register the formats)
from musicsage.library.playlists import itunes, rhythmbox, strawberry  # noqa: F401  (players)
from musicsage.library.playlists.base import (FORMATS, ParsedPlaylist, PlaylistError,
                                               PlaylistFormat, RawEntry, format_for, register)
from musicsage.library.playlists.players import (PLAYER_FORMATS, PlayerFileRead,
                                                  import_player_library, library_index,
                                                  player_files_in, player_format_for,
                                                  player_sources_to_refresh)
from musicsage.library.playlists.resolve import Resolution, TrackIndex, resolve_entry
from musicsage.library.playlists.store import (PlaylistReport, find_playlist_files,
                                                forget_gone_playlists, import_playlist_file)
from musicsage.library.scan_report import ShownPath
from musicsage.library.walk import stored_ns
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

__all__ = ["FORMATS", "PLAYER_FORMATS", "ParsedPlaylist", "PlaylistError", "PlaylistFormat",
           "PlaylistReport", "RawEntry", "Resolution", "TrackIndex", "find_playlist_files",
           "format_for", "import_playlist_file", "import_playlists", "is_playlist_file",
           "no_playlists_in", "player_format_for", "playlist_extensions",
           "playlist_files_to_refresh", "playlist_kinds", "playlists_to_refresh",
           "playlists_to_reimport", "register", "resolve_entry"]


def playlist_extensions() -> list[str]:
    """Every playlist file extension musicsage reads (``.m3u``, …), sorted: what a file
    dialog offers and the window names, kept with the formats themselves."""
    return sorted({e for fmt in FORMATS.values() for e in fmt.extensions})


def playlist_kinds() -> str:
    """The playlist formats read, as a window names them: "M3U, M3U8, PLS, XSPF"."""
    return ", ".join(e.lstrip(".").upper() for e in playlist_extensions())


def is_playlist_file(fs_path: str) -> bool:
    """A playlist file (by extension) or a music player's library file (by content, such as
    Rhythmbox's ``playlists.xml`` or an iTunes ``Library.xml``): what is imported as
    playlists when dropped on the window, not scanned as music (which would skip it)."""
    return format_for(fs_path) is not None or player_format_for(fs_path) is not None


def no_playlists_in(folder: str) -> bool:
    """Whether ``folder`` (an OS path) is a folder listed whole that holds no playlist file
    (:func:`find_playlist_files`) nor a player's library file (:func:`player_files_in`):
    ``scan --playlists`` of it has nothing to import. A folder holding only Rhythmbox's
    ``playlists.xml`` is not empty, and neither is one that cannot be listed (the scan says
    "cannot list folder" for it, not that it holds nothing)."""
    if not os.path.isdir(folder):
        return False
    unlisted: list[str] = []
    found = find_playlist_files(folder, lambda f, reason: unlisted.append(f))
    return not (unlisted or found or player_files_in(folder))


def import_playlists(conn, paths: Iterable[str], *, refreshing: Collection[str] = (),
                     read: Mapping[str, PlayerFileRead] | None = None,
                     progress: ProgressFn | None = None,
                     cancel: CancelToken | None = None) -> list[PlaylistReport]:
    """Import playlist files, folders of playlists and players' library files or their folders
    (absolute OS paths); one report per playlist (and per list a player library skipped).

    ``refreshing``: those of ``paths`` re-read only because the library grew; their reports are
    marked ``refreshed`` — unless a path the user gave (listed before them) holds the file too.
    ``read``: players' library files read already (by their OS path), not read again."""
    refresh_only = {os.path.abspath(p) for p in refreshing}
    files: dict[str, bool] = {}  # file → read only as a refresh
    reports: list[PlaylistReport] = []  # first, the folders that could not be looked into

    def unlistable(folder: str, reason: str) -> None:
        reports.append(PlaylistReport(path=ShownPath.of(P.from_fs(folder)),
                                      error=f"cannot list folder: "
                                      f"{reason}; the playlists in it were not read"))

    seen: set[str] = set()  # one file given by two spellings (a symlinked folder): read once
    for p in (os.path.abspath(p) for p in paths):
        for f in (find_playlist_files(p, unlistable)
                  + (player_files_in(p) if os.path.isdir(p) else [])):
            if os.path.realpath(f) not in seen:
                seen.add(os.path.realpath(f))
                files.setdefault(f, p in refresh_only)
    with scan_lock(conn, progress=progress, cancel=cancel, stage="playlists"):
        index = library_index(conn)  # with the paths moved tracks had
        for i, (f, refreshed) in enumerate(files.items(), start=1):
            check_cancel(cancel)
            player = player_format_for(f) if format_for(f) is None else None
            if player is not None:
                new = import_player_library(conn, f, fmt=player, index=index,
                                            read=(read or {}).get(f))
            else:
                new = [import_playlist_file(conn, f, index=index)]
            for rep in new:
                rep.refreshed = refreshed
            reports.extend(new)
            report(progress, "playlists", i, len(files), new[-1].path if new else f)
    return reports


def playlist_files_to_refresh(conn, *, library_grew: bool) -> list[str]:
    """Playlist files imported before that a re-scan should import again (OS paths): those
    whose file changed (size or mtime), and — when the scan added tracks — those with
    unresolved entries, which the new tracks may resolve (players' library files likewise).
    A playlist file that is gone is not among them: nothing to read. Its playlist leaves the
    library by :func:`~musicsage.library.playlists.store.forget_gone_playlists` (which the
    scan and the watch call first), or stays while its folder is gone (a drive not mounted)."""
    return list(playlists_to_refresh(conn, library_grew=library_grew))


def playlists_to_refresh(conn, *, library_grew: bool) -> dict[str, bool]:
    """:func:`playlist_files_to_refresh`, each mapped to whether its file changed: False for
    one read again only because the library grew (pass those as ``import_playlists``'s
    ``refreshing``, so that its report tells only what the new tracks resolved)."""
    stale: dict[str, bool] = {}
    for r in conn.execute(
            "SELECT p.path, p.size, p.mtime_ns, COUNT(e.position) - COUNT(e.track_id) AS unresolved"
            " FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id"
            " WHERE substr(p.path, 1, 1) = '/' GROUP BY p.id ORDER BY p.id").fetchall():
        fs = P.to_fs(r["path"])
        try:
            st = os.stat(fs)
        except OSError:
            continue
        changed = (st.st_size, stored_ns(st.st_mtime_ns)) != (r["size"], r["mtime_ns"])
        if changed or (library_grew and r["unresolved"]):
            stale[fs] = changed
    return stale | player_sources_to_refresh(conn, library_grew=library_grew)


def playlists_to_reimport(conn, files: list[str], *, library_grew: bool,
                          progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                          unreachable: list[str] | None = None
                          ) -> tuple[list[str], list[str], list[str]]:
    """What a re-scan or a watch batch imports after its audio: ``files`` (OS paths it was
    given), the renamed files of playlists whose file is gone (those playlists leave the
    library first, :func:`~musicsage.library.playlists.store.forget_gone_playlists`) and the
    stale ones (:func:`playlists_to_refresh`). Returns (files, refreshing — those read again
    only because the library grew —, the names of the playlists gone). One sequence for the
    scan and the watch, which had each written it out. ``unreachable``, when given, is
    extended with the names of the playlists kept though their file is missing (out of reach:
    a drive not mounted), for the caller to say so rather than nothing or "removed"."""
    gone = forget_gone_playlists(conn, progress=progress, cancel=cancel)
    if unreachable is not None:
        unreachable.extend(gone.unreachable)
    files = files + [f for f in gone.renamed if f not in files]
    stale = playlists_to_refresh(conn, library_grew=library_grew)
    refreshing = [f for f, changed in stale.items() if not changed and f not in files]
    files += [f for f in stale if f not in files]  # unchanged, not touched: only news is said
    return files, refreshing, gone.names
