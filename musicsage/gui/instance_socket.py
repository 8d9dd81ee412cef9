"""Where a window's one-window socket goes: the per-user runtime dir, or a short private folder
under ``/tmp`` when the socket's path there is too long for the kernel to bind.

A Unix socket's path is at most 107 bytes (``sockaddr_un``), and QLocalServer, making it
private to the user, binds 106 at most. Under a long ``$XDG_RUNTIME_DIR`` or ``$TMPDIR`` (a
container's, a sandbox's, one under a deep home folder) the window listened on nothing
("QLocalServer::listen: Name error" in its log), and a second launch on the same library,
finding no socket file, said the library was "already open in another session; close it
first" — in the same session, the window not brought forward. Both launches pick the path
by the same rule, so they still meet.

Unlike the runtime dir, ``/tmp`` is cleaned while the session runs: systemd-tmpfiles removes
what has not been touched for 10 days (its default), a socket a long-open window listens on
included. A second launch then finds no socket file and says the library is open in another
session, as before; restarting the window makes the socket again. No better place is short
enough to bind.

A socket file there with nobody listening (a window killed or crashed leaves it; only the next
holder of the lock removes it) is no window of this session: :func:`nobody_listens`. A launch
reads the window's answer with :func:`answer_within`, in short waits that Ctrl-C can end.
"""

from __future__ import annotations

import logging
import math
import os
import stat
import tempfile
import time
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)

SOCKET_PATH_MAX = 100
"""The longest socket path used, in bytes: under what QLocalServer binds (106), with room."""
SHORT_TEMP = Path("/tmp")
"""Where the short private folder goes when the runtime dir's paths are too long."""


def runtime_dir() -> Path:
    """A folder only this user can write: ``$XDG_RUNTIME_DIR``, else ``/tmp/musicsage-<uid>``
    (made 0700, and refused if someone else owns it or it is a symlink)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isdir(base) and os.access(base, os.W_OK):
        return Path(base)
    return private_dir(Path(tempfile.gettempdir()))


def private_dir(parent: Path) -> Path:
    """``parent/musicsage-<uid>``, made 0700 if need be; OSError if it is not this user's own
    folder (another user's, a symlink, a file)."""
    d = parent / f"musicsage-{os.getuid()}"
    try:
        d.mkdir(mode=0o700)
    except FileExistsError:
        pass
    st = os.lstat(d)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise OSError(f"{d} is not a private folder of this user")
    return d


def fits(path: Path) -> bool:
    """Whether a socket can be bound at ``path`` (its length in bytes, as the kernel counts)."""
    return len(os.fsencode(path)) <= SOCKET_PATH_MAX


def socket_path(runtime: Path, name: str) -> Path | None:
    """Where the socket ``name`` goes: in ``runtime`` when its path is short enough to bind,
    else in this user's private folder under :data:`SHORT_TEMP`; None where neither can."""
    path = runtime / name
    if fits(path):
        return path
    try:
        short = private_dir(SHORT_TEMP) / name
    except OSError as exc:
        log.warning("a second launch cannot reach this window: %s is too long a socket path, "
                    "and %s", path, exc)
        return None
    return short if fits(short) else None


def nobody_listens(sock: QLocalSocket) -> bool:
    """Whether ``sock`` failed to connect as no window listens at its path (no file there,
    or one a crashed window left: refused), not as a busy one keeps it waiting."""
    errors = QLocalSocket.LocalSocketError
    return sock.error() in (errors.ServerNotFoundError, errors.ConnectionRefusedError)


def listens(socket: Path) -> bool:
    """Whether a window listens on ``socket`` (a file a crashed window left: none does)."""
    sock = QLocalSocket()
    sock.connectToServer(str(socket))
    reached = sock.waitForConnected(1000) or not nobody_listens(sock)
    sock.abort()
    return reached


ANSWER_SLICE_MS = 200
"""The longest a launch waits in Qt at a time for the window's answer: a C wait deaf to
Ctrl-C and SIGTERM (Python's handlers run between waits), which ended the launch only when
the whole wait for a silent window (15 s) was over."""


def answer_within(sock: QLocalSocket, until: float) -> bool:
    """Whether a line of answer is there by ``until`` (earlier: it is, or a hang-up), waited
    for in slices of :data:`ANSWER_SLICE_MS`, so that a Ctrl-C stops the launch at once."""
    while not sock.canReadLine():
        wait_ms = math.ceil((until - time.monotonic()) * 1000)
        if wait_ms <= 0 or sock.state() != QLocalSocket.LocalSocketState.ConnectedState:
            return sock.canReadLine()
        sock.waitForReadyRead(min(wait_ms, ANSWER_SLICE_MS))
    return True
