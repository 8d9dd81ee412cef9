"""Whether a FLAC seek would land in bytes that are all zeros: the part of a download that never
came (a torrent client allocates the whole file first), or what a failing drive read back.

libFLAC, asked to seek there, searches the zeros for a frame before it gives up, in a time that
grows with the square of the file's size: 13 s in a 5-minute file, a minute in a 10-minute
one, half an hour in an hour's, while the player plays silence at the place asked for. A FLAC
frame begins with a sync code at least every few kilobytes, and silence is coded in a few
bytes, so ``ZERO_RUN`` zero bytes where the place should lie are damage: the seek is refused
at once, as libFLAC's own refusal would be, just without the search.
"""

from __future__ import annotations

import os
from typing import BinaryIO

ZERO_RUN = 65536
"""Zero bytes at the estimated place that make it damage (a FLAC frame is rarely 16 KiB)."""
_MOST_BLOCKS = 1024
"""Metadata blocks walked before the audio at most (a header is no longer)."""


def seek_lands_in_zeros(path: str, fraction: float) -> bool:
    """Whether the ``ZERO_RUN`` bytes where ``fraction`` of the track's audio should begin (in
    proportion to the bytes of its frames) are all zeros; False for a file that is not a FLAC
    this can read, or cannot be read."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            audio_at = _audio_start(fh)
            size = os.fstat(fh.fileno()).st_size
            if audio_at is None or size - audio_at < ZERO_RUN:
                return False
            at = audio_at + int(min(max(fraction, 0.0), 1.0) * (size - audio_at))
            fh.seek(min(at, size - ZERO_RUN))
            run = fh.read(ZERO_RUN)
    except OSError:
        return False
    return len(run) == ZERO_RUN and run.count(0) == ZERO_RUN


def _audio_start(fh: BinaryIO) -> int | None:
    """Where a FLAC's first frame begins: after an ID3v2 tag (if any), ``fLaC`` and its
    metadata blocks; None when the file is not laid out so."""
    head = fh.read(10)
    at = 0
    if head[:3] == b"ID3" and len(head) == 10:
        size = 0
        for byte in head[6:10]:  # a "syncsafe" size: seven bits a byte
            size = (size << 7) | (byte & 0x7F)
        at = 10 + size + (10 if head[5] & 0x10 else 0)  # (a footer)
    fh.seek(at)
    if fh.read(4) != b"fLaC":
        return None
    for _ in range(_MOST_BLOCKS):
        block = fh.read(4)
        if len(block) < 4:
            return None
        fh.seek(int.from_bytes(block[1:4], "big"), os.SEEK_CUR)
        if block[0] & 0x80:  # the last metadata block
            return fh.tell()
    return None
