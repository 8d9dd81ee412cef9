"""A drive inside a music folder unmounted and mounted again while the watch is busy with a
batch (embedding, a slow scan): the mount table's line comes back byte for byte (mount id and
device number reused), so comparing its text saw no change — the watch kept the dead watches
of the drive's folders, and a file copied onto it later was never added. The kernel flags the
table polled after any change (:mod:`musicsage.library.watch_mounts`)."""

from __future__ import annotations

import threading
import time

from library_audio import write_audio
from mounts_support import (WAIT_S, drive_on, mount_tmpfs, scanned_with_a_track_on, unmount,
                            until)
from watch_support import watch_running

from musicsage.library import watch_mounts

def test_a_drive_unmounted_and_mounted_again_during_a_batch_is_followed(ctx, music):
    with drive_on(music / "usb") as usb:
        busy, go = threading.Event(), threading.Event()

        def slow(_report) -> None:
            if not busy.is_set():
                busy.set()
                go.wait(WAIT_S)  # the watch is busy with this batch, as while it embeds

        try:
            scanned_with_a_track_on(ctx, music, usb)
            with watch_running(ctx, on_batch=slow):
                write_audio(music / "trigger.wav", seconds=0.3, freq=440.0)
                assert busy.wait(WAIT_S)
                unmount(usb, check=True)
                assert mount_tmpfs(usb)  # plugged in again: the same line in the mount table
                write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)  # the drive's files
                go.set()
                time.sleep(3.0)  # the watch looked at the table again, and watched the drive
                write_audio(usb / "Album/new.wav", seconds=0.3, freq=550.0)  # copied onto it
                until(ctx, {"here.wav": "present", "trigger.wav": "present",
                            "t.wav": "present", "new.wav": "present"})
        finally:
            go.set()


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
