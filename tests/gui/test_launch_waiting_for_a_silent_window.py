"""A second launch whose library's window does not answer says that it waits.

A window stopped with Ctrl-Z in its terminal (or busy) holds its library but cannot answer:
a second launch sat silent for the whole 15 s of its wait, then said "does not answer". It
now says after a moment that the library is open and that it waits for the window, how long
at most; a window that answers at once still gives one line alone.
"""

from __future__ import annotations

import os

import pytest

from musicsage.gui import single_instance
from musicsage.gui.single_instance import SingleInstance, claim_library


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def test_a_launch_on_a_window_that_does_not_answer_says_it_waits(
        tmp_path, run_dir, qapp, capsys, monkeypatch):
    monkeypatch.setattr(single_instance, "WAITING_WORD_S", 0.5, raising=False)
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_S", 3.0)
    library = tmp_path / "my library"
    library.mkdir()
    window = SingleInstance(library)  # listens, but its event loop never runs: no answer
    assert window.claim()
    try:
        assert claim_library(library, []) == 1
    finally:
        window.release()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"musicsage: the library {library} is already open "
                               f"(process {os.getpid()}); waiting up to ")
    assert lines[0].endswith(" s for its window to answer…")
    assert lines[1].endswith("which does not answer; close it or try again")


HOLDER = r"""
import sys, time
from PySide6.QtCore import QCoreApplication
from musicsage.gui.single_instance import SingleInstance

app = QCoreApplication([])
window = SingleInstance(sys.argv[1])
print("HELD" if window.claim() else "REFUSED", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads a process's state in /proc")
def test_a_launch_on_a_stopped_window_says_how_to_resume_it_at_once(tmp_path, run_dir, qapp,
                                                                      capsys):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    library = tmp_path / "my library"
    library.mkdir()
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(repo), QT_QPA_PLATFORM="offscreen")
    window = subprocess.Popen([sys.executable, "-c", HOLDER, str(library)], cwd=repo, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert window.stdout.readline().strip() == "HELD"
        window.send_signal(signal.SIGSTOP)  # Ctrl-Z in the terminal it was started from
        while "\nState:\tT" not in Path(f"/proc/{window.pid}/status").read_text():  # async
            time.sleep(0.01)
        started = time.monotonic()
        assert claim_library(library, []) == 1
        assert time.monotonic() - started < 5  # it sat silent for 15 s, then "does not answer"
    finally:
        window.send_signal(signal.SIGCONT)
        window.kill()
        window.wait()
    assert capsys.readouterr().err.splitlines() == [
        f"musicsage: the library {library} is already open in another window (process "
        f"{window.pid}), which is stopped (Ctrl-Z in its terminal?): resume it there with "
        f"`fg`, or with `kill -CONT {window.pid}`"]
