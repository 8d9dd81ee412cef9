"""Drives mounted or unmounted inside a watched folder (:mod:`musicsage.library.watch`).

inotify follows inodes, not paths: a drive unmounted from a folder inside a music folder
(``~/Music/NAS``, an fstab share; ``/media/me/USB`` when ``/media/me`` is the music folder)
ends the watches on its folders without one event, so its tracks stayed "present" with their
files gone; mounted again on its folder, the drive's files were never seen, nor anything
copied onto it later — the watch went on observing the bare folder underneath. The kernel's
mount table says what inotify does not: :class:`MountChanges` reads it once per cycle (from
memory: it never waits on a share) and names the mount points that came or went inside the
watched folders, which the watch then observes again and scans (the tracks of a drive gone
are marked missing and are back when it is; they are held back from their copies elsewhere
in the library, :data:`~.gone_roots.MOUNT_POINTS`, even when its folder went with it, as
udisks2 removes ``/media/me/USB``). A drive unmounted and mounted again between two looks
(while a batch embeds) leaves the table's text as it was, its mount id and device number
reused: the kernel flags the table polled (POLLPRI) after any change since the last poll,
and a change flagged with the same text is taken as every mount point inside the watched
folders unmounted and mounted again. A watched folder that is itself a mount point is the
watch's own business (its identity changes,
:meth:`~musicsage.library.watch.FolderWatch.look_at_roots`).
"""

from __future__ import annotations

import os
import re
import select

from musicsage.library import paths as P
from musicsage.library.gone_roots import MOUNT_POINTS
from musicsage.library.walk import is_hidden_folder

MOUNTINFO = "/proc/self/mountinfo"
"""The kernel's table of this process's mounts (none on macOS and Windows: no change seen)."""


class MountChanges:
    """The mount points that came or went since the last look, inside given folders."""

    def __init__(self) -> None:
        self._table: str | None = None
        self._mounts: set[tuple[str, str]] = set()
        self._file = None  # kept open: the kernel flags a change since this file's last poll
        self._poll = None

    def since_last_look(self, trees: list[str]) -> list[tuple[str, str]]:
        """(watched folder of ``trees``, mount point inside it, as seen through that folder)
        for each mount point mounted or unmounted since the last call (none at the first:
        what was mounted then was watched as it was); every one inside ``trees`` when the
        kernel flagged a change that left the text as it was (a drive unmounted and mounted
        again). The table is parsed only when its text changed or a change was flagged: a
        quiet system costs one read of a small file per cycle."""
        try:
            flagged = self._flagged()  # polled before the read: a later change flags again
            self._file.seek(0)
            text = self._file.readall().decode("utf-8", "surrogateescape")
        except OSError:
            return []
        if text == self._table and not flagged:
            return []
        first, self._table = self._table is None, text
        mounts = {(f[0], _unescaped(f[4])) for f in map(str.split, text.splitlines())
                  if len(f) > 4}  # by mount id: a drive mounted over another is a change
        changed = {point for _id, point in mounts ^ self._mounts} or (
            {point for _id, point in mounts} if flagged else set())
        self._mounts = mounts
        MOUNT_POINTS.update(P.from_fs(seen) for _id, point in mounts  # their tracks held back
                            for _tree, seen in _inside(point, trees))  # from copies once gone
        if first:
            return []
        return [(tree, seen) for point in sorted(changed) for tree, seen in _inside(point, trees)]

    def _flagged(self) -> bool:
        """Whether the kernel says the mount table changed since the last call (opening it
        the first time: no change). A plain file never says so (its text alone tells)."""
        if self._file is None:
            self._file = open(MOUNTINFO, "rb", buffering=0)  # none: no select.poll either
            self._poll = select.poll()
            self._poll.register(self._file.fileno(), select.POLLPRI | select.POLLERR)
        return any(ev & (select.POLLPRI | select.POLLERR) for _fd, ev in self._poll.poll(0))

    def close(self) -> None:
        """Let go of the table (the watch ends)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _inside(point: str, trees: list[str]) -> list[tuple[str, str]]:
    """(tree, ``point`` as a path under it) for each of ``trees`` strictly holding the mount
    ``point``: the kernel names it by its real path, a watched folder may be reached through
    a link (``~/Music -> /data/music``). Not one in a folder the scan skips as hidden
    (``.snapshots``), which no batch may read either."""
    out = []
    for tree in trees:
        real = os.path.realpath(tree)
        if point != real and P.is_under(point, real):
            relative = os.path.relpath(point, real)
            if not any(is_hidden_folder(part) for part in relative.split(os.sep)):
                out.append((tree, os.path.join(tree, relative)))
    return out


def _unescaped(field: str) -> str:
    """A mount point as written in the table, its space, tab, newline and backslash in octal
    (``/mnt/my\\040share``), back to the path."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)
