"""A look at the disk that the window's thread waits for only a moment.

Controllers answer on the window's thread, and a network mount gone stale (the server away)
answers a listing, a stat or a read only after its timeout: minutes. The window froze that
long on a queued track that failed there, on music dropped from there, on a scan of there
that was cancelled. :func:`answer_within` runs the look on a thread of its own and answers
for it once :data:`DISK_WAIT_S` has passed; the look that hangs goes on and is not started
again while it does. :func:`answers_within` looks at many paths at once, each its own
answer: one stale path looked at first left every path after it unanswered.

A look that hangs keeps its thread until the disk answers (nothing can interrupt it); its
entry in :data:`_looking` goes with it. While it hangs, what is held back by it is answered
unanswered at once, with no thread (:func:`_held_back`): a path under it, a file beside a file
of it (a stale share then holds one thread per folder), and, once :data:`MOST_HANGING` hang, a
path under the same root (:func:`_root`) as one of them. Other disks are held back only past
:data:`MOST_HANGING_ANYWHERE`: refusing every look once 32 hung left a local drop "no answer"
until the share came back. The root is the mount the kernel lists (:data:`MOUNTINFO`, a file
that never waits on the network), else the path's top folders; asking the disk
(``os.path.ismount``) is a look too."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import deque
from typing import Any, Callable, Hashable, Sequence, TypeVar

from musicsage.library.mountinfo import MOUNTINFO, mount_lines, read_table

T = TypeVar("T")

DISK_WAIT_S = 0.5
"""How long the window waits for the disk to answer a look; no answer by then gets the
caller's ``unanswered`` (a stale mount plays, adds or shows nothing either)."""

MOST_WAIT_S = 2.0
"""The longest the window waits on many paths' looks while answers keep coming (a 22,000-file
local drop is looked at whole in under 1 s here; a share answering each look in 0.2 s would
hold it 50 s for 2,000 files): what is left gets the caller's "no answer yet"."""

MOST_HANGING = 32
"""How many looks may hang before a path under the root of one of them is unanswered at once
(drops of ever other folders from a stale mount add no threads without end); a path under
another root is looked at all the same."""

MOST_HANGING_ANYWHERE = 4 * MOST_HANGING
"""How many looks may hang, on whatever roots, before every new look is unanswered at once: a
backstop where the roots are guessed wrong (each artist folder its own root: no bound)."""

ROOT_PARTS = 2
"""How many of a path's top folders name the disk it is on where the kernel lists no mount
of it (no :data:`MOUNTINFO`): ``/mnt/nas``, ``/media/me``, ``/home/me``."""

MOUNTS_FRESH_S = 5.0
"""How long a read of :data:`MOUNTINFO` is used again (held back looks are asked often)."""

LOOKERS = 8
"""The threads one :func:`answers_within` looks with (a drop of 9,000 files: not 9,000)."""


class _Look:
    """One look at the disk, on a thread of its own, whose answer may come late."""

    def __init__(self, hangs_after: float) -> None:
        self.hangs_after = hangs_after
        """When the look counts as hanging: its waiter gave up on it (``time.monotonic``)."""
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


_looking: "dict[tuple[str, Any], _Look]" = {}
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
        if _held_back(kind, path, time.monotonic()):
            return unanswered
        pending = _looking[key] = _Look(time.monotonic() + wait_s)
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
    """``look(path)`` for each of ``paths`` answered before the disk fell silent for
    ``wait_s``, looked at by :data:`LOOKERS` threads at most: a path that hangs holds up no
    other (one stale path first in a drop left the local files after it unanswered). The
    deadline slides to ``wait_s`` past the last answer (one deadline for all left 12,000 of a
    22,000-file local drop unlooked at), :data:`MOST_WAIT_S` at most (a share answering each
    look in 0.4 s held the window 4 s for 80 files); when nothing answers it stays
    ``wait_s``. Folders take turns (though a stale folder's files may still take every thread
    before its first look is known to hang). A path whose look raised, still hangs from
    before, or was not reached in time is absent."""
    with _looking_lock:
        todo = deque(p for p in _in_turns(paths) if not _held_back(kind, p, time.monotonic()))
    started = time.monotonic()  # (after the sorting: on a long drop it took seconds)
    deadline = [started + wait_s]  # slid on by each look that ends, to MOST_WAIT_S at most
    answers: dict[str, T] = {}
    done = threading.Condition()
    left = [len(todo)]  # paths not answered yet (or given up)

    def looker() -> None:
        while True:
            with _looking_lock:
                path = _next_to_look(kind, todo, deadline[0])
                if path is None:
                    break
                key, token = (kind, path), _Look(deadline[0])
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
                    deadline[0] = min(started + MOST_WAIT_S,
                                      max(deadline[0], time.monotonic() + wait_s))
                    done.notify_all()
        with _looking_lock:  # what is left is not reached: given up, so not waited for
            given_up = len(todo)
            todo.clear()
        with done:
            left[0] -= given_up
            done.notify_all()

    lookers = min(LOOKERS, len(todo))
    if lookers <= 0:  # nothing to look at (each held back by a look that hangs): no wait
        return {}
    for _ in range(lookers):
        threading.Thread(target=looker, name="musicsage-disk-look", daemon=True).start()
    with done:
        while left[0] > 0 and time.monotonic() < deadline[0]:
            done.wait(timeout=deadline[0] - time.monotonic())
        return dict(answers)  # a copy: a look that hangs may still add to ``answers``


