"""A drive mounted inside a music folder whose name is not ASCII (``USB<no-break space>Drive``,
``Plätte``), in a session whose filesystem encoding is ASCII (``LC_ALL=C``, UTF-8 mode off):
the mount table was decoded as UTF-8, so the mount point went back to the OS as text
``os.fsencode`` refused, and the watch stopped with UnicodeEncodeError at its next look.
Runs Python in a child process (a process's filesystem encoding is fixed at its start)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mounts_support import mount_tmpfs, unmount

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}

CHILD = textwrap.dedent("""
    import os, subprocess, sys
    from musicsage.library.watch import FolderWatch
    from musicsage.library.watch_apply import WatchPlan
    music, drive = sys.argv[1], os.path.join(sys.argv[1], sys.argv[2])
    with FolderWatch(WatchPlan(roots=[music])) as watch:
        watch.look_at_roots()
        print(sys.getfilesystemencoding(), flush=True)
        input()  # the parent mounts the drive now
        watch.look_at_roots()
        batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=1.0)
        print("batch" if batch and drive in batch.paths else f"no batch: {batch}")
""")


@pytest.mark.parametrize("name", ["USB\u00a0Drive", "Pl\u00e4tte"])
def test_a_drive_named_beyond_ascii_is_seen_in_an_ascii_session(tmp_path, name):
    if not sys.platform.startswith("linux") or os.geteuid() != 0:  # macOS: always UTF-8
        pytest.skip("mounting a tmpfs needs root on Linux (whose filesystem encoding follows "
                    "the locale)")
    music = tmp_path / "music"
    drive = os.fsencode(music) + b"/" + name.encode()
    os.makedirs(drive)
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(music), name], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ascii"
        if not mount_tmpfs(drive, "1m"):
            child.kill()
            pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
        out, err = child.communicate("\n", timeout=60)
    finally:
        child.kill()
        unmount(drive)
    assert child.returncode == 0, err
    assert out.strip() == "batch", err
