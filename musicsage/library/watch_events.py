"""The events a folder watch collects between batches (:mod:`musicsage.library.watch`): the
observer's threads add them, the watch loop takes them once they have been quiet a while; and
the files a batch could not read, said once they stay so (:class:`Unreadable`).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from musicsage.library import paths as P

SETTLE_SECONDS = 3.0
"""How long a file that could not be read must stay as it is (size, time) before a batch says
it is unreadable: a copy in progress cannot be read either, and is not worth a warning."""


@dataclass
class Batch:
    paths: dict[str, bool] = field(default_factory=dict)
    """Every file or folder path an event touched (both ends of a move) -> is a folder."""
    moves: list[tuple[str, str]] = field(default_factory=list)
    """(from, to) for moves watchdog saw whole (inside the watched folders)."""
    events: int = 0
    first_event: float = 0.0
    """time.monotonic() of the batch's first event (reaction-time measurements)."""
    maybe_links: set[str] = field(default_factory=set)
    """Paths that were a link to a folder only maybe (a "file" gone whose name is no audio
    or playlist file's): :func:`~musicsage.library.watch_targets.worth_a_batch`."""


class PendingChanges:
    """Thread-safe accumulation of events (observer threads add, the watch loop takes)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._batch = Batch()
        self._last = 0.0
        self._later: dict[str, tuple[float, bool]] = {}
        """Paths to look at again (:meth:`recheck`) -> (when, is a folder)."""

    def add(self, path: str, is_dir: bool, dest: str | None = None, *,
            maybe_link: bool = False) -> None:
        """An event at ``path`` (moved to ``dest``); ``maybe_link``: see ``Batch.maybe_links``
        (an event of the same path that is surely a folder takes the mark away)."""
        with self._cond:
            if maybe_link:
                self._batch.maybe_links.add(path)
            else:
                self._batch.maybe_links.discard(path)
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
                self._take_due(now)
                if self._batch.events:
                    ready_at = min(self._last + quiet, self._batch.first_event + max_wait)
                    if now >= ready_at:
                        batch, self._batch = self._batch, Batch()
                        return batch
                    wait = min(ready_at, deadline) - now
                else:
                    wait = min([deadline, *(t for t, _d in self._later.values())]) - now
                if wait <= 0:
                    return None
                self._cond.wait(wait)

    def put_back(self, batch: Batch, delay: float) -> None:
        """Return a batch that could not be applied; it is retried after ``delay`` s (or with
        the next events, whichever is later)."""
        with self._cond:
            for path, is_dir in batch.paths.items():
                self._batch.paths.setdefault(path, is_dir)
            self._batch.maybe_links |= batch.maybe_links
            self._batch.moves = batch.moves + self._batch.moves
            self._batch.events += batch.events
            self._batch.first_event = self._batch.first_event or batch.first_event
            self._last = max(self._last, time.monotonic() + delay)

    def recheck(self, paths: dict[str, bool], delay: float) -> None:
        """Look at ``paths`` (-> is a folder) again in ``delay`` s, though no event comes: a
        file that could not be read, to tell whether it stayed so (no event comes for it)."""
        with self._cond:
            for path, is_dir in paths.items():
                self._later[path] = (time.monotonic() + delay, is_dir)
            self._cond.notify_all()

    def _take_due(self, now: float) -> None:
        """Paths whose :meth:`recheck` time has come join the batch (ready at once, or with
        the events around them)."""
        for path, (when, is_dir) in list(self._later.items()):
            if when <= now:
                del self._later[path]
                self._batch.first_event = self._batch.first_event or now
                self._batch.events += 1
                self._batch.paths.setdefault(path, is_dir)


class Unreadable:
    """The files (and folders) a watch could not read, said once each: only when one failed
    again as it was, :data:`SETTLE_SECONDS` later — a copy in progress fails too, and said
    "1 unreadable" at every batch of a slow copy — and not again while it stays so."""

    def __init__(self) -> None:
        self._failed: dict[str, tuple[tuple, float]] = {}
        """Path -> (its size and time when it failed, since when it has failed so)."""
        self._said: dict[str, tuple] = {}
        """Path -> its size and time when it was said unreadable."""

    def sift(self, errors: list, scanned: list[str]) -> tuple[list, dict[str, bool]]:
        """(the ``errors`` (shown path, reason) of a batch that scanned ``scanned`` to say
        now, the paths to look at again later). An error for a path that is not there (a
        folder gone as a whole) is said as it is."""
        now, say, again, failing = time.monotonic(), [], {}, set()
        for error in errors:
            path = _fs_path(error[0])
            try:
                st = os.stat(path)
            except OSError:
                say.append(error)
                continue
            stamp = (st.st_size, st.st_mtime_ns)
            failing.add(path)
            if _download_stand_in(path, st.st_size):
                continue  # renamed over once done: an event of its own, read then
            seen, since = self._failed.get(path, (None, now))
            if self._said.get(path) == stamp:
                continue  # said once already
            if seen == stamp and now - since >= SETTLE_SECONDS:
                self._said[path] = stamp
                self._failed.pop(path)
                say.append(error)
                continue
            self._failed[path] = (stamp, since if seen == stamp else now)
            again[path] = os.path.isdir(path)
        for path in [p for p in [*self._failed, *self._said] if p not in failing
                     and any(P.is_under(p, s) for s in scanned)]:
            self._failed.pop(path, None)  # it reads now (or went): a new failure is news
            self._said.pop(path, None)
        return say, again


def _download_stand_in(path: str, size: int) -> bool:
    """Whether ``path`` is an empty stand-in for a download in progress: Firefox makes
    ``song.mp3`` empty and writes ``song.mp3.part``, renamed over it when done. Settled at 0
    bytes, it was said "1 unreadable ('song.mp3')" at every download into a music folder."""
    return size == 0 and os.path.exists(path + ".part")


def stopped_watches(observer, watches: dict) -> set[str]:
    """The folders of ``watches`` ((folder, recursive) -> watchdog's ObservedWatch) that
    ``observer`` no longer follows: watchdog stops observing a folder once it is deleted. One
    made again at once may get the inode number of the one deleted (ext4 reuses it): it has
    the identity the watch saw last, and was never observed again."""
    stopped = {e.watch for e in observer.emitters if not e.should_keep_running()}
    return {folder for (folder, _recursive), w in watches.items() if w in stopped}


def _fs_path(shown) -> str:
    """The file system path of a report's shown path (its URI names it exactly)."""
    uri = getattr(shown, "uri", None)
    return P.typed_path(uri) if uri else str(shown)
