"""What removing the missing tracks does (``forget --missing``, File › Remove missing tracks…),
and the copies some of them are found moved to first.

A music folder copied into another one, then deleted (a move across drives seen by two scans)
leaves its tracks missing beside a copy of each: the scan cannot tell that from an unplugged
drive whose songs were also copied to the laptop, so it folds no copy
(:func:`~musicsage.library.gone_roots.on_drives_not_mounted`). Removing them said only "File ›
Remove music folder removes them", which drops their playlist places and vectors. When the
user says the tracks are gone for good — removing them — each one with a lone copy
(:func:`~musicsage.library.copy_moves.adopt_copies`) takes its copy's place instead, keeping them.

The window asks first, naming what a check found (:attr:`MissingReport.ids`); the removal then
takes only those the user confirmed (:func:`only_asked`): files that went missing while the
question was open — a drive unplugged, the folder watch marking them — were removed unasked.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import AbstractSet

from musicsage.library.gone_roots import dead_link_note
from musicsage.library.copy_moves import HashGroups, adopt_copies, lone_copy
from musicsage.library.in_chunks import in_chunks
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


def only_asked(ids: list[int], paths: list[str],
               asked: AbstractSet[int] | None) -> tuple[list[int], list[str], int]:
    """Of the missing tracks found now (``ids``, their stored ``paths``), those in ``asked``
    (None: all, as ``forget --missing`` takes them), and how many others were left out."""
    if asked is None:
        return ids, paths, 0
    kept = [i for i, tid in enumerate(ids) if tid in asked]
    return [ids[i] for i in kept], [paths[i] for i in kept], len(ids) - len(kept)


def came_back(conn: sqlite3.Connection, asked: AbstractSet[int]) -> int:
    """How many of the tracks ``asked`` about are no longer missing (the folder watch or a
    scan found their files again while the question was open): kept, and said."""
    back = 0
    for marks, chunk in in_chunks(sorted(asked)):
        back += conn.execute(f"SELECT COUNT(*) FROM tracks WHERE status != 'missing' AND id IN "
                             f"({marks})", chunk).fetchone()[0]
    return back


def would_adopt(conn: sqlite3.Connection, ids: list[int]) -> set[int]:
    """Those of ``ids`` that :func:`adopt_before_removal` would move to their copies, nothing
    changed (the window's question and tooltip count them apart). Each hash's tracks are read
    once for the check (``groups``): read for each missing track, 2,000 missing identical
    copies (a sound effect deleted from every album) kept the question waiting 18 s."""
    groups: HashGroups = {}
    return {t for t in ids if lone_copy(conn, t, groups) is not None}


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
    (:class:`~musicsage.library.gone_roots.DeadLinks`), or each track's file that is a link to a
    file in one (``file_links``); in ``to_dict``'s ``kept`` too."""
    moved: int = 0
    """Missing tracks found moved to their one copy in the library (:func:`adopt_before_removal`)
    instead of removed: kept, with their playlist places and vectors, at the copy's path."""
    returned: int = 0
    """Tracks the user confirmed removing (or moving) whose files were found again while the
    question was open (the watch, a scan): kept."""
    unasked: int = 0
    """Missing tracks the question did not ask about — gone missing while it was open: kept,
    to be asked about next time."""
    copy_gone: int = 0
    """Missing tracks the question asked to move to their copies, whose copies are gone since
    (deleted while it was open): kept, not removed unasked; the next question asks to remove
    them."""
    ids: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """The tracks removed — of a check (:func:`~musicsage.library.forget.missing_to_remove`),
    those it would remove: what the question names, and all a confirmed removal takes."""
    moved_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """As ``ids``, for the tracks found moved to their copies."""
    file_links: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """Those of ``linked`` that are a track's own file, a link to a file on a drive not
    mounted (:func:`~musicsage.library.gone_roots.dead_file_link`), not a linked folder: said
    so."""

    def asked(self) -> frozenset[int]:
        """The tracks a question naming this check asked about: to remove, or to move."""
        return frozenset(self.ids) | frozenset(self.moved_ids)

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
        line += self._since_asked()
        for folder, n in self.kept:
            line += (f"; {counted(n, 'missing track')} kept: {'its' if n == 1 else 'their'} "
                     f"music folder is gone or empty (a drive unplugged?); {remedy}: {folder}")
        return "; ".join([line, *(dead_link_note(n, p, links or LINK_REMEDY_CLI,
                                                 file=p in self.file_links)
                                  for p, n in self.linked)])

    def _since_asked(self) -> str:
        """What changed while the window's question was open, kept and said (empty when
        nothing did, and always for ``forget --missing``, which asks nothing)."""
        line = ""
        if self.returned:
            line += (f"; {counted(self.returned, 'track')} asked about "
                     f"{noun(self.returned, 'was', 'were')} found again meanwhile: kept")
        if self.unasked:
            them = noun(self.unasked, "it", "them")
            line += (f"; {counted(self.unasked, 'missing track')} kept: the question did not ask "
                     f"to remove {them} (gone missing since it was asked?); Remove missing "
                     f"tracks again asks about {them}")
        if self.copy_gone:
            n = self.copy_gone
            line += (f"; {counted(n, 'missing track')} kept: the copy "
                     f"{noun(n, 'it was', 'they were')} to move to is gone; Remove missing "
                     f"tracks again asks about {noun(n, 'it', 'them')}")
        return line
