"""A library folder a group shares (mode 2775, every member's runs writing there): a lock file
one member made (mode 0644, the folder's group) cannot be opened by another. The line said
``sudo chown ME FILE``, which takes the file from the member who made it — whose next run is
then refused in turn. Where the file is of a group of this user's and the folder is
group-writable, it says to let the group write the file (``chmod ug+rw``) instead.

Tests run as root: the lock is asked for in a child under ``setpriv``
(:func:`without_dac_override`), for whom a mode of 000 applies as to any user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from robust_support import REPO, without_dac_override

from musicsage.library.lock import OUTPUT_LOCK

_TAKE = """
import sys
from pathlib import Path
from musicsage.errors import MusicsageError
from musicsage.library import lock
try:
    with lock.output_lock(Path(sys.argv[1])):
        pass
except MusicsageError as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(1)
"""


def _take(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*without_dac_override(), sys.executable, "-c", _TAKE, str(folder)],
                          capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def _lock_file_of_another_member(folder: Path, folder_mode: int) -> Path:
    folder.mkdir()
    folder.chmod(folder_mode)
    lock = folder / OUTPUT_LOCK
    lock.write_text("598 train")
    lock.chmod(0)  # another member's (the test's group is this user's)
    return lock


def test_a_group_shared_folder_is_told_to_let_the_group_write_the_lock(tmp_path):
    lock = _lock_file_of_another_member(tmp_path / "shared", 0o2775)

    run = _take(lock.parent)

    assert run.returncode == 1, run
    assert run.stderr == (
        f"cannot open the lock file {lock} (Permission denied): another user made it, or its "
        f"permissions changed; let the group write it (chmod ug+rw {lock}, as its owner or "
        "with sudo) or, when no other musicsage runs, remove it (it holds no data), then try "
        "again\n")


def test_a_folder_of_ones_own_is_still_told_to_make_the_file_ones_own(tmp_path):
    lock = _lock_file_of_another_member(tmp_path / "mine", 0o755)

    run = _take(lock.parent)

    assert run.returncode == 1, run
    assert "sudo chown" in run.stderr and "g+rw" not in run.stderr, run.stderr
