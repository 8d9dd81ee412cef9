"""The worker pool's long-lived threads, their lanes, and letting go of a library left.

Each worker thread keeps one SQLite connection per library it has read
(:func:`musicsage.library.db.connect`). Once the window shows another library, the connections
to the one left must close, or its ``-wal`` and ``-shm`` stay beside it until the window
closes (and an idle thread holds it open for nothing). :class:`LetGo` counts the switches; a
thread compares that count with the one it last saw before and after each task, and while it
waits for one, and closes its connections when they differ; and after a task submitted before
a switch that started after it (what it opened is the library left's). A task running at the
switch (a scan of the library left, which goes on there) keeps its connection until it ends.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Callable

from PySide6.QtCore import QThread

from musicsage.processes import background_priority

IDLE_CHECK_S = 5.0
"""How long an idle thread waits for a task before it looks whether it should let go: the
wake-ups :meth:`Lane.let_go` queues make it prompt, but one thread may take two of them while
another runs its task, then waits without one."""


class LetGo:
    """How many times the window let go of the library it showed (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def ask(self) -> None:
        with self._lock:
            self._count += 1

    @property
    def count(self) -> int:
        with self._lock:
            return self._count


def _wake() -> None:
    """A task that does nothing: it wakes an idle thread, which then lets go."""


class WorkerThread(QThread):
    """A long-lived worker: one Python thread state for its whole life, jobs from a queue.

    Why not QThreadPool: a pooled runnable gets a fresh Python thread state per run (PySide
    ensures/releases the GIL state around each call), and pybind11-based libraries cache
    thread states per OS thread — torch then crashed in ``gil_scoped_acquire`` when a tensor
    hook was freed on a pooled thread that had run an earlier job (seen: embedding after an
    import of torch on another job). One ``run()`` per thread keeps one thread state.
    """

    def __init__(self, lane: "Lane", name: str) -> None:
        super().__init__()
        self._lane = lane
        self.setObjectName(name)

    def run(self) -> None:  # noqa: D401 - Qt API
        from musicsage.library.db import close_thread_connections  # imported while it can be

        threading.current_thread().name = self.objectName()
        background_priority()
        switches = self._lane.switches
        seen = switches.count
        try:
            while True:
                seen = self._let_go_since(seen, close_thread_connections)
                try:
                    queued = self._lane.queue.get(timeout=IDLE_CHECK_S)
                except queue.Empty:
                    continue
                if queued is None:
                    return
                submitted, task = queued
                seen = self._let_go_since(seen, close_thread_connections)
                task()
                if submitted != switches.count:  # submitted before a switch, started after:
                    close_thread_connections()  # what it opened may be the library left
        finally:  # its own: left open, the library's -wal and -shm outlived the window
            close_thread_connections()

    def _let_go_since(self, seen: int, close: Callable[[], None]) -> int:
        """Close this thread's connections if the window let go of a library since ``seen``
        (they reopen on the next read of the library shown); the count now."""
        now = self._lane.switches.count
        if now != seen:
            close()
        return now


class Lane:
    """N worker threads sharing a FIFO queue; started lazily."""

    def __init__(self, name: str, threads: int, switches: LetGo) -> None:
        self.name = name
        self.size = threads
        self.switches = switches
        self.queue: "queue.Queue[tuple[int, Callable[[], None]] | None]" = queue.Queue()
        """Each task with the count of switches when it was submitted; None: stop."""
        self.threads: list[WorkerThread] = []

    def start(self, task: Callable[[], None]) -> None:
        if len(self.threads) < self.size:
            t = WorkerThread(self, f"musicsage-{self.name}-{len(self.threads)}")
            self.threads.append(t)
            t.start()
        self.queue.put((self.switches.count, task))

    def let_go(self) -> None:
        """Wake each thread (one no-op task each) so that an idle one lets go now."""
        for _ in self.threads:
            self.queue.put((self.switches.count, _wake))

    def clear(self) -> None:
        """Drop tasks not started yet."""
        try:
            while True:
                self.queue.get_nowait()
        except queue.Empty:
            pass

    def stop(self, deadline: float) -> bool:
        """Ask every thread to finish after its current task; wait until ``deadline``."""
        for _ in self.threads:
            self.queue.put(None)
        ok = True
        for t in self.threads:
            remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
            ok = t.wait(remaining_ms) and ok
        return ok
