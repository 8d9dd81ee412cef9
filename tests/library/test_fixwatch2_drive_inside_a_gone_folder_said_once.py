"""A drive mounted inside a music folder, gone with what holds it, is said with it, once. A
music folder renamed with a drive mounted inside it (``mv Music Music.old``) was said gone —
and "the drive mounted on Music/nas is gone (unmounted or unplugged)" too, though it moved
and was never unmounted, its tracks counted twice; two nested drives unmounted together
(``umount -R``) were said gone both, "5 missing" for 3. (The watch may look between the two
unmounts of ``umount -R``: then the inner drive is said first, the outer one with its own
track; each track is counted once either way.)"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from library_audio import write_audio
from mounts_support import mount_tmpfs, unmount
from watch_support import watch_running

from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0


def _said(reports: list) -> list:
    """The reports that came, once one marked tracks missing and a moment passed (a second
    batch would say the drive again)."""
    deadline = time.monotonic() + WAIT_S
    while not any(r.scan.missing for r in list(reports)):
        assert time.monotonic() < deadline, [r.summary() for r in reports]
        time.sleep(0.2)
    time.sleep(1.5)
    return [r for r in reports if not r.empty]


def _mounted(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not mount_tmpfs(folder):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")


def test_a_music_folder_renamed_with_a_drive_inside_is_said_gone_alone(ctx, music):
    nas = music / "nas"
    _mounted(nas)
    moved = music.with_name("music.old")
    reports: list = []
    try:
        write_audio(music / "here.wav", seconds=0.3)
        write_audio(nas / "a.wav", seconds=0.3, freq=440.0)
        write_audio(nas / "b.wav", seconds=0.3, freq=550.0)
        scan_roots(connect(ctx), resolve_roots([str(music)]))
        with watch_running(ctx, on_batch=reports.append):
            os.rename(music, moved)
            said = _said(reports)
    finally:
        unmount(moved / "nas" if moved.exists() else nas)
    assert [r.to_dict()["gone_roots"] for r in said if r.gone_roots] == [
        [{"folder": str(music), "missing_tracks": 3}]]
    assert not [r.summary() for r in said if "drive" in r.summary()]


def test_nested_drives_unmounted_together_are_said_as_the_outer_one(ctx, music):
    usb = music / "usb"
    _mounted(usb)
    inner = usb / "inner"
    reports: list = []
    try:
        _mounted(inner)
        write_audio(usb / "a.wav", seconds=0.3, freq=440.0)
        write_audio(inner / "b.wav", seconds=0.3, freq=550.0)
        write_audio(inner / "c.wav", seconds=0.3, freq=660.0)
        scan_roots(connect(ctx), resolve_roots([str(music)]))
        with watch_running(ctx, on_batch=reports.append):
            subprocess.run(["umount", "-R", str(usb)], capture_output=True, check=True)
            said = _said(reports)
    finally:
        unmount(inner)
        unmount(usb)
    gone = [g for r in said for g in r.to_dict()["gone_roots"]]
    folders = [g["folder"] for g in gone]  # one line, or two when the watch looked between
    assert str(usb) in folders and set(folders) <= {str(usb), str(inner)}  # the two unmounts
    assert len(folders) == len(set(folders)), folders  # no drive said twice
    assert sum(g["missing_tracks"] for g in gone) == 3, gone  # each track counted once
    assert all(r.summary().startswith("the drive mounted on ") for r in said), [
        r.summary() for r in said]
