"""Whether a FLAC's audio holds bytes that are all zeros, and from what time: the part of a
download that never came (a torrent client allocates the whole file first) or what a failing
drive read back.

libFLAC, asked to seek into such bytes, searches them for a frame in a time that grows with
the square of the file's size (90 s for one excerpt of a 5-minute file, minutes more in a long
one), then fails: the scan, which reads the last second the header states, and ``embed``,
which seeks to its excerpts, sat that long over one file and then said "audio ends early".
A FLAC frame begins with a sync code every few kilobytes and codes silence in a few bytes, so
:data:`ZERO_RUN` zero bytes in its audio are damage: such a seek is refused at once (the
player's :mod:`musicsage.playback.flac_zeros` does the same), and the file is named with the
time its audio stops, read from the last frame header before the zeros.
"""

from __future__ import annotations

import os
import re
from typing import BinaryIO

ZERO_RUN = 65536
"""Zero bytes in a row that are damage (a FLAC frame is rarely 16 KiB, silence a few bytes)."""
_CHUNK = 1 << 20
"""Bytes read at a time when looking for the first zeros."""
_BACK = 1 << 20
"""How far before the zeros the last frame header is looked for (a frame is far shorter)."""
_MOST_BLOCKS = 1024
"""Metadata blocks walked before the audio at most (a header is no longer)."""
_SYNC = re.compile(rb"\xff[\xf8\xf9]")


def lands_in_zeros(path: str | bytes, fraction: float) -> bool:
    """Whether the :data:`ZERO_RUN` bytes where ``fraction`` of the audio should begin (in
    proportion to its bytes) are all zeros: a libFLAC seek there would search them for long.
    False for a file that is not a FLAC laid out as expected, or cannot be read."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            audio_at, size = _audio_start(fh), os.fstat(fh.fileno()).st_size
            if audio_at is None or size - audio_at < ZERO_RUN:
                return False
            at = audio_at + int(min(max(fraction, 0.0), 1.0) * (size - audio_at))
            fh.seek(min(at, size - ZERO_RUN))
            run = fh.read(ZERO_RUN)
    except OSError:
        return False
    return len(run) == ZERO_RUN and not run.strip(b"\0")


def zeroed_reason(path: str | bytes, rate: int, frames: int) -> str | None:
    """The words after ``"name: "`` for a FLAC whose audio holds :data:`ZERO_RUN` zero bytes,
    with the time where its audio stops (the first such bytes); None when it holds none.
    Reads the file up to those zeros (all of a whole one): ask it of a file known damaged."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            audio_at = _audio_start(fh)
            zeros_at = None if audio_at is None else _first_zeros(fh, audio_at)
            if zeros_at is None:
                return None
            size = os.fstat(fh.fileno()).st_size
            fh.seek(max(audio_at, zeros_at - _BACK))
            sample = _last_frame_start(fh.read(zeros_at - fh.tell()))
    except OSError:
        return None
    if sample is None:  # no frame header before the zeros: in proportion to the bytes
        sample = int(frames * (zeros_at - audio_at) / max(1, size - audio_at))
    return (f"holds zeroed bytes from {clock(sample / max(1, rate))} on (a download that "
            "never finished, or a failing drive?)")


def zeroed_before_end(path: str | bytes, rate: int, frames: int, tail: int) -> str | None:
    """:func:`zeroed_reason` for a FLAC whose last ``tail`` frames lie in zeroed bytes, asked
    before the scan seeks there; None otherwise (one 64-KiB read for a whole file)."""
    if frames <= 0 or not lands_in_zeros(path, (frames - tail) / frames):
        return None
    return zeroed_reason(path, rate, frames)


def clock(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour), as a player shows the time."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _first_zeros(fh: BinaryIO, start: int) -> int | None:
    """Where the first :data:`ZERO_RUN` zero bytes in a row begin at or after ``start``."""
    zeros, at, kept = bytes(ZERO_RUN), start, b""
    fh.seek(start)
    while chunk := fh.read(_CHUNK):
        window = kept + chunk
        found = window.find(zeros)
        if found >= 0:
            return at - len(kept) + found
        kept = window[-(ZERO_RUN - 1):]
        at += len(chunk)
    return None


def _last_frame_start(data: bytes) -> int | None:
    """The first sample of the last FLAC frame whose header (its CRC-8 checked) lies whole
    in ``data``; None when none does."""
    for match in reversed(list(_SYNC.finditer(data))):
        sample = _frame_sample(data[match.start():match.start() + 16])
        if sample is not None:
            return sample
    return None


def _frame_sample(head: bytes) -> int | None:
    """The first sample of the frame whose header ``head`` begins with, or None when it is no
    valid header (reserved codes, a number not UTF-8 coded, a CRC-8 that does not match)."""
    if len(head) < 6:
        return None
    size_code, rate_code = head[2] >> 4, head[2] & 0x0F
    if size_code == 0 or rate_code == 15 or head[3] >> 4 > 10 or (head[3] >> 1) & 7 == 3 \
            or head[3] & 1:
        return None
    lead = 8 - (~head[4] & 0xFF).bit_length()  # the number's first byte's leading 1 bits
    if lead in (1, 8):  # a continuation byte, or no UTF-8 form at all
        return None
    length = max(1, lead)  # bytes of the number ("UTF-8", up to 36 bits)
    number = head[4] & (0x7F if lead == 0 else 0xFF >> (lead + 1))
    for byte in head[5:4 + length]:
        if byte & 0xC0 != 0x80:
            return None
        number = (number << 6) | (byte & 0x3F)
    at = 4 + length
    extra = {6: 1, 7: 2}.get(size_code, 0)
    block = int.from_bytes(head[at:at + extra], "big") + 1 if extra else _block_size(size_code)
    at += extra + {12: 1, 13: 2, 14: 2}.get(rate_code, 0)
    if at >= len(head) or _crc8(head[:at]) != head[at]:
        return None
    return number if head[1] & 1 else number * block  # variable block sizes count samples


def _block_size(code: int) -> int:
    """A frame's block size from its 4-bit code (but 0, 6 and 7, see the header)."""
    if code == 1:
        return 192
    return 576 << (code - 2) if code <= 5 else 256 << (code - 8)


def _crc8(data: bytes) -> int:
    """The CRC-8 (polynomial 0x07) a FLAC frame header ends with."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


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
