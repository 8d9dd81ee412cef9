"""The kernel's table of this process's mounts (:data:`MOUNTINFO`), read one way for all.

Two parts of musicsage ask it which folders are mount points: the folder watch
(:mod:`musicsage.library.watch_mounts`: a drive mounted or unmounted inside a music folder,
which inotify never reports) and the window's looks at the disk
(:mod:`musicsage.controllers.bounded_look`: which disk a path is on, without asking the disk,
which may be a stale share). Each carried its own parser of the table's lines and of its
octal escapes; one reader here keeps them reading a mount point alike. The table is read from
memory: it never waits on a network share (``os.path.ismount`` stats the path and may)."""

from __future__ import annotations

import os
import re

MOUNTINFO = "/proc/self/mountinfo"
"""The kernel's table of this process's mounts (none on macOS and Windows: no mount seen)."""


def read_table(path: str = MOUNTINFO) -> str:
    """The table's :func:`decoded` text; OSError where there is none."""
    with open(path, "rb") as table:
        return decoded(table.read())


def decoded(raw: bytes) -> str:
    """The table's bytes as text in the form every path from the OS takes (``os.fsdecode``):
    a mount point must go back to the OS as the bytes it was (``statx``, ``os.fsencode``), and
    compare equal to the paths the walk and the window hold — in a session whose filesystem
    encoding is ASCII (``LC_ALL=C``) a UTF-8 decode gave ``USB\u00a0Drive``, which
    ``os.fsencode`` refused and the watch stopped (the watch reads the bytes itself from the
    table it keeps open)."""
    return os.fsdecode(raw)


def mount_lines(text: str) -> list[tuple[str, str]]:
    """(mount id, mount point) for each line of the table's ``text``: the id tells a drive
    mounted over another at the same point apart; the point is the folder's own path. Lines
    end at a newline and fields at a single space alone, as the kernel writes them: it
    escapes those, not a no-break or ideographic space, a carriage return or a line
    separator, which ``str.split`` and ``str.splitlines`` cut a mount point at (a drive at
    ``~/Music/USB\\u00a0Drive`` was read as ``~/Music/USB``, its tracks never marked missing)."""
    return [(fields[0], unescaped(fields[4])) for fields in
            (line.split(" ") for line in text.split("\n")) if len(fields) > 4]


def unescaped(field: str) -> str:
    """A mount point as the kernel writes it, its space, tab, newline and backslash in octal
    (``/mnt/my\\040share``), back to the path."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)
