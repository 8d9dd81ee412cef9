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
from pathlib import Path

from musicsage.library.db_locks import has_open, lock_holder, process_stopped
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


def written_pid(written: str) -> int | None:
    """The pid in :func:`holder`'s " (process N)" (None: the file gave none)."""
    digits = "".join(c for c in written if c.isdigit())
    return int(digits) if digits else None


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
    return f"{stopped_words(stopped)}; {WAIT_WORDS}"


def stopped_words(pid: int) -> str:
    """"is stopped (process N; …): resume it …" of a lock's holder ``pid`` that is stopped:
    a wait for it to finish, or "after it finishes", is for ever until it is resumed."""
    return (f"is stopped (process {pid}; Ctrl-Z in its terminal?): resume it there with "
            f"`fg`, or with `kill -CONT {pid}`")


def _stopped_holder(fd: int, written: str) -> int | None:
    """The pid of the holder of the lock on the file open as ``fd`` when it is stopped, else
    None. Asked each poll: while the process the file names (``written``: " (process N)")
    has the file open and runs, it is taken for the holder, and the kernel's list of locks
    (:func:`_kernel_holder`) is not read. The file may name no holder of it: another pid
    namespace's (a container's "1"), none (a write that failed on a full disk)."""
    named = written_pid(written)
    if named and not process_stopped(named) and has_open(named, Path(f"/proc/self/fd/{fd}")):
        return None
    pid = _kernel_holder(fd, written)
    return pid if pid is not None and pid != os.getpid() and process_stopped(pid) else None


#: the kernel's last answer naming a holder: ((device, inode, what the file said), the
#: holder's pid, whether that holder was stopped then)
_kept: tuple[tuple[int, int, str], int, bool] | None = None


def _kernel_holder(fd: int, written: str) -> int | None:
    """The pid the kernel says holds the lock on the file open as ``fd`` (``written``: what
    the file says). Reading ``/proc/locks`` takes seconds where it lists 100,000 locks, and a
    wait looks every 0.2 s: the answer is kept while the file and what it says are the same
    and that holder is there, stopped or running as it was when the kernel named it. "No
    holder" is never kept: read between two runs, it stood for the next run too, whose file
    says the same (a container's "1"), and a stop of that run was said "running" for ever."""
    global _kept
    st, kept = os.fstat(fd), _kept  # (one answer: another thread's wait may keep its own)
    key = (st.st_dev, st.st_ino, written)
    if kept is not None and kept[0] == key and (
            os.path.exists(f"/proc/{(pid := kept[1])}") and process_stopped(pid) == kept[2]):
        return pid
    pid = lock_holder(f"/proc/self/fd/{fd}")  # (its stat is the open file's)
    _kept = None if pid is None else (key, pid, process_stopped(pid))
    return pid
