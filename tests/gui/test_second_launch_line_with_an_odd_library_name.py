"""A second launch on a library whose folder name holds a line break or a terminal escape says
its line as one line, the control characters written visibly (as every other line does).

Printed as it was, ``--data-dir 'lib<LF>x'`` split "the library … is already open" across
two lines, and an ESC sequence in the name (``\\x1b[31m``) turned the terminal red. Real
processes, offscreen Qt.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_already_open_line_is_one_line_with_the_controls_shown(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(run), XDG_CONFIG_HOME=str(tmp_path / "config"))
    data = tmp_path / "lib\nnext \x1b[31mred"
    launch = [sys.executable, "-m", "musicsage", "--data-dir", str(data)]
    first = subprocess.Popen(launch, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        lock = data / "library.sqlite3.window-lock"
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)
                   and any(run.glob("musicsage-*.sock"))):
            assert first.poll() is None, "the window ended"
            assert time.monotonic() < deadline, "the window never claimed its library"
            time.sleep(0.1)
        again = subprocess.run(launch, cwd=REPO, env=env, capture_output=True, text=True,
                               timeout=90)
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert len(lines) == 1, again.stdout
    assert "lib\\x0anext \\x1b[31mred is already open" in lines[0]
    assert "\x1b" not in again.stdout