def _next_to_look(kind: str, todo: "deque[str]", deadline: float) -> "str | None":
    """The next of ``todo`` to look at (taken out of it), skipping those a look that began to
    hang meanwhile holds back; None once none is left or ``deadline`` passed (call holding
    :data:`_looking_lock`)."""
    while todo and time.monotonic() < deadline:
        path = todo.popleft()
        if not _held_back(kind, path, time.monotonic()):
            return path
    return None


def _held_back(kind: str, path: "str | bytes", now: float) -> bool:
    """Whether a look of ``kind`` at ``path`` is not to start (call holding
    :data:`_looking_lock`): the same look goes on, or one that hangs holds it back — a path
    under it or a file beside a file of it (the same folder of a stale share), or, once
    :data:`MOST_HANGING` hang, any under its root. A path elsewhere is never held back."""
    if (kind, path) in _looking:
        return True
    hanging = [(os.fsdecode(p), _is_folder_look(k)) for (k, p), look in _looking.items()
               if now >= look.hangs_after]
    if not hanging:
        return False
    text = os.fsdecode(path)
    if (any(_hangs_with(text, h, folder) for h, folder in hanging)
            or len(hanging) >= MOST_HANGING_ANYWHERE):
        return True
    if len(hanging) < MOST_HANGING:
        return False
    root = _root(text)
    return any(_root(h) == root for h, _folder in hanging)


def _is_folder_look(kind: Any) -> bool:
    """Whether a look of ``kind`` asks about a folder (``"folder"``, ``"folder given"``): its
    dotted name ("Music.old") is no file's, and holds back no file beside it."""
    return str(kind).startswith("folder")


def _hangs_with(path: str, hanging: str, hanging_is_folder: bool = False) -> bool:
    """Whether ``path`` is on what the look at ``hanging`` waits for: itself, under it, or a
    file in the folder of a file that hangs (a folder that hangs may be a mount point: the
    folders beside it are other disks; one a look of a folder asked about is no file)."""
    if path == hanging or path.startswith(hanging.rstrip(os.sep) + os.sep):
        return True
    return (not hanging_is_folder and os.path.dirname(path) == os.path.dirname(hanging)
            and bool(os.path.splitext(hanging)[1]) and bool(os.path.splitext(path)[1]))


def _root(path: str) -> str:
    """The disk ``path`` is on, as far as a look that must not wait can tell: the deepest
    mount above it other than ``/`` (a share at ``/home/me/nas`` is not ``/home/me/Music``'s;
    one at ``/nas`` is every artist folder's), else its top :data:`ROOT_PARTS` folders
    (``/mnt/nas/a/b.mp3``: ``/mnt/nas``)."""
    return _root_among(path, _mount_points())


@functools.lru_cache(maxsize=8192)
def _root_among(path: str, mounts: tuple[str, ...]) -> str:
    """:func:`_root` of ``path`` for these mount points, kept: a drop of 22,000 files with
    32 looks hanging asked each path's and each hanging look's root once per path (seconds
    of the window's thread)."""
    drive, rest = os.path.splitdrive(os.path.normpath(path))
    for mount in mounts:
        if rest == mount or rest.startswith(mount + os.sep):
            return drive + mount
    parts = [p for p in rest.split(os.sep) if p][:ROOT_PARTS]
    return drive + os.sep + os.sep.join(parts)


_mounts_read: "tuple[float, tuple[str, ...]] | None" = None
"""When :data:`MOUNTINFO` was last read, and its mount points (deepest first)."""


def _mount_points() -> tuple[str, ...]:
    """The mount points :data:`MOUNTINFO` lists, but ``/``, deepest first (read again after
    :data:`MOUNTS_FRESH_S`); none where there is no such file (macOS, Windows)."""
    global _mounts_read
    now = time.monotonic()
    if _mounts_read is not None and now - _mounts_read[0] < MOUNTS_FRESH_S:
        return _mounts_read[1]
    try:
        text = read_table(MOUNTINFO)
    except OSError:
        text = ""
    points = {point for _id, point in mount_lines(text)}
    points = {p.rstrip(os.sep) for p in points if p.rstrip(os.sep)}
    _mounts_read = (now, tuple(sorted(points, key=len, reverse=True)))
    return _mounts_read[1]


def _in_turns(paths: Sequence[str]) -> list[str]:
    """``paths`` without repeats, their folders taking turns: the first of each folder, then
    the second of each …"""
    by_folder: dict[str, list[str]] = {}
    for path in dict.fromkeys(paths):
        by_folder.setdefault(os.path.dirname(path), []).append(path)
    queues = list(by_folder.values())
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]
