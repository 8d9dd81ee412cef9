"""Which drives inside a watched music folder a change of the mount table rescans.

A drive unmounted and mounted again while the watch was busy was missed when anything else in
the table changed meanwhile (only the differing lines counted then); and any mount and unmount
elsewhere (a backup tool, a container) rescanned every drive inside the music folders, the
music folder observed anew once per drive. A drive's unique mount id (statx, Linux 6.8+)
tells a real remount (:mod:`musicsage.library.watch_mounts`)."""

from __future__ import annotations

import os

import pytest
from mounts_support import mount_tmpfs, unmount

from musicsage.library import watch_mounts
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan

LINE = "{n} 1 0:{n} / {point} rw - vfat /dev/sd{n} rw\n"


def _faked(tmp_path, monkeypatch, points: list[str]):
    """A mount table of ``/`` and ``points`` (faked), a change the kernel flags when
    ``flags`` holds one, and each point's unique mount id from ``ids``."""
    table = tmp_path / "mountinfo"
    table.write_text("".join(LINE.format(n=n, point=p) for n, p in enumerate(["/", *points])))
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    flags: list[bool] = []
    flagged = watch_mounts.MountChanges._flagged
    monkeypatch.setattr(watch_mounts.MountChanges, "_flagged",
                        lambda self: flagged(self) or bool(flags and flags.pop()))
    ids = {p: 1 for p in points}
    monkeypatch.setattr(watch_mounts, "_mount_id", lambda point: ids.get(point))
    return table, flags, ids


def _batch(watch) -> list[str] | None:
    batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=0.5)
    return None if batch is None else sorted(batch.paths)


def test_a_drive_mounted_again_is_scanned_though_another_line_changed(tmp_path, monkeypatch):
    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    usb = str(music / "usb")
    table, flags, ids = _faked(tmp_path, monkeypatch, [usb])
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        assert _batch(watch) is None
        table.write_text(table.read_text() + LINE.format(n=9, point="/elsewhere"))
        flags.append(True)  # a drive mounted elsewhere, and usb unmounted and mounted again
        ids[usb] = 2
        watch.look_at_roots()
        assert _batch(watch) == [usb]


def test_a_mount_elsewhere_rescans_no_drive_and_a_tree_is_watched_anew_once(
        tmp_path, monkeypatch):
    music = tmp_path / "music"
    points = [str(music / name) for name in ("nas", "phone", "usb")]
    for p in points:
        os.makedirs(p)
    table, flags, ids = _faked(tmp_path, monkeypatch, points[:1])
    rewatched: list[str] = []
    rewatch = FolderWatch._rewatch
    monkeypatch.setattr(FolderWatch, "_rewatch",
                        lambda self, root, gone=False: (rewatched.append(root),
                                                        rewatch(self, root, gone))[1])
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        flags.append(True)  # mounted and unmounted elsewhere: the table reads as it did
        watch.look_at_roots()
        assert _batch(watch) is None and rewatched == []
        ids.update({p: 1 for p in points})
        table.write_text(table.read_text() + "".join(
            LINE.format(n=n, point=p) for n, p in enumerate(points[1:], start=5)))
        flags.append(True)  # two drives mounted inside the music folder
        watch.look_at_roots()
        assert _batch(watch) == points[1:]
        assert rewatched == [str(music)]  # observed anew once, not once per drive


def test_where_the_kernel_cannot_tell_a_remount_every_drive_inside_is_scanned(
        tmp_path, monkeypatch):
    """A kernel before 6.8 has no unique mount id: a flagged change that left the table as it
    was (a drive unmounted and mounted again) rescans every drive inside the music folders;
    one whose only differing line is a mount elsewhere (a container, a snap) rescans none —
    on such a kernel a drive's remount hidden behind it waits for the next scan, the price
    of not rescanning a NAS at every mount on the system."""
    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    usb = str(music / "usb")
    table, flags, ids = _faked(tmp_path, monkeypatch, [usb])
    ids.clear()  # None: cannot tell
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        flags.append(True)  # the same text, a change flagged
        watch.look_at_roots()
        assert _batch(watch) == [usb]
        table.write_text(table.read_text() + LINE.format(n=9, point="/elsewhere"))
        flags.append(True)
        watch.look_at_roots()
        assert _batch(watch) is None


def test_real_drives_told_apart(tmp_path):
    """With real mounts (root): a mount and unmount elsewhere is no batch; a drive inside
    unmounted and mounted again while a drive elsewhere was mounted is one."""
    music, elsewhere = tmp_path / "music", tmp_path / "elsewhere"
    (music / "usb").mkdir(parents=True)
    elsewhere.mkdir()
    if not mount_tmpfs(music / "usb", size="1m"):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    if watch_mounts._mount_id(str(music / "usb")) is None:
        unmount(music / "usb")
        pytest.skip("this kernel has no unique mount id (Linux 6.8+)")
    try:
        with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
            watch.look_at_roots()
            assert mount_tmpfs(elsewhere, size="1m")
            unmount(elsewhere)
            watch.look_at_roots()
            assert _batch(watch) is None
            unmount(music / "usb")
            assert mount_tmpfs(music / "usb", size="1m") and mount_tmpfs(elsewhere, size="1m")
            watch.look_at_roots()
            assert _batch(watch) == [str(music / "usb")]
    finally:
        unmount(elsewhere)
        unmount(music / "usb")


def test_a_remount_read_before_its_flag_is_not_lost(tmp_path, monkeypatch):
    """A change the kernel made between a look's poll and its read (the text already new, the
    flag seen only by the next poll): the drive's new unique id is compared at once, not
    stored unread and lost."""
    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    usb = str(music / "usb")
    table, flags, ids = _faked(tmp_path, monkeypatch, [usb])
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        table.write_text(table.read_text() + LINE.format(n=9, point="/elsewhere"))
        ids[usb] = 2  # unmounted and mounted again, unflagged as yet
        watch.look_at_roots()
        assert _batch(watch) == [usb]


def test_a_snapshot_mount_does_not_hide_a_drive_whose_id_is_unknown(tmp_path, monkeypatch):
    """A mount in a hidden folder (``.snapshots``), which no batch reads, counted among the
    drives told by their ids: its new id left "changed" not empty, and the remount of a drive
    whose id the kernel could not give was lost (the final review of 7377c88)."""
    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    (music / ".snapshots" / "1").mkdir(parents=True)
    usb, snap = str(music / "usb"), str(music / ".snapshots" / "1")
    table, flags, ids = _faked(tmp_path, monkeypatch, [usb, snap])
    ids[usb] = None  # the kernel cannot tell this one's
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        ids[snap] = 2
        flags.append(True)
        watch.look_at_roots()
        assert _batch(watch) == [usb]
