"""One window per library: a second launch brings the first window forward and exits.

Two windows on one library would each run their own scans, folder watch and trainings on the
same database, and a user who clicks the menu entry again only wants the window back. So the
window of a library (its data dir) holds two things for as long as it shows that library:

- an exclusive ``flock`` on ``library.sqlite3.window-lock`` in the data dir, next to the
  library's other locks: who holds it is the library's window, whatever runtime dir each
  launch has (ssh, su, sudo, none at all). The kernel drops it when the process ends, however
  it ends (kill -9, a crash), so a dead window never blocks a launch. A library whose folder
  cannot be written, or whose lock fails otherwise (EBADF: a read-only NFS library's lock
  opened read-only; EINVAL), uses a lock in the runtime dir instead. One that cannot lock (NFS
  without lockd: ENOLCK) is refused in one line: there SQLite's busy waits hung the load;
- a ``QLocalServer`` listening on ``musicsage-<key>.sock`` in the per-user runtime dir
  (``$XDG_RUNTIME_DIR``, else a private folder under the temp dir; under ``/tmp`` where that
  path is too long to bind: :mod:`~musicsage.gui.instance_socket`), named after a hash of the
  data dir. A second launch, failing to take the lock, connects and sends its arguments (one
  JSON line); the window comes forward (and selects ``--select QUERY`` if given) and answers
  with its pid and the library it shows. The socket file of a crashed window stays behind;
  the next holder of the lock removes it before listening — only the lock holder ever does,
  so a live window's socket is never taken away. A launch that finds the lock held but no
  socket, or only one a crashed window left (nobody listens: such a launch was left waiting
  15 s, then told "try again"), is in another session: it says so and exits 1. One whose
  window has not answered after :data:`WAITING_WORD_S` says that it waits (it was silent for
  15 s); one whose window is stopped (Ctrl-Z in its terminal: the lock's holder, as the
  kernel names it, :func:`~musicsage.library.db_locks.lock_holder`) says at once how to
  resume it.

The lock follows the library shown (:class:`LibraryClaims`): opening the demo claims the
demo's (refused, in one line, while another window has it), and a launch on the library the
window was started on switches the window back to it.

Where neither can be written the window opens without this protection (logged).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from musicsage.context import library_key
from musicsage.errors import MusicsageError
from musicsage.gui.instance_socket import (answer_within, listens, nobody_listens, runtime_dir,
                                           socket_path)
from musicsage.library.db_locks import lock_holder, process_stopped
from musicsage.library.db_problems import CANNOT_LOCK_ADVICE, cannot_lock_what
from musicsage.text import printable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no single-instance check
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 15.0
"""How long a second launch waits for the first window to answer (it may still be starting)."""
WAITING_WORD_S = 2.0
"""How long a second launch waits for the window's answer before it says that it waits (a
window stopped with Ctrl-Z, or busy, kept it silent for the whole :data:`ANSWER_TIMEOUT_S`)."""
SOCKET_GRACE_S = 2.0
"""How long a second launch waits for the socket file to appear (the lock is taken just
before it): none by then, or none that a window listens on, the window is in another
session, with another runtime dir."""
LOCK_NAME = "library.sqlite3.window-lock"
"""In the data dir, next to the library's other locks (never deleted)."""


@dataclass(frozen=True)
class InstancePaths:
    lock: Path
    """In the data dir: every session of the user sees the same one."""
    socket: Path | None
    """In the runtime dir, or under /tmp where that is too long (None: none to write in)."""
    fallback_lock: Path | None = None
    """In the runtime dir, for a data dir that cannot be written (a read-only library)."""


def instance_paths(data_dir: str | os.PathLike[str]) -> InstancePaths:
    """The lock and socket of the window of the library at ``data_dir``."""
    key = library_key(data_dir)
    try:
        d: Path | None = runtime_dir()
    except OSError as exc:
        log.warning("a second launch cannot reach this window: %s", exc)
        d = None
    return InstancePaths(Path(data_dir) / LOCK_NAME,  # (a short socket path: instance_socket)
                         d and socket_path(d, f"musicsage-{key}.sock"),
                         d and d / f"musicsage-{key}.lock")


