"""Who holds the library database's write lock, for the message of a command that gave up;
who holds a window's lock, and whether that process is stopped, for a second launch's line.

SQLite waits ``busy_timeout`` for another writer and then fails with "database is locked",
which says neither who nor what to do. On Linux the kernel lists every POSIX lock (and every
``flock``) in ``/proc/locks`` with the pid that holds it; in WAL mode (the library's) the
writer holds an exclusive lock on byte 120 of the ``-shm`` file (SQLite's WAL_WRITE_LOCK;
121-122 are the checkpoint and recovery locks), in rollback mode a write lock on the database
file itself. Elsewhere (no ``/proc/locks``) the message just says another program holds it.

``/proc/locks`` names a file by its filesystem's device and its inode. The device is the
superblock's, which is not the one ``stat`` gives on btrfs (each subvolume has its own) or
overlayfs: where device and inode do not both match, a lock on the same inode counts when its
process has that very file open (``/proc/PID/fd``).
"""

from __future__ import annotations

import os
from pathlib import Path

from musicsage.files import same_path
from musicsage.text import elided

WAL_LOCK_BYTES = range(120, 123)
LOCKS_FILE = "/proc/locks"
"""Where the kernel lists the locks held (tests read a copy with other devices)."""

Lock = tuple[int, tuple[int, int, int], int, int]
"""(pid, (major, minor, inode), start, end) of a granted write lock."""


def _file_id(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def _parse(line: str) -> Lock | None:
    """The :data:`Lock` of a granted WRITE lock line, else None."""
    parts = line.split()
    if len(parts) < 8 or parts[1] == "->" or parts[3] != "WRITE":
        return None
    try:
        major, minor, inode = parts[5].split(":")
        end = parts[7]
        return (int(parts[4]), (int(major, 16), int(minor, 16), int(inode)), int(parts[6]),
                int(end) if end != "EOF" else 1 << 63)
    except ValueError:
        return None


def _write_locks(locks_file: str) -> list[Lock]:
    """The granted write locks the kernel lists (none where it lists none)."""
    try:
        with open(locks_file, encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return []
    return [found for line in text.splitlines() if (found := _parse(line)) is not None]


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has the file at ``path`` open (False when it cannot be told)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    # (a descriptor closed meanwhile, or no file, is no match)
    return any(same_path(f"/proc/{pid}/fd/{fd}", path) for fd in fds)


def _on_file(lock: Lock, file_id: tuple[int, int, int] | None, path: Path) -> bool:
    """Whether ``lock`` is on the file at ``path`` (``file_id``: its stat's): the same device
    and inode, or the same inode held by a process that has the file open (btrfs)."""
    pid, lock_id = lock[0], lock[1]
    if file_id is None or pid <= 0:
        return False
    return lock_id == file_id or (lock_id[2] == file_id[2] and has_open(pid, path))


def write_lock_holders(db_path: str | os.PathLike[str], *,
                       locks_file: str = LOCKS_FILE) -> list[int]:
    """Pids (other than this one) holding the write lock of the database at ``db_path``."""
    db = Path(db_path)
    shm_path = Path(f"{db}-shm")
    shm, main = _file_id(shm_path), _file_id(db)
    pids = []
    for lock in _write_locks(locks_file):
        pid, _file, start, end = lock
        on_wal_lock = (any(start <= b <= end for b in WAL_LOCK_BYTES)
                       and _on_file(lock, shm, shm_path))
        if (on_wal_lock or _on_file(lock, main, db)) and pid not in pids and pid != os.getpid():
            pids.append(pid)
    return pids


def lock_holder(path: str | os.PathLike[str], *, locks_file: str = LOCKS_FILE) -> int | None:
    """The pid the kernel says holds the write lock (a window's ``flock``) of the file at
    ``path``; None when it names none. The pid a window wrote in its lock may be another's
    (another machine's, another pid namespace's, an earlier window's)."""
    file_id = _file_id(Path(path))
    return next((lock[0] for lock in _write_locks(locks_file)
                 if _on_file(lock, file_id, Path(path))), None)


def process_stopped(pid: int) -> bool:
    """Whether the process ``pid`` is stopped (Ctrl-Z, SIGSTOP): its window cannot answer
    until ``kill -CONT`` resumes it (one a debugger holds, 't', is not). False when unknown."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat_line.rpartition(")")[2].split()[:1] == ["T"]


PATH_STARTS = ("/", "./", "../", "~/")


def command_line(args: list[str], limit: int = 100) -> str:
    """``python3 -m musicsage scan Music``: arguments that are paths shortened to their last
    part, so that what runs stays readable; any other argument kept whole (a ``python -c``
    program holding a path was cut to its tail), every run of whitespace one space, the
    whole cut to ``limit`` characters: one line, bounded."""
    shown = (os.path.basename(a.rstrip("/")) or a if a.startswith(PATH_STARTS) else a
             for a in args)
    return elided(" ".join(" ".join(shown).split()), limit)


def describe_process(pid: int, *, limit: int = 100) -> str:
    """``process 123: python3 -m musicsage scan Music`` (see :func:`command_line`)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"process {pid}"
    cmd = command_line([a.decode("utf-8", "replace") for a in raw.split(b"\0") if a], limit)
    return f"process {pid}: {cmd}" if cmd else f"process {pid}"


def is_locked_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a lock another connection holds ("database is
    locked", "... busy"): a wait or a retry can end it, where any other error says what is
    wrong with the file."""
    return "locked" in str(exc) or "busy" in str(exc)


def locked_message(db_path: str | os.PathLike[str], waited_s: float) -> str:
    """The one line for a write that waited ``waited_s`` seconds for the lock in vain: a
    holder that is stopped (Ctrl-Z in its terminal) never finishes until it is resumed, so
    "try again once it has finished" sent the user waiting; the line says how to resume it."""
    holders = write_lock_holders(db_path)
    if stopped := next((p for p in holders if process_stopped(p)), None):
        return (f"the library database is locked: {describe_process(stopped)} is stopped "
                f"while writing to it (Ctrl-Z in its terminal?): resume it there with `fg`, "
                f"or with `kill -CONT {stopped}`, then try again")
    who = ("; ".join(describe_process(p) for p in holders[:3]) if holders
           else "another program")
    return (f"the library database is locked: {who} has been writing to it for more than "
            f"{waited_s:.0f} s; try again once it has finished")
