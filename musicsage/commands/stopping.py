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
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from musicsage.progress import CancelToken
from musicsage.startup import WORDS as SIGNAL_WORDS  # the window's and the start-up's too
from musicsage.startup import restorable


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

    @property
    def word(self) -> str:
        """"interrupted" (Ctrl-C) or "terminated" (SIGTERM)."""
        return SIGNAL_WORDS.get(self.signum, "interrupted")

    def stopped(self, what_was_kept: str) -> Stopped:
        """The exception that ends the command: ``interrupted: <what_was_kept>``."""
        return Stopped(f"{self.word}: {what_was_kept}", 128 + (self.signum or signal.SIGINT))

    def _on_signal(self, signum: int, _frame) -> None:
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
        yield requests
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, restorable(handler))  # a C library's: SIG_DFL
