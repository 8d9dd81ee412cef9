"""A drive mounted in a music folder that an earlier batch said gone, and that is there again
(``mv Music Music.old; mkdir Music``, or a music folder's own drive unmounted, its bare folder
left), then unplugged: it was skipped as "said with the folder it is in" — the folder said
gone batches ago — and its tracks said "2 tracks now missing ('a.wav' and 'b.wav'; deleted or
moved?)". It is said gone as a drive, its tracks kept, and back once mounted again."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount

from musicsage.library.scan import scan_roots
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes


def test_a_drive_in_a_music_folder_said_gone_before_is_said_as_a_drive(conn, music):
    write_audio(music / "here.wav", seconds=0.3)
    scan_roots(conn, [str(music)])
    plan = WatchPlan(roots=[str(music)])
    os.rename(music, music.with_name("music.old"))
    first = apply_changes(conn, plan, Batch(paths={str(music): True}))
    assert first.gone_roots and str(music) in plan.gone  # said gone
    music.mkdir()  # a new, empty music folder in its place: still gone (none of its tracks)
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    try:
        write_audio(usb / "a.wav", seconds=0.3, freq=660.0)
        write_audio(usb / "b.wav", seconds=0.3, freq=770.0)
        plan.drives.add(str(usb))
        assert apply_changes(conn, plan, Batch(paths={str(usb): True})).scan.added == 2
        unmount(usb, check=True)
        plan.drives.add(str(usb))
        gone = apply_changes(conn, plan, Batch(paths={str(usb): True}))
    finally:
        unmount(usb)
    assert gone.to_dict()["gone_roots"] == [{"folder": str(usb), "missing_tracks": 2}]
    assert gone.summary() == (f"the drive mounted on {usb} is gone (unmounted or unplugged): "
                              "its 2 tracks are kept, marked missing until it is back")
