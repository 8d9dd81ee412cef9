"""The window opens on a library whose disk is full (or over a quota).

Taking the one-window lock writes the window's process id into it; on a full disk that write
failed with OSError and ``python main.py`` ended in a traceback, no window. The lock is held
all the same: the window opens, and a second launch is still refused (its line names no
process). A child process stands in for the full disk with a file size limit of 0 bytes (the
write fails with EFBIG, as with ENOSPC).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import resource, signal, sys
from PySide6.QtCore import QCoreApplication
from musicsage.gui.single_instance import SingleInstance, holder_pid

app = QCoreApplication([])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
first = SingleInstance(sys.argv[1])
print("FIRST", first.claim(), flush=True)
second = SingleInstance(sys.argv[1])  # another open file: refused as another process is
print("SECOND", second.claim(), holder_pid(second.paths), flush=True)
first.release()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE, SIGXFSZ")
def test_the_lock_is_taken_when_its_process_id_cannot_be_written(tmp_path):
    library = tmp_path / "my library"
    library.mkdir()
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_RUNTIME_DIR=str(run),
               QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == ["FIRST True", "SECOND False None"], proc.stderr[-2000:]
    assert "the one-window lock names no process" in proc.stderr
    assert "Traceback" not in proc.stderr
