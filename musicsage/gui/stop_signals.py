"""SIGTERM and Ctrl-C close the window as its close button does.

Without a handler, a desktop logout or ``kill PID`` (SIGTERM), or Ctrl-C in the terminal that
started ``main.py``, ended the process at once: the session the next start restores (the
lists' tab, the track, the playlist, the dock; written by the window's ``closeEvent``) was
lost, a running task was not cancelled, and a playlist being rewritten in place on a worker
thread could be cut. Now the first SIGINT or SIGTERM closes every window the normal way (the
window saves the session and cancels and waits for its tasks), then the process exits with
128 + the signal (130 after Ctrl-C, 143 after SIGTERM), as a command of the command line does
(:mod:`musicsage.commands.stopping`). A second signal while closing ends the process at once,
with the same status, even while the close waits in C for tasks to stop — but not in the
middle of a write that must not stop half-way (a playlist rewritten in place on a worker
thread, where no signal can be held): it waits for that, up to :data:`WRITE_WAIT_S`.

Python runs a signal handler only when the main thread runs Python, and Qt's event loop (or
a close joining worker threads) waits in C. So a thread reads each signal's number as it comes
(:class:`~musicsage.signal_wakeup.WakeupReader`, the command line's too): the first number asks the GUI thread to close the windows (a queued Qt signal), the
second ends the process. A signal that came before the loop runs is acted on as it starts.
A signal the process was started ignoring stays ignored (the one who started it asked for
that). :meth:`StopSignals.uninstall` puts the previous handlers and wake-up fd back. Once the
window has closed (:meth:`StopSignals.closed`), a first signal says so and the process ends
as it was ending (the library released), with the signal's status.

Installed as the window starts (:func:`musicsage.gui.app.launch`), before there is a window
to close: until :meth:`StopSignals.closes` names the close, the first signal ends the start-up
at once, in one line and with the same status. Without it a SIGTERM then ended the process
without a word, and a Ctrl-C printed a ``KeyboardInterrupt`` traceback (raised in PySide's
import hooks, it could also leave Qt half set up). Nothing is lost by stopping then: no
session to save, no task started, the library not yet read.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import suppress
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal

from musicsage.signal_wakeup import AGAIN, WakeupReader, exit_after_writes
from musicsage.startup import WORDS, restorable, starting_line

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)


WRITE_WAIT_S = 2.0
"""How long "stop at once" waits for a :func:`~musicsage.files.critical_write` in progress
(a playlist written in place takes milliseconds; a hung one must not keep the window up)."""

_stderr_fd: int | None = None
"""A copy of descriptor 2 as the window started (:func:`remember_stderr`)."""


def remember_stderr() -> None:
    """Keep a copy of descriptor 2 for the closing line, taken before any thread starts:
    while the window starts, sounddevice points descriptor 2 at /dev/null for a moment (to
    hush PortAudio), and a line printed then was lost."""
    global _stderr_fd
    if _stderr_fd is None:
        try:
            _stderr_fd = os.dup(2)
        except OSError:
            pass


def _say(line: str) -> None:
    """``line`` to the terminal the window started from."""
    data = (line + "\n").encode(errors="replace")
    if _stderr_fd is not None:
        try:
            os.write(_stderr_fd, data)
            return
        except OSError:
            pass
    with suppress(OSError, ValueError):  # no terminal left to read it (``main.py | true``
        print(line, file=sys.stderr, flush=True)  # ended): the close or exit goes on


class StopSignals(QObject):
    """Calls ``close`` in the event loop at the first SIGINT or SIGTERM; ``signum`` is that
    signal (None until one came), for the exit status. Without ``close`` (the window not
    built yet: :meth:`closes`), the first signal ends the process at once.

    The signals' bytes are read by a thread of their own, not by the event loop: a close
    that waits in C (tasks being joined for up to a minute) would leave a second signal
    unread, and the window would not end however often it was sent."""

    requested = Signal()
    """The first signal came: queued to the thread the object lives in (the GUI's)."""

    def __init__(self, close: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._close = close
        self.signum: int | None = None
        self._closing = False
        self._closed = False
        self._previous: dict[int, object] = {}
        self._reader: WakeupReader | None = None
        self._seen = 0
        self.requested.connect(self._close_once, Qt.ConnectionType.QueuedConnection)

    def closes(self, close: Callable[[], None]) -> None:
        """From now on the first signal calls ``close`` in the event loop (the window is
        there to close), no longer ending the start-up at once."""
        self._close = close

    def closed(self) -> None:
        """The window has closed (its event loop ended): a first signal from now on says so
        and lets the process end as it does — the library released — with its status; it
        said "stopped before the window opened" and ended the process there."""
        self._closed = True

    @property
    def exit_code(self) -> int | None:
        """128 + the signal that closed the window (the command line's convention)."""
        return None if self.signum is None else 128 + self.signum

    def install(self) -> bool:
        """Take SIGINT and SIGTERM; False (nothing changed) off the main thread, where
        Python cannot set handlers. A signal ignored as the process started stays ignored,
        as :func:`musicsage.startup.install` keeps it: a script's ``musicsage &`` starts with
        Ctrl-C ignored, and a Ctrl-C meant for the script closed the window."""
        if threading.current_thread() is not threading.main_thread() or self._reader:
            return False
        self._seen = 0
        self._reader = WakeupReader(self._on_byte, SIGNALS, name="musicsage-stop-signals")
        self._previous = {sig: signal.signal(sig, self._on_signal) for sig in SIGNALS
                          if signal.getsignal(sig) != signal.SIG_IGN}
        return True

    def uninstall(self) -> None:
        """Put back the handlers and the wake-up fd that were there before :meth:`install`
        (a handler set outside Python cannot be put back: its signal's default instead)."""
        if self._reader is None:
            return
        for sig, handler in self._previous.items():
            signal.signal(sig, restorable(handler))
        self._reader.close()
        self._reader = None
        self._previous = {}

    def _on_signal(self, signum: int, _frame) -> None:
        """Python's part, run when the main thread next runs Python: note the signal (the
        reader may not have yet). The reader acts on it."""
        if self.signum is None:
            self.signum = signum

    def _on_byte(self, number: int) -> None:
        """The reader thread, at each signal: the first asks the GUI thread to close (or,
        with nothing to close yet, ends the process); the next one, the close still running,
        ends the process at once with its status — after any critical write on another
        thread (:func:`_exit_after_writes`)."""
        self._seen += 1
        if self._seen == 1 and self._close is None:  # still starting: nothing to close
            _say(starting_line(number))  # as musicsage.startup says it
            _exit_after_writes(128 + number)
        elif self._seen == 1:
            if self.signum is None:
                self.signum = number
            if self._closed:  # nothing left to close: the process is ending
                word, again = WORDS[number], AGAIN[number]
                _say(f"musicsage: {word}: the window is closed, ending; {again} "
                     "again to stop at once")
            else:
                self.requested.emit()
        else:
            _say(f"musicsage: {WORDS[number]} again: stopped")
            _exit_after_writes(128 + number)

    def _close_once(self) -> None:
        if self._closing:
            return
        self._closing = True
        word = WORDS.get(self.signum, "stopped")
        again = AGAIN.get(self.signum, "send it")
        _say(f"musicsage: {word}: closing the window; {again} again to stop at once")
        self._close()


def _exit_after_writes(code: int) -> None:
    """End the process with ``code`` once no critical write runs on any thread (at most
    :data:`WRITE_WAIT_S`), none starting meanwhile: ``os._exit`` cut a playlist being
    rewritten in place between its write and its cut — half a file in every player's name
    for it (its backup kept the old one)."""
    exit_after_writes(code, WRITE_WAIT_S)