def _lock_files(paths: InstancePaths) -> list[tuple[Path, int]]:
    """Where the window's lock may be, best first, with how each is opened: the data dir's
    (made if need be, else only read), then the runtime dir's."""
    tries = [(paths.lock, os.O_RDWR | os.O_CREAT), (paths.lock, os.O_RDONLY)]
    if paths.fallback_lock is not None:
        tries.append((paths.fallback_lock, os.O_RDWR | os.O_CREAT))
    return tries


def _open_lock(tries: list[tuple[Path, int]]) -> tuple[int, bool, Path] | None:
    """The first of ``tries`` that opens: its fd, whether the pid can be written into it, its
    path; None when none opens (nor locks: those that did not were taken out of ``tries``)."""
    problem: OSError | None = None
    for path, mode in tries:
        try:
            fd = os.open(path, mode | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            return fd, mode != os.O_RDONLY, path
        except OSError as exc:
            problem = problem or exc
    log.warning("opening without the one-window check: %s",
                problem or "no lock file here can be locked")
    return None


class CannotLock(MusicsageError):
    """The library's filesystem cannot lock files: no window may open on it. Its text, for
    the terminal, follows "the"; :attr:`what` is the part the window says too."""

    def __init__(self, data_dir: Path) -> None:
        self.what = cannot_lock_what(data_dir)  # every command's words too
        super().__init__(f"{self.what}: {CANNOT_LOCK_ADVICE}")


def _write_pid(fd: int) -> None:
    """Write this process's id into the held lock, for a second launch's line. Only said
    there: on a full disk (or over a quota) the write failed and the window did not open, a
    traceback in its place; the lock is held all the same, the line then names no process."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
    except OSError as exc:
        log.warning("the one-window lock names no process: %s", exc)


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
        self.refused_by: Path | None = None
        """The lock file another window holds, once :meth:`claim` was refused."""
        self.shows: Callable[[], object] | None = None
        """The library the window shows, for the answer to a second launch."""

    def claim(self) -> bool:
        """True if this process is now the library's window (or no check is possible here);
        False if another window holds the library: ask it with :func:`bring_forward`.
        :class:`CannotLock` where its filesystem cannot lock files (ENOLCK)."""
        if fcntl is None:
            return True
        self.paths = instance_paths(self.data_dir)
        tries = _lock_files(self.paths)
        while (opened := _open_lock(tries)) is not None:
            fd, writable, path = opened
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                os.close(fd)
                if isinstance(exc, BlockingIOError):
                    self.refused_by = path
                    return False
                self._cannot_lock(path, exc)
                tries = [(p, mode) for p, mode in tries if p != path]  # the next one
        else:
            return True
        self._fd = fd
        if writable:
            _write_pid(fd)
        if self.paths.socket is not None:
            self._listen()
        return True

    def _cannot_lock(self, path: Path, exc: OSError) -> None:
        """:class:`CannotLock` for a data dir that cannot lock (ENOLCK: SQLite's locks fail
        there too, taken for a busy library, in waits Ctrl-C did not end); any other failure
        (EBADF: a read-only lock on NFS, where SQLite's read locks work) is information."""
        if exc.errno == errno.ENOLCK and path == self.paths.lock:
            raise CannotLock(self.data_dir) from None
        log.info("%s cannot be locked (%s): the lock is tried elsewhere", path, exc.strerror)

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
        # first come forward (a launch on the window's own library switches it back there),
        # then answer with what the window shows, which the launch's line says
        self.activated.emit([str(a) for a in argv] if isinstance(argv, list) else [])
        answer = {"pid": os.getpid(), "shows": str(self.shows()) if self.shows else ""}
        conn.write(json.dumps(answer).encode("utf-8") + b"\n")
        conn.flush()
        conn.disconnectFromServer()

    def holder(self, kernels: int | None) -> int | None:
        """The refusing window's pid: ``kernels`` (:func:`lock_holder`'s), else the lock's."""
        return kernels or (holder_pid(self.paths) if self.paths else None)

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
    for lock in (paths.lock, paths.fallback_lock):
        try:
            text = lock.read_text(encoding="ascii", errors="replace").strip() if lock else ""
        except OSError:
            continue
        if text.isdigit():
            return int(text)
    return None


def open_elsewhere(data_dir: str | os.PathLike[str], holder: int | None,
                   where: str = "window") -> str:
    """"library … is already open in another window (process N)": the one wording of the
    window's refusal to switch to a library and of a second launch's line, after "the"."""
    return (f"library {printable(data_dir)} is already open in another {where}"
            + (f" (process {holder})" if holder else ""))


@dataclass(frozen=True)
class Answer:
    """What the window of a library answered a second launch."""

    pid: int
    shows: str
    """The library it shows now ("": not said, by an older version)."""


def bring_forward(data_dir: str | os.PathLike[str], argv: list[str], *,
                  timeout_s: float | None = None,
                  waiting: Callable[[], None] | None = None) -> Answer | None:
    """Ask the window of the library at ``data_dir`` to come forward (with ``argv``); its
    answer, or None if it did not answer within ``timeout_s`` (:data:`ANSWER_TIMEOUT_S`) —
    or, at once, when it has no socket here after :data:`SOCKET_GRACE_S` (another session's).
    ``waiting()``, called once no answer came in :data:`WAITING_WORD_S`, says why it waits."""
    socket = instance_paths(data_dir).socket
    if socket is None:
        return None
    timeout_s = ANSWER_TIMEOUT_S if timeout_s is None else timeout_s
    message = json.dumps({"argv": list(argv)}).encode("utf-8") + b"\n"
    start = time.monotonic()
    deadline, word_at = start + timeout_s, start + WAITING_WORD_S
    told = waiting is None
    while time.monotonic() < deadline:
        sock = QLocalSocket()
        sock.connectToServer(str(socket))
        if sock.waitForConnected(1000):
            sock.write(message)
            sock.flush()
            if not told and not answer_within(sock, min(deadline, word_at)):
                told = _tell(waiting, word_at)  # before the wait, the long part
            if answer_within(sock, deadline):
                return _read_answer(sock)
            sock.abort()
        elif nobody_listens(sock):  # no socket file, or one a crashed window left
            if time.monotonic() > start + SOCKET_GRACE_S:
                return None  # the window is in another session: nothing to wait for
            time.sleep(0.2)
            continue
        if not told:  # it hung up, or is too busy to take the connection
            told = _tell(waiting, word_at)
        time.sleep(0.2)
    return None


def _tell(waiting: Callable[[], None], word_at: float) -> bool:
    """Say that the launch waits (``waiting``), once it is ``word_at``; whether it was said."""
    if time.monotonic() < word_at:
        return False
    waiting()
    return True


def _read_answer(sock: QLocalSocket) -> Answer | None:
    """The window's answer line on ``sock`` (None: not one this version reads)."""
    try:
        answer = json.loads(bytes(sock.readLine().data()).decode())
        return Answer(int(answer["pid"]), str(answer.get("shows") or ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class LibraryClaims(QObject):
    """A window's claims, following the library it shows: on the library it was started on,
    for its whole life (music added while the demo is shown goes there, so a launch on it
    means this window, which switches back to it), and on the library shown, taken before
    switching to it (:meth:`claim`) and given up once left. :attr:`activated` fires with the
    arguments of a launch on any of them, once the window shows what that launch asked for."""

    activated = Signal(list)

    def __init__(self, first: SingleInstance) -> None:
        super().__init__()
        self._held: dict[str, SingleInstance] = {}
        self._app = None
        self._keep(first)

    def _keep(self, instance: SingleInstance) -> None:
        self._held[library_key(instance.data_dir)] = instance
        instance.shows = lambda: (self._app.ctx if self._app is not None else instance).data_dir
        instance.activated.connect(lambda argv, d=instance.data_dir: self._asked(d, argv))

    def attach(self, app) -> None:
        """Follow the window's :class:`~musicsage.controllers.app.AppController`: claim
        each library before it is shown, give up those left, hold the window's own."""
        self._app = app
        app.claim_library = self.claim
        app.context_changed.connect(self._switched)
        self.claim(app.home_ctx)  # held by another window: Back to my library says so

    def claim(self, ctx) -> str | None:
        """None when this window may show the library of ``ctx`` (now claimed), else the
        line saying why not: another window has it."""
        if library_key(ctx.data_dir) in self._held:
            return None
        instance = SingleInstance(ctx.data_dir, self)
        try:
            if instance.claim():
                self._keep(instance)
                return None
        except CannotLock as exc:
            return f"The {exc.what}; this window keeps the library it shows"
        held_by = instance.holder(lock_holder(instance.refused_by))
        return f"The {open_elsewhere(ctx.data_dir, held_by)}: switch to that window"

    def _switched(self, ctx) -> None:
        """Another library is shown (claimed first: AppController.set_context asks
        :meth:`claim`): give up the one left (unless it is the window's own)."""
        keep = {library_key(ctx.data_dir), library_key(self._app.home_ctx.data_dir)}
        for key in [k for k in self._held if k not in keep]:
            self._held.pop(key).release()

    def _asked(self, data_dir: Path, argv: list) -> None:
        """A launch on ``data_dir``: the window may show its own library again first
        (:meth:`~musicsage.controllers.demo.DemoController.launched_on`)."""
        if self._app is not None:
            self._app.demo.launched_on(data_dir)
        self.activated.emit(argv)

    def release(self) -> None:
        """Give every library up (the window is closing)."""
        while self._held:
            self._held.popitem()[1].release()


def _say_waiting(data_dir: Path, holder: int | None) -> None:
    """Why a second launch waits, and how long in all (as its next line says: "… in 15 s")."""
    print(f"musicsage: the library {printable(data_dir)} is already open"
          + (f" (process {holder})" if holder else "")
          + f"; waiting up to {ANSWER_TIMEOUT_S:.0f} s in all for its window to answer…",
          file=sys.stderr, flush=True)


def claim_library(data_dir: Path, argv: list[str], *,
                  on_screen: bool | None = None) -> LibraryClaims | int:
    """This process's claims, starting with the library at ``data_dir``; or the exit code
    when another window holds it: that window was asked to come forward (0), or did not
    answer (1: its line says whether it is in another session), or it cannot lock (1).
    ``on_screen``: whether a refusal shows its box too (False for a scripted run)."""
    from functools import partial

    from musicsage.gui.opening_page import say_cannot_start as say_any

    say_cannot_start = partial(say_any, on_screen=on_screen)  # a box, where stderr goes unseen
    instance = SingleInstance(data_dir)
    try:
        if instance.claim():
            return LibraryClaims(instance)
    except CannotLock as exc:
        say_cannot_start(f"musicsage: the {exc}")
        return 1
    holder = instance.holder(kernels := lock_holder(instance.refused_by))  # (/proc/locks once)
    if kernels and process_stopped(kernels):  # the lock's holder cannot answer: no wait
        say_cannot_start(f"musicsage: the {open_elsewhere(data_dir, holder)}, which is stopped "
                         f"(Ctrl-Z in its terminal?): resume it there with `fg`, or with "
                         f"`kill -CONT {holder}`")
        return 1
    told: list[bool] = []  # the waiting line was said
    answer = bring_forward(data_dir, argv, waiting=lambda: (
        told.append(True), _say_waiting(data_dir, holder)))
    if answer is not None:
        other = answer.shows and library_key(answer.shows) != library_key(data_dir)
        print(f"musicsage: the library {printable(data_dir)} is already open (process "
              f"{answer.pid})" + (f", its window showing {printable(answer.shows)} (File ▸ "
                                  "Back to my library shows yours)" if other else "")
              + "; brought its window to the front")
        return 0
    if instance.paths.socket is None or not listens(instance.paths.socket):
        say_cannot_start(f"musicsage: the {open_elsewhere(data_dir, holder, 'session')}; close "
                         "it first")
        return 1
    alone = f"musicsage: the {open_elsewhere(data_dir, holder)}, which does not answer"
    after_waiting = f"musicsage: its window did not answer in {ANSWER_TIMEOUT_S:.0f} s"
    say_cannot_start(f"{after_waiting if told else alone}; close it or try again",
                     boxed=f"{alone}; close it or try again")  # the waiting line is not in it
    return 1
