"""A raw ADTS AAC file (``.aac``, no container) whose sample rate changes part-way (a radio
stream recorded across a programme change, files joined end to end): FFmpeg's time stamps
and its seek go wrong past the change, so the player places a seek there by the frames' own
headers.

FFmpeg stamps each ADTS frame as if every frame were at the first frame's rate: past a change
to half the rate, a frame's stamp says half its real time. Playing through is right (each
frame is resampled at its own rate), but a seek past the change landed far from its target
(a seek to 0:15 of a 20 s file played its last 0:00.3), or past the end (nothing played).
Each frame's header tells its rate, sample count and size: they give where a seek past the
change opens the file's bytes from a frame a little before its target, as a file of its own
(FFmpeg's stamps are right from that frame on up to the next change; the frames before the
target are decoded and dropped). Before the change, FFmpeg's own seek is exact and is kept.
The frames are walked at a seek only, not before a file's first sample (a one-hour file is
59 MB read, seconds on a network share): the length shown stays FFmpeg's guess from the first
bitrate (seconds off), as before the frames were walked.
"""

from __future__ import annotations

import os
import threading
from array import array
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

ADTS_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
              8000, 7350)
"""The sample rates an ADTS header's 4-bit index names, in order."""
HEADER_BYTES = 7
"""An ADTS header without its CRC: sync word, rate index, frame length, block count."""
CHUNK_BYTES = 1 << 20
"""The file's bytes are walked a mebibyte at a time."""
ID3_HEADER_BYTES = 10
"""An ID3v2 tag's header, which gives the tag's size."""


@dataclass(frozen=True)
class RateChange:
    """A raw ADTS file whose rate changes: where it first does and how long the file plays,
    in seconds, and each frame's byte offset and start (seconds), for a seek past the change."""

    changes_at: float
    seconds: float
    offsets: np.ndarray
    starts: np.ndarray

    def stamped_right(self, seconds: float) -> bool:
        """Whether FFmpeg's time stamps are right at ``seconds`` in (before the change), so
        its seek there is exact."""
        return seconds < self.changes_at

    def frame_before(self, seconds: float) -> tuple[int, float]:
        """(byte offset, start in seconds) of the frame that plays at ``seconds``."""
        index = max(0, int(np.searchsorted(self.starts, seconds, side="right")) - 1)
        return int(self.offsets[index]), float(self.starts[index])


_seen: dict[tuple, RateChange | None] = {}
_seen_lock = threading.Lock()


def rate_change(path: str) -> RateChange | None:
    """The rate change of the raw ADTS file at ``path``; None where its frames keep one rate,
    or it cannot be read or is not ADTS frames (FFmpeg's own reading is kept). Each seek opens
    the file again: the frames are walked once per version of the file (its size and time)."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            st = os.fstat(fh.fileno())
            key = (path, st.st_ino, st.st_size, st.st_mtime_ns)
            with _seen_lock:
                if key in _seen:
                    return _seen[key]
            change = _walked(fh)
    except OSError:
        return None
    with _seen_lock:
        _seen.clear()  # one file's at a time: the one playing
        _seen[key] = change
    return change


def _walked(fh: BinaryIO) -> RateChange | None:
    """:func:`rate_change` of the file ``fh``, read a chunk at a time (not whole: a 10-hour
    recording is half a gigabyte; nor mapped: a copy over it meanwhile would crash the app).
    An ID3 tag between frames (files joined by ``cat``, each with its tag) is stepped over:
    the walk stopped there, and a seek past it decoded every frame from there on (49 minutes
    of a one-hour file: seconds). Where the walk stops (damage, zero bytes between files), a
    seek past that place still decodes from it: slow, but it lands where playing through
    gets to (FFmpeg's own seek there lands far off)."""
    at, seconds, first, changes_at = _after_id3(fh.read(ID3_HEADER_BYTES)), 0.0, 0, None
    offsets, starts = array("q"), array("d")  # (a list of 1.7 M numbers held 110 MB)
    data, base = b"", 0  # ``data``: the file's bytes from ``base`` on
    while True:
        if at - base + ID3_HEADER_BYTES > len(data):
            fh.seek(at)
            data, base = fh.read(CHUNK_BYTES), at
        frame = _frame(data, at - base) if len(data) >= at - base + HEADER_BYTES else None
        if frame is None:
            tag = _after_id3(data[at - base:at - base + ID3_HEADER_BYTES])  # files joined
            if not tag:  # the end, or damage: the walk stops
                break
            at += tag  # by ``cat``, each with its ID3 tag: the next file's frames follow
            continue
        size, rate, samples = frame
        first = first or rate
        if changes_at is None and rate != first:
            changes_at = seconds
        offsets.append(at)
        starts.append(seconds)
        seconds += samples / rate
        at += size
    if changes_at is None:
        return None
    return RateChange(changes_at, seconds, np.frombuffer(offsets, np.int64),
                      np.frombuffer(starts, np.float64))


def _frame(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(bytes, rate, samples) of the ADTS frame at ``at``; None where none begins there."""
    head = data[at:at + HEADER_BYTES]
    if head[0] != 0xFF or head[1] & 0xF6 != 0xF0:  # sync word, layer 0
        return None
    index = (head[2] >> 2) & 0xF
    size = ((head[3] & 3) << 11) | (head[4] << 3) | (head[5] >> 5)
    if index >= len(ADTS_RATES) or size < HEADER_BYTES:
        return None
    return size, ADTS_RATES[index], 1024 * ((head[6] & 3) + 1)


def _after_id3(data: bytes) -> int:
    """Where the frames begin: past an ID3v2 tag at the start (a recorder's, a tagger's; 0
    where ``data`` begins none)."""
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return 10 + size + (10 if data[5] & 0x10 else 0)
