"""One scan, and one embedding run, of a library at a time, across processes (the window and a
terminal, two terminals).

Two scans at once both saw the same new files and both inserted them (``UNIQUE constraint
failed: tracks.path``): SQLite serialises single transactions, not a scan's read-probe-write
cycle, so scans hold an advisory lock on a small file next to the database
(``library.sqlite3.scan-lock``) while they write. A second scan waits (saying so, still
cancellable), then runs as an incremental re-scan of what the first one stored.

``flock`` locks belong to the open file: the kernel drops them when the process dies, even by
SIGKILL. The lock file itself is never deleted (that let a third process lock a new file
while the second holds the old one). Without ``fcntl`` (Windows) nothing is serialised.

Embedding runs (``library.sqlite3.embed-lock``: two at once doubled hours of decoding) and
trainings (``library.sqlite3.training-lock``: the last to finish silently replaced the
other's model) queue the same way; a scan and an embedding run do not wait for each other
(SQLite serialises their short transactions). The graph model's vectors for tracks it never
saw (``usecases/inductive.py``) have their own (``library.sqlite3.graph-vectors-lock``),
which ``forget`` takes too: the older run's view stored last left new tracks without vectors.

A map is laid out under a lock next to it (``map-lock`` in its folder): two ``map`` runs at
once each laid out the whole map (260 s on 28k tracks); the second waits, then takes the map
the first saved. New tracks are placed under the same lock; a graph model's removal takes
it without waiting, refused while it is held (the run holding it saved into the folder
being removed).
"""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterable, Iterator

from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER
from musicsage.library.db_locks import process_stopped
from musicsage.library.db_problems import map_cannot_lock, output_cannot_lock, refused_lock
from musicsage.library.db_readonly import database_path
from musicsage.library.lock_open import OPEN_LOCK as _OPEN_LOCK
from musicsage.library.lock_open import open_lock_file, refuse_if_at_fault
from musicsage.library.lock_waiting import (ACTIVITY, state_words, stopped_words,
                                            waiting_line, written_pid)
from musicsage.library.lock_waiting import holder as _holder
from musicsage.progress import WAIT_WORDS, CancelToken, ProgressFn, check_cancel, report

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.2
MOST_REMAKES = 100
"""How often an output folder that vanished as it was made is made again: another run
that gave up removes its empty folder, but a folder no one can make (under ``/proc``, which
root's permission check lets through) vanishes every time."""


def database_file(conn) -> str | None:
    """The main database file of ``conn`` (None: in memory), as the system names it."""
    return str(p) if (p := database_path(conn)) else None


@contextmanager
def library_lock(conn, kind: str, *, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None, stage: str | None = None) -> Iterator[None]:
    """Hold the library's ``kind`` lock ('scan', 'embed', 'training', 'graph-vectors') for the
    block, waiting for another holder first.

    While waiting, ``progress`` gets one report saying so (stage ``stage``, default ``kind``)
    and ``cancel`` is polled (:class:`~musicsage.errors.Cancelled`). A library folder where the
    lock file cannot be created is not writable, so nothing could be stored: that is a
    :class:`MusicsageError` saying which folder."""
    db = database_file(conn)
    if db is None:
        yield
        return
    with held_lock_file(f"{db}.{kind}-lock", stage=stage or kind,
                        activity=ACTIVITY.get(kind, kind), doing=stage or kind,
                        progress=progress, cancel=cancel,
                        unwritable=f"cannot change the library: its folder "
                                   f"{os.path.dirname(db)} is not writable"):
        yield


@contextmanager
def held_lock_file(path: str, *, stage: str, activity: str, doing: str,
                   progress: ProgressFn | None, cancel: CancelToken | None,
                   unwritable: str, cannot_lock: str | None = None) -> Iterator[int | None]:
    """The flock of the file at ``path`` (created if need be) held for the block, waiting for
    another holder first (:func:`acquire_waiting`); the file records ``"PID doing"`` for the
    message another waiter shows. A file that cannot be created: one line, ``unwritable``
    and the system's reason (one there that cannot be opened: a line naming it,
    :mod:`~musicsage.library.lock_open`); refused by the filesystem (ENOLCK), ``cannot_lock``
    (default: the library's line). Shared by the library's locks and the demo build's
    (:func:`musicsage.demo.guards.build_lock`). Yields the file's descriptor (None: no
    locking here), for a holder to check it still names the file (:func:`map_lock`)."""
    if fcntl is None:  # pragma: no cover - Windows: not serialised
        yield
        return
    fd = open_lock_file(path, unwritable)  # (one it cannot open named: lock_open)
    try:
        acquire_waiting(fd, progress, cancel, stage, activity, cannot_lock)
        with suppress(OSError):  # only for the message another run shows
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {doing}".encode("ascii", "replace"), 0)
        yield fd
    finally:
        os.close(fd)  # releases the lock


