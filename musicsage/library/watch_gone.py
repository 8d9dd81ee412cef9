"""What a folder watch's batch says of a music folder, or a drive mounted inside one, that went
as a whole or is back (:func:`~musicsage.library.watch_apply.apply_changes` calls these around
its scan).

- **A music folder** scanned whole (deleted, renamed, a drive unplugged, or there again) is
  said gone, its tracks kept, or back (:func:`gone_or_back`).
- **A drive mounted on a folder inside a music folder** (``~/Music/usb``, ``~/Music/NAS``):
  the kernel's mount table names its mount point (:mod:`~musicsage.library.watch_mounts`),
  and the batch scans it. Unmounted, it leaves its bare folder (or none), and its tracks are
  marked missing — kept, never removed, and back once it is mounted again; the line said
  "2 tracks now missing ('t.wav' and 'u.wav'; deleted or moved?)", as if the files had been
  deleted. It is said gone as a drive (:class:`DriveTracks`), and, mounted again, back
  (:func:`drives_before`, :func:`drives_gone_or_back`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from musicsage.library import mountinfo, watch_mounts
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.gone_roots import GoneTracks, tracks_under, unreachable_root
from musicsage.library.under_paths import any_track_under

if TYPE_CHECKING:
    from musicsage.library.watch_apply import WatchPlan, WatchReport


def gone_or_back(conn, plan: "WatchPlan", before: dict[str, tuple[int, int]],
                 rep: "WatchReport") -> None:
    """Music folders scanned whole (``before``: their tracks, and those missing, before the
    scan) that are gone, with the tracks this batch marked missing (those an earlier batch
    marked were said by it: "its 1245 tracks" counted 506 gone long before), or there again."""
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


class DriveTracks(int):
    """The tracks a batch marked missing under the mount point of a drive unmounted (an int:
    the report's callers count them as a music folder's gone): said of a drive
    (:func:`~musicsage.library.watch_apply.folder_gone`), not of a folder "gone (unplugged,
    renamed or deleted?)", which is still there."""

    drive = True


def drives_before(conn, plan: "WatchPlan", audio: list[str]) -> dict[str, set[int]]:
    """The mount points the watch saw come or go (``plan.drives``) that a batch's ``audio``
    paths cover -> the ids of the tracks present under each before its scan, outermost
    first. They stay in the plan, with the ids its first try read (``plan.drive_ids``), until
    the batch is stored (:func:`forget_drives`): a batch that failed (the library locked) and
    is tried again said its drive's tracks "2 now missing (deleted or moved?)" — or, failed
    after its scan marked them missing, nothing of its drive at all."""
    points = {p for p in plan.drives if any(P.is_under(p, a) for a in audio)}
    return {p: plan.drive_ids.setdefault(p, _present(conn, p)) for p in sorted(points)}


def forget_drives(plan: "WatchPlan", before: dict[str, set[int]]) -> None:
    """Take the mount points of ``before`` (:func:`drives_before`) and their ids from the plan,
    once the batch is stored whole: a later batch of their files is one of files."""
    plan.drives -= set(before)
    for point in before:
        plan.drive_ids.pop(point, None)


def _present(conn, point: str, status: str = "present") -> set[int]:
    """The ids of the tracks of ``status`` under the mount point ``point`` (an OS path): those
    a drive unmounted takes away are counted by id, not as the change in tracks missing — the
    tracks of a folder a drive was mounted over come back as it goes, and said "1 back
    ('x.wav'), 1 now missing ('y.wav'; deleted or moved?)"."""
    where, params = q.under_sql("path", [P.from_fs(point)])
    return {row[0] for row in conn.execute(
        f"SELECT id FROM tracks WHERE {where} AND status = ?", [*params, status])}


def drives_gone_or_back(conn, plan: "WatchPlan", before: dict[str, set[int]],
                        rep: "WatchReport", gone_before: set[str]) -> None:
    """Each mount point of ``before`` (:func:`drives_before`) whose drive is not mounted now
    and whose tracks present before the batch are missing now joins ``rep.gone_roots`` (and
    ``plan.gone``, until it is back); one mounted again after it was said gone joins
    ``rep.back_roots``. A drive mounted over a folder that held tracks hides them: those are
    said as the scan says them (mounted, it is no drive gone). A point inside a music folder
    or drive said gone (``mv Music Music.old``, ``umount -R``) is said with it: alone, the
    drive that moved was said gone too, its tracks counted twice — only one said gone by this
    batch (not in ``gone_before``): a folder said gone earlier may be there again, empty
    (``mv Music Music.old; mkdir Music``, a music folder's drive unmounted), and a drive
    mounted in it later was never said. A track counts as the drive's when it is now missing:
    one found moved off the drive (copied off, then the drive unmounted) is said moved."""
    mounted = _mounted(list(before))
    for point, present in before.items():  # outermost first: its drives then skip it
        display = P.display(P.from_fs(point))
        if any(g != point and P.is_under(point, g) for g in plan.gone - gone_before):
            continue  # said with the music folder or drive it is in
        marked = len(present & _present(conn, point, "missing"))
        if point not in mounted and marked > 0:
            plan.gone.add(point)
            rep.gone_roots.append((display, DriveTracks(marked)))
        elif point in mounted and point in plan.gone:
            plan.gone.discard(point)
            rep.back_roots.append(display)


def _mounted(points: list[str]) -> set[str]:
    """Those of ``points`` that are a mount point now, by the kernel's table (read from
    memory: a share is not asked); where there is no table, those neither gone nor empty."""
    try:
        table = {point for _id, point in
                 mountinfo.mount_lines(mountinfo.read_table(watch_mounts.MOUNTINFO))}
    except OSError:
        return {p for p in points if not unreachable_root(p)}
    return {p for p in points if os.path.realpath(p) in table}
