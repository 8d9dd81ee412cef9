"""Writes that must not stop half-way: Ctrl-C and SIGTERM held for the block
(:func:`signals_deferred`), and a count of such writes on every thread
(:func:`critical_write`) that the window's "stop at once" waits for
(:func:`critical_writes_finished`). Apart from :mod:`musicsage.files`, which writes derived
files atomically (a crash leaves the old file, so nothing needs holding): these guard the
writes that cannot be atomic, a user's playlist rewritten in place, and what signal
handlers and the exit see of them."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


_critical = threading.Condition()
"""Guards :data:`_critical_count`; held by :func:`critical_writes_finished`'s block."""
_critical_count = 0
"""How many :func:`critical_write` blocks run now, on all threads."""


@contextmanager
def critical_write() -> Iterator[None]:
    """Mark, on any thread, a write that must not stop half-way, for
    :func:`critical_writes_finished` (the window's "stop at once") to wait for.

    The window writes playlists on worker threads, where no signal can be held: a second
    Ctrl-C or SIGTERM ended the process at once (``os._exit``), between an in-place write
    and its cut too — half a playlist. Such a write takes milliseconds, so the exit waits
    for it. One that starts while the exit is under way waits for it: no write begins in
    the process's last moment."""
    global _critical_count
    with _critical:
        _critical_count += 1
    try:
        yield
    finally:
        with _critical:
            _critical_count -= 1
            _critical.notify_all()


@contextmanager
def critical_writes_finished(timeout_s: float = 2.0) -> Iterator[bool]:
    """Wait until no :func:`critical_write` runs on any thread — at most ``timeout_s``: one
    that hangs (a dead network share) must not keep a process from ending — and keep any new
    one from starting during the block (the process ends in it). Yields whether all ended."""
    with _critical:
        yield _critical.wait_for(lambda: _critical_count == 0, timeout_s)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM for the block (a write that must not stop half-way); one
    that came meanwhile is raised again, to its own handler, as the block ends.

    The command line raises both as ``KeyboardInterrupt`` wherever the main thread is. A
    file rewritten in place (:func:`musicsage.library.playlists.edit.write_in_place`) and
    stopped between its write and its cut kept the old file's tail after the new bytes —
    half a file. Off the main thread no Python handler runs (nothing is raised there), and
    a handler not set from Python cannot be put back: both are left as they are. SIGKILL
    and power cuts cannot be held: a write that needs them covered keeps a backup. Not for
    the window's GUI thread: there a held signal reaches its wake-up fd twice (when it comes
    and when it is raised again), which :mod:`musicsage.gui.stop_signals` reads as a second
    signal; the window writes playlists on worker threads. On every thread the block is a
    :func:`critical_write`: the window's second signal ("stop at once") waits for it."""
    main = threading.current_thread() is threading.main_thread()  # else: the guard alone
    caught: list[int] = []
    held = [s for s in (signal.SIGINT, signal.SIGTERM)
            if main and signal.getsignal(s) is not None]
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum))
                for s in held}  # held before the guard, raised again after it
    try:
        with critical_write():
            yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)
