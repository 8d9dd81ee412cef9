"""One window per library: a second launch brings the first window forward and exits.

Two windows on one library would each run their own scans, folder watch and trainings on the
same database, and a user who clicks the menu entry again only wants the window back. So the
window of a library (its data dir) holds two things for its lifetime, both in the per-user
runtime dir (``$XDG_RUNTIME_DIR``, else a private folder under the temp dir), named after a
hash of the data dir:

- an exclusive ``flock`` on ``musicsage-<key>.lock``: who holds it is the library's window.
  The kernel drops it when the process ends, however it ends (kill -9, a crash), so a dead
  window never blocks a launch;
- a ``QLocalServer`` listening on ``musicsage-<key>.sock``. A second launch, failing to take
  the lock, connects and sends its arguments (one JSON line); the window comes forward (and
  selects ``--select QUERY`` if given) and answers with its pid. The socket file of a crashed
  window stays behind; the next holder of the lock removes it before listening — only the
  lock holder ever does, so a live window's socket is never taken away.

Where the runtime dir cannot be written the window opens without this protection (logged).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no single-instance check
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 15.0
"""How long a second launch waits for the first window to answer (it may still be starting)."""


def runtime_dir() -> Path:
    """A folder only this user can write: ``$XDG_RUNTIME_DIR``, else ``/tmp/musicsage-<uid>``
    (made 0700, and refused if someone else owns it or it is a symlink)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isdir(base) and os.access(base, os.W_OK):
        return Path(base)
    d = Path(tempfile.gettempdir()) / f"musicsage-{os.getuid()}"
    try:
        d.mkdir(mode=0o700)
    except FileExistsError:
        pass
    st = os.lstat(d)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise OSError(f"{d} is not a private folder of this user")
    return d


@dataclass(frozen=True)
class InstancePaths:
    lock: Path
    socket: Path


def instance_paths(data_dir: str | os.PathLike[str]) -> InstancePaths:
    """The lock and socket of the window of the library at ``data_dir``."""
    key = hashlib.sha256(os.fsencode(os.path.realpath(data_dir))).hexdigest()[:16]
    d = runtime_dir()
    return InstancePaths(d / f"musicsage-{key}.lock", d / f"musicsage-{key}.sock")


class SingleInstance(QObject):
    """The claim of one window on its library; :attr:`activated` fires with the arguments of
    every later launch on the same library."""

    activated = Signal(list)

    def __init__(self, data_dir: str | os.PathLike[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.paths: InstancePaths | None = None
        self.server: QLocalServer | None = None
        self._fd: int | None = None

    def claim(self) -> bool:
        """True if this process is now the library's window (or no check is possible here);
        False if another window holds the library: ask it with :func:`bring_forward`."""
        if fcntl is None:
            return True
        try:
            self.paths = instance_paths(self.data_dir)
            fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                         0o600)
        except OSError as exc:
            log.warning("opening without the one-window check: %s", exc)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._listen()
        return True

    def _listen(self) -> None:
        name = str(self.paths.socket)
        QLocalServer.removeServer(name)  # left by a window that crashed: we hold the lock now
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        if not self.server.listen(name):
            log.warning("a second launch cannot reach this window: %s", self.server.errorString())

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: QLocalSocket) -> None:
        if not conn.canReadLine():
            return
        try:
            argv = json.loads(bytes(conn.readLine().data()).decode("utf-8")).get("argv", [])
        except (ValueError, AttributeError):
            argv = []
        conn.write(json.dumps({"pid": os.getpid()}).encode("utf-8") + b"\n")
        conn.flush()
        conn.disconnectFromServer()
        self.activated.emit([str(a) for a in argv] if isinstance(argv, list) else [])

    def release(self) -> None:
        """Stop listening and give the library up (the window is closing)."""
        if self.server is not None:
            self.server.close()
            self.server = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def holder_pid(paths: InstancePaths) -> int | None:
    """The pid the window holding the lock wrote into it (None if unknown)."""
    try:
        text = paths.lock.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def bring_forward(data_dir: str | os.PathLike[str], argv: list[str], *,
                  timeout_s: float = ANSWER_TIMEOUT_S) -> int | None:
    """Ask the window of the library at ``data_dir`` to come forward (with ``argv``); the
    pid it answered with, or None if it did not answer within ``timeout_s``."""
    name = str(instance_paths(data_dir).socket)
    message = json.dumps({"argv": list(argv)}).encode("utf-8") + b"\n"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sock = QLocalSocket()
        sock.connectToServer(name)
        if sock.waitForConnected(1000):
            sock.write(message)
            sock.flush()
            wait_ms = max(100, int((deadline - time.monotonic()) * 1000))
            if sock.waitForReadyRead(wait_ms) and sock.canReadLine():
                try:
                    return int(json.loads(bytes(sock.readLine().data()).decode())["pid"])
                except (ValueError, KeyError, TypeError):
                    return None
            sock.abort()
        time.sleep(0.2)
    return None
