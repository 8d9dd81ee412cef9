"""Why a track's path is no file to play, in the one line the player shows: a folder or a named
pipe in its place ("not a file"), a link to something gone ("file not found … (a link to
TARGET, which is gone)"), a loop of links ("not a file … (it leads round a loop of links)"),
nothing there ("file not found"). Asked before a decoder opens it: a folder named x.flac said
"not found", and a pipe made the open wait for a writer for ever. A file in a folder the user
cannot open names that folder (:func:`is_a_file`): Python's own "[Errno 13] Permission
denied: '…'" stood in the player."""

from __future__ import annotations

import errno
import os
import stat

from musicsage.errors import MusicsageError
from musicsage.library.paths import shown


def not_a_file(path: str) -> MusicsageError:
    """The error for ``path``, which is not a regular file (``Path.is_file`` said no)."""
    what = "not a file" if os.path.lexists(path) else "file not found"
    if _leads_round_a_loop(path):  # a loop said "file not found (a link to itself, …gone)"
        return MusicsageError(f"not a file: {shown(path)} (it leads round a loop of links)")
    target = os.path.realpath(path)
    if os.path.islink(path) and not os.path.lexists(target):  # "not a file" misled: gone
        return MusicsageError(f"file not found: {shown(path)} (a link to "
                              f"{shown(target)}, which is gone)")
    if os.path.isfile(target) and _past_the_link_limit(path):  # a file the system won't reach
        return MusicsageError(f"not a file: {shown(path)} (it goes through more links than "
                              "the system follows, 40)")
    return MusicsageError(f"{what}: {shown(path)}")


_NO_SUCH_FILE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
"""The errors ``Path.is_file`` answers False for: every other one it raised (EIO, ENOTCONN of
an sshfs mount gone, ESTALE), and the player said so in the system's words."""


def is_a_file(path: str) -> bool:
    """Whether ``path`` is a regular file (``Path.is_file``'s answer), or a
    :class:`MusicsageError` naming the folder the system refuses to open on the way to it
    (``Path.is_file`` raised the bare ``PermissionError``, which the player showed as it was)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except ValueError:  # a NUL in the name: no such file, as Path.is_file says
        return False
    except OSError as exc:
        if exc.errno in _NO_SUCH_FILE:
            return False  # gone, a loop…: not_a_file says which
        if exc.errno not in (errno.EACCES, errno.EPERM):
            raise  # a drive's I/O error, a share gone away: its own true line, not "not found"
        folder = locked_folder(path)
        raise MusicsageError(f"cannot play {shown(os.path.basename(path))}: permission denied "
                             f"(the folder {shown(folder)} cannot be opened; give your user "
                             "access to it, or move the music out of it)") from exc


def locked_folder(path: str) -> str:
    """The folder on the way to ``path`` that the system will not look into: the parent of
    the first name along the (link-resolved) path whose ``stat`` is refused."""
    real = os.path.realpath(path)  # a link into a locked folder: that folder, not the link's
    ancestors = [real]
    while os.path.dirname(ancestors[-1]) != ancestors[-1]:
        ancestors.append(os.path.dirname(ancestors[-1]))
    for name in reversed(ancestors[:-1]):  # from the top down, the root itself left out
        try:
            os.stat(name)
        except PermissionError:
            return os.path.dirname(name)
        except OSError:
            break
    return os.path.dirname(real)


def _past_the_link_limit(path: str) -> bool:
    """Whether the kernel gives up on ``path`` after 40 links (ELOOP) though no loop lies on
    the way: a chain of 41 links to a file read as a bare "not a file"."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _leads_round_a_loop(path: str) -> bool:
    """Whether a loop of links lies on the way to ``path``'s file (ELOOP). Not told by a plain
    ``realpath``, which stops inside a loop: a link through a folder link to itself
    (``song.wav -> loopdir/song.wav``, ``loopdir -> loopdir``) ends on a name that is no link,
    and was said "which is gone". Nor by the kernel's ``stat``, whose ELOOP also ends any chain
    of more than 40 links, loop or not: ``realpath(strict=True)`` follows each link itself."""
    try:
        os.path.realpath(path, strict=True)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
