"""A use case's child process killed by a signal says so, naming the signal and what to do.

The line was "the background process stopped unexpectedly (exit code -9)": a negative exit
code is a signal, and SIGKILL is most often the kernel's out-of-memory killer (a training or
an embedding of a large library), which closing other programs helps. Real spawned children,
killing themselves as the kernel or a user would.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from musicsage.errors import MusicsageError
from musicsage.processes import HelperProcess, run_in_process

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def killed_by(number: int, *, progress, cancel) -> None:
    """A use case whose process is killed while it works."""
    os.kill(os.getpid(), number)
    time.sleep(30)


def exits_with(code: int, *, progress, cancel) -> None:
    """A use case whose process exits without an outcome (a library calling exit)."""
    os._exit(code)


def test_a_child_killed_as_out_of_memory_says_so_and_what_to_do():
    with pytest.raises(MusicsageError) as failed:
        run_in_process(killed_by, signal.SIGKILL)
    assert str(failed.value) == ("the background process was killed (signal 9, SIGKILL: out "
                                 "of memory?); try again, or close other programs")


def test_a_child_killed_by_another_signal_names_it():
    with pytest.raises(MusicsageError) as failed:
        run_in_process(killed_by, signal.SIGTERM)
    assert str(failed.value) == ("the background process was killed (signal 15, SIGTERM); "
                                 "try again")


def test_a_child_that_exits_on_its_own_gives_its_exit_code():
    with pytest.raises(MusicsageError) as failed:
        run_in_process(exits_with, 3)
    assert str(failed.value) == "the background process stopped unexpectedly (exit code 3)"


def killed_helper_call(number: int) -> None:
    """A call in the helper process (the window's tags) whose process is killed while it
    works."""
    os.kill(os.getpid(), number)
    time.sleep(30)


def test_a_helper_killed_as_out_of_memory_says_so_and_the_next_call_gets_a_new_one():
    """The helper that tags the window's tracks said "the helper process stopped unexpectedly:
    A process in the process pool was terminated abruptly while the future was running or
    pending." when the out-of-memory killer ended it."""
    helper = HelperProcess()
    try:
        with pytest.raises(MusicsageError) as failed:
            helper.call(killed_helper_call, signal.SIGKILL)
        assert str(failed.value) == ("the background process was killed (signal 9, SIGKILL: "
                                     "out of memory?); try again, or close other programs")
        assert helper.call(os.getpid) != os.getpid()  # a fresh helper answers
    finally:
        helper.shutdown()


def _wait_until_broken(helper: HelperProcess) -> None:
    """Until the pool has seen its worker die (its own thread notices: it may take a moment)."""
    deadline = time.monotonic() + 10
    while not getattr(helper._executor, "_broken", False) and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_helper_killed_between_two_calls_is_replaced_for_the_next():
    """A helper killed while idle (the out-of-memory killer, a user's ``kill``) left a broken
    pool, and the next call raised its raw BrokenProcessPool (a traceback in the window's
    log, no tags): the call had not run, so a fresh helper runs it."""
    helper = HelperProcess()
    try:
        first = helper.call(os.getpid)
        os.kill(first, signal.SIGKILL)
        _wait_until_broken(helper)
        second = helper.call(os.getpid)
        assert second not in (first, os.getpid())
    finally:
        helper.shutdown()


def test_no_worker_to_read_is_said_at_once():
    """Where the pool names no worker (``_processes`` is private) the line came after 2 s."""
    from musicsage.processes import _exitcode_of

    started = time.monotonic()
    assert _exitcode_of([]) is None
    assert time.monotonic() - started < 0.5
