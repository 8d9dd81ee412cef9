"""The advice for a lock file that cannot be opened in a folder a group shares, run as it
says: ``chmod g+rw FILE`` left a file whose own owner had lost its permissions (a ``chmod -R``
of the library: mode 0) at mode 060 — the group could write it, its owner still not, and the
owner's next run was refused with the same line. ``chmod ug+rw FILE`` lets both in.

Tests run as root: the lock file is opened in a child under ``setpriv``
(:func:`without_dac_override`), the file's owner, for whom a mode of 000 applies."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from robust_support import REPO, without_dac_override

_OPEN = """
import os, sys
from musicsage.errors import MusicsageError
from musicsage.library.lock_open import open_lock_file
try:
    os.close(open_lock_file(sys.argv[1], "the folder cannot be written"))
except MusicsageError as exc:
    sys.exit(str(exc))
"""


def _open_as_owner(lock: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*without_dac_override(), sys.executable, "-c", _OPEN, str(lock)],
                          capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_the_group_advice_lets_the_files_own_owner_open_it_again(tmp_path):
    folder = tmp_path / "shared library"
    folder.mkdir()
    folder.chmod(0o2775)  # a folder a group shares
    lock = folder / "library.sqlite3.scan-lock"
    lock.write_text("598 scan")
    lock.chmod(0)  # the owner's own file, its permissions changed since
    refused = _open_as_owner(lock)
    assert refused.returncode == 1, refused
    fix = re.search(r"let the group write it \((.*?), as its owner or with sudo\)", refused.stderr)
    assert fix, refused.stderr
    pasted = subprocess.run(["sh", "-c", fix.group(1)], capture_output=True, text=True,
                            timeout=30)  # as the file's owner
    assert pasted.returncode == 0, (fix.group(1), pasted.stderr)
    again = _open_as_owner(lock)
    assert again.returncode == 0, (fix.group(1), oct(lock.stat().st_mode), again.stderr)
    assert lock.read_text() == "598 scan", "the fix leaves the file's text as it was"
