"""The length the player shows for a raw AAC (ADTS) file: its frames counted, as the scan and
``embed`` count them (:mod:`musicsage.library.adts_frames`), not FFmpeg's guess from its first
frames' bit rate. That guess put a variable-bitrate file that opens quietly at ten times its
length (3:38 shown for 0:16): the slider's end, the length shown and a seek's limit were
minutes late, and the track ended with the handle a tenth of its way.

Walking an hour's headers reads the whole file (59 MB: 153 ms on a local disk, 5 s on a slow
network share), and the first play waited for it before a sound was heard. So the count runs
on a thread of its own, and an open waits for it at most :data:`WAIT_SECONDS` (a local disk's
hour is counted by then): past that, the file plays at once, its length unknown to the
decoder, and the player shows the library's (the scan counts the same frames) until the
track's end is reached. The count goes on, and is kept by path, inode, size and modification
time: the player opens the decoder again at every seek, and only the first open walks the
headers (a file written since is counted again).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

from musicsage.library import adts_frames

COUNTS_KEPT = 16
"""Files whose counts are kept: the track playing, and those played before it."""
WAIT_SECONDS = 0.3
"""How long an open waits for a count still running before it plays without it."""


class _Count:
    """One file's count: (frames, rate) once :attr:`done`; None where they cannot be counted."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.counted: tuple[int, int] | None = None

    def result(self, wait: float | None) -> tuple[int, int] | None:
        """The count; :class:`TimeoutError` where it is not done after ``wait`` seconds."""
        if not self.done.wait(wait):
            raise TimeoutError("the frames are still being counted")
        return self.counted


_Key = tuple[bytes, int, int, int]
_counts: OrderedDict[_Key, _Count] = OrderedDict()
_lock = threading.Lock()


def length_frames(path: str, rate: int, guess: int | None,
                  wait: float | None = None) -> int | None:
    """The frames the player shows for the raw AAC file at ``path`` at ``rate``: their count
    (:func:`counted_frames`); FFmpeg's ``guess`` where they cannot be counted; None (the
    library's length shown) while the count, begun by the first call, is not done after
    ``wait`` seconds (:data:`WAIT_SECONDS` when not given)."""
    try:
        return counted_frames(path, rate, WAIT_SECONDS if wait is None else wait) or guess
    except TimeoutError:  # a slow drive: playing starts, the count goes on for later opens
        return None


def counted_frames(path: str, rate: int, wait: float | None = None) -> int | None:
    """Frames of the raw AAC file at ``path`` at ``rate``, the decoder's (an HE-AAC file's is
    twice its headers', and so are its samples); None where its frames cannot be counted
    (FFmpeg's guess stands, as :func:`~musicsage.library.adts_frames.counted_length` says).
    :class:`TimeoutError` where the count is not done after ``wait`` seconds (None: waited
    for)."""
    name = os.fsencode(path)
    try:
        stat = os.stat(name)
    except OSError:
        return None
    counted = _count((name, stat.st_ino, stat.st_size, stat.st_mtime_ns)).result(wait)
    return None if counted is None else counted[0] * rate // counted[1]


def _count(key: _Key) -> _Count:
    """The count of the file of ``key``: kept, running, or started now on a thread of its own
    (a daemon: quitting the app never waits for a slow drive's count)."""
    with _lock:
        count = _counts.get(key)
        if count is not None:
            _counts.move_to_end(key)
            return count
        count = _counts[key] = _Count()
        while len(_counts) > COUNTS_KEPT:
            _counts.popitem(last=False)
    threading.Thread(target=_run, args=(key[0], count), name="musicsage-adts-count",
                     daemon=True).start()
    return count


def _run(name: bytes, count: _Count) -> None:
    """Count the frames of the file ``name`` into ``count``; a failure to count is no count
    (None), as an unreadable file's is."""
    try:
        count.counted = adts_frames.counted_length(name)
    finally:  # (counted_length says None of what it cannot read: nothing else is expected)
        count.done.set()
