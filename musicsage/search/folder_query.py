"""The one line for a QUERY or PLAYLIST that names a folder, saying what to give instead
by what the folder holds of the library.

``similar FOLDER`` said "give one of its audio files" of every folder: of one the library
never scanned (its files are no tracks: the advice failed again, "not in the library") and
of a folder of playlists (no audio file in it; ``suggest`` is what goes with a playlist);
``suggest FOLDER`` said "no playlist matches 'FOLDER' (by id, path or name)", not that it is
a folder, nor how to import its playlists.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Iterable

from musicsage.library import queries
from musicsage.library.paths import (from_fs, is_file_path, is_under, real_tail, shell_word,
                                     shown, to_fs)
from musicsage.library.relations import playlist_paths


def _forms(conn: sqlite3.Connection, fs_folder: str) -> set[str]:
    """The folder in the stored form, as typed and as its real path (a scan stores the path
    it walked, which may go through a link), and as spelled through a music folder scanned
    by a link: ``scan ~/Music`` (a link to ``/disk/Music``) stores ``~/Music/…``, and
    ``/disk/Music/album`` typed said "holds no track of the library: scan it first", which
    that scan (keeping the link's spelling) never changed. A music folder that lies in the
    folder once links are resolved is one of its forms: its tracks are the folder's."""
    typed = os.path.abspath(fs_folder)
    forms = {from_fs(typed), from_fs(os.path.realpath(fs_folder))}
    for root in queries.library_roots(conn):
        tail = real_tail(typed, to_fs(root))
        if tail is not None:
            forms.add(from_fs(os.path.join(to_fs(root), tail)) if tail else root)
        elif real_tail(to_fs(root), typed) is not None:
            forms.add(root)
    return forms


def _holds(stored_paths: Iterable[str], folders: set[str], real_folder: str) -> bool:
    """Whether a file of ``stored_paths`` is inside one of ``folders``, or its folder's real
    path inside ``real_folder`` (the folder's own, stored form): a link inside a music folder
    (``Music/linked`` -> ``/elsewhere/album``) has its tracks stored through the link, and
    ``/elsewhere/album`` typed was sent to a scan that changed nothing. Each distinct folder
    is resolved once, and only when no spelling matched."""
    paths = [p for p in stored_paths if is_file_path(p)]
    if any(any(is_under(p, f) for f in folders) for p in paths):
        return True
    parents = {os.path.dirname(p) for p in paths}
    return any(is_under(from_fs(os.path.realpath(to_fs(d))), real_folder) for d in parents)


def folder_line(conn: sqlite3.Connection, query: str, *, wanted: str = "track") -> str | None:
    """Why the folder ``query`` names is no ``wanted`` ("track" for a QUERY, "playlist" for
    a PLAYLIST), and what to give; None when ``query`` names no folder."""
    fs_folder = os.path.expanduser(query)
    if not os.path.isdir(fs_folder):
        return None
    said, folders = shown(query), _forms(conn, fs_folder)
    real = from_fs(os.path.realpath(fs_folder))
    tracks = _holds((r["path"] for r in queries.all_tracks(conn)), folders, real)
    playlists = _holds(playlist_paths(conn), folders, real)
    if wanted == "playlist":
        if playlists:
            return (f"{said} is a folder, not a playlist: give one of its playlist files, a "
                    "playlist's name or id (`musicsage playlists` lists them)")
        return (f"{said} is a folder, not a playlist, and holds no playlist of the library: "
                "give a playlist file, a playlist's name or id (`musicsage playlists` lists "
                f"them; `musicsage scan --playlists {shell_word(fs_folder)}` imports the "
                "playlist files in it)")
    if tracks:
        return (f"{said} is a folder, not a track: give one of its audio files, a title or a "
                "track id")
    if playlists:
        return (f"{said} is a folder of the library's playlists, not a track: `musicsage "
                "suggest PLAYLIST` lists tracks for one of them; a track is given as an "
                "audio file, a title or a track id")  # not "`similar` takes": radio too
    return (f"{said} is a folder, not a track, and holds no track of the library: scan it "
            f"first (`musicsage scan {shell_word(fs_folder)}`), then give one of its audio "
            "files, a title or a track id")
