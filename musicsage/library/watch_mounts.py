"""Drives mounted or unmounted inside a watched folder (:mod:`musicsage.library.watch`).

inotify follows inodes, not paths: a drive unmounted from a folder inside a music folder
(``~/Music/NAS``, an fstab share; ``/media/me/USB`` when ``/media/me`` is the music folder)
ends the watches on its folders without one event, so its tracks stayed "present" with their
files gone; mounted again on its folder, the drive's files were never seen, nor anything
copied onto it later — the watch went on observing the bare folder underneath. The kernel's
mount table says what inotify does not: :class:`MountChanges` reads it once per cycle (from
memory: it never waits on a share) and names the mount points that came or went inside the
watched folders, which the watch then observes again and scans (the tracks of a drive gone
are marked missing, never removed, and are back when it is). A drive unmounted and mounted
again between two looks (while a batch embeds) leaves its line in the table as it was, its
mount id and device number reused: the kernel flags the table polled (POLLPRI) after any
change since the last poll, and then each mount point inside the watched folders whose
unique mount id (statx, Linux 6.8+: never reused) changed is taken as mounted again, with
every line that differs — where the kernel cannot tell that id, every one of them when no
line differs. With that id (Linux 6.8+), a mount elsewhere (a backup tool, a container)
rescans no drive; before, one mounted and unmounted between two looks rescans them all. A watched folder that is itself a
mount point is the watch's own business (its identity changes,
:meth:`~musicsage.library.watch.FolderWatch.look_at_roots`).
"""

from __future__ import annotations

import ctypes
import functools
import os
import select
import struct

from musicsage.library import mountinfo
from musicsage.library import paths as P
from musicsage.library.mountinfo import MOUNTINFO
from musicsage.library.walk import is_hidden_folder

STATX_MNT_ID_UNIQUE = 0x4000
"""statx's mask bit for a mount id never reused (Linux 6.8+)."""
AT_STATX_DONT_SYNC = 0x4000  # statx from cached attributes: a share is not asked
AT_NO_AUTOMOUNT = 0x800  # an automount point (x-systemd.automount) is not mounted by a look


class MountChanges:
    """The mount points that came or went since the last look, inside given folders."""

    def __init__(self) -> None:
        self._table: str | None = None
        self._mounts: set[tuple[str, str]] = set()
        self._ids: dict[str, int | None] = {}  # mount points inside the trees -> unique id
        self._file = None  # kept open: the kernel flags a change since this file's last poll
        self._poll = None

    def since_last_look(self, trees: list[str]) -> list[tuple[str, str]]:
        """(watched folder of ``trees``, mount point inside it, as seen through that folder)
        for each mount point mounted or unmounted since the last call (none at the first:
        what was mounted then was watched as it was), and each one inside ``trees`` whose
        unique mount id changed (a drive unmounted and mounted again: its line reads as it
        did); where that id is unknown (before Linux 6.8, or no ``statx`` in the C library),
        every one when the kernel flagged a change and no line differs — a drive's remount
        hidden behind another change then waits for the next scan, the price of not
        rescanning a NAS at every container's mount. The table is
        parsed only when its text changed or a change was flagged: a quiet system costs one
        read of a small file per cycle."""
        try:
            flagged = self._flagged()  # polled before the read: a later change flags again
            self._file.seek(0)
            text = mountinfo.decoded(self._file.readall())
        except OSError:
            return []
        if text == self._table and not flagged:
            return []
        first, self._table = self._table is None, text
        # by mount id: a drive mounted over another is a change
        mounts = set(mountinfo.mount_lines(text))
        changed = {point for _id, point in mounts ^ self._mounts}
        reals = [os.path.realpath(tree) for tree in trees]  # once a look, not once a line
        ids = {point: _mount_id(point) for _id, point in mounts if _inside(point, trees, reals)}
        # with every differing line (a mount elsewhere may hide a drive's remount), flagged
        # or not (a change read between the poll and the read is flagged only next time)
        changed |= {p for p, i in ids.items() if i is not None and self._ids.get(p, i) != i}
        if flagged and not changed:  # no id to tell by (before Linux 6.8): all, if no line moved
            changed = {p for p, i in ids.items() if i is None}
        self._mounts, self._ids = mounts, ids
        if first:
            return []
        return [(tree, seen) for point in sorted(changed) for tree, seen in _inside(point, trees)]

    def by_tree(self, trees: list[str]) -> dict[str, list[str]]:
        """:meth:`since_last_look` as watched folder -> its mount points that changed: a tree
        is watched anew once, however many of its drives changed."""
        out: dict[str, list[str]] = {}
        for tree, point in self.since_last_look(trees):
            out.setdefault(tree, []).append(point)
        return out

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


def _inside(point: str, trees: list[str],
            reals: list[str] | None = None) -> list[tuple[str, str]]:
    """(tree, ``point`` as a path under it) for each of ``trees`` strictly holding the mount
    ``point``: the kernel names it by its real path, a watched folder may be reached through
    a link (``~/Music -> /data/music``). Not one in a folder the scan skips as hidden
    (``.snapshots``), which no batch may read either."""
    out = []
    for tree, real in zip(trees, reals or [os.path.realpath(tree) for tree in trees]):
        if point != real and P.is_under(point, real):
            relative = os.path.relpath(point, real)
            if not any(is_hidden_folder(part) for part in relative.split(os.sep)):
                out.append((tree, os.path.join(tree, relative)))
    return out


@functools.lru_cache(maxsize=1)
def _statx():
    """The C library's ``statx`` (glibc 2.28+), None where there is none (macOS)."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).statx
    except (OSError, AttributeError, TypeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_char_p]
    return fn


def _mount_id(point: str) -> int | None:
    """The unique id of the mount at ``point`` (``STATX_MNT_ID_UNIQUE``, Linux 6.8+): a
    drive mounted again gets a new one, where the table's id and device number are reused.
    None where the kernel cannot tell. Cached attributes only (``AT_STATX_DONT_SYNC``), no
    automount triggered: a share is not asked, the look never waits on one."""
    statx = _statx()
    buf = ctypes.create_string_buffer(256)  # struct statx
    flags = AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT
    if statx is None or statx(-100, os.fsencode(point), flags,  # -100: AT_FDCWD
                              STATX_MNT_ID_UNIQUE, buf) != 0:
        return None
    mask, = struct.unpack_from("=I", buf, 0)  # what the kernel filled in
    return struct.unpack_from("=Q", buf, 0x90)[0] if mask & STATX_MNT_ID_UNIQUE else None
