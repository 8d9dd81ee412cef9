"""A drive inside a music folder unmounted and mounted again while the watch is busy with a
batch (embedding, a slow scan): the mount table's line comes back byte for byte (mount id and
device number reused), so comparing its text saw no change — the watch kept the dead watches
of the drive's folders, and a file copied onto it later was never added. The kernel flags the
table polled after any change (:mod:`musicsage.library.watch_mounts`)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount
from watch_support import watch_running

from musicsage.library import watch_mounts
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0


def _statuses(ctx) -> dict[str, str]:
    rows = connect(ctx).execute("SELECT path, status FROM tracks").fetchall()
    return {os.path.basename(path): status for path, status in rows}


def _until(ctx, wanted: dict[str, str]) -> None:
    deadline = time.monotonic() + WAIT_S
    while (now := _statuses(ctx)) != wanted:
        assert time.monotonic() < deadline, f"the library says {now}, not {wanted}"
        time.sleep(0.2)


def test_a_drive_unmounted_and_mounted_again_during_a_batch_is_followed(ctx, music):
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    busy, go = threading.Event(), threading.Event()

    def slow(_report) -> None:
        if not busy.is_set():
            busy.set()
            go.wait(WAIT_S)  # the watch is busy with this batch, as while it embeds

    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)
        scan_roots(connect(ctx), resolve_roots([str(music)]))
        with watch_running(ctx, on_batch=slow):
            write_audio(music / "trigger.wav", seconds=0.3, freq=440.0)
            assert busy.wait(WAIT_S)
            unmount(usb, check=True)
            assert mount_tmpfs(usb)  # plugged in again: the same line in the mount table
            write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)  # the drive's files
            go.set()
            time.sleep(3.0)  # the watch looked at the table again, and watched the drive
            write_audio(usb / "Album/new.wav", seconds=0.3, freq=550.0)  # copied onto it
            _until(ctx, {"here.wav": "present", "trigger.wav": "present",
                         "t.wav": "present", "new.wav": "present"})
    finally:
        go.set()
        unmount(usb)


def test_a_change_flagged_with_the_same_table_is_a_batch_of_each_mount_point(
        tmp_path, monkeypatch):
    """Where no drive can be mounted: the kernel flags a change (faked) and the table reads
    as it did, the drive's unique mount id new (faked); that mount point is scanned."""
    from musicsage.library.watch import FolderWatch
    from musicsage.library.watch_apply import WatchPlan

    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    table = tmp_path / "mountinfo"
    table.write_text("1 1 0:1 / / rw - ext4 /dev/sda1 rw\n"
                     f"2 1 0:2 / {music}/usb rw - vfat /dev/sdb1 rw\n"
                     "3 1 0:3 / /elsewhere rw - vfat /dev/sdc1 rw\n")
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    ids = {str(music / "usb"): 1, "/elsewhere": 1}
    monkeypatch.setattr(watch_mounts, "_mount_id", lambda point: ids.get(point))
    flags = []
    flagged = watch_mounts.MountChanges._flagged
    monkeypatch.setattr(watch_mounts.MountChanges, "_flagged",
                        lambda self: flagged(self) or bool(flags and flags.pop()))
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        assert watch.pending.take(quiet=0.0, max_wait=0.0, timeout=0.2) is None
        flags.append(True)  # unmounted and mounted again since the last look
        ids[str(music / "usb")] = 2
        watch.look_at_roots()
        batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=1.0)
        assert batch is not None and batch.paths == {str(music / "usb"): True}
        watch.look_at_roots()  # nothing flagged since: no batch
        assert watch.pending.take(quiet=0.0, max_wait=0.0, timeout=0.2) is None
