"""The length the player shows for a raw AAC (ADTS) file: its frames counted, as the scan and
``embed`` count them (:mod:`musicsage.library.adts_frames`), not FFmpeg's guess from its first
frames' bit rate. That guess put a variable-bitrate file that opens quietly at ten times its
length (3:38 shown for 0:16): the slider's end, the length shown and a seek's limit were
minutes late, and the track ended with the handle a tenth of its way.

A count is kept by path, inode, size and modification time: the player opens the decoder
again at every seek, and walking an hour's headers reads the whole file (153 ms for 59 MB on
a local disk, seconds on a slow network share): only the first open walks them (a file
written since is counted again).
"""

from __future__ import annotations

import os
from functools import lru_cache

from musicsage.library import adts_frames

COUNTS_KEPT = 16
"""Files whose counts are kept: the track playing, and those played before it."""


def counted_frames(path: str, rate: int) -> int | None:
    """Frames of the raw AAC file at ``path`` at ``rate``, the decoder's (an HE-AAC file's is
    twice its headers', and so are its samples); None where its frames cannot be counted
    (FFmpeg's guess stands, as :func:`~musicsage.library.adts_frames.counted_length` says)."""
    name = os.fsencode(path)
    try:
        stat = os.stat(name)
    except OSError:
        return None
    counted = _counted(name, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return None if counted is None else counted[0] * rate // counted[1]


@lru_cache(maxsize=COUNTS_KEPT)
def _counted(name: bytes, _inode: int, _size: int, _mtime_ns: int) -> tuple[int, int] | None:
    """:func:`~musicsage.library.adts_frames.counted_length`, kept by the file's stat."""
    return adts_frames.counted_length(name)
