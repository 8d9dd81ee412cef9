"""Ctrl-C and SIGTERM during long commands: stop where the window's Cancel stops, then say in
one line what was kept and how to finish.

Python raises ``KeyboardInterrupt`` wherever the main thread is when Ctrl-C comes, and
SIGTERM (``kill``, a logout, a service manager) ended the process at once: ``scan`` and
``embed`` said only "interrupted", or nothing (exit 143), and a user could not tell what was
left half done. Inside :func:`stop_requests` the first SIGINT or SIGTERM sets the work's
:class:`~musicsage.progress.CancelToken` instead: the use case stops at its next check,
keeping what it finished (an embedding run commits the batches in flight, a scan its
batch), and raises :class:`~musicsage.errors.Cancelled`; the command then fails with the
line it makes of what was kept. A second signal stops at once (``KeyboardInterrupt``), as
Ctrl-C always did. Work stopped either way is safe to stop: each batch is one transaction.

Outside these blocks :func:`musicsage.cli.main` turns SIGTERM into :class:`Terminated`, which
ends a command the way Ctrl-C does (one line, exit 143).

Python runs a handler only when the main thread runs Python again. A command waiting in C —
SQLite waiting up to 30 s for another program's write lock, a long native step — took no
Ctrl-C at all, however often pressed: it sat out the wait, then failed on the lock. So the
signals' C part also writes to a socket (:func:`signal.set_wakeup_fd`) that a thread reads: a
second signal the main thread has not taken within :data:`STUCK_S` ends the process at once
(after any :func:`~musicsage.files.critical_write`), in one line, with the same status.
Nothing finished is lost: each batch is one transaction, as after ``kill -9``.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from musicsage.files import critical_writes_finished
from musicsage.progress import CancelToken
from musicsage.startup import WORDS as SIGNAL_WORDS  # the window's and the start-up's too
from musicsage.startup import command_line, command_of, restorable

STUCK_S = 1.0
"""How long a second signal waits for the main thread to take it (it then raises
``KeyboardInterrupt``, and the command says what was kept) before the process ends at once."""
_READ_LATE_S = 0.25
"""How much later than the signal its byte may be read: a handler run this long before the
read counts as having taken it."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl-C's ``KeyboardInterrupt`` is: every ``finally`` and
    ``except BaseException`` that cleans up after Ctrl-C cleans up after it too."""


class Stopped(Exception):
    """A command stopped by a signal: its one line (what was kept, how to finish) and its exit
    code, 128 + the signal (130 after Ctrl-C, 143 after SIGTERM)."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.code = code


def stopped_by(exc: KeyboardInterrupt, what_was_kept: str) -> Stopped:
    """The exception that ends a command a Ctrl-C (``KeyboardInterrupt``) or a SIGTERM
    (:class:`Terminated`) stopped outright: ``interrupted: <what_was_kept>``, exit 130 (143)."""
    signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
    return Stopped(f"{SIGNAL_WORDS[signum]}: {what_was_kept}", 128 + signum)


class StopRequests:
    """The signals a block received: ``cancel`` is set by the first."""

    def __init__(self) -> None:
        self.cancel = CancelToken()
        self.signum: int | None = None
        self.taken_at: float | None = None
        """When the main thread last ran :meth:`_on_signal` (monotonic; None: never)."""

    @property
    def word(self) -> str:
        """"interrupted" (Ctrl-C) or "terminated" (SIGTERM)."""
        return SIGNAL_WORDS.get(self.signum, "interrupted")

    def stopped(self, what_was_kept: str) -> Stopped:
        """The exception that ends the command: ``interrupted: <what_was_kept>``."""
        return Stopped(f"{self.word}: {what_was_kept}", 128 + (self.signum or signal.SIGINT))

    def _on_signal(self, signum: int, _frame) -> None:
        self.taken_at = time.monotonic()
        first = self.signum is None
        self.signum = signum
        if not first:  # asked twice: stop now, as Ctrl-C always did
            raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
        self.cancel.cancel()


@contextmanager
def stop_requests() -> Iterator[StopRequests]:
    """For the block, the first Ctrl-C or SIGTERM cancels the work (``requests.cancel``) and
    a second stops it at once; the previous handlers come back after it. Off the main thread
    (a test's worker) no handler can be set: signals act as they did. A signal the process
    was started with ignored stays ignored (``sh -c 'musicsage embed &'``: a Ctrl-C meant
    for the script must not cancel the background run), as shells and daemons expect."""
    requests = StopRequests()
    if threading.current_thread() is not threading.main_thread():
        yield requests
        return
    previous = {sig: signal.signal(sig, requests._on_signal) for sig in SIGNAL_WORDS
                if signal.getsignal(sig) != signal.SIG_IGN}
    try:
        watch: _StuckWatch | None = _StuckWatch(requests, set(previous))
    except (OSError, ValueError):  # no descriptor left: a second signal waits as it did
        watch = None
    try:
        yield requests
    finally:
        if watch is not None:
            watch.stop()
        for sig, handler in previous.items():
            signal.signal(sig, restorable(handler))  # a C library's: SIG_DFL


class _StuckWatch:
    """Reads the signals' wake-up bytes on a thread of its own; ends the process at once when
    a second signal is not taken by the main thread within :data:`STUCK_S` (see the module
    doc). Only ``taken``, the signals :func:`stop_requests` handles, count."""

    def __init__(self, requests: StopRequests, taken: set[int]) -> None:
        self._requests, self._taken = requests, taken
        self._stopped = threading.Event()
        self._read, self._write = socket.socketpair()
        self._write.setblocking(False)  # the signal's C part must never block
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._thread = threading.Thread(target=self._run, daemon=True, name="musicsage-stop")
        self._thread.start()

    def stop(self) -> None:
        """Put the previous wake-up fd back and end the thread (the block is over)."""
        signal.set_wakeup_fd(self._previous_fd)
        self._stopped.set()
        self._read.shutdown(socket.SHUT_RDWR)  # the thread's recv returns: it ends
        self._thread.join(timeout=5)
        self._read.close()
        self._write.close()

    def _run(self) -> None:
        """The thread: count the signals; from the second on, see that each is taken."""
        seen = 0
        while True:
            try:
                got = self._read.recv(64)
            except OSError:
                return
            if not got or self._stopped.is_set():
                return
            for number in got:
                if number in self._taken:
                    seen += 1
                    if seen >= 2:
                        self._end_if_stuck(number, time.monotonic())

    def _end_if_stuck(self, signum: int, read_at: float) -> None:
        """End the process if the main thread has not taken the signal ``signum`` (read at
        ``read_at``) within :data:`STUCK_S`: it waits in C, where no handler runs."""
        if self._stopped.wait(STUCK_S):
            return
        taken = self._requests.taken_at
        if taken is not None and taken >= read_at - _READ_LATE_S:
            return  # taken: the command says what was kept as it stops
        line = (f"{command_line(command_of(sys.argv[1:]), signum)} again: stopped at once; "
                "what it had finished is kept: run it again to finish")
        try:
            os.write(2, (("\n" if os.isatty(2) else "") + line + "\n").encode(errors="replace"))
        except OSError:
            pass
        with critical_writes_finished():
            os._exit(128 + signum)
