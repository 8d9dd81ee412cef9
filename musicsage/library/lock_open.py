"""Open a library's lock file, saying in one line whether the folder or the file itself is
what cannot be opened.

A lock file is made once and kept (:mod:`musicsage.library.lock`). One made by another user
(a ``sudo musicsage scan`` once: root's, mode 0644) or whose permissions changed since (a
``chmod -R`` of the library, a copy from a NAS under another uid) cannot be opened for
writing, in a folder that can be written. Every command that takes it then said "cannot change
the library: its folder … is not writable" — a folder the user could write, checked, in vain,
while the file at fault went unnamed. That file holds no data (only the pid of its last
holder), so the line says which file it is and how to make it the user's (``sudo chown``) —
in a folder a group shares, how to let the group write it (``chmod ug+rw``: a ``chown`` took it
from the others) — or, while no other musicsage runs, remove it; while another user's run
holds it, that run.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat

try:
    import pwd
except ImportError:  # pragma: no cover - Windows
    pwd = None  # type: ignore[assignment]

from musicsage.errors import MusicsageError
from musicsage.library.db_locks import lock_holder

OPEN_LOCK = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
"""How a lock file is opened: made if need be, not inherited by a child process, never
through a symbolic link — the holder writes its pid over the file's text, and a link at a
lock file's name (another member's, in a folder a group shares) had the run replace the
text of whatever file it points to."""

_REFUSED = (errno.EACCES, errno.EPERM)


def open_lock_file(path: str, unwritable: str) -> int:
    """The descriptor of the lock file at ``path``, opened (made) for reading and writing.
    A folder that cannot be written: :class:`MusicsageError` ``unwritable`` with the system's
    reason; a file there that cannot be opened: a line naming that file (:func:`cannot_open`)."""
    try:
        return os.open(path, OPEN_LOCK, 0o644)
    except OSError as exc:
        raise MusicsageError(cannot_open(path, exc, unwritable)) from None


def cannot_open(path: str, exc: OSError, unwritable: str) -> str:
    """Why the lock file at ``path`` did not open (``exc``), in one line: the lock file's own
    fault where it is there and its folder can be written (:func:`lock_file_at_fault`), else
    ``unwritable`` (the caller's words for a folder that cannot be written) with the system's
    reason."""
    return lock_file_at_fault(path, exc) or f"{unwritable} ({exc.strerror or exc})"


def lock_file_at_fault(path: str, exc: OSError) -> str | None:
    """The line for a lock file at ``path`` that did not open (``exc``) in a folder that can
    be written, naming the file and, where another user's run holds it now, that run: removed
    under it, a second run would take a new file's lock and both would run at once. None when
    the file is not there or its folder cannot be written (the folder is at fault)."""
    reason = exc.strerror or str(exc)
    folder = os.path.dirname(path) or "."
    if not os.path.lexists(path) or not os.access(folder, os.W_OK):
        return None
    if os.path.islink(path):  # (OPEN_LOCK does not follow it)
        return (f"cannot open the lock file {path}: it is a symbolic link, which a lock file "
                "never is; remove the link (not the file it points to), then try again")
    if exc.errno not in _REFUSED:
        return f"cannot open the lock file {path} ({reason}); remove it, then try again"
    quoted = shlex.quote(path)
    chown = f"sudo chown {_user()} {quoted}"
    shared = _shared_with_group(path, folder)
    group_fix = f"let the group write it (chmod ug+rw {quoted}, as its owner or with sudo)"
    holder = lock_holder(path)
    if holder is not None:
        fix = group_fix if shared else f"make the file yours ({chown})"
        return (f"cannot open the lock file {path} ({reason}): another user's run holds it "
                f"(process {holder}); when it has ended, {fix}, then try again")
    fix = group_fix if shared else f"make it yours and writable ({chown}; chmod 644 {quoted})"
    return (f"cannot open the lock file {path} ({reason}): another user made it, or its "
            f"permissions changed; {fix} or, when no other musicsage runs, remove it (it "
            "holds no data), then try again")


def _shared_with_group(path: str, folder: str) -> bool:
    """Whether the lock file at ``path`` is in a folder its group may write and is of a group
    of this user's: a library shared by a group, where ``chown`` to this user would take the
    file from the others (their next run refused in turn); ``chmod ug+rw`` lets every member
    use it."""
    try:
        file_group, folder_mode = os.stat(path).st_gid, os.stat(folder).st_mode
        groups = {os.getegid(), *os.getgroups()}
    except (OSError, AttributeError):  # gone meanwhile; Windows (no groups)
        return False
    return bool(folder_mode & stat.S_IWGRP) and file_group in groups


def refuse_if_at_fault(path: str | os.PathLike[str], exc: OSError) -> None:
    """Refuse in one line a lock file that did not open in a folder that can be written
    (:func:`lock_file_at_fault`), where a caller passed over it: no lock was taken — while
    another user's run may hold it — and two runs went on at once."""
    if problem := lock_file_at_fault(os.fspath(path), exc):
        raise MusicsageError(problem) from None


def _user() -> str:
    """This user's name, for the ``chown`` the line suggests (the uid where it has none)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, AttributeError):  # no passwd entry (a container's uid); Windows
        return str(os.getuid()) if hasattr(os, "getuid") else "$USER"