MAP_LOCK = "map-lock"
"""The lock file in a map's folder (:func:`map_lock`)."""
Gone = Callable[[], bool]
"""``gone()``: whether the graph model of a map was removed since its vectors were loaded
(:func:`map_lock`); None where no model can go (the audio space)."""


@contextmanager
def map_lock(directories: list[Path], *, progress: ProgressFn | None = None,
             cancel: CancelToken | None = None, gone: Gone | None = None) -> Iterator[None]:
    """Hold the lock of the map kept in ``directories`` for the block, waiting for another
    process laying it out first (said once, cancellable), as a second ``embed`` waits. The
    lock is in the first of them it can be made in, as the map is saved there (a read-only
    library's in the spare folder); with none, no map can be saved to share either.

    The map's graph model removed (``models --remove``): :data:`MAP_REMOVED`, nothing saved,
    when the file held is no longer the one at its name (deleted with its folder while this
    run waited; a run that locked a new file there held "the" lock too), or ``gone()`` says so
    before the folder is made or once the lock is held (a run that loaded the model before its
    removal made its folder again and saved a map of a model that no longer exists)."""
    if gone is not None and gone():
        raise MusicsageError(MAP_REMOVED)
    path, made = _map_lock_path(directories)
    if path is None:
        yield
        return
    with held_lock_file(str(path), stage="map: neighbours", activity=ACTIVITY["map"],
                        doing="map", progress=progress, cancel=cancel,
                        unwritable=f"cannot save the map in {path.parent}",
                        cannot_lock=map_cannot_lock(path.parent)) as fd:
        if _went(fd, path, made, gone):
            raise MusicsageError(MAP_REMOVED)
        yield


MAP_REMOVED = ("this map's graph model was removed before its map was laid out: nothing was "
               "laid out (run it again for the current model)")


def _map_lock_path(directories: list[Path]) -> tuple[Path | None, list[Path]]:
    """Where the map kept in ``directories`` is locked: a lock file in the first of them it
    can be made in (made now), or None; and the folders made for it, innermost first."""
    for directory in directories:
        path = Path(directory) / MAP_LOCK
        made = _missing_folders(Path(directory))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, _OPEN_LOCK, 0o644))
        except OSError as exc:
            refuse_if_at_fault(path, exc)
            continue
        return path, made
    return None, []


def _went(fd: int | None, path: Path, made: list[Path], gone: Gone | None) -> bool:
    """Whether the map's model was removed (:func:`map_lock`), its lock ``fd`` held: the file
    is not the one at ``path`` now, or ``gone()`` — then the lock goes, with its folder (also
    when the removal ended after ``made`` was looked at) and the others ``made``, if empty."""
    if fd is not None and not _same_file(fd, path):
        return True
    if gone is None or not gone():
        return False
    with suppress(OSError):  # a folder holding anything else stays (rmdir refuses it)
        path.unlink(missing_ok=True)
        for folder in dict.fromkeys([path.parent, *made]):
            folder.rmdir()
    return True


@contextmanager
def map_lock_now(directories: list[Path], *, gone: Gone | None = None) -> Iterator[bool]:
    """:func:`map_lock` without waiting: True with the lock held for the block, False when
    another process holds it (a layout is running: nothing is held) or the model is gone (as
    there). For a map placed on a saved one (seconds): not over a layout saved meanwhile."""
    path, made = _map_lock_path(directories)
    if path is None or fcntl is None:
        yield True
        return
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:  # removed with its model's map just now, or a link put there: not used
        yield False
        return
    try:
        took = (_took(fd, fcntl.LOCK_EX, cannot_lock=map_cannot_lock(path.parent))
                and not _went(fd, path, made, gone))
        if took:
            with suppress(OSError):  # only for the message another run shows
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()} map".encode("ascii"), 0)
        yield took
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def idle_map_locks(folders: Iterable[Path]) -> Iterator[str | None]:
    """Take, without waiting, the map lock of each of ``folders`` that is a folder (not a
    link), to delete their maps: yields None with every one held for the block, or — none
    held — who holds one (" (process 598)", or ""): a map is being laid out there, and
    deleting its lock let that run write into a folder being removed."""
    if fcntl is None:  # pragma: no cover - Windows: not serialised
        yield None
        return
    with ExitStack() as held:
        for folder in folders:
            folder = Path(folder)
            if folder.is_symlink() or not folder.is_dir():
                continue
            try:
                fd = os.open(folder / MAP_LOCK, _OPEN_LOCK, 0o644)
            except OSError as exc:
                refuse_if_at_fault(folder / MAP_LOCK, exc)
                continue  # a folder that cannot be written: nothing in it is deleted either
            held.callback(os.close, fd)
            if not _took(fd, fcntl.LOCK_EX, cannot_lock=map_cannot_lock(folder)):
                who = _holder(fd)[0]
                held.close()
                yield who
                return
        yield None


