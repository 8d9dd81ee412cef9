"""The play queue kept between runs of the window: ``queue.json`` in the library's data dir,
beside its database (each library its own, the demo's too), read and written here without Qt.

A small JSON file, not a table of the library nor a key of the window's settings: the queue is
the window's state, not the library's (a scan, a command in a terminal, a copy of the library
have nothing to do with it), and it changes at each next track: a write to the database would
wait behind a scan's transaction, and the settings file is one for all libraries. It is
written whole through :func:`~musicsage.files.replace_atomically` (a temporary file renamed
over it): a crash or a kill leaves the queue as it was at its last change, never half a file.

Its form (:data:`FORMAT`, :data:`VERSION`)::

    {"format": "musicsage-queue", "version": 2, "kind": "radio" | "named" | "plain",
     "name": "Radio: …", "tracks": [12, 7, …], "current": 3, "seed": 12 | null,
     "mode": "close" | "drift", "left": false, "added": [7], "removed": [40, …],
     "paths": ["/music/a.flac", …], "between": true}

``current`` is the index of the entry playing (or last played; -1: none yet), ``left`` says
Play does not go on with it (the user played something else, or it was not playing),
``added`` the entries added since the queue last played (Play goes on with them), ``removed``
the tracks a radio queued that the user took out (its refills never bring them back);
``between`` (only where true: a file without it is read as before, and an earlier musicsage
reads this one as before) says the entry the queue was at was taken out of a queue the user
left, after ``current``: no entry is marked, Next plays the one after ``current``, Previous
``current`` itself.
``paths`` holds the library path of each track of ``tracks`` then of ``removed``, in order
(a list, not an object keyed by id: half the time to write for a queue of 28,356 tracks): the
ids are the database's, and a database replaced in the same folder (moved aside, built anew)
gives them to other tracks — an id whose track has another path now is not the one kept,
unless the library recorded that track's move from the kept path (:func:`moved_since`: a
folder renamed while the window was closed, then scanned, keeps its tracks). A file that is
not this (damaged, cut short, not a regular file, another program's, an earlier or a newer
musicsage's) is refused with the reason (:class:`QueueFileError`); before a new queue is
written over such a file, it is set aside (:func:`set_aside`): it may be no file of this
app, or a newer musicsage's queue, and neither may be lost."""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from musicsage.files import replace_atomically

QUEUE_FILE = "queue.json"
"""The file's name in the library's data dir."""
FORMAT = "musicsage-queue"
VERSION = 2
MAX_QUEUE_BYTES = 64 * 1024 * 1024
"""A larger file is refused unread: a queue of 28,356 tracks with their paths is about 3 MB,
and a file of gigabytes at the queue's name would have been read whole at start-up."""
KINDS = ("radio", "named", "plain")
"""A radio refills itself from its seed's neighbours; a named queue (a playlist, a map region)
and a plain one ("Play next", "Add to queue") play what they hold."""
MODES = ("close", "drift")
ASIDE_SUFFIX = ".unreadable"
"""What the name of a file set aside adds to :data:`QUEUE_FILE` (then ``-2``, ``-3`` …)."""


class QueueFileError(ValueError):
    """The file is not a queue this musicsage can read; the message says why, in words that
    follow the file's name ("is not a queue file …", "was written by a newer musicsage …")."""


@dataclass(frozen=True)
class SavedQueue:
    """A queue as kept: its track ids in order, the entry it was at, what it is."""

    tracks: tuple[int, ...] = ()
    current: int = -1
    name: str = ""
    kind: str = "plain"
    seed: int | None = None
    mode: str = "close"
    left: bool = False
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    paths: dict[int, str] = field(default_factory=dict)
    """Each track id's path in the library that kept the queue ("": not known)."""
    between: bool = False
    """The entry the queue was at was taken out, after :attr:`current` (a left queue)."""


