"""The length of a raw AAC file (an ADTS stream), counted from its frame headers.

A raw ``.aac`` file has no length header: FFmpeg (and mutagen) guess its length from the bit
rate of its first frames, so a variable-bitrate file that opens quietly was said to last ten
times its length (356 s for 30 s that begin with 20 s of silence), and the excerpts spread
over that guess fell past its end or all in one place. Each ADTS frame header states its own
size in bytes and how many raw blocks of 1024 samples it holds, so walking the headers (no
decoding: a read of 7 bytes a frame) counts the samples a decoder gives. Bytes that are no
frame (a tag at the end, damage) are skipped to the next header of the first frame's kind;
a frame cut off by the file's end is not counted.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from musicsage.library.audio_hash import after_id3v2

SAMPLES_PER_BLOCK = 1024
"""Samples of one raw data block (AAC LC's frame; HE-AAC doubles them and the rate alike)."""
RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
         7350)
"""The sample rates an ADTS header's 4-bit index names (13 to 15 are not used)."""
HEADER_BYTES = 7
READ_BYTES = 1 << 20
"""Bytes read at a time while walking the headers."""
RESYNC_BYTES = 1 << 16
"""Bytes read at a time when looking past bytes that are no frame for the next header."""


def counted_length(fs_path: str | bytes | os.PathLike) -> tuple[int, int] | None:
    """(samples, sample rate) of the ADTS stream at ``fs_path`` (past any ID3v2 tag), counted
    from its frame headers; None where it does not begin with an ADTS frame or cannot be
    read. The seconds are ``samples / rate`` (the header's rate: an HE-AAC decoder gives
    twice the samples at twice the rate)."""
    try:
        with open(os.fsencode(fs_path), "rb") as fh:
            return _counted(fh, after_id3v2(fh, fh.read(10)))
    except OSError:
        return None


def _counted(fh: BinaryIO, pos: int) -> tuple[int, int] | None:
    """:func:`counted_length` of the open file ``fh``, its first frame at byte ``pos``: the
    headers are read from blocks of :data:`READ_BYTES` (a read a frame took seconds for an
    hour's file)."""
    size = os.fstat(fh.fileno()).st_size
    kind: tuple[int, int, int] | None = None
    samples, base, block = 0, pos, b""
    while pos is not None and pos + HEADER_BYTES <= size:
        if not base <= pos <= base + len(block) - HEADER_BYTES:
            fh.seek(pos)
            base, block = pos, fh.read(READ_BYTES)
        header = _header(block[pos - base:pos - base + HEADER_BYTES])
        kind = kind or (header[0] if header else None)
        if kind is None:
            return None  # it does not begin with a frame: no ADTS stream
        if header is None or header[0] != kind:
            pos = _next_header(fh, pos + 1, kind)
            continue
        if pos + header[1] > size:  # cut off by the end of the file
            break
        samples += header[2] * SAMPLES_PER_BLOCK
        pos += header[1]
    return (samples, RATES[kind[1]]) if kind else None


def _header(head: bytes) -> tuple[tuple[int, int, int], int, int] | None:
    """(kind, frame bytes, raw blocks) of the ADTS header in ``head``; None if it is none.
    The kind (MPEG version, rate index, channel configuration) is the same in every frame
    of a stream: a false sync word in the audio data rarely matches it."""
    if len(head) < HEADER_BYTES or head[0] != 0xFF or head[1] & 0xF6 != 0xF0:
        return None  # 12 sync bits, then the layer: always 0
    rate = (head[2] >> 2) & 0x0F
    length = ((head[3] & 0x03) << 11) | (head[4] << 3) | (head[5] >> 5)
    if rate >= len(RATES) or length < HEADER_BYTES + (0 if head[1] & 1 else 2):
        return None
    kind = ((head[1] >> 3) & 1, rate, ((head[2] & 1) << 2) | (head[3] >> 6))
    return kind, length, (head[6] & 0x03) + 1


def _next_header(fh: BinaryIO, pos: int, kind: tuple[int, int, int]) -> int | None:
    """Where the next header of ``kind`` at or after byte ``pos`` lies; None if none does."""
    while True:
        fh.seek(pos)
        block = fh.read(RESYNC_BYTES + HEADER_BYTES)
        if len(block) < HEADER_BYTES:
            return None
        at = block.find(b"\xff")
        while 0 <= at <= len(block) - HEADER_BYTES:
            found = _header(block[at:at + HEADER_BYTES])
            if found is not None and found[0] == kind:
                return pos + at
            at = block.find(b"\xff", at + 1)
        pos += max(1, len(block) - HEADER_BYTES + 1)
