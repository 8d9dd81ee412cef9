"""Music given where a scan expects playlists (``scan --playlists LISTS MUSIC``), found for the
command line to name (:mod:`musicsage.commands.scan_hints` words it).

argparse gives ``--playlists`` every path that follows it, so a music folder typed after it was
read as a folder of playlists and never scanned. Only music outside every music folder of the
library counts: a folder of playlists that merely holds a music folder already scanned (``~``
around ``~/Music``) is no music to name, and telling the user to scan it would make ``~`` a
music folder.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from typing import TYPE_CHECKING, NamedTuple, Sequence

from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.context import AppContext


class MusicGiven(NamedTuple):
    typed: str
    """The value after ``--playlists``, as typed."""
    is_file: bool
    """An audio file (else a folder holding one)."""


def music_given_as_playlists(ctx: "AppContext | None", paths: Sequence[str],
                             playlists: Sequence[str]) -> list[MusicGiven]:
    """The values after ``--playlists`` that are music outside every music folder of the
    library at ``ctx`` (None: no library): an audio file, or a folder with one outside them.
    Only when no PATH came before ``--playlists`` (the order that makes argparse read music as
    playlists). [] when the library's music folders cannot be read: music that may be
    inside them is not named."""
    if paths or not playlists:
        return []
    roots = _music_folders(ctx)
    if roots is None:
        return []
    real_roots = [os.path.realpath(r) for r in roots]
    found = []
    for typed in playlists:
        kind = _music_kind(_fs_path(typed), real_roots)
        if kind is not None:
            found.append(MusicGiven(typed, kind))
    return found


def _fs_path(typed: str) -> str:
    from musicsage.library.paths import typed_path

    return os.path.abspath(typed_path(os.fsdecode(typed)))


def _music_folders(ctx: "AppContext | None") -> list[str] | None:
    """The library's music folders as OS paths ([] without a library; None when they cannot
    be read). Read through a connection of its own, closed after: the thread's cached one
    (:func:`~musicsage.library.db.connect`) stayed open, the library's file held, after a
    refused scan had only looked for these words."""
    from musicsage.library.db import open_connection
    from musicsage.library.paths import to_fs
    from musicsage.library.queries import library_roots

    try:
        if ctx is None or not ctx.has_library():
            return []
        with closing(open_connection(ctx.db_path)) as conn:
            return [to_fs(root) for root in library_roots(conn)]
    except (MusicsageError, OSError, sqlite3.Error):
        return None


def _music_kind(fs_path: str, real_roots: list[str]) -> bool | None:
    """True for an audio file, False for a folder with audio outside ``real_roots``, None for
    neither (or inside one of them). The walk stops at the first audio file and never enters
    the library's music folders; a system folder (``/proc``) is never walked."""
    from musicsage.library.paths import is_under
    from musicsage.library.tags import audio_format
    from musicsage.library.walk import refuse_system_folder, walk_audio_files

    if any(is_under(os.path.realpath(fs_path), root) for root in real_roots):
        return None
    if os.path.isfile(fs_path):
        return True if audio_format(fs_path) is not None else None
    if not os.path.isdir(fs_path):
        return None
    try:
        refuse_system_folder(fs_path)
    except MusicsageError:
        return None
    skipped = _folder_keys(real_roots)  # the walk's "seen already": it does not go in
    first = next(walk_audio_files(fs_path, on_error=lambda _path, _why: None, visited=skipped),
                 None)
    return False if first is not None else None


def _folder_keys(folders: list[str]) -> set[tuple[int, int]]:
    """(st_dev, st_ino) of each of ``folders`` there is."""
    keys = set()
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        keys.add((st.st_dev, st.st_ino))
    return keys
