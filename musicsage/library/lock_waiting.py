"""What a run waiting on a lock file (the library's, a ``train --out`` folder's) says: who
holds it, what it is doing, and whether that process is stopped.

A part of its own, beside :mod:`musicsage.library.lock` (which takes the locks): a run that
waited behind a scan or an embedding run stopped with Ctrl-Z in another terminal said
"another embedding run of this library is running (process N); waiting for it to finish"
and waited for ever, as that run never finishes until it is resumed. The kernel names the
lock's holder (:func:`~musicsage.library.db_locks.lock_holder`: the pid the file holds may
be an earlier holder's), and ``/proc`` whether it is stopped; the line then says how to
resume it, and says the plain wait again once it runs.
"""

from __future__ import annotations

import os

from musicsage.library.db_locks import lock_holder, process_stopped
from musicsage.progress import WAIT_WORDS

#: how the waiting message names what the other holder of a lock is doing: by the stage it
#: wrote where one lock serves several kinds of work (an import waiting for an import said
#: "another scan of this library is running"), else by the lock's kind
ACTIVITY = {"scan": "scan", "embed": "embedding run", "training": "training",
            "graph-vectors": "computation of new tracks' graph vectors",
            "import": "import", "playlists": "playlist import", "forget": "removal of a folder",
            "map": "map computation"}


def holder(fd: int) -> tuple[str, str]:
    """What the holder wrote into the lock file — its pid and what it is doing ("598 import")
    — as ``(" (process 598)", "import")`` for a message; ``""`` for what is unknown."""
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return "", ""
    pid, _, doing = text.partition(" ")
    return (f" (process {pid})" if pid.isdigit() else ""), doing


def waiting_line(fd: int, activity: str) -> str:
    """The line of a run waiting for the holder of the lock file open as ``fd`` (``activity``:
    what the lock's holders do, where the file does not say): that it waits for it to
    finish, or, while the holder the kernel names is stopped (Ctrl-Z, SIGSTOP), how to resume
    it. Both end in :data:`~musicsage.progress.WAIT_WORDS` (the front ends tell a wait so)."""
    pid, doing = holder(fd)
    return f"another {ACTIVITY.get(doing, activity)} of this library {state_words(fd, pid)}"


def state_words(fd: int, written: str) -> str:
    """"is running (process N); waiting for it to finish", or, while the holder of the lock
    on the file open as ``fd`` is stopped, "is stopped (process N; …): resume it …; waiting
    for it to finish" (``written``: " (process N)" as the file gives it, or "")."""
    stopped = _stopped_holder(fd, written)
    if stopped is None:
        return f"is running{written}; {WAIT_WORDS}"
    return (f"is stopped (process {stopped}; Ctrl-Z in its terminal?): resume it there with "
            f"`fg`, or with `kill -CONT {stopped}`; {WAIT_WORDS}")


def _stopped_holder(fd: int, written: str) -> int | None:
    """The pid of the holder of the lock on the file open as ``fd`` when it is stopped, else
    None. Asked each poll, so the kernel's list of locks is read only when the process the
    file names (``written``: " (process N)") is stopped, to tell that it holds the lock."""
    named = "".join(c for c in written if c.isdigit())
    if not named or not process_stopped(int(named)):
        return None
    pid = lock_holder(f"/proc/self/fd/{fd}")  # (its stat is the open file's)
    return pid if pid is not None and pid != os.getpid() and process_stopped(pid) else None
