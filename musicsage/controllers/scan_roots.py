"""What a scan's line says of its music folders that it could not read at all: gone (not
found, now a file) or that cannot be opened (a parent now a file, a link loop, no access).

Apart from :mod:`musicsage.controllers.summaries`, which says the rest of the scan: a music
folder gone was "1 unreadable (music: not found (…))", read as one bad file where nothing
could be read, and the line's tooltip still listed it so.
"""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING

from musicsage.library.gone_roots import MOVED_ADVICE, MOVED_ADVICE_WINDOW
from musicsage.library.tags import audio_format
from musicsage.library.walk import NOW_NOT_FOLDER, UNLISTED

if TYPE_CHECKING:
    from musicsage.library.scan import ScanReport


def gone_root(error: tuple[str, str]) -> bool:
    """Whether a scan's (path, reason) is a music folder gone as a whole (not found, or now a
    file), as the scan and the folder watch tell them apart: not a file that could not be
    read."""
    return error[1].startswith(("not found", NOW_NOT_FOLDER))


def root_errors(report: "ScanReport") -> tuple[list, list, list]:
    """A scan's errors as (its music folders gone, those that cannot be opened, the rest:
    files not read), for the line and its tooltip alike. A folder inside a music folder that
    cannot be opened stays with the rest: the walk says it as one it could not list."""
    gone = [e for e in report.errors if gone_root(e)]
    unopened = [e for e in report.errors if e[1].startswith(UNLISTED) and str(e[0]) in report.roots]
    return gone, unopened, [e for e in report.errors if e not in gone and e not in unopened]


def roots_said(gone: list[tuple[str, str]], unopened: list[tuple[str, str]]) -> list[str]:
    """The line's parts for the music folders of :func:`root_errors`, by path (first of all)."""
    return ([_gone(gone)] if gone else []) + ([_unopened(unopened)] if unopened else [])


def _noun(errors: list[tuple[str, str]]) -> str:
    """"music folder(s)", or "music file(s)" for a music folder that is one file (``scan
    song.flac``; told by its name, since a file gone cannot be looked at): "the music folder
    …/song.flac is gone" said a file was a folder."""
    nouns = {"music file" if audio_format(path) else "music folder" for path, _r in errors}
    if len(errors) == 1:
        return nouns.pop()
    return f"{nouns.pop()}s" if len(nouns) == 1 else "music folders and files"


def _one_line(error: tuple[str, str]) -> tuple[str, str]:
    """(path, reason) with a newline in either shown as a space: the status bar is one line."""
    path, reason = (" ".join(text.splitlines()) for text in error)
    return path, reason


def _gone(gone: list[tuple[str, str]]) -> str:
    """"the music folder X is gone (its 3 tracks are marked missing)": what became of its
    tracks, as the scan found it (found moved, still missing). Of several, the first's only
    ("2 music folders are gone (first: X)"): the report counts no
    tracks of theirs alone, and one folder's fate said beside the line's count of missing
    tracks read as all of theirs. The advice for tracks marked missing names the menu entry
    without "in the window": this line is the window's."""
    path, reason = _one_line(gone[0])
    reason = reason.replace(MOVED_ADVICE, MOVED_ADVICE_WINDOW)
    head, _, fate = reason.partition(" (")  # "not found", "its 3 tracks are marked missing)"
    if len(gone) == 1:
        said = "is gone" if head == "not found" else f"is {head}"
        return f"the {_noun(gone)} {path} {said}" + (f" ({fate}" if fate else "")
    first = path if head == "not found" else f"{path}, {head}"
    # the first's fate alone misled (its tracks "found moved" beside another's marked missing)
    return f"{len(gone)} {_noun(gone)} are gone (first: {first})"  # the tooltip: up to 10


def _unopened(unopened: list[tuple[str, str]]) -> str:
    """"the music folder X cannot be opened (a folder above it is now a file)": its tracks
    are kept, not marked missing, as the walk keeps those of a folder it cannot list
    ("cannot open: …", "cannot list folder: …"); the line said "1 unreadable (a: cannot
    open: Not a directory)", as of one file. Of several, the first is named with its own
    reason (the tooltip, which lists 10 problems in all, may have no room for them)."""
    path, reason = _one_line(unopened[0])
    if len(unopened) == 1:
        return f"the {_noun(unopened)} {path} cannot be opened ({unopened_reason(reason)})"
    return (f"{len(unopened)} {_noun(unopened)} cannot be opened (first: {path}: "
            f"{unopened_reason(reason)})")


def unopened_reason(reason: str) -> str:
    """The system's words of a scan's "cannot open: …" for a music folder, but ENOTDIR's
    "Not a directory", which read as if the folder itself were not one: a folder above it is
    now a file."""
    why = reason.split(": ", 1)[-1]
    return "a folder above it is now a file" if why == os.strerror(errno.ENOTDIR) else why
