"""What a folder-watch batch says of the playlists it read (:mod:`~.watch_apply`): those
imported, the entries a refresh found, and those it could not read — each said once, not by
every later batch that reads the file again (its file still differs from what was imported,
so every batch reads it)."""

from __future__ import annotations

import os

from musicsage.library import paths as P
from musicsage.text import counted


def playlist_news(playlists: list) -> tuple[int, int]:
    """(playlists imported, entries found now) of a batch's playlist reports. A playlist re-read
    only because the library grew (``quiet``) is no import ("1 playlist imported" was said each
    time music was added): only what it resolved now is news. Nor is a list a player skipped,
    nor one that could not be read (its old entries kept: "imported" said the edit was taken)."""
    imported = sum(1 for p in playlists if not getattr(p, "skipped", None) and not p.quiet
                   and p.error is None)
    return imported, sum(p.found_now for p in playlists if p.quiet)


def found_now_text(found: int) -> str:
    """The watch's words for playlist entries a refresh resolved (the scan's wording)."""
    return (f"{counted(found, 'playlist entry', 'playlist entries')} found now that "
            f"{'its file is' if found == 1 else 'their files are'} in the library")


def not_read(playlists: list) -> list:
    """The reports of playlists a batch could not read (their entries kept as they were). Not
    a list a player skipped (a Rhythmbox automatic list, the play queue: its ``error`` says
    why), as :func:`playlist_news` leaves it out: each save of the player's file said them
    "not read", a warning."""
    return [p for p in playlists if p.error is not None and not getattr(p, "skipped", None)]


def not_read_text(playlists: list) -> str:
    """``1 playlist not read (a.m3u8: not a playlist …)``, the first named ("" when none)."""
    failed = not_read(playlists)
    if not failed:
        return ""
    first, more = failed[0], len(failed) - 1
    text = (f"{counted(len(failed), 'playlist')} not read ({os.path.basename(first.path)}: "
            f"{first.error}" + (f"; {more} more)" if more else ")"))
    return " ".join(text.splitlines())  # one line: an error may hold a newline


def unsaid(playlists: list, said: set[tuple[str, str]]) -> list:
    """``playlists`` less those not read for a reason ``said`` before (path, error), which it
    then holds: a watch says a playlist it cannot read once, until it is read or fails anew."""
    kept = []
    for p in playlists:
        if p.error is None:
            said.difference_update({s for s in said if s[0] == p.path})
        elif getattr(p, "skipped", None):  # a list a player skipped: no failure (not_read)
            pass
        elif (p.path, p.error) in said:
            continue
        else:
            said.add((p.path, p.error))
        kept.append(p)
    return kept


def forget_gone(said: set[tuple[str, str]]) -> None:
    """Drop from ``said`` (:func:`unsaid`) the playlists whose file is gone: a file deleted,
    then written anew at its name with something that is no playlist, was never said (the
    deleted one's failure was). Every batch asks, as the one that hears it go imports
    nothing. A path as shown keeps its file's URI (:class:`~.scan_report.ShownPath`), which
    names a file whose name is not UTF-8 exactly."""
    said.difference_update({s for s in said if not os.path.lexists(_on_disk(s[0]))})


def _on_disk(shown: str) -> str:
    """The file a report's path as shown names (a player's source file has no URI kept)."""
    uri = getattr(shown, "uri", None)
    return P.typed_path(uri) if uri else P.to_fs(shown)
