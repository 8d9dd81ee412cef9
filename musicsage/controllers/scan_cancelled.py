"""What the window says, and shows, once a scan is cancelled.

A scan commits what it read in batches and records a folder it adds before it reads it, so a
cancelled one has changed the library: cancelling the first scan of a home folder kept its
hundreds of tracks read so far, while the window went on showing the welcome page of an
empty library without a word (only the next start showed them). The library is now read
again, and then one line says what was kept and how to go on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from musicsage.controllers.library import LibraryController
    from musicsage.usecases.snapshot import LibrarySnapshot

FOLDER_WORDS = ("the folder stays in the library: Rescan reads the rest, or File ▸ Remove "
                "music folder… takes it out")


def scan_cancelled_line(paths: Sequence[str], playlists: Sequence[str], added: bool) -> str:
    """The one line for a cancelled scan of ``paths`` (none: a rescan) and ``playlists``;
    ``added``: whether the library shows more tracks or folders than before it."""
    if playlists and not paths:
        return "Import cancelled: the playlists imported so far are kept"
    if not paths:
        return "Scan cancelled: what it read so far is kept; Rescan reads the rest"
    if not added:  # cancelled while it waited for another scan, or while it listed files
        return "Scan cancelled before it added anything"
    return f"Scan cancelled: the tracks read so far are kept; {FOLDER_WORDS}"


def added_anything(before: "LibrarySnapshot | None", after: "LibrarySnapshot | None") -> bool:
    """Whether ``after`` shows tracks or music folders that ``before`` (None: none read) did
    not: what tells a cancelled scan that kept something from one that kept nothing."""
    if after is None:
        return False
    if before is None:
        return bool(after.tracks or after.folders)
    return (len(after.tracks), after.folders) != (len(before.tracks), before.folders)


def scan_cancelled(library: "LibraryController", before: "LibrarySnapshot | None",
                   paths: Sequence[str], playlists: Sequence[str]) -> None:
    """Show what a cancelled scan kept (the library read again), then say it in one line
    (``before``: the snapshot shown when the scan started)."""
    library.reload(then=lambda: library.app.notify(scan_cancelled_line(
        paths, playlists, added_anything(before, library.snapshot))))
