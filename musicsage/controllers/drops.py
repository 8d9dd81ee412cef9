"""Music dropped on the window: what is added, what is left out and why, and when a drop is
refused altogether (:meth:`LibraryController.add_dropped
<musicsage.controllers.library.LibraryController.add_dropped>`)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from musicsage.controllers.bounded_look import answers_within
from musicsage.library.paths import shown as shown_path
from musicsage.library.playlists import is_playlist_file
from musicsage.library.tags import is_music_path
from musicsage.text import counted, elided, noun, printable

if TYPE_CHECKING:
    from musicsage.controllers.library import LibraryController


def add_dropped(library: "LibraryController", paths: Sequence[str],
                links: Sequence[str] = ()) -> bool:
    """Folders and audio files are scanned, playlist files and players' library files
    imported; anything else is named and left out (one stray file must not stop the
    rest). ``links``: what was dropped that is no file here (a browser's web links, as the
    window tells them from files), counted and left out (:func:`links_note`): dropped among
    files, they went without a word. A path gone by the time it is dropped, or a link to
    one, is left out too: scanned, it failed the whole drop; so did an audio file that
    cannot be read, which the scan's summary names instead, as it names one inside a folder.
    A path whose disk does not answer at once (a network mount gone stale) is left out and
    named as such: the window waited for it, frozen, for the mount's timeout. False if
    nothing was left to add, or while "Add music folder" is off: the demo being built, the
    library being opened (a drop then scanned a library the window had not read) or
    unreadable (the scan could only fail)."""
    refused = drop_refused(library) if paths else None
    if refused:
        library.app.notify(refused, "warning")
        return False
    kinds = dropped_kinds(paths)
    playlists, music, others, missing = ([p for p in paths if kinds.get(p) == kind]
                                         for kind in (PLAYLIST, MUSIC, OTHER, MISSING))
    note = left_out_note(missing, others, [p for p in paths if p not in kinds], links)
    if note:  # said now, and again in the scan's summary, which follows it on the status line
        library.app.notify(note, "warning")
    if not (playlists or music):
        return False
    library.scan(music, playlists, note=note, refuse_unreadable=False)
    return True


UNANSWERED = ("No answer from the disk yet (a drive waking up, or a network drive away? drop it "
              "again once the drive answers)")
"""How a drop names what the disk did not answer for in time (it may only be asleep). Not "in
a moment": while that look hangs, a drop again of its paths is answered no at once, until the
drive answers (a share really away: only once it is back)."""

PLAYLIST, MUSIC, OTHER, MISSING = "playlist", "music", "other", "missing"
"""What a dropped path is: imported, scanned, left out as neither, left out as gone."""


def dropped_kinds(paths: Sequence[str]) -> dict[str, str]:
    """Each dropped path's kind (:data:`PLAYLIST` …), as far as the disk said within
    :data:`~musicsage.controllers.bounded_look.DISK_WAIT_S` of silence: a path it had not
    answered for by then (a stale network mount, a disk still waking) is absent. Each path
    is its own answer, all looked at together while answers keep coming: looked at in
    turn, one stale path dropped first left the local files after it out as unanswered
    too. Every look (a player's library file is known by its content) runs off the
    window's thread."""
    return answers_within("drop", paths, _kind)


def _kind(path: str) -> str:
    """What the dropped ``path`` is on disk (the look of :func:`dropped_kinds`)."""
    if not os.path.exists(path):
        return MISSING
    if os.path.isdir(path):  # "Best of.m3u", an album folder: imported as playlists, its
        return MUSIC  # music was never added ("nothing changed")
    if is_playlist_file(path):
        return PLAYLIST
    if is_music_path(path) and (os.path.isdir(path) or os.path.isfile(path)):
        return MUSIC  # not a FIFO: it would block the scan
    return OTHER


def drop_refused(library: "LibraryController") -> str | None:
    """Why a drop cannot be added now, in one line (None: it can)."""
    if library.app.demo.is_reading:  # no build yet: "being built" sent to look for one
        return ("The demo library is being read before it opens: add your music when it is "
                "ready (or cancel the read)")
    if library.app.demo.building:
        return ("The demo library is being built: add your music when it is ready "
                "(or cancel the build)")
    if library.snapshot is None and library.reading:
        return "The library is being opened: drop your music again once it is shown"
    if library.snapshot is None:
        return ("Nothing added: the library cannot be opened (the window says why); "
                "press Try again first")
    return None


def left_out_note(missing: Sequence[str], others: Sequence[str],
                  unanswered: Sequence[str] = (), links: Sequence[str] = ()) -> str:
    """What a drop leaves out, each kind named by its first path ("" when nothing)."""
    def first(label: str, items: Sequence[str]) -> str:
        more = f" and {len(items) - 1} more" if len(items) > 1 else ""
        return f"{label}: {shown_path(items[0])}{more}" if items else ""
    parts = [first("Not found (moved or deleted?)", missing),
             first("Left out (neither music, a folder nor a playlist)", others),
             first(UNANSWERED, unanswered), links_note(links)]
    return "; ".join(p for p in parts if p)


LINK_SHOWN = 40
"""The most characters of a dropped link a note shows (a browser's can be thousands long, and
the status line elides a longer line in its middle: the advice before the link went)."""


def links_note(links: Sequence[str]) -> str:
    """``2 web links were not added (musicsage plays files on this computer: save them
    first): https://… and 1 more`` ("" for none): counted once, the first named, as the other
    things a drop leaves out are. A link of another kind than http(s) (``smb://``,
    ``trash:///``) is a "link", told without the advice to save it."""
    if not links:
        return ""
    n = len(links)
    is_web = [link.lower().startswith(("http://", "https://")) for link in links]
    web = is_web[0]  # the advice is for the link named (a web link beside a share: save it)
    more = f" and {n - 1} more" if n > 1 else ""
    why = (f"musicsage plays files on this computer: save {noun(n, 'it', 'them')} first" if web
           else "musicsage reads only files and folders it can open by their path")
    return (f"{counted(n, 'web link' if all(is_web) else 'link')} {noun(n, 'was', 'were')} "
            f"not added ({why}): {elided(printable(links[0]), LINK_SHOWN)}{more}")
