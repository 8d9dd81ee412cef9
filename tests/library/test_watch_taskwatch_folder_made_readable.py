"""A folder or file of a watched music folder that could not be read (``chmod 000``: the scan
said "cannot list folder: Permission denied" or "unreadable") is followed once its
permissions are fixed: ``chmod`` makes no event but inotify's "attrib", which the watch
dropped — its files stayed out of the library until a rescan, and the kernel had refused to
watch the folder while it could not be read, so files added to it later were never seen
either, all without a word."""

from __future__ import annotations

import errno
import os
import time

import musicsage.library.walk as walk
from library_audio import write_audio
from watch_support import TIMEOUT, refuse_watches_of, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _paths(ctx) -> set[str]:
    return {os.path.basename(P.to_fs(r[0])) for r in connect(ctx).execute(
        "SELECT path FROM tracks WHERE status = 'present'")}


def _wait_for(predicate) -> bool:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)
    return predicate()


def _lock(monkeypatch, folder: str, locked: dict) -> None:
    """``folder`` cannot be listed (the scan's walk) nor watched (inotify's EACCES) while
    ``locked["on"]``: as ``chmod 000`` makes it for its owner (the tests may run as root,
    whom no mode stops)."""
    scandir = os.scandir

    def listing(path="."):
        if locked["on"] and os.fspath(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(walk.os, "scandir", listing)
    from watchdog.observers.inotify_c import InotifyFD

    add = InotifyFD.add_callback

    def refused(self, path, *args, **kw):
        if locked["on"] and os.fsdecode(path) == folder:
            raise OSError(errno.EACCES, "Permission denied")
        return add(self, path, *args, **kw)

    monkeypatch.setattr(InotifyFD, "add_callback", refused)


def test_a_folder_unreadable_when_the_watch_started_is_read_and_watched_once_readable(
        ctx, tmp_path, monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(music / "Locked" / "in1.wav", seconds=0.2, freq=300.0)
    _lock(monkeypatch, str(music / "Locked"), locked)
    scan_library(ctx, [str(music)])
    assert _paths(ctx) == {"seed.wav"}  # the scan could not list it
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        locked["on"] = False
        os.chmod(music / "Locked", 0o755)  # the user fixes its permissions
        assert _wait_for(lambda: "in1.wav" in _paths(ctx)), reports
        write_audio(music / "Locked" / "in2.wav", seconds=0.2, freq=400.0)  # then adds one
        assert _wait_for(lambda: "in2.wav" in _paths(ctx)), reports


def test_a_file_said_unreadable_is_read_once_its_permissions_are_fixed(ctx, tmp_path,
                                                                         monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    bad = music / "rip.wav"
    opened = open

    def unreadable(file, *args, **kw):  # as chmod 000 makes it for its owner
        if locked["on"] and isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(bad):
            raise PermissionError(errno.EACCES, "Permission denied", str(bad))
        return opened(file, *args, **kw)

    reports = []
    with watch_running(ctx, on_batch=reports.append):
        monkeypatch.setattr("builtins.open", unreadable)
        write_audio(bad, seconds=0.2, freq=500.0)  # written before the watch reads it
        assert _wait_for(lambda: any(r.scan.errors for r in reports)), reports
        assert "rip.wav" not in _paths(ctx)
        locked["on"] = False
        os.chmod(bad, 0o644)  # the user fixes its permissions
        assert _wait_for(lambda: "rip.wav" in _paths(ctx)), reports