GRAPH_VECTORS = "graph-vectors"
"""The lock kind of the graph model's vectors for tracks it never saw (see the module doc)."""


@contextmanager
def _lock_file(conn, kind: str) -> Iterator[int | None]:
    """The open descriptor of the library's ``kind`` lock file (None: no locking here)."""
    db = database_file(conn)
    if db is None or fcntl is None:
        yield None
        return
    fd = open_lock_file(f"{db}.{kind}-lock", f"cannot change the library: its folder "
                                              f"{os.path.dirname(db)} is not writable")
    try:
        yield fd
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def training_lock(conn) -> Iterator[None]:
    """Held (shared) by a training run for its whole length: trainings do not wait for each
    other, but :func:`no_training_running` can tell that one runs."""
    with _lock_file(conn, "train") as fd:
        if fd is not None:
            _took(fd, fcntl.LOCK_SH, wait=True)  # waits only while a model is being switched
            with suppress(OSError):  # the pid is only for the message
                os.pwrite(fd, str(os.getpid()).encode("ascii").ljust(12), 0)
        yield


@contextmanager
def no_training_running(conn, doing: str) -> Iterator[None]:
    """Hold the block while no training of the library runs (none can start meanwhile);
    refuse with a one-line :class:`MusicsageError` if one does — it makes its own model
    current when it ends, which would silently undo ``doing``."""
    with _lock_file(conn, "train") as fd:
        if fd is not None:
            _exclude_trainings(fd, doing)
        yield


#: how long a switch waits for another one (a switch holds the lock for a moment)
SWITCH_WAIT_SECONDS = 30.0


def _exclude_trainings(fd: int, doing: str) -> None:
    """Take the train-lock exclusively. Shared holders are trainings: refused. An exclusive
    holder is another switch (two `models --use` at once, or the window's and a terminal's):
    it is waited for — it was refused as "a training is running", naming a stale pid."""
    deadline = time.monotonic() + SWITCH_WAIT_SECONDS
    while not _took(fd, fcntl.LOCK_EX):
        if not _took(fd, fcntl.LOCK_SH):  # held exclusively: another switch
            if time.monotonic() > deadline:
                raise MusicsageError(f"another process keeps this library's graph models "
                                     f"locked; {doing} when it finishes")
            time.sleep(POLL_SECONDS)
            continue
        if _took(fd, fcntl.LOCK_EX):  # shared with us: exclusive unless a training shares it
            return
        fcntl.flock(fd, fcntl.LOCK_UN)
        pid, _doing = _holder(fd)  # a training writes its pid alone
        # a stopped one (Ctrl-Z) never finishes until it is resumed: "running" left the
        # user waiting for it
        named = written_pid(pid)
        state = (f"{stopped_words(named)};" if named and process_stopped(named)
                 else f"is running{pid}:")
        raise MusicsageError(
            f"a training of this library {state} it makes its new "
            f"model current when it ends; {doing} after it finishes")


