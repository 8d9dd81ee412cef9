"""What removing the missing tracks does (``forget --missing``, File › Remove missing tracks…),
and the copies some of them are found moved to first.

A music folder copied into another one, then deleted (a move across drives seen by two scans)
leaves its tracks missing beside a copy of each: the scan cannot tell that from an unplugged
drive whose songs were also copied to the laptop, so it folds no copy
(:func:`~musicsage.library.gone_roots.on_drives_not_mounted`). Removing them said only "File ›
Remove music folder removes them", which drops their playlist places and vectors. When the
user says the tracks are gone for good — removing them — each one with a lone copy
(:func:`~musicsage.library.copy_moves.adopt_copies`) takes its copy's place instead, keeping them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from musicsage.library.gone_roots import dead_link_note
from musicsage.library.copy_moves import adopt_copies, lone_copy
from musicsage.text import counted, noun

LINK_REMEDY_CLI = "`musicsage forget --missing LINK` removes them"
"""How the command line removes the missing tracks behind a dead link (LINK: the path the
note ends with)."""


def adopt_before_removal(conn: sqlite3.Connection, ids: list[int],
                         paths: list[str]) -> tuple[list[int], list[str], int]:
    """Of the missing tracks about to be removed (``ids``, their stored ``paths``), those with a
    lone copy take its place (no unplugged-drive guard: the user said they are gone); the
    rest to remove, and how many were adopted. In the caller's transaction if any."""
    adopted = adopt_copies(conn, ids)
    kept = [i for i, tid in enumerate(ids) if tid not in adopted]
    return [ids[i] for i in kept], [paths[i] for i in kept], len(adopted)


def would_adopt(conn: sqlite3.Connection, ids: list[int]) -> set[int]:
    """Those of ``ids`` that :func:`adopt_before_removal` would move to their copies, nothing
    changed (the window's question and tooltip count them apart)."""
    return {t for t in ids if lone_copy(conn, t) is not None}


@dataclass(frozen=True)
class MissingReport:
    """What removing the missing tracks did; :meth:`to_dict` is ``forget --missing --json``'s.
    A missing track is one whose file a scan or the watch no longer found: it stays in the
    library (so a file put back, or a drive plugged in again, keeps its id and vectors) until
    the user removes it — with its music folder, or here, alone."""

    tracks: int
    """Missing tracks that left the library."""
    entries: int
    """Playlist entries left unresolved (their playlists keep them; no file is edited)."""
    playlists: int
    """Playlists holding such entries."""
    kept: list[tuple[str, int]]
    """(music folder as shown, its missing tracks) for each folder that is itself gone, not
    named: a drive unplugged looks like every file of it deleted."""
    back: int = 0
    """Tracks marked missing whose files are there again (a drive plugged back in, a file put
    back, no scan since): kept, a rescan makes them present with their ids and vectors."""
    linked: list[tuple[str, int]] = field(default_factory=list)
    """As ``kept``, for each link inside a music folder to a folder gone or empty
    (:class:`~musicsage.library.gone_roots.DeadLinks`); in ``to_dict``'s ``kept`` too."""
    moved: int = 0
    """Missing tracks found moved to their one copy in the library (:func:`adopt_before_removal`)
    instead of removed: kept, with their playlist places and vectors, at the copy's path."""

    def to_dict(self) -> dict:
        """``moved`` only when some were (as ``forget DIR``'s ``kept``): most removals have none."""
        return {"tracks": self.tracks, "entries": self.entries, "playlists": self.playlists,
                "kept": [{"folder": f, "tracks": n} for f, n in [*self.kept, *self.linked]],
                "back": self.back, **({"moved": self.moved} if self.moved else {})}

    def back_note(self, kept: str = "") -> str:
        """The tracks marked missing whose files are there again (``kept``: " and kept", the
        window's question), in the one wording the CLI's line and the window's question share."""
        return (f"{counted(self.back, 'track')} marked missing {noun(self.back, 'is', 'are')} "
                f"there again{kept}: rescan to bring {noun(self.back, 'it', 'them')} back")

    def moved_note(self) -> str:
        """The tracks found moved to their copies, in the words the CLI and window share."""
        return (f"{counted(self.moved, 'missing track')} found moved to "
                f"{noun(self.moved, 'its copy', 'their copies')} (kept with "
                f"{noun(self.moved, 'its', 'their')} playlist places and vectors)")

    def summary(self, remedy: str = "name it to remove them", links: str = "") -> str:
        """One line for the command line and the window alike (``remedy``: how a gone folder's
        missing tracks are removed there; ``links``: a dead link's, if not the command line's).
        Counts and advice before the folder paths, which can be long: a status bar cuts the
        line's end."""
        if self.tracks:
            gone = "its file was" if self.tracks == 1 else "their files were"
            line = (f"{counted(self.tracks, 'missing track')} removed from the library ({gone} "
                    f"already gone); playlists that list {'it' if self.tracks == 1 else 'them'} "
                    "are not changed")
            if self.entries:
                line += (f" ({counted(self.entries, 'entry', 'entries')} in "
                         f"{counted(self.playlists, 'playlist')} now unresolved)")
        else:
            line = "no missing tracks to remove"
        if self.moved:
            line += f"; {self.moved_note()}"
        if self.back:
            line += f"; {self.back_note()}"
        for folder, n in self.kept:
            line += (f"; {counted(n, 'missing track')} kept: {'its' if n == 1 else 'their'} "
                     f"music folder is gone or empty (a drive unplugged?); {remedy}: {folder}")
        return "; ".join([line, *(dead_link_note(n, p, links or LINK_REMEDY_CLI)
                                  for p, n in self.linked)])
