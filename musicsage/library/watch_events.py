"""The events a folder watch collects between batches (:mod:`musicsage.library.watch`): the
observer's threads add them, the watch loop takes them once they have been quiet a while.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Batch:
    paths: dict[str, bool] = field(default_factory=dict)
    """Every file or folder path an event touched (both ends of a move) -> is a folder."""
    moves: list[tuple[str, str]] = field(default_factory=list)
    """(from, to) for moves watchdog saw whole (inside the watched folders)."""
    events: int = 0
    first_event: float = 0.0
    """time.monotonic() of the batch's first event (reaction-time measurements)."""


class PendingChanges:
    """Thread-safe accumulation of events (observer threads add, the watch loop takes)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._batch = Batch()
        self._last = 0.0

    def add(self, path: str, is_dir: bool, dest: str | None = None) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._batch.events:
                self._batch.first_event = now
            self._batch.events += 1
            self._batch.paths[path] = is_dir
            if dest is not None:
                self._batch.paths[dest] = is_dir
                self._batch.moves.append((path, dest))
            self._last = now
            self._cond.notify_all()

    def take(self, *, quiet: float, max_wait: float, timeout: float) -> Batch | None:
        """The batch once it has been quiet for ``quiet`` s (or ``max_wait`` s old); None if
        none is ready within ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                if self._batch.events:
                    ready_at = min(self._last + quiet, self._batch.first_event + max_wait)
                    if now >= ready_at:
                        batch, self._batch = self._batch, Batch()
                        return batch
                    wait = min(ready_at, deadline) - now
                else:
                    wait = deadline - now
                if wait <= 0:
                    return None
                self._cond.wait(wait)

    def put_back(self, batch: Batch, delay: float) -> None:
        """Return a batch that could not be applied; it is retried after ``delay`` s (or with
        the next events, whichever is later)."""
        with self._cond:
            for path, is_dir in batch.paths.items():
                self._batch.paths.setdefault(path, is_dir)
            self._batch.moves = batch.moves + self._batch.moves
            self._batch.events += batch.events
            self._batch.first_event = self._batch.first_event or batch.first_event
            self._last = max(self._last, time.monotonic() + delay)
