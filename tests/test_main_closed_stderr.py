"""``python main.py`` (the window's front door) started with stderr or stdout closed
(``main.py … 2>&-``, ``>&-``): the command line pointed a closed stream at the null device,
the window did not. Python then has ``sys.stderr`` None and ``print(file=None)`` writes to
stdout, so the window's error lines (a mistyped option, a library that cannot be opened)
landed in stdout, what a script keeps; with stdout closed, ``--help`` went to stderr. And
descriptor 2 was free for the next file opened (a socket, in a run of ``--screenshot``),
where Qt's own warnings are written. Now both front doors share
:func:`musicsage.startup.closed_output_to_devnull`: what was closed goes nowhere, and the
window still starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _main_py(fd: int, *argv: str) -> subprocess.CompletedProcess:
    """``python main.py ARGV`` with ``fd`` closed, as ``main.py … 2>&-`` (``>&-``) runs it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.close(fd))


def test_with_stderr_closed_the_windows_error_lines_stay_out_of_stdout(tmp_path):
    mistyped = _main_py(2, "--data-dir", str(tmp_path / "data"), "--sise", "800x600")
    assert (mistyped.returncode, mistyped.stdout) == (2, "")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("not a library\n")
    unopened = _main_py(2, "--data-dir", str(not_a_folder), "--screenshot",
                        str(tmp_path / "shot.png"))
    assert (unopened.returncode, unopened.stdout) == (1, "")
    assert not_a_folder.read_text() == "not a library\n"


def test_with_stdout_closed_help_goes_nowhere():
    done = _main_py(1, "--help")
    assert (done.returncode, done.stderr) == (0, "")


def test_with_stderr_closed_the_window_starts_and_renders(tmp_path):
    shot = tmp_path / "shot.png"
    done = _main_py(2, "--data-dir", str(tmp_path / "data"), "--screenshot", str(shot))
    assert done.returncode == 0
    assert done.stdout == f"screenshot saved to {shot} (1400x860)\n"
    assert shot.stat().st_size > 0
