"""What the watch reads again when a path's permissions or times change (inotify's "attrib"):
only a path the scan was NOT LET read — a damaged file ``touch``-ed (``rsync -t``, ``chmod
-R``) was read again and said unreadable again; a folder that lost only its ``x`` bit, whose
error rows name its files and sub-folders, stayed out of the library once fixed (its
``chmod`` names the folder); and a busy DB lost the paths heard."""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time

import musicsage.library.walk as walk
import musicsage.library.watch as watch_module
from library_audio import write_audio
from watch_support import TIMEOUT, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.library.watch_events import SETTLE_SECONDS
from musicsage.library.watch_targets import could_not_read
from musicsage.usecases.library import scan_library


def _paths(ctx) -> set[str]:
    return {os.path.basename(P.to_fs(r[0])) for r in connect(ctx).execute(
        "SELECT path FROM tracks WHERE status = 'present'")}


def _wait_for(predicate, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)
    return predicate()


def _damaged(path) -> None:
    """A FLAC whose header promises more than the file holds: the scan cannot read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"fLaC" + bytes(range(256)) * 12)


def _unreadable_file(monkeypatch, path, locked: dict) -> None:
    """``open(path)`` fails as ``chmod 000`` makes it for its owner while ``locked["on"]``
    (the tests may run as root, whom no mode stops)."""
    opened = open

    def refused(file, *args, **kw):
        if locked["on"] and isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return opened(file, *args, **kw)

    monkeypatch.setattr("builtins.open", refused)


class _Unlooked:
    """A listed entry of a folder without its ``x`` bit: named, but not to be looked at."""

    def __init__(self, entry: os.DirEntry) -> None:
        self.name, self.path = entry.name, entry.path

    def _denied(self, *args, **kw):
        raise PermissionError(errno.EACCES, "Permission denied", self.path)

    stat = is_symlink = is_dir = is_file = _denied


class _Listing(list):
    """What ``os.scandir`` hands back, for these entries (iterated, closed, with ``with``)."""

    def __init__(self, entries) -> None:
        super().__init__(entries)
        self._it = iter(entries)

    def __next__(self):
        return next(self._it)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def close(self) -> None:
        pass


def _without_x(monkeypatch, folder: str, locked: dict) -> None:
    """``folder`` lists, but nothing in it can be looked at while ``locked["on"]``: as
    ``chmod 644`` makes it (the scan says each entry ``cannot open: Permission denied``, and
    the kernel watches none of its sub-folders)."""
    scandir = os.scandir

    def listing(path="."):
        if not (locked["on"] and os.fspath(path) == folder):
            return scandir(path)
        with scandir(path) as it:
            return _Listing([_Unlooked(e) for e in it])

    monkeypatch.setattr(walk.os, "scandir", listing)


def test_only_a_path_the_scan_was_not_let_read_is_read_again(ctx, tmp_path, monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(music / "rip.wav", seconds=0.2, freq=300.0)
    _damaged(music / "bad.flac")
    _unreadable_file(monkeypatch, music / "rip.wav", locked)
    scan_library(ctx, [str(music)])
    locked["on"] = False
    rows = dict(connect(ctx).execute("SELECT path, message FROM errors"))
    assert rows.keys() == {P.from_fs(music / "bad.flac"), P.from_fs(music / "rip.wav")}, rows
    assert could_not_read(connect(ctx), [str(music / "bad.flac"), str(music / "rip.wav")]) == [
        str(music / "rip.wav")]


def test_a_damaged_file_touched_is_not_said_unreadable_again(ctx, tmp_path, monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(music / "rip.wav", seconds=0.2, freq=300.0)
    _damaged(music / "bad.flac")
    _unreadable_file(monkeypatch, music / "rip.wav", locked)
    scan_library(ctx, [str(music)])
    assert "rip.wav" not in _paths(ctx)
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.utime(music / "bad.flac")  # touch, rsync -t: its times change, not its bytes
        locked["on"] = False
        os.chmod(music / "rip.wav", 0o644)  # and a file the scan was not let read is fixed
        assert _wait_for(lambda: "rip.wav" in _paths(ctx)), reports
        time.sleep(SETTLE_SECONDS + 1.5)  # what fails is said once it stays so
    said = [e for r in reports for e in r.scan.errors]
    assert not said, [r.summary() for r in reports]


def test_a_folder_that_lost_only_its_x_bit_is_read_and_watched_once_fixed(ctx, tmp_path,
                                                                          monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    album = music / "Album"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(album / "in1.wav", seconds=0.2, freq=300.0)
    write_audio(album / "Sub" / "in3.wav", seconds=0.2, freq=350.0)
    _without_x(monkeypatch, str(album), locked)
    scan_library(ctx, [str(music)])
    assert _paths(ctx) == {"seed.wav"}
    rows = {os.path.relpath(P.to_fs(r[0]), music) for r in connect(ctx).execute(
        "SELECT path FROM errors")}
    assert rows == {"Album/in1.wav", "Album/Sub"}  # its entries are named, not the folder
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        locked["on"] = False
        os.chmod(album, 0o755)  # chmod +x Album
        assert _wait_for(lambda: {"in1.wav", "in3.wav"} <= _paths(ctx)), reports
        write_audio(album / "Sub" / "in4.wav", seconds=0.2, freq=450.0)  # then adds one
        assert _wait_for(lambda: "in4.wav" in _paths(ctx)), reports


def test_paths_heard_while_the_db_is_busy_are_read_next_cycle(ctx, tmp_path, monkeypatch):
    music, locked = tmp_path / "music", {"on": True}
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(music / "rip.wav", seconds=0.2, freq=300.0)
    _unreadable_file(monkeypatch, music / "rip.wav", locked)
    scan_library(ctx, [str(music)])
    real, busy = watch_module.could_not_read, []

    def busy_once(conn, paths, *rest):
        if not busy:  # another program holds the DB at the first look
            busy.append(list(paths))
            raise sqlite3.OperationalError("database is locked")
        return real(conn, paths, *rest)

    monkeypatch.setattr(watch_module, "could_not_read", busy_once)
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        locked["on"] = False
        os.chmod(music / "rip.wav", 0o644)
        assert _wait_for(lambda: "rip.wav" in _paths(ctx)), (busy, reports)
    assert busy == [[str(music / "rip.wav")]]


def _closed(monkeypatch, folder: str, locked: dict, asked: list) -> None:
    """``folder`` can be neither read nor watched while ``locked["on"]`` (a folder ``chmod
    300``, moved in: ``mv`` needs only ``w``); ``asked`` hears each look at whether it reads
    (with whether it was locked then)."""
    from watchdog.observers.inotify_c import InotifyFD

    scandir, access, add = os.scandir, os.access, InotifyFD.add_callback

    def listing(path="."):
        if locked["on"] and os.fspath(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied")
        return scandir(path)

    def reads(path, mode, **kw):
        if os.fspath(path) == folder:
            asked.append(locked["on"])
            if locked["on"]:
                return False
        return access(path, mode, **kw)

    def refused(self, path, *args, **kw):
        if locked["on"] and os.fsdecode(path) == folder:
            raise OSError(errno.EACCES, "Permission denied")
        return add(self, path, *args, **kw)

    monkeypatch.setattr(walk.os, "scandir", listing)
    monkeypatch.setattr(walk.os, "access", reads)
    monkeypatch.setattr(InotifyFD, "add_callback", refused)


def test_a_folder_moved_in_unreadable_and_fixed_before_it_was_read_is_watched(ctx, tmp_path,
                                                                              monkeypatch):
    music, locked, asked = tmp_path / "music", {"on": True}, []
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    write_audio(tmp_path / "Downloads" / "Album" / "a1.wav", seconds=0.2, freq=300.0)
    album = music / "Album"
    _closed(monkeypatch, str(album), locked, asked)
    fixed, apply = threading.Event(), watch_module.apply_changes

    def once_fixed(*args, **kw):  # the batch reads it after the fix (a busy machine's timing)
        fixed.wait(TIMEOUT)
        return apply(*args, **kw)

    monkeypatch.setattr(watch_module, "apply_changes", once_fixed)
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.rename(tmp_path / "Downloads" / "Album", album)  # mv ~/Downloads/Album ~/Music
        _wait_for(lambda: True in asked, 5.0)  # the watch heard of it (unreadable then)
        locked["on"] = False
        os.chmod(album, 0o755)  # fixed before its batch read it: no scan said it unreadable
        fixed.set()
        assert _wait_for(lambda: "a1.wav" in _paths(ctx)), reports
        write_audio(album / "a2.wav", seconds=0.2, freq=400.0)  # then one is added
        assert _wait_for(lambda: "a2.wav" in _paths(ctx)), reports
