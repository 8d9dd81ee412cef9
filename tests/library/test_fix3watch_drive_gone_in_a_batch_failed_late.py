"""A batch that read a drive unmounted and failed after its scan had marked the drive's tracks
missing (the library locked while it renamed playlists or folded copies into moves) is tried
again: the tracks were read again, missing by then, and the batch tried again said nothing of
the drive at all. It says the drive gone, its tracks kept."""

from __future__ import annotations

import sqlite3

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount

from musicsage.library import watch_apply
from musicsage.library.scan import scan_roots
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes


def test_a_drive_gone_in_a_batch_that_failed_after_its_scan_is_said(conn, music, monkeypatch):
    usb = music / "usb"
    usb.mkdir()
    if not mount_tmpfs(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(usb / "a.wav", seconds=0.3, freq=440.0)
        write_audio(usb / "b.wav", seconds=0.3, freq=550.0)
        scan_roots(conn, [str(music)])
        unmount(usb, check=True)
    finally:
        unmount(usb)
    real, tries = watch_apply._rename_playlists, []

    def locked_once(*args, **kw):
        tries.append(1)
        if len(tries) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(*args, **kw)

    monkeypatch.setattr(watch_apply, "_rename_playlists", locked_once)
    plan = WatchPlan(roots=[str(music)], drives={str(usb)})
    batch = Batch(paths={str(usb): True})
    with pytest.raises(sqlite3.OperationalError):
        apply_changes(conn, plan, batch)  # the scan stored, the batch failed: tried again
    again = apply_changes(conn, plan, batch)
    assert again.to_dict()["gone_roots"] == [{"folder": str(usb), "missing_tracks": 2}]
    assert again.summary() == (f"the drive mounted on {usb} is gone (unmounted or unplugged): "
                               "its 2 tracks are kept, marked missing until it is back")
    assert not plan.drives  # stored whole: a later batch of its files is one of files
    apply_changes(conn, plan, batch)
    assert not plan.drive_ids
