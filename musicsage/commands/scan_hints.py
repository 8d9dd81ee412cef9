"""``scan --playlists P MUSIC``: music taken for playlists, said in one line.

argparse gives ``--playlists`` every path that follows it (``nargs="+"``), so
``musicsage scan --playlists ~/Music/Playlists ~/Music`` scanned no music: ``~/Music`` was read
as a folder of playlists, and the user saw only "none of its entries were found in the library;
if the files moved, scan the folder they are in now" for every playlist (exit 0), or "no
playlist files in ~/Music" — never that the music folder was not scanned, nor why. The
opposite mistake (a playlist given as a PATH) already names ``--playlists``.
"""

from __future__ import annotations

import argparse
import os
import shlex

from musicsage.context import AppContext
from musicsage.errors import MusicsageError


def music_after_playlists(args: argparse.Namespace, ctx: AppContext | None) -> list[str]:
    """The values after ``--playlists`` (as typed) that are music outside every music folder
    of the library: an audio file, or a folder holding one. Only when no PATH was given before
    ``--playlists``: that is the order that makes argparse read music as playlists, and a
    folder of playlists inside a music folder of the library holds music already scanned."""
    from musicsage.library.paths import is_under, typed_path

    if args.paths or not args.playlists:
        return []
    roots = _library_roots(ctx)
    found = []
    for given in args.playlists:
        fs_path = os.path.abspath(typed_path(os.fsdecode(given)))
        if not any(is_under(fs_path, root) for root in roots) and _holds_music(fs_path):
            found.append(given)
    return found


def music_hint(args: argparse.Namespace, given: list[str]) -> str:
    """The words for :func:`music_after_playlists`' paths ``given``: what happened, and the
    command that scans them (with ``--playlists`` for the other paths given after it)."""
    from musicsage.text import printable

    what = ", ".join(printable(os.fsdecode(g)) for g in given)
    words = ["musicsage", "scan", *(shlex.quote(os.fsdecode(g)) for g in given)]
    others = [p for p in args.playlists if p not in given]
    if others:
        words += ["--playlists", *(shlex.quote(os.fsdecode(p)) for p in others)]
    return (f"{what} {'holds' if len(given) == 1 else 'hold'} music, which --playlists does "
            f"not scan: name music before --playlists (`{printable(' '.join(words))}`)")


def with_music_hint(args: argparse.Namespace, exc: MusicsageError) -> MusicsageError:
    """``exc`` (a refusal of the scan's paths before anything is made: ``scan --playlists
    ~/Music`` said only "no playlist files in ~/Music") with :func:`music_hint` added when
    music was given as playlists."""
    given = music_after_playlists(args, None)
    return MusicsageError(f"{exc}; {music_hint(args, given)}") if given else exc


def _library_roots(ctx: AppContext | None) -> list[str]:
    """The library's music folders as OS paths ([] without a library)."""
    if ctx is None or not ctx.has_library():
        return []
    from musicsage.library.db import connect
    from musicsage.library.paths import to_fs
    from musicsage.library.queries import library_roots

    return [to_fs(root) for root in library_roots(connect(ctx))]


def _holds_music(fs_path: str) -> bool:
    """An audio file, or a folder with one somewhere inside (the walk stops at the first). A
    system folder (``/proc``) is never walked: the scan refuses it on its own."""
    from musicsage.library.tags import audio_format
    from musicsage.library.walk import refuse_system_folder, walk_audio_files

    if os.path.isfile(fs_path):
        return audio_format(fs_path) is not None
    if not os.path.isdir(fs_path):
        return False
    try:
        refuse_system_folder(fs_path)
    except MusicsageError:
        return False
    return next(walk_audio_files(fs_path, on_error=lambda _path, _why: None), None) is not None
