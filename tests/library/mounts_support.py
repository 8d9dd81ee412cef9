"""Real drives for the watch's mount tests: a small RAM drive (tmpfs) mounted on a folder and
unmounted again, where this process may mount (root, a kernel that allows it). One helper for
every test that needs a real mount, so they all mount alike."""

from __future__ import annotations

import os
import subprocess


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
