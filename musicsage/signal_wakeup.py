"""Signals seen the moment they come, off the main thread, for the command line's stop
(:mod:`musicsage.commands.stopping`) and the window's (:mod:`musicsage.gui.stop_signals`).

Python runs a signal handler only when the main thread runs Python again: a main thread
waiting in C — SQLite's wait for another program's write lock (up to 30 s), Qt's event loop, a
close joining worker threads — takes no Ctrl-C or SIGTERM however often sent. The signal's C
part still writes its number to the wake-up fd (:func:`signal.set_wakeup_fd`): here one end of
a socket pair, whose other end a thread of its own reads and hands each number to a callback.
One reader for both front ends (each had its own copy, worded apart); Qt-free, so the command
line does not import Qt.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Callable, Collection

from musicsage.files import critical_writes_finished

AGAIN = {signal.SIGINT: "press Ctrl-C", signal.SIGTERM: "send SIGTERM"}
"""How to stop at once, as both front ends say it (the line's first word:
:data:`musicsage.startup.WORDS`)."""


class WakeupReader:
    """Calls ``on_signal(number)`` on a thread of its own for each of ``signals`` that comes
    while it is installed (the main thread's handlers still run as they do). Raises
    ``ValueError`` off the main thread and ``OSError`` with no descriptor left: nothing is
    then changed, and a caller goes on without it."""

    def __init__(self, on_signal: Callable[[int], None], signals: Collection[int],
                 name: str) -> None:
        self._on_signal, self._signals = on_signal, frozenset(signals)
        self._closed = threading.Event()
        self._read, self._write = socket.socketpair()
        self._write.setblocking(False)  # the signal's C part must never block
        try:
            self._previous_fd = signal.set_wakeup_fd(self._write.fileno(),
                                                     warn_on_full_buffer=False)
        except ValueError:
            self._read.close()
            self._write.close()
            raise
        self._thread = threading.Thread(target=self._run, daemon=True, name=name)
        self._thread.start()

    def close(self) -> None:
        """Put the previous wake-up fd back and end the thread (called on the main thread)."""
        if self._closed.is_set():
            return
        signal.set_wakeup_fd(self._previous_fd)
        self._closed.set()
        self._read.shutdown(socket.SHUT_RDWR)  # the thread's recv returns: it ends
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._read.close()
        self._write.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _run(self) -> None:
        while True:
            try:
                got = self._read.recv(64)
            except OSError:
                return
            if not got or self._closed.is_set():
                return
            for number in got:
                if number in self._signals:
                    self._on_signal(number)


def exit_after_writes(code: int, wait_s: float = 2.0) -> None:
    """End the process with ``code`` at once, but once no critical write runs on any thread
    (at most ``wait_s``), none starting meanwhile: ``os._exit`` cut a playlist being rewritten
    in place between its write and its cut — half a file in every player's name for it."""
    with critical_writes_finished(wait_s):
        os._exit(code)
