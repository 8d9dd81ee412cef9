"""What a scan was given, checked before anything is opened or made: the music roots and
playlist files as absolute paths, an audio file given that cannot be read, a lone playlist
file that would not import, playlist folders that hold none. Apart from the library use
cases: the command line runs these checks before it makes the data dir (a refusal must
leave no library behind), and what they read is handed to the scan so it reads nothing
twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from musicsage.library.playlists.players import PlayerFileRead
    from musicsage.library.probed import ProbedFiles


@dataclass(frozen=True)
class ScanPaths:
    """What a scan was given, checked (:func:`checked_scan_paths`): absolute OS paths, and
    what reading the audio files named found (:class:`~musicsage.library.probed.ProbedFiles`:
    the scan takes it instead of decoding each file again), and the player's library file
    read when it was all the scan was given (by OS path; the import takes it likewise)."""

    playlists: list[str]
    roots: list[str]
    probed: "ProbedFiles"
    players: "dict[str, PlayerFileRead]" = field(default_factory=dict)


def checked_scan_paths(paths: Sequence[str] = (), playlists: Sequence[str] = (), *,
                       refuse_lone_playlist: bool = True,
                       refuse_unreadable: bool = True) -> ScanPaths:
    """The playlist files and music roots a scan was given, as absolute paths, refused in one
    line when one is missing or not music, or is an audio file that cannot be read. Called
    before anything is opened or made (here and by the command line before it makes the data
    dir): ``scan /typo`` into a new ``--data-dir`` left an empty library behind, and so did
    ``scan junk.mp3``, which then listed the file as a music folder. An unreadable file inside
    a folder given is the scan's to report (an error line; the scan goes on). What the files
    read said is kept: give the result to :func:`scan_library` so that it reads none again.

    ``refuse_lone_playlist`` (the command line): a playlist file that cannot be imported,
    when it is all the scan was given, is refused too (``scan --playlists bad.xspf`` printed
    a warning and exited 0, as if it had worked; so did a broken iTunes ``Library.xml``); one
    among others is the scan's to report. The window's drop says it in its summary either
    way.

    ``refuse_unreadable`` False (the window's drop): an audio file given that
    cannot be read is the scan's to report, as one inside a folder is, so that one stray file
    does not stop the rest (a FIFO or a device is still refused: opening it could block)."""
    import os

    from musicsage.errors import MusicsageError
    from musicsage.library.paths import shown
    from musicsage.library.probed import ProbedFiles
    from musicsage.library.scan import resolve_roots
    from musicsage.library.tags import UnreadableAudio

    playlist_paths = resolve_roots(playlists, must_exist=True)
    roots = resolve_roots(paths, must_exist=True, music=True) if paths else []
    probed = ProbedFiles()
    for root in (r for r in roots if not os.path.isdir(r)):
        try:
            if not os.path.isfile(root):  # a FIFO or a device: opening it could block
                raise UnreadableAudio("not a regular file")
            if refuse_unreadable:
                probed.read(root)
        except UnreadableAudio as exc:
            raise MusicsageError(f"{shown(root)} cannot be read: {exc}; nothing was "
                                 "scanned") from exc
    lone = playlist_paths[0] if len(playlist_paths) == 1 and not roots else None
    players: dict = {}
    problem = (lone_playlist_problem(lone, players) if refuse_lone_playlist and lone
               else None)
    if problem:
        raise MusicsageError(f"{shown(lone)}: {problem}")
    if refuse_lone_playlist and not roots:
        _refuse_empty_playlist_folders(playlist_paths)
    return ScanPaths(playlist_paths, roots, probed, players)


def _refuse_empty_playlist_folders(playlist_paths: Sequence[str]) -> None:
    """``scan --playlists FOLDER…`` where no folder holds a playlist file, and nothing else was
    given: one line, before the data dir is made (it printed nothing, exited 0 and left an
    empty library behind). A folder holding a player's library file (Rhythmbox's) or one that
    cannot be listed is scanned (:func:`~musicsage.library.playlists.no_playlists_in`)."""
    from musicsage.errors import MusicsageError
    from musicsage.library.paths import shown_exactly
    from musicsage.library.playlists import no_playlists_in

    if playlist_paths and all(no_playlists_in(p) for p in playlist_paths):
        where = ", ".join(shown_exactly(p) for p in playlist_paths)
        raise MusicsageError(f"no playlist files in {where}; nothing was scanned")


def lone_playlist_problem(fs_path: str, players: dict | None = None) -> str | None:
    """Why the playlist file at ``fs_path`` would not import, in the words the scan uses
    (:func:`~musicsage.library.playlists.store.import_playlist_file`,
    :func:`~musicsage.library.playlists.players.import_player_library`), or None: a folder of
    playlists and a file that reads are left to the scan. A player's library file is read
    whole (a ``Library.xml`` that does not parse is refused as a broken M3U is; what its
    reader skips is the scan's to report); what it read goes in ``players``, so that the scan
    does not read it again."""
    import os

    from musicsage.library.playlists import (PlaylistError, format_for, player_format_for,
                                             playlist_extensions)
    from musicsage.library.playlists.players import player_read_problem, read_player_file
    from musicsage.library.playlists.store import read_playlist_bytes

    if os.path.isdir(fs_path):
        return None
    player = player_format_for(fs_path)
    if player is not None:
        try:
            read = read_player_file(fs_path, player)
        except (OSError, PlaylistError) as exc:
            return player_read_problem(exc)
        if players is not None:
            players[fs_path] = read
        return None
    fmt = format_for(fs_path)
    if fmt is None:
        return f"not a playlist file (extension not one of {' '.join(playlist_extensions())})"
    try:
        fmt.parse(read_playlist_bytes(fs_path)[1], os.path.basename(fs_path))
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except PlaylistError as exc:
        return str(exc)
    return None