def encode(saved: SavedQueue) -> bytes:
    """The file's bytes for ``saved`` (one line of JSON)."""
    record = {"format": FORMAT, "version": VERSION, "kind": saved.kind, "name": saved.name,
              "tracks": list(saved.tracks), "current": saved.current, "seed": saved.seed,
              "mode": saved.mode, "left": saved.left, "added": list(saved.added),
              "removed": list(saved.removed),
              "paths": [saved.paths.get(t, "") for t in (*saved.tracks, *saved.removed)]}
    if saved.between:  # only then: the bytes of every other queue are as they were
        record["between"] = True
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def decode(data: bytes) -> SavedQueue:
    """The queue in ``data``; :class:`QueueFileError` when it is not one this version reads."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise QueueFileError("is not a queue file: it is damaged or cut short") from exc
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise QueueFileError("is not a queue file of musicsage")
    version = record.get("version")
    if not _is_int(version) or version < 1:
        raise QueueFileError("is not a queue file of musicsage")
    if version > VERSION:
        raise QueueFileError(f"was written by a newer musicsage (queue file version {version})")
    if version < VERSION:  # its ids were not tied to the library's paths
        raise QueueFileError(f"was written by an earlier musicsage (queue file version {version})")
    return _checked(record)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(value: object) -> bool:
    return isinstance(value, list) and all(_is_int(t) for t in value)


def _checked(record: dict) -> SavedQueue:
    """The fields of a version-2 record, each of the type it must have (else refused)."""
    tracks, current, seed = record.get("tracks"), record.get("current"), record.get("seed")
    name, kind, mode = record.get("name"), record.get("kind"), record.get("mode")
    left, added, removed = record.get("left"), record.get("added"), record.get("removed")
    paths, between = record.get("paths"), record.get("between", False)
    if not (_ids(tracks) and _ids(added) and _ids(removed) and isinstance(paths, list)
            and len(paths) == len(tracks) + len(removed)
            and all(isinstance(p, str) for p in paths)
            and _is_int(current) and -1 <= current < max(len(tracks), 1)
            and (seed is None or _is_int(seed)) and isinstance(name, str)
            and kind in KINDS and mode in MODES and isinstance(left, bool)
            and isinstance(between, bool)):
        raise QueueFileError("is not a queue file: its fields are damaged")
    return SavedQueue(tuple(tracks), current, name, kind, seed, mode, left, tuple(added),
                      tuple(removed), {t: p for t, p in zip((*tracks, *removed), paths) if p},
                      between)


def read_saved_queue(data_dir: Path) -> SavedQueue | None:
    """The queue kept in ``data_dir`` (None: none kept). :class:`QueueFileError` when the
    file is not one (see :func:`decode`), ``OSError`` when it cannot be read."""
    try:
        data = _file_bytes(Path(data_dir) / QUEUE_FILE)
    except FileNotFoundError:
        return None
    return decode(data)


def _file_bytes(path: Path) -> bytes:
    """The bytes of the regular file at ``path``. Opened without waiting, then looked at
    before it is read: a FIFO in its place (``mkfifo``) froze the window's start-up, waiting
    for a writer; a folder is ``IsADirectoryError``, anything else not a file is refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise QueueFileError("is not a regular file")
        file, fd = os.fdopen(fd, "rb"), -1  # the file closes it now
        with file:
            data = file.read(MAX_QUEUE_BYTES + 1)
        if len(data) > MAX_QUEUE_BYTES:
            raise QueueFileError(f"is not a queue file: it is larger than "
                                 f"{MAX_QUEUE_BYTES // 2**20} MB")
        return data
    finally:
        if fd >= 0:
            os.close(fd)


def write_saved_queue(data_dir: Path, data: bytes) -> None:
    """Write ``data`` (:func:`encode`'s) as the queue kept in ``data_dir``, atomically;
    ``OSError`` when the folder cannot be written."""
    replace_atomically(Path(data_dir) / QUEUE_FILE, data)


def aside_path(data_dir: Path) -> Path:
    """The first name free for a file not read as a queue: ``queue.json.unreadable``, else
    ``queue.json.unreadable-2``, ``-3`` … (one set aside at an earlier start keeps its name)."""
    first = Path(data_dir) / (QUEUE_FILE + ASIDE_SUFFIX)
    path, n = first, 1
    while os.path.lexists(path):
        n += 1
        path = first.with_name(f"{first.name}-{n}")
    return path


def in_the_way(data_dir: Path) -> bool | None:
    """What a new queue finds at :data:`QUEUE_FILE` once it was not read: True, a file or a
    link (to anything: the link itself is set aside, what it points to never touched) to set
    aside first; False, nothing; None, something not a regular file (a FIFO, a folder, a
    device): left where it is, and nothing is written over it. A link followed, one to a
    folder, a FIFO or itself kept every queue from being written."""
    try:
        mode = os.lstat(Path(data_dir) / QUEUE_FILE).st_mode
    except FileNotFoundError:
        return False
    return True if stat.S_ISREG(mode) or stat.S_ISLNK(mode) else None


def set_aside(data_dir: Path) -> Path | None:
    """Move the file at :data:`QUEUE_FILE` to :func:`aside_path`, never over another file
    (a hard link made, then the old name taken away: a link fails where the name is taken,
    where a rename would replace it); returns where it went (None: nothing was there).
    ``OSError`` when the folder cannot be written."""
    source = Path(data_dir) / QUEUE_FILE
    while True:
        target = aside_path(data_dir)
        try:
            os.link(source, target, follow_symlinks=False)
        except FileExistsError:
            continue  # taken meanwhile: the next name
        except FileNotFoundError:
            return None
        except OSError:
            if not _renamed(source, target):
                continue
            return target
        os.unlink(source)
        return target


def _renamed(source: Path, target: Path) -> bool:
    """A rename where the file system has no hard links (FAT, some network shares), with
    the name looked at just before; False: it was taken."""
    if os.path.lexists(target):
        return False
    os.rename(source, target)
    return True


def moved_since(ctx, saved: SavedQueue, shown_paths: dict[int, str]) -> set[int]:
    """The ids of ``saved`` whose track has another path now (``shown_paths``: id → path in
    the library) because the scan recorded it moved from the path kept: still the track kept
    (a move seen while the window was closed), not an id handed to another track."""
    from musicsage.library.db import connect
    from musicsage.library.moved_paths import moved_from

    asked = {t: p for t, p in saved.paths.items() if t in shown_paths and shown_paths[t] != p}
    return moved_from(connect(ctx), asked) if asked else set()
