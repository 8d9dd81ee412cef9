"""A library lock file that cannot be opened (made by another user — a ``sudo musicsage scan``
once — or its permissions changed since) is named in the command's one line, with what to do:
the line blamed the library's folder ("its folder … is not writable"), which the user could
write. A folder that really cannot be written is still said so. Tests run as root here, which
every permission lets through: the runs go through ``setpriv`` (:func:`without_dac_override`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


from robust_support import REPO, one_tone_folder, without_dac_override


def _scan(prefix: list[str], data: Path, music: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "musicsage", "--data-dir", str(data),
                           "scan", str(music)], capture_output=True, text=True, timeout=180,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_a_lock_file_that_cannot_be_opened_is_named_not_the_folder(tmp_path):
    prefix = without_dac_override()
    music, data = one_tone_folder(tmp_path), tmp_path / "library"
    data.mkdir()
    lock = data / "library.sqlite3.scan-lock"
    lock.write_text("598 scan")
    lock.chmod(0)  # as root's lock file is to a user (mode 0644, another owner)
    try:
        run = _scan(prefix, data, music)
    finally:
        lock.chmod(0o644)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1, run.stderr
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"cannot open the lock file {lock} (Permission denied)" in lines[0], lines[0]
    assert "chmod 644" in lines[0] and "holds no data" in lines[0], lines[0]
    assert "not writable" not in lines[0], "the folder can be written: it is not the fault"
    assert lock.read_text() == "598 scan", "the file is the user's to fix: left as it was"
    # fixed as the line says, the scan runs
    rerun = _scan(prefix, data, music)
    assert rerun.returncode == 0 and "1 new" in rerun.stdout, rerun.stderr


def test_a_folder_that_cannot_be_written_is_still_said_so(tmp_path):
    prefix = without_dac_override()
    music, data = one_tone_folder(tmp_path), tmp_path / "library"
    assert _scan(prefix, data, music).returncode == 0
    (data / "library.sqlite3.scan-lock").unlink()  # a library copied without its locks
    data.chmod(0o555)
    try:
        run = _scan(prefix, data, music)
    finally:
        data.chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "not writable" in run.stderr, run.stderr
    assert "lock file" not in run.stderr, run.stderr
