"""How long an MP3 really is where its header does not bound it, counted from its frames.

libsndfile (libmpg123) and mutagen take an MP3's length from its Xing/Info header, or, without
one, guess it from the first frame's bitrate; libsndfile then reads no further. Two kinds of
file hold more than that: a variable-bitrate file without the header (old encoders, stream
rips; a VBRI header, which libsndfile ignores, is no help), whose guess was 20 s of a 30-s file,
and files joined end to end (``cat a.mp3 b.mp3``, a mix saved in parts) or a header that
lies, where the first file's Info header says where the audio ends and the rest is never read:
a 30-s join scanned and embedded as 10 s. Here every frame header is walked (a 3-hour file
in about a second: headers only, nothing decoded), a tag or damage between frames skipped,
and the samples they hold counted: the length the scan stores and the embedder reads to.

A file whose Info header counts the bytes up to its end (almost every file) is not walked:
only the bytes past that end are looked at. Kept in ``library/`` (the first layer) so that
the scan, the decoders (``audio/``) and the player (:mod:`musicsage.playback.mpeg_length`)
parse frames with this one parser and count alike.

Files joined at different sample rates (a 44.1-kHz part, then a 48-kHz one: a broadcast
recording whose programme changed) are counted whole, each frame as the samples of the first
rate it plays for: only the first rate's frames were walked, so such a file kept its first
part's length (10 s of 20), and the player, which goes on through FFmpeg only where
libsndfile stops short of the count, stopped at the change without a word.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import BinaryIO

from musicsage.library.audio_hash import after_id3v2

LOOKED_AT_BYTES = 64 * 1024
"""How far past the tags the first frame (and past a header's end, the next file's) is looked
for: some rips put junk before it."""
CHUNK_BYTES = 1 << 20
"""The walk reads this much at a time: memory stays bounded whatever the file's length."""
MAX_FRAME_BYTES = 2 * 1729 + 8
"""Two of the longest frames (MPEG-1 Layer II at 384 kbit/s and 32 kHz, padded) and a header:
what the walk keeps ahead of where it is, to tell a frame from a stray sync pattern."""
_BITRATES = {  # kbit/s by bitrate index: (MPEG-1?, layer)
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
}
_LOW_BITRATES = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 II, III
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
COUNTS_KEPT = 64
"""How many files' counts are kept, by path, size and modification time: the player opens a
joined file again at every seek, and each open counted it anew (a full read of a one-hour
file per seek, from a network drive too)."""
_counts: OrderedDict[tuple, tuple[int, int, bool] | None] = OrderedDict()
_counts_lock = threading.Lock()  # the scan's workers and the player count at once
LENGTH_TABLES = (b"Xing", b"Info")
"""The frame-count headers libsndfile reads (VBRI is not one: its length is still guessed)."""
_TABLES = (*LENGTH_TABLES, b"VBRI")
"""Headers in a file's first frame, which decoders skip: it is no audio."""


