"""The front doors' early handler (:mod:`musicsage.startup`): its line and status hold with
stderr closed, and a signal the process was started ignoring stays ignored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STARTING = """
import os, signal, sys
from musicsage import startup
if "{close}" == "closed":
    os.close(2)  # as `musicsage stats 2>&-`
startup.install("stats")
os.kill(os.getpid(), {sig})
print("went on", flush=True)
"""


def _run(code: str, *, ignore: int | None = None) -> subprocess.CompletedProcess:
    def start_ignoring() -> None:  # as a shell starts `musicsage embed &` from a script
        signal.signal(ignore, signal.SIG_IGN)

    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          preexec_fn=start_ignoring if ignore is not None else None)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("close", ["open", "closed"])
def test_a_signal_while_starting_ends_with_its_status_even_without_stderr(sig, close):
    """With stderr closed the line's write failed: SIGINT then ended with 1, not 130."""
    done = _run(STARTING.format(close=close, sig=int(sig)))
    word = "interrupted" if sig == signal.SIGINT else "terminated"
    assert done.returncode == 128 + sig, done.stderr
    assert done.stdout == ""
    assert done.stderr == ("" if close == "closed" else f"musicsage stats: {word}\n")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_the_process_was_started_ignoring_stays_ignored(sig):
    done = _run(STARTING.format(close="open", sig=int(sig)), ignore=sig)
    assert (done.returncode, done.stdout, done.stderr) == (0, "went on\n", "")


def test_the_window_line_and_the_handlers_put_back():
    from musicsage import startup

    before = signal.getsignal(signal.SIGTERM)
    startup.install()
    try:
        assert signal.getsignal(signal.SIGTERM) is startup.stopped_at_start
        assert startup.starting_line(signal.SIGTERM) == (
            "musicsage: terminated: stopped before the window opened")
    finally:
        startup.restore()
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("argv, command", [(["--data-dir", "stats", "scan", "x"], "scan"),
                                           (["--help"], ""), (["sta\x1bts"], "sta\\x1bts")])
def test_the_command_the_early_line_names(argv, command):
    from musicsage.startup import command_of

    assert command_of(argv) == command
