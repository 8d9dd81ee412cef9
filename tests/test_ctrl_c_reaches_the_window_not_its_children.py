"""Ctrl-C in the terminal that started the window is the window's to handle, not its children's.

The terminal sends Ctrl-C's SIGINT to its whole foreground process group: the window, and
the processes it runs work in (the map's layout, a training, an embedding; the tags'
helper). The window closes as its close button does and cancels that work; each child also
raised ``KeyboardInterrupt`` wherever it was — "job map failed in its process:
KeyboardInterrupt" and a 50-line traceback on the terminal, the work cut without its cancel,
the helper process dead. Real spawned processes; the SIGINT is sent to the child as the
terminal's reaches it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from musicsage.processes import HelperProcess, run_in_process
from musicsage.progress import Progress

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")


def finish_after_a_while(*, progress, cancel) -> str:
    """A use case in a child: says its pid, works on for a moment, then finishes."""
    progress(Progress("working", 0, 1, str(os.getpid())))
    time.sleep(1.5)
    return "finished"


def own_pid_after(wait: float) -> int:
    time.sleep(wait)
    return os.getpid()


def test_a_child_at_work_goes_on_through_the_terminals_ctrl_c():
    interrupted = threading.Event()

    def progress(p: Progress) -> None:
        if p.message.isdigit() and not interrupted.is_set():
            os.kill(int(p.message), signal.SIGINT)  # the terminal's Ctrl-C reaches the child
            interrupted.set()

    assert run_in_process(finish_after_a_while, progress=progress) == "finished"
    assert interrupted.is_set()


STARTING = """
import os, signal, sys, threading, time, multiprocessing
from musicsage.processes import run_in_process
from test_ctrl_c_reaches_the_window_not_its_children import finish_after_a_while

outcome = []
work = threading.Thread(target=lambda: outcome.append(run_in_process(finish_after_a_while)))
work.start()  # on a worker thread, as the window's are; the first child of the process
deadline = time.monotonic() + 30
while not (started := [p for p in multiprocessing.active_children() if p.pid]):
    assert time.monotonic() < deadline, "no child started"
    time.sleep(0.002)
os.kill(started[0].pid, signal.SIGINT)
work.join(60)
print("outcome", outcome, flush=True)
"""


def test_a_child_still_starting_goes_on_through_the_terminals_ctrl_c():
    """Ctrl-C while the child's Python starts (before any code of ours runs in it): the
    window's first child, which starts multiprocessing's resource tracker too."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((str(REPO), str(REPO / "tests"))))
    done = subprocess.run([sys.executable, "-c", STARTING], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "outcome ['finished']" in done.stdout, done.stderr[-3000:]
    assert "KeyboardInterrupt" not in done.stderr, done.stderr[-3000:]


def test_the_tags_helper_answers_through_the_terminals_ctrl_c():
    """A lookup in the helper process (the tags of a clicked track) when Ctrl-C comes: it
    raised ``KeyboardInterrupt`` in the window's worker thread that waited for it."""
    helper = HelperProcess()
    try:
        pid = helper.call(own_pid_after, 0)
        threading.Timer(0.5, lambda: os.kill(pid, signal.SIGINT)).start()
        assert helper.call(own_pid_after, 1.5) == pid
        assert helper.call(own_pid_after, 0) == pid  # the same helper, still there
    finally:
        helper.shutdown()


ENDED_AT_ONCE = """
import os, signal
from musicsage.processes import HelperProcess

helper = HelperProcess()
pid = helper.call(os.getpid)
print("helper", pid, flush=True)
os.kill(pid, signal.SIGINT)  # the terminal's Ctrl-C reaches the helper too: ignored
os._exit(130)  # Ctrl-C again: the window ends at once, the helper never shut down
"""


def still_running(pid: int) -> bool:
    """Whether ``pid`` runs (an exited orphan not yet reaped is a zombie: not running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_tags_helper_ends_with_a_window_ended_at_once(tmp_path):
    """Ctrl-C twice ends the window at once (``os._exit``), with no shutdown of its helper:
    the helper, ignoring Ctrl-C, stayed idle for good, torch loaded, its parent gone."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    said = tmp_path / "said.txt"  # a file, not a pipe: a lingering helper holds its output
    with said.open("w") as out:
        code = subprocess.run([sys.executable, "-c", ENDED_AT_ONCE], cwd=REPO, env=env,
                              stdout=out, stderr=subprocess.STDOUT, timeout=120).returncode
    text = said.read_text()
    assert code == 130 and text.startswith("helper "), text[-3000:]
    pid = int(text.split()[1])
    try:
        deadline = time.monotonic() + 15
        while still_running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not still_running(pid), "the helper outlived the window"
    finally:
        if still_running(pid):
            os.kill(pid, signal.SIGKILL)
