"""The play queue kept between runs of the window: ``queue.json`` in the library's data dir,
beside its database (each library its own, the demo's too), read and written here without Qt.

A small JSON file, not a table of the library nor a key of the window's settings: the queue is
the window's state, not the library's (a scan, a command in a terminal, a copy of the library
have nothing to do with it), and it changes at each next track: a write to the database would
wait behind a scan's transaction, and the settings file is one for all libraries. It is
written whole through :func:`~musicsage.files.replace_atomically` (a temporary file renamed
over it): a crash or a kill leaves the queue as it was at its last change, never half a file.

Its form (:data:`FORMAT`, :data:`VERSION`)::

    {"format": "musicsage-queue", "version": 1, "kind": "radio" | "named" | "plain",
     "name": "Radio: …", "tracks": [12, 7, …], "current": 3, "seed": 12 | null,
     "mode": "close" | "drift", "left": false}

``current`` is the index of the entry playing (or last played; -1: none yet), ``left`` says
the user played something else since. A file that is not this (damaged, cut short, another
program's, a newer musicsage's) is refused with the reason (:class:`QueueFileError`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from musicsage.files import replace_atomically

QUEUE_FILE = "queue.json"
"""The file's name in the library's data dir."""
FORMAT = "musicsage-queue"
VERSION = 1
KINDS = ("radio", "named", "plain")
"""A radio refills itself from its seed's neighbours; a named queue (a playlist, a map region)
and a plain one ("Play next", "Add to queue") play what they hold."""
MODES = ("close", "drift")


class QueueFileError(ValueError):
    """The file is not a queue this musicsage can read; the message says why, in words."""


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


def encode(saved: SavedQueue) -> bytes:
    """The file's bytes for ``saved`` (one line of JSON)."""
    record = {"format": FORMAT, "version": VERSION, "kind": saved.kind, "name": saved.name,
              "tracks": list(saved.tracks), "current": saved.current, "seed": saved.seed,
              "mode": saved.mode, "left": saved.left}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def decode(data: bytes) -> SavedQueue:
    """The queue in ``data``; :class:`QueueFileError` when it is not one this version reads."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise QueueFileError("not a queue file: it is damaged or cut short") from exc
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise QueueFileError("not a queue file of musicsage")
    version = record.get("version")
    if not _is_int(version) or version < 1:
        raise QueueFileError("not a queue file of musicsage")
    if version > VERSION:
        raise QueueFileError(f"written by a newer musicsage (queue file version {version})")
    return _checked(record)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked(record: dict) -> SavedQueue:
    """The fields of a version-1 record, each of the type it must have (else refused)."""
    tracks, current, seed = record.get("tracks"), record.get("current"), record.get("seed")
    name, kind, mode = record.get("name"), record.get("kind"), record.get("mode")
    left = record.get("left")
    if not (isinstance(tracks, list) and all(_is_int(t) for t in tracks)
            and _is_int(current) and -1 <= current < max(len(tracks), 1)
            and (seed is None or _is_int(seed)) and isinstance(name, str)
            and kind in KINDS and mode in MODES and isinstance(left, bool)):
        raise QueueFileError("not a queue file: its fields are damaged")
    return SavedQueue(tuple(tracks), current, name, kind, seed, mode, left)


def read_saved_queue(data_dir: Path) -> SavedQueue | None:
    """The queue kept in ``data_dir`` (None: none kept). :class:`QueueFileError` when the
    file is not one (see :func:`decode`), ``OSError`` when it cannot be read."""
    path = Path(data_dir) / QUEUE_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return decode(data)


def write_saved_queue(data_dir: Path, data: bytes) -> None:
    """Write ``data`` (:func:`encode`'s) as the queue kept in ``data_dir``, atomically;
    ``OSError`` when the folder cannot be written."""
    replace_atomically(Path(data_dir) / QUEUE_FILE, data)
