"""The length of a raw AAC file (an ADTS stream), counted from its frame headers.

A raw ``.aac`` file has no length header: FFmpeg (and mutagen) guess its length from the bit
rate of its first frames, so a variable-bitrate file that opens quietly was said to last ten
times its length (356 s for 30 s that begin with 20 s of silence), and the excerpts spread
over that guess fell past its end or all in one place. Each ADTS frame header states its own
size in bytes and how many raw blocks of 1024 samples it holds, so walking the headers (no
decoding: a read of 7 bytes a frame) counts the samples a decoder gives.

Where a frame should begin, a header of other channels is taken too: files joined end to end
(``cat``, a broadcast that turned from mono to stereo) go on with frames of another kind. A
stream whose sample rate changes is not counted (None: FFmpeg's guess, as before): FFmpeg
stamps the later frames at the first rate's pace (10 s at 44.1 kHz then 20 s at 22.05 kHz
end at its 20 s), so excerpts spread over the real 30 s would fall past the end it reads to.
Where no header is, the bytes (a tag at the end, damage, a capture that begins mid-frame) are
looked past for a header whose frame leads to another header of its kind, or ends the file:
a sync word inside the audio data rarely does both (taken alone, such words were counted as
frames: 17 s of them in a file's first 10 s). A frame cut off by the file's end is not counted.
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
MAX_FRAME_BYTES = (1 << 13) - 1
"""The longest frame a header's 13-bit length can state."""
READ_BYTES = 1 << 20
"""Bytes read at a time while walking the headers."""
RESYNC_BYTES = 1 << 16
"""Bytes looked at a time for the next header past bytes that are no frame."""
LOOKED_AT_BYTES = 1 << 16
"""How far past the tags the first header is looked for (a capture cut mid-frame begins up to
one frame, at most 8 KiB, before it); a file with none there is no ADTS stream."""


def counted_length(fs_path: str | bytes | os.PathLike) -> tuple[int, int] | None:
    """(samples, sample rate) of the ADTS stream at ``fs_path`` (past any ID3v2 tag), counted
    from its frame headers; None where no ADTS frame begins near its start, its sample rate
    changes, or it cannot be read. The seconds are ``samples / rate`` (the header's rate: an
    HE-AAC decoder gives twice the samples at twice the rate)."""
    try:
        with open(os.fsencode(fs_path), "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            start = after_id3v2(fh, fh.read(10))
            first = _chained_header(fh, start, min(size, start + LOOKED_AT_BYTES), size)
            return None if first is None else _counted(fh, first, size)
    except OSError:
        return None


def _counted(fh: BinaryIO, pos: int, size: int) -> tuple[int, int] | None:
    """:func:`counted_length` of the open file ``fh`` of ``size`` bytes, its first frame at
    byte ``pos``: the headers are read from blocks of :data:`READ_BYTES` (a read a frame took
    seconds for an hour's file)."""
    samples, rate, base, block = 0, None, pos, b""
    while pos + HEADER_BYTES <= size:
        if not base <= pos <= base + len(block) - HEADER_BYTES:
            fh.seek(pos)
            base, block = pos, fh.read(READ_BYTES)
        header = _header(block[pos - base:pos - base + HEADER_BYTES])
        if header is None:
            found = _chained_header(fh, pos + 1, size, size)
            if found is None:
                break
            pos = found
            continue
        kind, length, blocks = header
        if pos + length > size:  # cut off by the end of the file
            break
        if rate is not None and RATES[kind[1]] != rate:
            return None  # FFmpeg's time stamps would not reach the real end (the module)
        rate = RATES[kind[1]]
        samples += blocks * SAMPLES_PER_BLOCK
        pos += length
    return (samples, rate) if samples and rate else None


def _header(head: bytes) -> tuple[tuple[int, int, int], int, int] | None:
    """(kind, frame bytes, raw blocks) of the ADTS header in ``head``; None if it is none.
    The kind (MPEG version, rate index, channel configuration) stays the same from frame to
    frame but where a stream changes: :func:`_chained_header` asks two frames to agree."""
    if len(head) < HEADER_BYTES or head[0] != 0xFF or head[1] & 0xF6 != 0xF0:
        return None  # 12 sync bits, then the layer: always 0
    rate = (head[2] >> 2) & 0x0F
    length = ((head[3] & 0x03) << 11) | (head[4] << 3) | (head[5] >> 5)
    if rate >= len(RATES) or length < HEADER_BYTES + (0 if head[1] & 1 else 2):
        return None
    kind = ((head[1] >> 3) & 1, rate, ((head[2] & 1) << 2) | (head[3] >> 6))
    return kind, length, (head[6] & 0x03) + 1


def _chained_header(fh: BinaryIO, pos: int, stop: int, size: int) -> int | None:
    """Where the first header at or after byte ``pos`` (and before ``stop``) lies whose frame
    leads to another header of its kind or ends the file; None if none does."""
    while pos < stop:
        fh.seek(pos)
        block = fh.read(RESYNC_BYTES + MAX_FRAME_BYTES + HEADER_BYTES)
        at = block.find(b"\xff")
        while 0 <= at < min(RESYNC_BYTES, stop - pos):
            if _leads_on(block, at, size - pos):
                return pos + at
            at = block.find(b"\xff", at + 1)
        pos += RESYNC_BYTES
    return None


def _leads_on(block: bytes, at: int, left: int) -> bool:
    """Whether a header lies at ``at`` in ``block`` (``left`` bytes from its start to the
    file's end) whose frame is followed by a header of the same kind, or by the file's end.
    ``block`` holds a longest frame past ``at`` where the file does."""
    header = _header(block[at:at + HEADER_BYTES])
    if header is None:
        return False
    after = at + header[1]
    if after == left:
        return True  # the file's last frame
    following = _header(block[after:after + HEADER_BYTES])
    return following is not None and following[0] == header[0]
