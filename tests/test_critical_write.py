"""The guard the window's "stop at once" waits on (``files.critical_write``).

The window writes playlists on worker threads, where no signal can be held; its second
Ctrl-C or SIGTERM ended the process (``os._exit``) between an in-place write and its cut —
half a playlist. The exit now waits, briefly, for such a write on any thread.
"""

from __future__ import annotations

import threading

from musicsage.files import critical_write, critical_writes_finished, signals_deferred


def _held_write(block) -> tuple[threading.Thread, threading.Event]:
    """A worker thread inside ``block()`` until the returned event is set."""
    inside, release = threading.Event(), threading.Event()

    def write() -> None:
        with block():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=write)
    worker.start()
    assert inside.wait(5)
    return worker, release


def test_nothing_to_wait_for_when_no_write_runs():
    with critical_writes_finished(timeout_s=5) as finished:
        assert finished


def test_a_deferred_write_on_a_worker_thread_is_waited_for_and_the_wait_is_bounded():
    """signals_deferred does nothing else off the main thread: there the guard is all."""
    worker, release = _held_write(signals_deferred)
    try:
        with critical_writes_finished(timeout_s=0.05) as finished:
            assert not finished  # still writing: the caller exits anyway, after the bound
    finally:
        release.set()
        worker.join(5)
    with critical_writes_finished(timeout_s=5) as finished:
        assert finished


def test_no_write_starts_while_the_exit_holds_the_guard():
    entered = threading.Event()

    def write() -> None:
        with critical_write():
            entered.set()

    worker = threading.Thread(target=write)
    with critical_writes_finished(timeout_s=5) as finished:
        assert finished
        worker.start()
        assert not entered.wait(0.05)  # would start its write as the process ends
    assert entered.wait(5)
    worker.join(5)
