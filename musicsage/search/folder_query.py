"""The one line for a QUERY or PLAYLIST that names a folder, saying what to give instead
by what the folder holds of the library.

``similar FOLDER`` said "give one of its audio files" of every folder: of one the library
never scanned (its files are no tracks: the advice failed again, "not in the library") and
of a folder of playlists (no audio file in it; ``suggest`` is what goes with a playlist);
``suggest FOLDER`` said "no playlist matches 'FOLDER' (by id, path or name)", not that it is
a folder, nor how to import its playlists.
"""

from __future__ import annotations

import functools
import itertools
import os
import sqlite3
from typing import Callable, Iterable

from musicsage.files import same_path
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


def _holds(stored: Iterable[tuple[str, int | None]], folders: set[str],
           files_here: Callable[[], dict[str, list[tuple[str, int]]]]) -> bool:
    """Whether a file of ``stored`` (paths, with the size the scan saw where known) is inside
    one of ``folders``, or is one of ``files_here()`` (the files under the folder typed, by
    name) by another path: a link inside a music folder (``Music/linked`` ->
    ``/elsewhere/album``) has its tracks stored through the link, and ``/elsewhere/album``
    typed was sent to a scan that changed nothing. Only the folder typed is looked into, and
    a stored file only where its name and size are one found there: resolving every track's
    folder (24,000 lstat for 30,000 tracks) woke the library's disks and hung on a stale
    network share, to say a folder holds nothing. Where no name and size are one, a file of
    its name alone: a re-tagged album (its sizes changed) was told to be scanned, which
    added it a second time."""
    files = [(p, size) for p, size in stored if is_file_path(p)]
    if any(any(is_under(p, f) for f in folders) for p, _ in files):
        return True
    found = files_here()
    named = [(p, size, there, its_size) for p, size in files
             for there, its_size in found.get(os.path.basename(p), ())]
    return any(same_path(to_fs(p), there) for p, size, there, its_size in named
               if size is None or size == its_size) or any(
        same_path(to_fs(p), there) for p, size, there, its_size in named
        if size is not None and size != its_size)


LOOKED_AT = 5000
"""How many entries under a folder typed :func:`_files_under` looks at, at most."""


def _files_under(fs_folder: str) -> dict[str, list[tuple[str, int]]]:
    """The files under ``fs_folder`` (links to folders not followed) with their sizes, by
    name in the stored form; the first :data:`LOOKED_AT` entries only (a folder given by a
    slip, ``/``)."""
    found: dict[str, list[tuple[str, int]]] = {}
    folders, seen = [fs_folder], 0
    while folders and seen < LOOKED_AT:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in itertools.islice(entries, LOOKED_AT - seen):
                    seen += 1
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file():
                        found.setdefault(from_fs(entry.name), []).append(
                            (entry.path, entry.stat().st_size))
        except OSError:
            continue
    return found


def folder_line(conn: sqlite3.Connection, query: str, *, wanted: str = "track") -> str | None:
    """Why the folder ``query`` names is no ``wanted`` ("track" for a QUERY, "playlist" for
    a PLAYLIST), and what to give; None when ``query`` names no folder."""
    fs_folder = os.path.expanduser(query)
    if not os.path.isdir(fs_folder):
        return None
    said, folders = shown(query), _forms(conn, fs_folder)
    files_here = functools.cache(lambda: _files_under(fs_folder))  # looked at once, if at all
    tracks = _holds(((r["path"], r["size"]) for r in queries.all_tracks(conn)), folders,
                    files_here)
    playlists = _holds(((p, None) for p in playlist_paths(conn)), folders, files_here)
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
