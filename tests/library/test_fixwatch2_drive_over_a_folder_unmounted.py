"""A drive mounted over a folder inside a music folder that held tracks, then unmounted: the
folder's own tracks come back as the drive's go. The watch said "1 back ('x.wav'), 1 track
now missing ('y.wav'; deleted or moved?)" — the drive's tracks counted as the change in tracks
missing under its folder, none — as if the drive's file had been deleted. The drive is said
gone with its track kept, the folder's track back."""

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


def test_a_drive_unmounted_from_over_a_folder_is_said_gone_and_the_folder_back(ctx, music):
    usb = music / "usb"
    write_audio(usb / "x.wav", seconds=0.3, freq=440.0)  # the folder's own track
    scan_roots(connect(ctx), resolve_roots([str(music)]))
    reports: list = []
    with watch_running(ctx, on_batch=reports.append):
        if not mount_tmpfs(usb):
            pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
        try:
            write_audio(usb / "y.wav", seconds=0.3, freq=550.0)  # the drive's
            _until(lambda r: _statuses(ctx) == {"x.wav": "missing", "y.wav": "present"},
                   reports)
            time.sleep(1.0)
            reports.clear()
        except BaseException:
            unmount(usb)
            raise
        unmount(usb, check=True)
        said = _until(lambda r: r.scan.reappeared or r.gone_roots, reports)
        time.sleep(1.0)
    assert _statuses(ctx) == {"x.wav": "present", "y.wav": "missing"}
    said = [r for r in reports if not r.empty]
    kept = "its 1 track is kept, marked missing until it is back"
    assert [r.summary() for r in said] == [
        f"the drive mounted on {usb} is gone (unmounted or unplugged): {kept}, 1 back ('x.wav')"]
    assert "deleted" not in describe_watch(said[0])[0]
    assert said[0].to_dict()["gone_roots"] == [{"folder": str(usb), "missing_tracks": 1}]
