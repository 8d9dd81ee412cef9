"""A lock file another user made (a ``sudo musicsage`` once) or whose permissions changed, in a
folder this user can write: every lock names that file in one line — the output folder's
lock blamed the folder ("cannot write into …"), and a map's lock file was passed over in
silence, no lock taken, so two layouts (or a layout and a removal) ran at once. While another
user's run holds it the line names that run: "remove it" then let a second run in beside it.

Tests run as root, whom a mode of 000 does not stop: the lock is asked for in a child under
``setpriv`` (:func:`without_dac_override`), the file made unreadable as another user's is."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from robust_support import REPO, without_dac_override

_TAKE = """
import sys
from pathlib import Path
from musicsage.errors import MusicsageError
from musicsage.library import lock
kind, folder = sys.argv[1], Path(sys.argv[2])
try:
    if kind == "output":
        with lock.output_lock(folder):
            pass
    elif kind == "map":
        with lock.map_lock([folder]):
            pass
    else:
        with lock.idle_map_locks([folder]):
            pass
except MusicsageError as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(1)
print("taken")
"""


def _take(kind: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*without_dac_override(), sys.executable, "-c", _TAKE, kind,
                           str(folder)], capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def _another_users(path: Path) -> None:
    path.write_text("598 map")
    path.chmod(0)


def test_the_output_folders_lock_file_is_named_not_the_folder(tmp_path):
    from musicsage.library.lock import OUTPUT_LOCK

    lock = tmp_path / "out" / OUTPUT_LOCK
    lock.parent.mkdir()
    _another_users(lock)
    run = _take("output", lock.parent)
    assert run.returncode == 1, run
    assert run.stderr.startswith(f"cannot open the lock file {lock} (Permission denied): "
                                 "another user made it"), run.stderr
    assert "cannot write into" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_maps_lock_file_that_cannot_be_opened_is_refused_not_passed_over(tmp_path):
    from musicsage.library.lock import MAP_LOCK

    for kind in ("map", "removal"):
        folder = tmp_path / kind
        folder.mkdir()
        _another_users(folder / MAP_LOCK)
        run = _take(kind, folder)
        assert run.returncode == 1 and "taken" not in run.stdout, (kind, run)
        assert run.stderr.startswith(f"cannot open the lock file {folder / MAP_LOCK} "
                                     "(Permission denied)"), run.stderr
        assert "when no other musicsage runs, remove it" in run.stderr
        assert "sudo chown" in run.stderr


def test_a_lock_file_held_by_another_users_run_names_that_run(tmp_path):
    """Not "remove it": the run holding it would go on beside the next one."""
    from musicsage.library.lock import MAP_LOCK

    lock = tmp_path / MAP_LOCK
    _another_users(lock)
    fd = os.open(lock, os.O_RDWR)  # root here: the other user's run, holding it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = _take("map", tmp_path)
    finally:
        os.close(fd)
    assert run.returncode == 1, run
    assert run.stderr.startswith(
        f"cannot open the lock file {lock} (Permission denied): another user's run holds it "
        f"(process {os.getpid()}); when it has ended, make the file yours (sudo chown "), \
        run.stderr
    assert "remove it" not in run.stderr
