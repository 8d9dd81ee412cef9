"""What the window says, and shows, once a scan is cancelled.

A scan commits what it read in batches and records a folder it adds before it reads it, so a
cancelled one has changed the library: cancelling the first scan of a home folder kept its
hundreds of tracks read so far, while the window went on showing the welcome page of an
empty library without a word (only the next start showed them). The library is now read
again, and then one line says what was kept and how to go on.

A scan goes on in its library when the window shows another (:class:`ScansGoing`): its lines
name that library then — a failure, a cancel (one cancelled before it started added nothing),
the summary — and say how to go on there; said plainly, they read as the library shown's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from musicsage.controllers.bounded_look import answers_within
from musicsage.library import paths as P

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.tasks import Task
    from musicsage.controllers.library import LibraryController
    from musicsage.usecases.snapshot import LibrarySnapshot

FOLDER_WORDS = ("the folder stays in the library: Rescan reads the rest, or File ▸ Remove "
                "music folder… takes it out")
FOLDERS_WORDS = ("the folders stay in the library: Rescan reads the rest, or File ▸ Remove "
                 "music folder… takes them out")
READ_KEPT = "Scan cancelled: what it read so far is kept"
RESCAN_LINE = f"{READ_KEPT}; Rescan reads the rest"
NOTHING_ADDED = "Scan cancelled before it added anything"


def scan_cancelled_line(paths: Sequence[str], playlists: Sequence[str],
                        before: "LibrarySnapshot | None", after: "LibrarySnapshot | None") -> str:
    """The one line for a cancelled scan of ``paths`` (none: a rescan) and ``playlists``,
    from the library as shown ``before`` it (None: not known, as after a switch from the
    demo) and ``after`` it. Worded by what was given: files are no folder that stays, and
    what lies in the library's folders already was re-read, not added (a cancelled re-scan
    of a folder that kept 100 changed files said "before it added anything"). Paths are
    compared in the library's form (a folder named in Latin-1 is stored otherwise)."""
    if playlists and not paths:
        return "Import cancelled: the playlists imported so far are kept"
    given = [P.from_fs(os.path.abspath(p)) for p in paths]
    if not paths or before is not None and all(_within(p, _folders(before)) for p in given):
        return RESCAN_LINE
    if before is None:  # not known: only what ``after`` shows tells (a scan records first)
        folders = [g for g, is_dir in zip(given, _folders_given(paths)) if is_dir]
        if folders and not any(_within(p, _folders(after)) for p in folders):
            return NOTHING_ADDED
        words = _stay_words(folders)
        return f"{READ_KEPT}; {words}" if words else RESCAN_LINE
    if not added_anything(before, after):  # cancelled while it waited, or listed files
        return NOTHING_ADDED
    if (len(after.tracks), after.folders) == (len(before.tracks), before.folders):
        return "Scan cancelled: the playlists imported so far are kept; Rescan reads the rest"
    words = _stay_words(_removable(before, after))
    return f"Scan cancelled: the tracks read so far are kept; {words or 'Rescan reads the rest'}"


def _folders_given(paths: Sequence[str]) -> list[bool]:
    """Whether each of ``paths`` is a folder, as the disk says within
    :data:`~musicsage.controllers.bounded_look.DISK_WAIT_S` (the line is worded on the
    window's thread, and a scan of a network mount gone stale is cancelled because it hangs:
    the window froze for the mount's timeout). Each path is its own answer: one stale path
    made every folder given count as none. One not answered is taken for no folder, and the
    line says only what holds for files and folders alike (Rescan reads the rest)."""
    folders = answers_within("folder given", paths, os.path.isdir)
    return [folders.get(p, False) for p in paths]


def _removable(before: "LibrarySnapshot", after: "LibrarySnapshot | None") -> list[str]:
    """The music folders ``after`` shows that ``before`` did not and that hold none of its
    folders: what Remove takes out without taking tracks from before the scan with it (the
    advice pointed at folders given again, and at a new folder that folded old ones in)."""
    old = _folders(before)
    added = [f for f in _folders(after) if f not in old]
    return [f for f in added if not any(_within(o, [f]) for o in old)]


