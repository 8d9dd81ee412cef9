"""A batch that reads a drive unmounted and fails (the library locked by another scan) is
tried again: the drive's mount point was taken from the watch's plan before the scan, so the
batch tried again said its tracks "1 track now missing ('a1.wav'; deleted or moved?)" as if
deleted. Tried again, it says the drive gone, its tracks kept."""

from __future__ import annotations

import time

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount
from watch_support import watch_running

from musicsage.errors import MusicsageError
from musicsage.library import watch, watch_apply
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0


def test_a_drive_gone_in_a_batch_tried_again_is_said_as_a_drive(ctx, music, monkeypatch):
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    reports: list = []
    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(usb / "a1.wav", seconds=0.3, freq=440.0)
        scan_roots(connect(ctx), resolve_roots([str(music)]))
        scans, real = [], watch_apply.scan_roots

        def busy_once(*args, **kw):
            scans.append(1)
            if len(scans) == 1:
                raise MusicsageError("the library is busy (another scan holds its lock)")
            return real(*args, **kw)

        monkeypatch.setattr(watch_apply, "scan_roots", busy_once)
        monkeypatch.setattr(watch, "RETRY_SECONDS", 0.5)
        with watch_running(ctx, on_batch=reports.append):
            unmount(usb, check=True)
            deadline = time.monotonic() + WAIT_S
            while not any(r.scan.missing for r in list(reports)):
                assert time.monotonic() < deadline, [r.summary() for r in reports]
                time.sleep(0.2)
    finally:
        unmount(usb)
    assert reports[0].error  # the first try failed
    [stored] = [r for r in reports if r.scan.missing]
    assert stored.summary() == (f"the drive mounted on {usb} is gone (unmounted or unplugged): "
                                "its 1 track is kept, marked missing until it is back")
