"""A drive's file copied off into the music folder, then the drive unmounted, read in one
batch: the copy is found moved, and the drive keeps only the track left on it. The batch
said "its 2 tracks are kept, marked missing … 1 moved ('a.wav')" (JSON ``missing_tracks`` 2,
``scan.missing`` 1): the track found moved was counted as kept on the drive too."""

from __future__ import annotations

import shutil

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount

from musicsage.library.scan import scan_roots
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes


def test_a_track_copied_off_a_drive_unmounted_is_said_moved_not_kept(conn, music):
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(usb / "a.wav", seconds=0.3, freq=440.0)
        write_audio(usb / "b.wav", seconds=0.3, freq=550.0)
        scan_roots(conn, [str(music)])
        (music / "local").mkdir()
        shutil.copy2(usb / "a.wav", music / "local" / "a.wav")
        unmount(usb, check=True)
        plan = WatchPlan(roots=[str(music)], drives={str(usb)})  # the watch saw it go
        rep = apply_changes(conn, plan, Batch(paths={str(music / "local"): True,
                                                     str(usb): True}))
    finally:
        unmount(usb)
    assert (rep.scan.moved, rep.scan.missing) == (1, 1)
    assert rep.to_dict()["gone_roots"] == [{"folder": str(usb), "missing_tracks": 1}]
    assert rep.summary().startswith(f"the drive mounted on {usb} is gone (unmounted or "
                                    "unplugged): its 1 track is kept, marked missing")