def _stay_words(folders: list[str]) -> str:
    """How ``folders`` stay in the library (Rescan or Remove); "" for none."""
    return (FOLDER_WORDS if len(folders) == 1 else FOLDERS_WORDS) if folders else ""


def _folders(snapshot: "LibrarySnapshot | None") -> list[str]:
    """The music folders ``snapshot`` shows (none for None)."""
    return [folder for folder, _count in snapshot.folders] if snapshot else []


def _within(path: str, folders: list[str]) -> bool:
    """Whether ``path`` is one of ``folders`` or lies in one (both in the library's form)."""
    return any(P.is_under(path, f) for f in folders)


def added_anything(before: "LibrarySnapshot", after: "LibrarySnapshot | None") -> bool:
    """Whether ``after`` shows tracks, music folders or playlists that ``before`` did not:
    what tells a cancelled scan that kept something from one that kept nothing (playlists
    imported before the cancel are kept too)."""
    if after is None:
        return False
    return (len(after.tracks), after.folders, _playlists(after)) != (
        len(before.tracks), before.folders, _playlists(before))


def _playlists(snapshot: "LibrarySnapshot") -> set[tuple[int, int]]:
    """Each playlist's id and number of entries: a scan imports new ones and re-imports changed."""
    return {(p.id, p.entries) for p in snapshot.playlists}


def scan_cancelled(library: "LibraryController", before: "LibrarySnapshot | None",
                   paths: Sequence[str], playlists: Sequence[str]) -> None:
    """Show what a cancelled scan kept (the library read again), then say it in one line
    (``before``: the snapshot shown when the scan started; None where that was not this
    library's, as when the scan switched from the demo to the user's library)."""
    library.reload(then=lambda: library.app.notify(scan_cancelled_line(
        paths, playlists, before, library.snapshot)))


@dataclass
class _Scan:
    """A scan going on: its task, its label ("Scanning") and its library."""

    task: "Task"
    label: str
    ctx: "AppContext"
    started: bool = True
    """False once a Cancel came while it was still queued: it never runs."""


class ScansGoing:
    """The window's scans going on, for their lines once another library is shown."""

    def __init__(self, library: "LibraryController") -> None:
        self.library = library
        self._going: dict[int, _Scan] = {}
        library.app.tasks.cancelling.connect(self._cancel_asked)  # every Cancel comes there

    def follow(self, task: "Task", label: str, ctx: "AppContext", paths: Sequence[str],
               playlists: Sequence[str]) -> None:
        """Follow the scan ``task`` of library ``ctx`` until it ends; a cancel is said as
        :func:`scan_cancelled` says it (``before``: the library shown as it starts)."""
        scan = self._going[id(task)] = _Scan(task, label, ctx)
        before = self.library.snapshot
        task.on_cancelled(lambda: self._cancelled(scan, before, paths, playlists))
        task.on_finished(lambda: self._going.pop(id(task), None))

    def _cancel_asked(self, task: "Task") -> None:
        scan = self._going.get(id(task))
        if scan is not None and task.state == "queued":
            scan.started = False

    def _cancelled(self, scan: _Scan, before: "LibrarySnapshot | None", paths: Sequence[str],
                   playlists: Sequence[str]) -> None:
        library = self.library
        if library.shows(scan.ctx):
            scan_cancelled(library, before, paths, playlists)
        else:
            home = scan.ctx.data_dir == library.app.home_ctx.data_dir
            library.app.notify(cancelled_elsewhere_line(
                scan.started, library.elsewhere(scan.ctx), home))


def cancelled_elsewhere_line(started: bool, where: str, home: bool) -> str:
    """The line of a scan cancelled in a library not shown (``where``: the words naming it;
    ``home``: the user's own, else the demo): what it kept, and how to read the rest there —
    or, cancelled before it started, that it added nothing."""
    if not started:
        return NOTHING_ADDED + where
    menu = "File ▸ Back to my library" if home else "File ▸ Open demo library"
    return f"{READ_KEPT}{where}; open it ({menu}) and Rescan to read the rest"
