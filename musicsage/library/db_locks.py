"""Who holds the library database's write lock, for the message of a command that gave up.

SQLite waits ``busy_timeout`` for another writer and then fails with "database is locked",
which says neither who nor what to do. On Linux the kernel lists every POSIX lock in
``/proc/locks`` with the pid that holds it; in WAL mode (the library's) the writer holds an
exclusive lock on byte 120 of the ``-shm`` file (SQLite's WAL_WRITE_LOCK; 121-122 are the
checkpoint and recovery locks), in rollback mode a write lock on the database file itself.
Elsewhere (no ``/proc/locks``) the message just says another program holds it.
"""

from __future__ import annotations

import os
from pathlib import Path

from musicsage.text import elided

WAL_LOCK_BYTES = range(120, 123)


def _file_id(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def _parse(line: str) -> tuple[int, tuple[int, int, int], int, int] | None:
    """(pid, (major, minor, inode), start, end) of a granted WRITE lock line, else None."""
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


def write_lock_holders(db_path: str | os.PathLike[str], *,
                       locks_file: str = "/proc/locks") -> list[int]:
    """Pids (other than this one) holding the write lock of the database at ``db_path``."""
    db = Path(db_path)
    shm, main = _file_id(Path(f"{db}-shm")), _file_id(db)
    try:
        with open(locks_file, encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return []
    pids = []
    for line in text.splitlines():
        found = _parse(line)
        if found is None:
            continue
        pid, file_id, start, end = found
        on_wal_lock = file_id == shm and any(start <= b <= end for b in WAL_LOCK_BYTES)
        if (on_wal_lock or file_id == main) and pid not in pids and pid != os.getpid() and pid > 0:
            pids.append(pid)
    return pids


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
    """The one line for a write that waited ``waited_s`` seconds for the lock in vain."""
    holders = write_lock_holders(db_path)
    who = ("; ".join(describe_process(p) for p in holders[:3]) if holders
           else "another program")
    return (f"the library database is locked: {who} has been writing to it for more than "
            f"{waited_s:.0f} s; try again once it has finished")
