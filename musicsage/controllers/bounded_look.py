"""A look at the disk that the window's thread waits for only a moment.

Controllers answer on the window's thread, and a network mount gone stale (the server away)
answers a listing, a stat or a read only after its timeout: minutes. The window froze that
long on a queued track that failed there, on music dropped from there, on a scan of there
that was cancelled. :func:`answer_within` runs the look on a thread of its own and answers
for it once :data:`DISK_WAIT_S` has passed; the look that hangs goes on and is not started
again while it does. :func:`answers_within` looks at many paths at once, each its own
answer: one stale path looked at first left every path after it unanswered.

A look that hangs keeps its thread until the disk answers (nothing can interrupt it); its
entry in :data:`_looking` goes with it, and no new look starts while :data:`MOST_HANGING`
hang: drops of ever other paths from a stale mount add no threads without end."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from typing import Any, Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")

DISK_WAIT_S = 0.5
"""How long the window waits for the disk to answer a look; no answer by then gets the
caller's ``unanswered`` (a stale mount plays, adds or shows nothing either)."""

MOST_HANGING = 32
"""The most looks going on at once (each a thread): beyond, a look is unanswered at once."""

LOOKERS = 8
"""The threads one :func:`answers_within` looks with (a drop of 9,000 files: not 9,000)."""


class _Look:
    """One look at the disk, on a thread of its own, whose answer may come late."""

    def __init__(self) -> None:
        self.answered = threading.Event()
        self.answer: Any = None
        self.looked = False
        """Whether ``look`` returned (one that raised gave no answer)."""

    def start(self, key: Hashable, look: Callable[[], Any]) -> None:
        """Look, on a thread of its own (``key``: its entry in :data:`_looking`, there first:
        the look's end takes it out)."""
        threading.Thread(target=self._run, args=(key, look), name="musicsage-disk-look",
                         daemon=True).start()

    def _run(self, key: Hashable, look: Callable[[], Any]) -> None:
        try:
            self.answer = look()
            self.looked = True
        finally:
            _ended(key, self)
            self.answered.set()


_looking: "dict[tuple[str, Any], object]" = {}
"""The look going on at each kind and path (only while it does: its end takes it out)."""
_looking_lock = threading.Lock()


def _ended(key: Hashable, look: object) -> None:
    """``look`` at ``key`` ended: it no longer holds back another."""
    with _looking_lock:
        if _looking.get(key) is look:  # type: ignore[call-overload]
            del _looking[key]  # type: ignore[arg-type]


def answer_within(kind: str, path: "str | bytes", look: Callable[[], T], *, unanswered: T,
                  wait_s: float = DISK_WAIT_S) -> T:
    """``look()``, or ``unanswered`` when it takes longer than ``wait_s`` (or fails: a look
    that raises is no answer). A look that hangs goes on, and while it does, asking again
    about the same ``kind`` and ``path`` answers ``unanswered`` at once (the Next button asks
    on each change) and starts no other; once it ended, the next call looks afresh."""
    key = (kind, path)
    with _looking_lock:
        if key in _looking or len(_looking) >= MOST_HANGING:
            return unanswered
        pending = _looking[key] = _Look()
    pending.start(key, look)
    if not pending.answered.wait(wait_s):
        return unanswered
    return pending.answer if pending.looked else unanswered


def still_looking(kind: str, path: "str | bytes") -> bool:
    """Whether a look of ``kind`` at ``path`` is going on: the last one got no answer."""
    with _looking_lock:
        return (kind, path) in _looking


def answers_within(kind: str, paths: Sequence[str], look: Callable[[str], T], *,
                   wait_s: float = DISK_WAIT_S) -> dict[str, T]:
    """``look(path)`` for each of ``paths`` that answered within ``wait_s``, all against that
    one deadline, looked at by :data:`LOOKERS` threads at most: a path that hangs holds up
    no other (one stale path first in a drop left the local files after it unanswered).
    Folders take turns (a stale folder's many files do not hold every thread). A path whose
    look raised, still hangs from before, or was not reached in time is absent."""
    deadline = time.monotonic() + wait_s
    with _looking_lock:
        todo = deque(p for p in _in_turns(paths) if (kind, p) not in _looking)
        room = MOST_HANGING - len(_looking)
    answers: dict[str, T] = {}
    done = threading.Condition()
    left = [len(todo)]  # paths not answered yet (or given up)

    def looker() -> None:
        while True:
            with _looking_lock:
                if not todo or time.monotonic() >= deadline or len(_looking) >= MOST_HANGING:
                    break
                path = todo.popleft()
                key, token = (kind, path), object()
                _looking[key] = token
            try:
                answer = look(path)
                with done:
                    answers[path] = answer
            except Exception:  # no answer, as a look that raises gives in answer_within
                pass
            finally:
                _ended(key, token)
                with done:
                    left[0] -= 1
                    done.notify_all()
        with _looking_lock:  # what is left is not reached: given up, so not waited for
            given_up = len(todo)
            todo.clear()
        with done:
            left[0] -= given_up
            done.notify_all()

    lookers = min(LOOKERS, len(todo), room)
    if lookers <= 0:  # nothing to look at, or too many looks hang: none waited for
        return {}
    for _ in range(lookers):
        threading.Thread(target=looker, name="musicsage-disk-look", daemon=True).start()
    with done:
        done.wait_for(lambda: left[0] <= 0, timeout=max(0.0, deadline - time.monotonic()))
        return dict(answers)  # a copy: a look that hangs may still add to ``answers``


def _in_turns(paths: Sequence[str]) -> list[str]:
    """``paths`` without repeats, their folders taking turns: the first of each folder, then
    the second of each …"""
    by_folder: dict[str, list[str]] = {}
    for path in dict.fromkeys(paths):
        by_folder.setdefault(os.path.dirname(path), []).append(path)
    queues = list(by_folder.values())
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]
