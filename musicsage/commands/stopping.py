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
Ctrl-C at all, however often pressed: it sat out the wait, then failed on the lock. So a
thread sees each signal as it comes (:mod:`musicsage.signal_wakeup`): a first one the main
thread has not taken within :data:`NOTE_S` is said, with how to stop at once; a second one
not taken within :data:`STUCK_S` ends the process at once (after any
:func:`~musicsage.files.critical_write`), in one line, with the same status. Nothing saved is
lost: each batch is one transaction, as after ``kill -9``. That line's words are true of every
command (``train``'s unregistered model, ``scan --watch``, ``stats`` have nothing "to finish").
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import Callable, Iterator

from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken
from musicsage.signal_wakeup import AGAIN, WakeupReader, exit_after_writes
from musicsage.startup import WORDS as SIGNAL_WORDS  # the window's and the start-up's too
from musicsage.startup import command_line, command_of, restorable

STUCK_S = 1.0
"""How long a second signal waits for the main thread to take it (it then raises
``KeyboardInterrupt``, and the command says what was kept) before the process ends at once."""
NOTE_S = 1.0
"""How long a first signal waits for the main thread to take it before a line says it was
heard and how to stop at once."""
_READ_LATE_S = 0.25
"""A signal taken this long before a byte was read may be the one that wrote it (a deferred
signal writes two bytes: :meth:`_StuckWatch._end_if_stuck`)."""

STOP_ERRORS = (KeyboardInterrupt, MusicsageError, sqlite3.OperationalError)
"""What a command stopped by Ctrl-C or SIGTERM inside its :func:`stop_requests` block may end
with: the stop itself (:class:`~musicsage.errors.Cancelled`, a ``KeyboardInterrupt``), or a
wait for the library's lock that the signal could not cut short (:meth:`StopRequests.ends`).
A command catches these, and lets what :meth:`StopRequests.ends` says no to go on."""


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
        self.taken = 0
        """How many signals the main thread's handlers took (:meth:`took`)."""
        self._taken_at: float | None = None

    @property
    def taken_at(self) -> float | None:
        """When the main thread last took a signal (monotonic; None: never)."""
        return self._taken_at

    def took(self, signum: int) -> None:
        """A handler of the block ran on the main thread for ``signum``: every handler the
        block installs calls it first, so the watch knows the signal was taken."""
        self.taken += 1
        self._taken_at = time.monotonic()
        self.signum = signum

    def ends(self, exc: BaseException) -> bool:
        """Whether ``exc`` (one of :data:`STOP_ERRORS`) ends a command that a Ctrl-C or SIGTERM
        of this block asked to stop: its line is then "interrupted: what was kept", not
        ``exc``'s; False: no signal came, or ``exc`` is a failure of its own, to raise.

        Besides the stop itself, SQLite giving up on another program's write lock: it waits up
        to 30 s in C, where no handler runs, so the first Ctrl-C was taken only after the wait
        had failed, and the command said "the library database is locked" — as though the
        user had not asked it to stop, and without what it had kept."""
        from musicsage.library.db_locks import is_locked_error

        if self.signum is None:
            return False
        if isinstance(exc, (KeyboardInterrupt, Cancelled)):
            return True
        cause = exc.__cause__ if isinstance(exc, MusicsageError) else exc  # opening the library
        return isinstance(cause, sqlite3.OperationalError) and is_locked_error(cause)

    @property
    def word(self) -> str:
        """"interrupted" (Ctrl-C) or "terminated" (SIGTERM)."""
        return SIGNAL_WORDS.get(self.signum, "interrupted")

    def stopped(self, what_was_kept: str) -> Stopped:
        """The exception that ends the command: ``interrupted: <what_was_kept>``."""
        return Stopped(f"{self.word}: {what_was_kept}", 128 + (self.signum or signal.SIGINT))

    def _on_signal(self, signum: int, _frame) -> None:
        first = self.signum is None
        self.took(signum)
        if not first:  # asked twice: stop now, as Ctrl-C always did
            raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
        self.cancel.cancel()


Handler = Callable[[StopRequests, int, FrameType | None], None]
"""A handler of a :func:`stop_requests` block: the block's requests, then the signal's
number and frame. It calls :meth:`StopRequests.took` first."""


@contextmanager
def stop_requests(handler: Handler | None = None) -> Iterator[StopRequests]:
    """For the block, the first Ctrl-C or SIGTERM cancels the work (``requests.cancel``) and
    a second stops it at once; the previous handlers come back after it. ``handler``: what
    the signals run instead (``musicsage.cli``'s stops at the first), installed in the one
    step, so no signal meets a handler about to be replaced. Off the main thread (a test's
    worker) no handler can be set: signals act as they did. A signal the process was started
    with ignored stays ignored (``sh -c 'musicsage embed &'``: a Ctrl-C meant for the script
    must not cancel the background run), as shells and daemons expect."""
    requests = StopRequests()
    if threading.current_thread() is not threading.main_thread():
        yield requests
        return
    on_signal = requests._on_signal if handler is None else partial(handler, requests)
    previous: dict[int, object] = {}
    watch: _StuckWatch | None = None
    try:
        for sig in SIGNAL_WORDS:
            if signal.getsignal(sig) != signal.SIG_IGN:
                # noted before it is replaced: a signal that comes as the handler is set
                # (it may raise at once) leaves the handler put back too
                previous[sig] = signal.getsignal(sig)
                signal.signal(sig, on_signal)
        watch = _watch(requests, set(previous))
        yield requests
    finally:
        if watch is not None:
            watch.stop()
        for sig, was in previous.items():
            signal.signal(sig, restorable(was))  # a C library's: SIG_DFL


def _watch(requests: StopRequests, taken: set[int]) -> _StuckWatch | None:
    """The block's :class:`_StuckWatch`; None where none can be made (no descriptor left: a
    second signal waits as it did)."""
    try:
        return _StuckWatch(requests, taken)
    except (OSError, ValueError):
        return None


class _StuckWatch:
    """Sees each signal the moment it comes (:class:`~musicsage.signal_wakeup.WakeupReader`):
    a first one the main thread has not taken within :data:`NOTE_S` is said (it waits in C:
    the user got no reply at all), a second one not taken within :data:`STUCK_S` ends the
    process at once (see the module doc). Only ``taken``, the signals :func:`stop_requests`
    handles, count."""

    def __init__(self, requests: StopRequests, taken: set[int]) -> None:
        self._requests = requests
        self._stopped = threading.Event()
        self._read = 0  # the signals' wake-up bytes read so far
        self._reader = WakeupReader(self._on_byte, taken, name="musicsage-stop")

    def stop(self) -> None:
        """Put the previous wake-up fd back and end the thread (the block is over)."""
        self._stopped.set()
        self._reader.close()

    def _on_byte(self, signum: int) -> None:
        """The reader thread, at each signal: the first may get a note, the next are checked."""
        self._read += 1
        if self._read == 1:
            threading.Thread(target=self._note_if_waiting, args=(signum,), daemon=True,
                             name="musicsage-stop-note").start()
        else:
            self._end_if_stuck(signum, time.monotonic())

    def _note_if_waiting(self, signum: int) -> None:
        """Say that the first signal was heard if the main thread has not taken it within
        :data:`NOTE_S` (nor has a second one come): it waits in C, up to 30 s for the library
        database, and a Ctrl-C then got no reply at all until the wait ended."""
        if self._stopped.wait(NOTE_S) or self._read > 1 or self._requests.taken:
            return
        again = AGAIN.get(signum, "send it")
        _say(f"{_command_line(signum)}: stops when the step under way ends (a wait for the "
             f"library database lasts up to 30 s); {again} again to stop at once")

    def _end_if_stuck(self, signum: int, read_at: float) -> None:
        """End the process if the main thread has not taken the signals read so far within
        :data:`STUCK_S`: it waits in C, where no handler runs.

        Counted, not timed: as many signals taken as wake-up bytes read is never stuck
        (under a starved CPU the byte may be read long after the handler ran). Fewer is not
        stuck either where one was taken about when this byte was read: a signal held by
        :func:`~musicsage.files.signals_deferred` writes two bytes (when it comes and when
        it is raised again) and is taken once."""
        if self._stopped.wait(STUCK_S):
            return
        requests = self._requests
        if requests.taken >= self._read:
            return  # taken: the command says what was kept as it stops
        if requests.taken_at is not None and requests.taken_at >= read_at - _READ_LATE_S:
            return
        _say(f"{_command_line(signum)} again: stopped at once; what was saved before the stop "
             "is kept")
        exit_after_writes(128 + signum)


def _command_line(signum: int) -> str:
    """``musicsage COMMAND: interrupted`` for this process's command."""
    return command_line(command_of(sys.argv[1:]), signum)


def _say(line: str) -> None:
    """``line`` on stderr, on a line of its own (a progress bar may be drawn there)."""
    try:
        os.write(2, (("\n" if os.isatty(2) else "") + line + "\n").encode(errors="replace"))
    except OSError:
        pass
