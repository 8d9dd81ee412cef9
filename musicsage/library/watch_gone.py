"""What a folder watch's batch says of the places it scanned whole that went or came back: a
music folder gone as a whole or back (:func:`gone_or_back`), and a drive mounted or unmounted
on a folder inside one (:func:`tell_drives`), which the watch hears of from the kernel's mount
table (:mod:`~musicsage.library.watch_mounts`) and names to the batch
(:attr:`~musicsage.library.watch_apply.WatchPlan.drives`).

A part of its own, apart from :mod:`~musicsage.library.watch_apply` (which applies the batch):
a drive unmounted from ``~/Music/usb``, or one mounted over ``~/Music/old`` (hiding the files
scanned there), was said as "3 now missing ('a.wav' and 2 more)", as if the files had been
deleted; the line now names the mount point, and that the tracks are kept.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.gone_roots import GoneTracks, tracks_under
from musicsage.library.under_paths import any_track_under
from musicsage.text import counted

if TYPE_CHECKING:
    from musicsage.library.watch_apply import WatchPlan, WatchReport


def gone_or_back(conn, plan: "WatchPlan", before: dict[str, tuple[int, int]],
                 rep: "WatchReport") -> None:
    """Music folders scanned whole (``before``: their tracks, and those missing, before the
    scan) that are gone, with the tracks this batch marked missing (those an earlier batch
    marked were said by it: "its 1245 tracks" counted 506 gone long before), or there again
    with a track of theirs present: a folder made again empty was said back, its tracks all
    still missing (it stays gone until one is; its files put back are said back)."""
    for root, (held, missing_before) in before.items():
        display = P.display(P.from_fs(root))
        replaced = root in plan.replaced
        plan.replaced.discard(root)
        left, missing = tracks_under(conn, P.from_fs(root))
        marked = GoneTracks.of(missing - missing_before, held - left, missing)
        there = os.path.exists(root) and not _file_in_a_folders_place(conn, root)
        if not there and root in plan.gone and not marked:
            continue  # said already (a late event of the folder that went)
        if not there or (replaced and marked
                         and not any_track_under(conn, P.from_fs(root), present=True)):
            plan.gone.add(root)
            rep.gone_roots.append((display, marked))
        elif missing and not any_track_under(conn, P.from_fs(root), present=True):
            continue  # made again empty (an automounter's bare folder): none of it is back
        elif root in plan.gone or replaced:
            plan.gone.discard(root)
            rep.back_roots.append(display)


def _file_in_a_folders_place(conn, root: str) -> bool:
    """Whether a file now stands where the music folder ``root`` was (``mv Music Music.old;
    touch Music``): it is no return of the folder, whichever batch reads it first — a cycle
    that saw the folder gone before the file came left its batch to read the file, and the
    folder was never said gone. A music "folder" that was a single file is not one."""
    if os.path.isdir(root) or not os.path.exists(root):
        return False
    folder = P.from_fs(root)
    where, params = q.under_sql("path", [folder])
    return conn.execute(f"SELECT 1 FROM tracks WHERE {where} AND path != ? LIMIT 1",
                        [*params, folder]).fetchone() is not None


def drives_before(conn, plan: "WatchPlan", audio: list[str]) -> dict[str, tuple[int, int]]:
    """(tracks, those missing) under each mount point of ``plan.drives`` that the batch's
    ``audio`` paths scan (the point, or a folder around it), before the scan."""
    return {point: tracks_under(conn, P.from_fs(point)) for point in plan.drives
            if any(P.is_under(point, a) for a in audio)}


def tell_drives(conn, plan: "WatchPlan", before: dict[str, tuple[int, int]],
                rep: "WatchReport") -> None:
    """Each mount point of ``before`` (:func:`drives_before`) whose tracks the batch marked
    missing or found back goes into ``rep.drives``, and leaves ``plan.drives``: said once.
    Not one inside a music folder gone as a whole, whose line counts its tracks already."""
    for point, (_held, missing_before) in before.items():
        mounted = plan.drives.pop(point)
        if any(P.is_under(point, root) for root in plan.gone):
            continue
        _n, missing = tracks_under(conn, P.from_fs(point))
        if missing != missing_before:
            rep.drives.append((P.display(P.from_fs(point)), mounted,
                               max(missing - missing_before, 0), max(missing_before - missing, 0)))


def drive_text(point: str, mounted: bool, marked: int, back: int) -> str:
    """The watch's words for a drive mounted on (``mounted``) or unmounted from the folder
    ``point`` (as shown), with its tracks the batch ``marked`` missing and found ``back``:
    ``a drive unmounted from ~/Music/usb: 3 tracks kept, marked missing until it is mounted
    again``. One line: a newline in the path is shown as a space."""
    shown = " ".join(point.splitlines())
    where = f"a drive {'mounted on' if mounted else 'unmounted from'} {shown}"
    said = []
    if marked and mounted:  # the files scanned in that folder are under the drive now
        were = "was" if marked == 1 else "were"
        said.append(f"it hides the {counted(marked, 'track')} that {were} there (kept, marked "
                    "missing until it is unmounted)")
    elif marked:
        said.append(f"{counted(marked, 'track')} kept, marked missing until it is mounted again")
    if back:
        said.append(f"{counted(back, 'track')} back")
    return f"{where}: {', '.join(said)}"
