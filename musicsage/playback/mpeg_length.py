"""Whether an MP3's length is only a guess: no Xing or Info header (the table an encoder writes
in the first frame with the frame count; old encoders, stream rips and some taggers leave it
out). A VBRI header (Fraunhofer's) holds the count too, but libsndfile ignores it.

libsndfile (through libmpg123) reads an MP3 no further than the length it finds, and in such a
file that length is guessed from the first frame's bitrate: a variable-bitrate 60 s test file
stopped at 0:51, its last 9 s never played. The player then goes on through FFmpeg, which
decodes to the end of the data (:func:`~musicsage.playback.mp3_takeover.past_guess`) — only
where libsndfile stopped exactly at its guess: in a constant-bitrate file the guess counts the
tags and the encoder's padding as audio, so it is long and libsndfile stops before it, at the
real end (a variable-bitrate file whose first frames share one bitrate is no exception to
look for). Only the first frames' headers are read (past ID3v2 tags, whatever their size).
"""

from __future__ import annotations

import os
from typing import BinaryIO

from musicsage.library.audio_hash import after_id3v2

LOOKED_AT_BYTES = 64 * 1024
"""Read past the ID3v2 tags to find the first frame: some rips put junk before it."""
_BITRATES = {  # kbit/s by bitrate index: (MPEG-1?, layer)
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
}
_LOW_BITRATES = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 II, III
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_TABLES = (b"Xing", b"Info")
"""The frame-count headers libsndfile reads (VBRI is not one: its length is still guessed)."""


def length_guessed(path: str) -> bool:
    """True for an MP3 without a Xing/Info header (libsndfile's length is a guess); False
    where the length is known, or the file cannot be read or parsed (nothing changes)."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            at = first_frame_at(fh)
            if at is None:
                return False
            fh.seek(at)
            data = fh.read(LOOKED_AT_BYTES)
    except OSError:
        return False
    first = data[:_frame(data, 0) or 0]
    return not any(table in first for table in _TABLES)


def first_frame_at(fh: BinaryIO) -> int | None:
    """Where in the file ``fh`` its first MPEG audio frame starts, past the ID3v2 tags and any
    junk before it; None where none is found within :data:`LOOKED_AT_BYTES` of the tags."""
    fh.seek(0)
    start = after_id3v2(fh, fh.read(10))
    fh.seek(start)
    at = _first_frame(fh.read(LOOKED_AT_BYTES))
    return None if at is None else start + at


def _first_frame(data: bytes) -> int | None:
    """The first frame header followed by another one (a lone sync pattern is not a frame)."""
    at = data.find(b"\xff")
    while 0 <= at < len(data) - 4:
        frame = _frame(data, at)
        if frame is not None and _frame(data, at + frame) is not None:
            return at
        at = data.find(b"\xff", at + 1)
    return None


def _frame(data: bytes, at: int) -> int | None:
    """The length in bytes of the MPEG audio frame whose header is at ``at``."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version, layer = data[at + 1] >> 3 & 3, 4 - (data[at + 1] >> 1 & 3)
    index, rate_index, padding = data[at + 2] >> 4, data[at + 2] >> 2 & 3, data[at + 2] >> 1 & 1
    if version == 1 or layer == 4 or index in (0, 15) or rate_index == 3:
        return None  # reserved, or free format (no length in the header)
    mpeg1 = version == 3
    table = _BITRATES.get((mpeg1, layer), _LOW_BITRATES)  # (MPEG-2 layers II and III)
    bitrate, rate = table[index] * 1000, _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    per_frame = 72 if layer == 3 and not mpeg1 else 144
    return per_frame * bitrate // rate + padding


def frame_samples(header: bytes) -> int:
    """How many samples the MPEG audio frame whose header ``header`` starts with holds (1,152
    for MPEG-1 Layer III, 576 for MPEG-2's, 384 for Layer I…); 0 for anything not a frame (a
    tag between joined files, which FFmpeg decodes to nothing)."""
    if _frame(header, 0) is None:
        return 0
    version, layer = header[1] >> 3 & 3, 4 - (header[1] >> 1 & 3)
    return 384 if layer == 1 else 1152 if layer == 2 or version == 3 else 576
