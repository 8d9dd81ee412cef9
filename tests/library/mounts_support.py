"""Real drives for the watch's mount tests: a small RAM drive (tmpfs) mounted on a folder and
unmounted again, where this process may mount (root, a kernel that allows it). One helper for
every test that needs a real mount, so they all mount alike; and the library's track statuses
the watch tests wait for, as the drive comes and goes."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots


def mount_tmpfs(folder, size: str = "8m") -> bool:
    """A RAM drive of ``size`` mounted on ``folder``; False where this process may not
    mount (not root, or the kernel refuses)."""
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "musicsage-test",
                           os.fspath(folder)], capture_output=True)
    return done.returncode == 0


def unmount(folder, check: bool = False) -> None:
    """``folder``'s drive unmounted; with ``check``, a failure raises (the test relies on
    the drive being gone), else it is ignored (cleaning up after a test)."""
    subprocess.run(["umount", os.fspath(folder)], capture_output=True, check=check)


WAIT_S = 20.0
"""How long a test waits for the watch to mark a drive's tracks as it should."""


def statuses(ctx) -> dict[str, str]:
    """Each track's file name and its status in the library (``present``, ``missing``)."""
    rows = connect(ctx).execute("SELECT path, status FROM tracks").fetchall()
    return {os.path.basename(path): status for path, status in rows}


def until(ctx, wanted: dict[str, str]) -> None:
    """Wait (up to ``WAIT_S``) until the library's :func:`statuses` are ``wanted``."""
    deadline = time.monotonic() + WAIT_S
    while (now := statuses(ctx)) != wanted:
        assert time.monotonic() < deadline, f"the library says {now}, not {wanted}"
        time.sleep(0.2)


@contextmanager
def drive_on(folder: Path) -> Iterator[Path]:
    """``folder`` made and a RAM drive mounted on it for the block, unmounted after it however
    it ends; the test is skipped where this process may not mount."""
    folder.mkdir()
    if not mount_tmpfs(folder):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    try:
        yield folder
    finally:
        unmount(folder)


def scanned_with_a_track_on(ctx, music: Path, drive: Path) -> None:
    """``here.wav`` in ``music`` and ``Album/t.wav`` on the ``drive`` inside it, scanned."""
    write_audio(music / "here.wav", seconds=0.3)
    write_audio(drive / "Album/t.wav", seconds=0.3, freq=330.0)
    scan_roots(connect(ctx), resolve_roots([str(music)]))
