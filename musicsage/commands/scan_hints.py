"""``scan --playlists P MUSIC``: music taken for playlists, said in one line.

argparse gives ``--playlists`` every path that follows it (``nargs="+"``), so
``musicsage scan --playlists ~/Music/Playlists ~/Music`` scanned no music: ``~/Music`` was read
as a folder of playlists, and the user saw only "none of its entries were found in the library;
if the files moved, scan the folder they are in now" for every playlist (exit 0), or "no
playlist files in ~/Music" — never that the music folder was not scanned, nor why. The
opposite mistake (a playlist given as a PATH) already names ``--playlists``. What counts as
such music is the use case's (:mod:`musicsage.usecases.music_as_playlists`); here, its words.
"""

from __future__ import annotations

import argparse
import os
import shlex

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.usecases.music_as_playlists import MusicGiven, music_given_as_playlists


def music_after_playlists(args: argparse.Namespace, ctx: AppContext | None) -> list[MusicGiven]:
    """The music given after ``--playlists`` outside the library's music folders (at ``ctx``,
    the library the scan used)."""
    return music_given_as_playlists(ctx, args.paths, args.playlists)


def music_hint(args: argparse.Namespace, given: list[MusicGiven]) -> str:
    """The words for :func:`music_after_playlists`' ``given``: what happened, and the command
    that scans them (with ``--playlists`` for the other paths given after it)."""
    from musicsage.text import printable

    typed = [g.typed for g in given]
    what = ", ".join(printable(os.fsdecode(t)) for t in typed)
    from musicsage.context import library_option

    library = library_option(getattr(args, "data_dir", None))  # not the default library's
    words = [f"musicsage {library}scan", *(shlex.quote(os.fsdecode(t)) for t in typed)]
    others = [p for p in args.playlists if p not in typed]
    if others:
        words += ["--playlists", *(shlex.quote(os.fsdecode(p)) for p in others)]
        how = "name music before --playlists"
    else:
        how = f"scan {'it' if len(given) == 1 else 'them'} as music"
    return (f"{what} {_is_music(given)}, which --playlists does not scan: {how} "
            f"(`{printable(' '.join(words))}`)")


def _is_music(given: list[MusicGiven]) -> str:
    """"is music" for an audio file, "holds music" for a folder (plural for several)."""
    if all(g.is_file for g in given):
        return "is music" if len(given) == 1 else "are music"
    return "holds music" if len(given) == 1 else "hold music"


def with_music_hint(args: argparse.Namespace, exc: MusicsageError) -> MusicsageError:
    """``exc`` (a refusal of the scan's paths before anything is made: ``scan --playlists
    ~/Music`` said only "no playlist files in ~/Music") with :func:`music_hint` added when
    music outside the library's music folders was given as playlists. The library at
    ``--data-dir`` is read when there is one (nothing is made): ``scan --playlists Music``
    with Music in the library was told to scan Music."""
    from musicsage.context import LibraryUse

    try:
        ctx = AppContext.create(args.data_dir, library=LibraryUse.NONE)
    except MusicsageError:
        return exc  # a --data-dir that is a file: the refusal alone
    given = music_after_playlists(args, ctx)
    return MusicsageError(f"{exc}; {music_hint(args, given)}") if given else exc
