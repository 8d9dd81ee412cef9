"""What the embed job (:mod:`musicsage.audio.embed_job`) asks of a track's file on disk:
whether a failed track's file is gone, which file a path holds (to tell the file decoded from
one a scan found meanwhile), and the short name its progress shows."""

from __future__ import annotations

import os

from musicsage.library.paths import display, to_fs

FileIdentity = tuple[int, int, int]
"""A file's size, modification time (ns) and inode, as one ``stat`` finds them."""


def file_gone(path: str) -> bool:
    """Whether a failed track's file is gone (deleted, or moved with its folder): only when
    its path names nothing. ``os.path.exists`` is False for a path it cannot stat too (a
    folder whose permissions changed, a NAS under another uid, a link loop), whose failure
    was then said "gone since the last scan (deleted or moved)" beside "Permission denied"."""
    try:
        os.stat(to_fs(path))
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):  # there, but not to be read: not gone
        return False
    return False


def file_identity(path: str) -> FileIdentity | None:
    """The file at ``path`` now, by one fresh ``stat``: its size, modification time and
    inode; None when it cannot be looked at.

    Two of them equal, one taken before decoding and one at commit, say the file decoded is
    still the one there: a file rewritten or replaced meanwhile (a re-rip, a tagger's save
    through a new file) differs in one of the three. None says nothing of which file it was:
    it matches no other (the caller's check), not even another None."""
    try:
        st = os.stat(to_fs(path))
    except (OSError, ValueError):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def short_name(path: str) -> str:
    """The file's name as a progress line shows it: its base name, at most 60 characters,
    which one line of progress has room for beside its counts."""
    return os.path.basename(display(path))[:60]