def _took(fd: int, mode: int, *, wait: bool = False, cannot_lock: str | None = None) -> bool:
    """Whether the lock ``mode`` (``LOCK_EX``/``LOCK_SH``) was taken at once (``wait``: at
    all). ENOLCK: ``cannot_lock``, by default the library's line (:func:`refused_lock`)."""
    try:
        fcntl.flock(fd, mode | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError as exc:  # ENOLCK (NFS without lockd): the library's one line
        raise refused_lock(exc, fd, cannot_lock) from None
    return True


def scan_lock(conn, *, progress: ProgressFn | None = None, cancel: CancelToken | None = None,
              stage: str = "scan") -> AbstractContextManager[None]:
    """Hold the library's scan lock for the block (:func:`library_lock`)."""
    return library_lock(conn, "scan", progress=progress, cancel=cancel, stage=stage)


def acquire_waiting(fd: int, progress: ProgressFn | None, cancel: CancelToken | None,
                    stage: str, activity: str, cannot_lock: str | None = None) -> None:
    """Take the exclusive flock on ``fd``, waiting while another process holds it: said
    once (who holds it, from the file's text), and again whenever the holder is stopped or
    resumed (:func:`~musicsage.library.lock_waiting.waiting_line`), cancellable between
    polls."""
    told = ""
    while not _took(fd, fcntl.LOCK_EX, cannot_lock=cannot_lock):
        if (line := waiting_line(fd, activity)) != told:
            report(progress, stage, 0, None, line)
            told = line
        check_cancel(cancel)
        time.sleep(POLL_SECONDS)


OUTPUT_LOCK = OUTPUT_MARKER + ".lock"
"""The lock file of a folder a run writes its files into (``train --dataset … --out OUT``):
hidden, named after the folder's mark (:data:`musicsage.files.OUTPUT_MARKER`), created by the
run that takes it and removed by it when it ends."""


@contextmanager
def output_lock(folder: Path, *, progress: ProgressFn | None = None,
                cancel: CancelToken | None = None) -> Iterator[None]:
    """Hold ``folder``'s output lock for the block, waiting for another holder first (saying
    so once to ``progress``, as :func:`library_lock` does, and polling ``cancel``).

    Two ``train --dataset … --out OUT`` at once both wrote the same three files, the first
    run's silently replaced, the files possibly of either. ``folder`` is created for the
    lock if it is not there, and removed again if the block leaves it empty (a run refused
    or cancelled leaves no folder behind). The lock file is removed while still held: a run
    waiting on it then finds it gone (another file, or none, at its name) and locks afresh."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd, path, made = _take_output_lock(folder, progress, cancel)
    try:
        with suppress(OSError):  # only for the message another run shows
            os.pwrite(fd, f"{os.getpid()} train".encode("ascii"), 0)
        yield
    finally:
        _let_go(fd, path, made)


def _let_go(fd: int, path: Path | None, made: list[Path]) -> None:
    """Remove the lock file at ``path`` (None: one this run did not make), close ``fd``
    (releasing its lock), then remove the folders ``made`` for it, innermost first, if empty."""
    if path is not None:
        with suppress(OSError):
            os.unlink(path)
    os.close(fd)
    for empty in made:  # a folder holding anything stays
        try:
            os.rmdir(empty)
        except OSError:
            break


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its ancestors that do not exist yet, innermost first."""
    missing = []
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _take_output_lock(folder: Path, progress: ProgressFn | None,
                      cancel: CancelToken | None) -> tuple[int, Path, list[Path]]:
    """The descriptor of ``folder``'s lock file, locked exclusively, its path (taken on the
    file that is at that name when it is held: the holder before removed the one it held),
    and the folders made for it, innermost first."""
    path = folder / OUTPUT_LOCK
    told, vanished = "", 0
    while True:
        made, existed = _missing_folders(folder), os.path.lexists(path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, _OPEN_LOCK, 0o644)
        except OSError as exc:
            if _vanished(exc, folder):  # a run that gave up removed the empty folder just now
                vanished += 1  # made again; never more (/proc/x: looped for ever as root)
                if vanished < MOST_REMAKES:
                    continue
            else:  # the lock file's fault named, not the folder's (it may be fine)
                refuse_if_at_fault(path, exc)
            raise MusicsageError(f"cannot write into {folder} ({exc.strerror or exc}); "
                                 "choose another folder") from None
        try:
            took = _took(fd, fcntl.LOCK_EX, cannot_lock=output_cannot_lock(folder))
        except Exception:  # ENOLCK: a refused run leaves no folder or lock file of its own
            _let_go(fd, None if existed else path, made)
            raise
        if took:
            if _same_file(fd, path):
                return fd, path, made
            os.close(fd)  # the holder before removed it: lock the file at its name now
            continue
        line = f"another training into {folder} {state_words(fd, _holder(fd)[0])}"
        if line != told:  # said again whenever the holder is stopped or resumed
            report(progress, "train", 0, None, line)
            told = line
        os.close(fd)
        check_cancel(cancel)
        time.sleep(POLL_SECONDS)


def _vanished(exc: OSError, folder: Path) -> bool:
    """Whether making ``folder`` (or its lock file) failed because another run removed the
    empty folder meanwhile: gone before the open, or between mkdir's "it exists" and its own
    look that it is a folder ("File exists" of a folder that is not there: that run was
    refused, telling the user to choose another folder)."""
    return isinstance(exc, FileNotFoundError) or (
        isinstance(exc, FileExistsError) and not os.path.lexists(folder))


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        here = os.stat(path)
    except OSError:
        return False
    return os.path.samestat(here, os.fstat(fd))

