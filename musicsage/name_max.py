"""Names the app gives files after a user's file — its temporary beside it, its backups —
kept within the 255 bytes a file name may have (``NAME_MAX`` on Linux and macOS).

Such a name is the user's name plus a few dozen bytes of our own: a playlist named by 78
CJK characters (234 bytes, a legal name) got a temporary and a backup name the system
refused, and could never be edited. The user's part is cut, between two characters, so
that ours fits; what else the name holds (a key of the path, a process id) keeps two cut
names apart.
"""

from __future__ import annotations

import os
import re

NAME_MAX = 255
"""The bytes a file name may have on the systems the app runs on (ext4, APFS, btrfs …)."""

MARK = "musicsage"
"""What marks a temporary file as this app's, in a folder the user owns (playlists)."""

_TEMPORARY_EXTRA = len(f"..{MARK}-{'9' * 10}-{'x' * 8}.tmp")
"""Our bytes in a temporary's name: the widest process id, ``mkstemp``'s 8 characters."""


def fit_name(name: str, extra: int) -> str:
    """``name``, or as much of its start as leaves ``extra`` bytes for the rest of a file
    name: cut at a UTF-8 character boundary (a cut character would make the name invalid
    UTF-8, shown as '?' by every file manager). The same name always gives the same cut,
    so a later run finds again what an earlier one named."""
    raw = os.fsencode(name)
    room = max(NAME_MAX - extra, 0)
    if len(raw) <= room:
        return name
    cut = room
    for _ in range(3):  # a UTF-8 character is four bytes at most
        if cut and raw[cut] & 0xC0 == 0x80:  # a continuation byte: inside a character
            cut -= 1
    return os.fsdecode(raw[:cut])


def temporary_prefix(name: str) -> str:
    """The start of the name of this process's temporaries for a file called ``name``:
    ``.NAME.musicsage-PID-`` (``mkstemp`` adds its random part and ``.tmp``)."""
    return f".{fit_name(name, _TEMPORARY_EXTRA)}.{MARK}-{os.getpid()}-"


def temporary_pattern(name: str) -> str:
    """A regular expression for the whole of every :func:`temporary_prefix` temporary of a
    file called ``name``, by any process; group 1 is the writer's process id."""
    return re.escape(f".{fit_name(name, _TEMPORARY_EXTRA)}.{MARK}-") + r"(\d+)-[A-Za-z0-9_]+\.tmp"
