"""A drive unmounted inside a watched music folder whose mount point goes with it (udisks2:
``/media/me`` the music folder, ``/media/me/USB`` made at mount, removed at unmount): no bare
mount point was left to tell a drive not mounted, so the watch's scan folded the drive's
track into its copy elsewhere in the library (the copy's row gone), and the drive plugged
back in came back as a new track, without vectors or playlist places. A mount point a watch
saw in the mount table holds its tracks back from copies while it is not mounted."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from library_audio import write_audio
from watch_support import watch_running

from musicsage.library import gone_roots, watch_mounts
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0


@pytest.fixture(autouse=True)
def _no_unmounted_left():
    """The mount points seen are the process's: none left to other tests."""
    yield
    gone_roots.MOUNT_POINTS.clear()


def _mount(folder) -> bool:
    """A small RAM drive mounted on ``folder``; False where this process may not mount."""
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "musicsage-test",
                           str(folder)], capture_output=True)
    return done.returncode == 0


def _rows(ctx, music) -> list[tuple[int, str, str]]:
    return sorted((i, os.path.relpath(p, music), s) for i, p, s in
                  connect(ctx).execute("SELECT id, path, status FROM tracks"))


def _until(ctx, music, wanted: list) -> None:
    deadline = time.monotonic() + WAIT_S
    while (now := _rows(ctx, music)) != wanted:
        assert time.monotonic() < deadline, f"the library holds {now}, not {wanted}"
        time.sleep(0.2)


def _library_with_a_copy(ctx, music, usb) -> None:
    """The drive's track (id 1), and its copy scanned later into ``music/backup`` (id 2)."""
    track = write_audio(usb / "t.wav", seconds=0.3, freq=330.0)
    scan_roots(connect(ctx), resolve_roots([str(music)]))
    (music / "backup").mkdir()
    shutil.copy(track, music / "backup/t.wav")
    scan_roots(connect(ctx), resolve_roots([str(music)]))


def test_a_drive_unmounted_with_its_folder_keeps_its_track_from_a_copy(ctx, music):
    usb = music / "USB"
    usb.mkdir()
    if not _mount(usb):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    try:
        _library_with_a_copy(ctx, music, usb)
        with watch_running(ctx):
            subprocess.run(["umount", str(usb)], capture_output=True, check=True)
            usb.rmdir()  # udisks2 removes its mount point
            _until(ctx, music, [(1, "USB/t.wav", "missing"), (2, "backup/t.wav", "present")])
            usb.mkdir()
            assert _mount(usb)
            shutil.copy(music / "backup/t.wav", usb / "t.wav")  # the drive plugged back in
            _until(ctx, music, [(1, "USB/t.wav", "present"), (2, "backup/t.wav", "present")])
    finally:
        subprocess.run(["umount", str(usb)], capture_output=True)


def test_a_mount_point_gone_from_the_table_holds_its_tracks_from_copies(
        ctx, music, tmp_path, monkeypatch):
    """Where no drive can be mounted: the table loses the line of ``music/USB`` (faked), then
    its folder goes; the track there is kept missing, its copy kept as it is."""
    usb = music / "USB"
    _library_with_a_copy(ctx, music, usb)
    table = tmp_path / "mountinfo"
    line = f"2 1 0:2 / {usb} rw - vfat /dev/sdb1 rw\n"
    table.write_text("1 1 0:1 / / rw - ext4 /dev/sda1 rw\n" + line)
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    with watch_running(ctx):
        table.write_text(table.read_text().replace(line, ""))  # unmounted
        time.sleep(1.5)  # the watch looked at the table
        shutil.rmtree(usb)  # and its folder went
        _until(ctx, music, [(1, "USB/t.wav", "missing"), (2, "backup/t.wav", "present")])
