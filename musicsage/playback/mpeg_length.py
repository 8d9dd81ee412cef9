"""Whether an MP3's length is only a guess: variable bitrate, and no Xing, Info or VBRI header
(the table an encoder writes at the start with the frame count; old encoders, stream rips and
some taggers leave it out).

libsndfile (through libmpg123) reads an MP3 no further than the length it finds, and in such a
file that length is guessed from the first frame's bitrate: a 60 s test file stopped at 0:51,
its last 9 s never played. The player then goes on through FFmpeg, which decodes to the end of
the data (:func:`~musicsage.playback.decoders.soundfile_blocks`). Only the frame headers at the
start of the file are read (past an ID3v2 tag, whatever its size: cover art).
"""

from __future__ import annotations

import os

FRAMES_LOOKED_AT = 64
"""Frame headers compared: a VBR encoder changes the bitrate within a second or two."""
_BITRATES = {  # kbit/s by bitrate index: (MPEG-1?, layer)
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
}
_LOW_BITRATES = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 II, III
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_TABLES = (b"Xing", b"Info", b"VBRI")


def length_guessed(path: str) -> bool:
    """True for a VBR MP3 without a frame-count header (libsndfile's length is a guess);
    False where the length is known, or the file cannot be read or parsed (nothing changes)."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            fh.seek(_audio_start(fh.read(10)))
            data = fh.read(FRAMES_LOOKED_AT * 1500)
    except OSError:
        return False
    at = _first_frame(data)
    if at is None:
        return False
    bitrates = set()
    for _ in range(FRAMES_LOOKED_AT):
        frame = _frame(data, at)
        if frame is None:
            break
        if not bitrates and any(t in data[at:at + frame[0]] for t in _TABLES):
            return False  # the length is in that header
        bitrates.add(frame[1])
        at += frame[0]
    return len(bitrates) > 1


def _audio_start(head: bytes) -> int:
    """Where the audio begins: after an ID3v2 tag (its size is syncsafe; a footer adds 10)."""
    if len(head) < 10 or not head.startswith(b"ID3"):
        return 0
    size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | head[9] & 0x7F
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _first_frame(data: bytes) -> int | None:
    """The first frame header followed by another one (a lone sync pattern is not a frame)."""
    at = data.find(b"\xff")
    while 0 <= at < len(data) - 4:
        frame = _frame(data, at)
        if frame is not None and _frame(data, at + frame[0]) is not None:
            return at
        at = data.find(b"\xff", at + 1)
    return None


def _frame(data: bytes, at: int) -> tuple[int, int] | None:
    """(length in bytes, bitrate) of the MPEG audio frame whose header is at ``at``."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version, layer = data[at + 1] >> 3 & 3, 4 - (data[at + 1] >> 1 & 3)
    index, rate_index, padding = data[at + 2] >> 4, data[at + 2] >> 2 & 3, data[at + 2] >> 1 & 1
    if version == 1 or layer == 4 or index in (0, 15) or rate_index == 3:
        return None  # reserved, or free format (no bitrate to compare)
    mpeg1 = version == 3
    table = _BITRATES.get((mpeg1, layer), _LOW_BITRATES)  # (MPEG-2 layers II and III)
    bitrate, rate = table[index] * 1000, _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, bitrate
    per_frame = 72 if layer == 3 and not mpeg1 else 144
    return per_frame * bitrate // rate + padding, bitrate
