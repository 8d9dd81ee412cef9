"""A drive mounted on a folder inside a watched music folder (``~/Music/usb``) and unmounted:
its tracks are kept, marked missing until it is mounted again. The watch said "2 now missing
('t.wav' and 'u.wav')" — the window "2 tracks now missing (…; deleted or moved?)" — as if
the files had been deleted, where a music folder unplugged as a whole is said gone with its
tracks kept. The drive is said gone, its tracks kept; mounted again, back. Also when its mount
point is removed once it is unmounted (udisks does so, in ``/media/me`` as a music folder):
the folder's deletion was a batch before the watch looked at the mount table."""

from __future__ import annotations

import os
import time

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount
from watch_support import watch_running

from musicsage.controllers.summaries import describe_watch
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0


def _until(what, reports: list) -> list:
    """The reports that came, once one of them does ``what`` (a predicate on a report)."""
    deadline = time.monotonic() + WAIT_S
    while not any(what(r) for r in list(reports)):
        assert time.monotonic() < deadline, [r.summary() for r in reports]
        time.sleep(0.2)
    return list(reports)


def _statuses(ctx) -> dict[str, str]:
    rows = connect(ctx).execute("SELECT path, status FROM tracks").fetchall()
    return {os.path.basename(path): status for path, status in rows}


@pytest.mark.parametrize("point_removed", [False, True], ids=["point-kept", "point-removed"])
def test_a_drive_unmounted_inside_a_music_folder_is_said_gone_with_its_tracks_kept(
        ctx, music, point_removed):
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    reports: list = []
    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)
        write_audio(usb / "Album/u.wav", seconds=0.3, freq=440.0)
        scan_roots(connect(ctx), resolve_roots([str(music)]))
        with watch_running(ctx, on_batch=reports.append):
            unmount(usb, check=True)
            if point_removed:
                usb.rmdir()
            said = _until(lambda r: r.scan.missing, reports)
            assert _statuses(ctx) == {"here.wav": "present", "t.wav": "missing",
                                      "u.wav": "missing"}
            [gone] = [r for r in said if r.scan.missing]
            kept = "its 2 tracks are kept, marked missing until it is back"
            assert gone.summary() == (f"the drive mounted on {usb} is gone (unmounted or "
                                      f"unplugged): {kept}")
            assert describe_watch(gone) == (f"Folder watch: the drive mounted on {usb} is gone "
                                            f"(unmounted or unplugged): {kept}", "warning")
            assert gone.to_dict()["gone_roots"] == [{"folder": str(usb), "missing_tracks": 2}]
            usb.mkdir(exist_ok=True)
            assert mount_tmpfs(usb)
            write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)  # the drive's files
            write_audio(usb / "Album/u.wav", seconds=0.3, freq=440.0)
            said = _until(lambda r: r.back_roots, reports)
            assert [r.back_roots for r in said if r.back_roots] == [[str(usb)]]
            _until(lambda r: _statuses(ctx) == {"here.wav": "present", "t.wav": "present",
                                                "u.wav": "present"}, reports)
    finally:
        if usb.is_dir():
            unmount(usb)
    assert not [r.summary() for r in reports if "deleted" in r.summary()]
