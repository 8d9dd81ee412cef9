"""The length of a raw AAC (ADTS) file, counted from its frame headers: :func:`adts_length`.

A raw ``.aac`` file has no header stating its length: mutagen and FFmpeg both guess it from
the bit rate of its first frames and the file's size. For a VBR file those frames are not
typical: one with a quiet intro (a few bytes a frame) was stored as 17:41 for a 1:00 track,
and the window, the map's tooltips and the player's seek bar showed that length. Every ADTS
frame starts with a 7-byte header giving its size and its count of 1024-sample blocks, so
walking the headers (no audio decoded; a few bytes a frame) gives the length exactly.

mutagen also wants three frames in a row before it takes a file for AAC: a file of one or
two frames (a click of 50 ms) was refused "not a readable aac file (sync not found)", where
it is whole and only too short to analyse; :func:`adts_length` tells the probe that it is
(:mod:`.tags`).
"""

from __future__ import annotations

import mmap
import os

_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
          7350)
"""ADTS's sampling-frequency index → Hz (indices 13-15 are reserved: no ADTS file)."""
_HEADER_BYTES = 7
_MOST_FRAMES = 2_000_000
"""The most frames walked (about 13 hours at 44.1 kHz): a longer walk gives up, and the
guess stands (the walk stays bounded whatever the file)."""
_TRAILERS = (b"TAG", b"APETAGEX", b"ID3", b"LYRICS")
"""What may follow the last frame and is no damage: an ID3v1, APEv2, ID3v2 or Lyrics3 tag."""


def adts_length(fs_path: str) -> float | None:
    """The seconds the ADTS frames of the file at ``fs_path`` hold, counted from their
    headers, when they run unbroken from its start (after an ID3v2 tag) to its end (or to a
    tag there); None for another file, one whose frames break off before the end (damaged:
    its guessed length stands and the decoder's check tells), or one that cannot be read."""
    try:
        with open(fs_path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size < _HEADER_BYTES:
                return None
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _walk(data, _after_id3v2(data))
    except (OSError, ValueError):
        return None


def _after_id3v2(data) -> int:
    """Where the audio starts: after an ID3v2 tag at the start (its size is synchsafe)."""
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)  # the footer, when the flag says so


def _walk(data, at: int) -> float | None:
    """The seconds of the frames from ``at`` to the end (module doc), or None."""
    end, samples, rate, frames = len(data), 0, 0, 0
    while at + _HEADER_BYTES <= end and frames < _MOST_FRAMES:
        if data[at] != 0xFF or data[at + 1] & 0xF6 != 0xF0:
            break  # no sync word, or a layer other than 0: not (or no more) ADTS
        index = (data[at + 2] >> 2) & 0x0F
        size = ((data[at + 3] & 0x03) << 11) | (data[at + 4] << 3) | (data[at + 5] >> 5)
        if index >= len(_RATES) or size < _HEADER_BYTES or (rate and _RATES[index] != rate):
            break
        rate = _RATES[index]
        samples += 1024 * ((data[at + 6] & 0x03) + 1)
        frames += 1
        at += size
    if not frames or frames >= _MOST_FRAMES or at > end:
        return None  # the last frame runs past the end: a cut file, as the decoder says
    if at < end and not any(data[at:at + len(t)] == t for t in _TRAILERS):
        return None
    return samples / rate
