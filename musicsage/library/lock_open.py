"""Open a library's lock file, saying in one line whether the folder or the file itself is
what cannot be opened.

A lock file is made once and kept (:mod:`musicsage.library.lock`). One made by another user
(a ``sudo musicsage scan`` once: root's, mode 0644) or whose permissions changed since (a
``chmod -R`` of the library, a copy from a NAS under another uid) cannot be opened for
writing, in a folder that can be written. Every command that takes it then said "cannot change
the library: its folder … is not writable" — a folder the user could write, checked, in vain,
while the file at fault went unnamed. That file holds no data (only the pid of its last
holder), so the line says which file it is and that it may be fixed or removed.
"""

from __future__ import annotations

import errno
import os

from musicsage.errors import MusicsageError

OPEN_LOCK = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
"""How a lock file is opened: made if need be, not inherited by a child process."""

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
    fault where it is there and its folder can be written, else ``unwritable`` (the caller's
    words for a folder that cannot be written) with the system's reason."""
    reason = exc.strerror or str(exc)
    folder = os.path.dirname(path) or "."
    if not os.path.lexists(path) or not os.access(folder, os.W_OK):
        return f"{unwritable} ({reason})"
    if exc.errno in _REFUSED:
        return (f"cannot open the lock file {path} ({reason}): another user made it, or its "
                f"permissions changed; make it yours and writable (chown, chmod 644) or remove "
                f"it (it holds no data), then try again")
    return f"cannot open the lock file {path} ({reason}); remove it, then try again"