def frame_at(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(bytes, samples, sample rate) of the MPEG audio frame whose header is at ``at`` in
    ``data``; None for anything else (reserved values, free format: no length to walk by)."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version, layer = data[at + 1] >> 3 & 3, 4 - (data[at + 1] >> 1 & 3)
    index, rate_index, padding = data[at + 2] >> 4, data[at + 2] >> 2 & 3, data[at + 2] >> 1 & 1
    if version == 1 or layer == 4 or index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES.get((mpeg1, layer), _LOW_BITRATES)[index] * 1000
    rate = _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384, rate
    low = layer == 3 and not mpeg1
    return (72 if low else 144) * bitrate // rate + padding, 576 if low else 1152, rate


def counted_length(fs_path: str | bytes | os.PathLike) -> tuple[int, int] | None:
    """(samples, sample rate) of an MP3 whose header does not bound its audio (no Xing/Info
    header, or frames going on past the end it states), counted from its frames; None where
    the header's length holds, or the file is no MPEG audio or cannot be read. A file
    unchanged since it was last counted (same size and modification time) is not read again."""
    walk = _counted_walk(fs_path)
    return None if walk is None else walk[:2]


def changes_midway(fs_path: str | bytes | os.PathLike) -> bool:
    """Whether the frames :func:`counted_length` counts change sample rate, or turn between
    mono and stereo, past the first: libsndfile (libmpg123) stops reading there, whatever
    length it states or guesses, so its read of such a file ends at the change."""
    walk = _counted_walk(fs_path)
    return walk is not None and walk[2]


def _counted_walk(fs_path: str | bytes | os.PathLike) -> tuple[int, int, bool] | None:
    """:func:`counted_length` with :func:`changes_midway`, kept by path, size and time."""
    try:
        with open(os.fsencode(fs_path), "rb") as fh:
            stat = os.fstat(fh.fileno())
            key = (os.fsencode(fs_path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
            with _counts_lock:
                if key in _counts:
                    _counts.move_to_end(key)
                    return _counts[key]
            counted = _counted(fh)
            with _counts_lock:
                _counts[key] = counted
                if len(_counts) > COUNTS_KEPT:
                    _counts.popitem(last=False)
            return counted
    except OSError:
        return None


def _counted(fh: BinaryIO) -> tuple[int, int, bool] | None:
    """:func:`counted_length` of the open file ``fh``, read."""
    at = first_frame_at(fh, 0)
    if at is None:
        return None
    fh.seek(at)
    first = fh.read(MAX_FRAME_BYTES)
    stated = _stated_bytes(first)
    if stated is not None and first_frame_at(fh, at + stated) is None:
        return None
    return _walked(fh, at, first)


def _stated_bytes(first: bytes) -> int | None:
    """The audio's length in bytes from the first frame's Xing/Info header (the frame itself
    included); None without one, or one that leaves the byte count out."""
    frame = frame_at(first, 0)
    head = first[:frame[0]] if frame else b""
    for table in LENGTH_TABLES:
        i = head.find(table)
        if i >= 0 and len(head) >= i + 16:
            flags = int.from_bytes(head[i + 4:i + 8], "big")
            if flags & 2:  # the byte count follows the frame count when both are there
                return int.from_bytes(head[i + 12 - 4 * (not flags & 1):][:4], "big")
    return None


def _rate_at(data: bytes, at: int, rate: int) -> int:
    """The sample rate of the frame :func:`_synced` found at ``at`` in ``data`` (``rate``
    where there is none, which it never finds)."""
    frame = frame_at(data, at)
    return rate if frame is None else frame[2]


def _mono_frame(data: bytes, at: int) -> bool:
    """Whether the frame whose header is at ``at`` in ``data`` is mono (channel mode 3)."""
    return data[at + 3] >> 6 == 3


def first_frame_at(fh: BinaryIO, start: int = 0) -> int | None:
    """Where the first frame at or after ``start`` begins, past ID3v2 tags there and junk
    (within :data:`LOOKED_AT_BYTES`): a frame header followed by another one of the same
    rate (a lone sync pattern is none); None where there is none."""
    fh.seek(start)
    start = after_id3v2(fh, fh.read(10), start)
    fh.seek(start)
    at = _synced(fh.read(LOOKED_AT_BYTES), 0, None)
    return None if at is None else start + at


def _synced(data: bytes, at: int, rate: int | None) -> int | None:
    """The first place from ``at`` in ``data`` where a frame (of ``rate``, when given) is
    followed by another of the same rate; None where none is."""
    at = data.find(b"\xff", at)
    while 0 <= at < len(data) - 4:
        frame = frame_at(data, at)
        if frame is not None and (rate is None or frame[2] == rate):
            after = frame_at(data, at + frame[0])
            if after is not None and after[2] == frame[2]:
                return at
        at = data.find(b"\xff", at + 1)
    return None


def _walked(fh: BinaryIO, at: int, first: bytes) -> tuple[int, int, bool] | None:
    """The samples of every frame from ``at`` to the end of the file, at the first frame's
    rate (a frame of another rate, past a change of rate, counted as the samples of the first
    rate it plays for), and whether the rate or mono-ness changes on the way (see
    :func:`changes_midway`); the first frame counts none when it holds a Xing, Info or VBRI
    header."""
    frame = frame_at(first, 0)
    if frame is None:
        return None
    size, _samples, rate = frame
    skip_first = any(table in first[:size] for table in _TABLES)
    fh.seek(at)
    data, pos, total, ended, now = b"", 0, 0.0, False, rate  # now: the rate walked
    mono, changed = _mono_frame(first, 0), False
    while True:
        if not ended and len(data) - pos < MAX_FRAME_BYTES:
            more = fh.read(CHUNK_BYTES)
            data, pos, ended = data[pos:] + more, 0, not more
            continue
        frame = frame_at(data, pos)
        if frame is not None and frame[2] == now and pos + frame[0] <= len(data):
            total += 0 if skip_first else frame[1] * rate / now
            changed = changed or now != rate or _mono_frame(data, pos) != mono
            pos, skip_first = pos + frame[0], False
            continue
        # a tag between joined files, damage, or a change of rate (a frame of another rate
        # here, followed by one of its own)
        found = _synced(data, pos + (frame is None or frame[2] == now), None)
        if found is not None:
            pos, now = found, _rate_at(data, found, now)
        elif ended:
            return round(total), rate, changed
        else:  # keep the last bytes: a frame may start there, its successor not read yet
            pos = max(pos + 1, len(data) - MAX_FRAME_BYTES)
