"""A look at the disk that the window's thread waits for only a moment.

Controllers answer on the window's thread, and a network mount gone stale (the server away)
answers a listing, a stat or a read only after its timeout: minutes. The window froze that
long on a queued track that failed there, on music dropped from there, on a scan of there
that was cancelled. :func:`answer_within` runs the look on a thread of its own and answers
for it once :data:`DISK_WAIT_S` has passed; the look that hangs goes on and is not started
again while it does."""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

T = TypeVar("T")

DISK_WAIT_S = 0.5
"""How long the window waits for the disk to answer a look; no answer by then gets the
caller's ``unanswered`` (a stale mount plays, adds or shows nothing either)."""


class _Look:
    """One look at the disk, on a thread of its own, whose answer may come late."""

    def __init__(self, look: Callable[[], Any]) -> None:
        self.answered = threading.Event()
        self.answer: Any = None
        self.looked = False
        """Whether ``look`` returned (one that raised gave no answer)."""
        threading.Thread(target=self._run, args=(look,), name="musicsage-disk-look",
                         daemon=True).start()

    def _run(self, look: Callable[[], Any]) -> None:
        try:
            self.answer = look()
            self.looked = True
        finally:
            self.answered.set()


_looking: "dict[tuple[str, str | bytes], _Look]" = {}
"""The look going on (or ended, not yet asked again) for each kind and path."""
_looking_lock = threading.Lock()


def answer_within(kind: str, path: "str | bytes", look: Callable[[], T], *, unanswered: T,
                  wait_s: float = DISK_WAIT_S) -> T:
    """``look()``, or ``unanswered`` when it takes longer than ``wait_s`` (or fails: a look
    that raises is no answer). A look that hangs goes on, and while it does, asking again
    about the same ``kind`` and ``path`` answers ``unanswered`` at once (the Next button asks
    on each change) and starts no other; once it ended, the next call looks afresh."""
    key = (kind, path)
    with _looking_lock:
        pending = _looking.get(key)
        if pending is not None and not pending.answered.is_set():
            return unanswered
        pending = _looking[key] = _Look(look)
    if not pending.answered.wait(wait_s):
        return unanswered
    with _looking_lock:
        if _looking.get(key) is pending:
            del _looking[key]
    return pending.answer if pending.looked else unanswered
