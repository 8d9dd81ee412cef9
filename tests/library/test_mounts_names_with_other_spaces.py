"""A drive mounted on a folder whose name holds a space the kernel's mount table does not
escape: a no-break space (``USB\\u00a0Drive``), an ideographic space (a Japanese drive label),
a carriage return, a vertical tab, a line separator. The table escapes only a space, a tab, a
newline and a backslash; its fields are split by single spaces and its lines by newlines. Both
readers split on any whitespace and any line break, so ``~/Music/USB\\u00a0Drive`` read as
``~/Music/USB``: unplugged, the drive's tracks stayed "present" with their files gone, and
the window's looks took the share for another disk."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio
from mounts_support import drive_on, mount_tmpfs, scanned_with_a_track_on, unmount, until
from watch_support import watch_running

import musicsage.controllers.bounded_look as B
from musicsage.library import watch_mounts

NAMES = ["USB\u00a0Drive", "Disk\u3000Two", "cr\rname", "vt\x0bname", "ff\x0cname",
         "fs\x1cname", "nel\x85name", "ls\u2028name"]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: repr(n)[1:-1])
def test_both_readers_name_the_mount_point_whole(tmp_path, monkeypatch, name):
    music = tmp_path / "music"
    point = music / name
    point.mkdir(parents=True)
    table = tmp_path / "mountinfo"
    root_line = b"1 1 0:1 / / rw - ext4 /dev/sda1 rw\n"
    table.write_bytes(root_line)
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    monkeypatch.setattr(B, "MOUNTINFO", str(table), raising=False)
    monkeypatch.setattr(B, "_mounts_read", None, raising=False)
    mounts = watch_mounts.MountChanges()
    assert mounts.since_last_look([str(music)]) == []
    table.write_bytes(root_line + b"2 1 0:2 / " + os.fsencode(str(point))
                      + b" rw,relatime shared:2 - tmpfs musicsage-test rw,size=1024k\n")
    assert mounts.since_last_look([str(music)]) == [(str(music), str(point))]
    table.write_bytes(root_line)
    assert mounts.since_last_look([str(music)]) == [(str(music), str(point))]
    mounts.close()
    table.write_bytes(root_line + b"2 1 0:2 / " + os.fsencode(str(point))
                      + b" rw - cifs //srv/share rw\n")
    assert B._root(str(point / "Album" / "t.mp3")) == str(point)


def test_a_drive_named_with_a_no_break_space_unplugged_marks_its_tracks_missing(ctx, music):
    with drive_on(music / "USB\u00a0Drive") as usb:
        scanned_with_a_track_on(ctx, music, usb)
        with watch_running(ctx):
            unmount(usb, check=True)
            until(ctx, {"here.wav": "present", "t.wav": "missing"})
            assert mount_tmpfs(usb)
            write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)
            until(ctx, {"here.wav": "present", "t.wav": "present"})
