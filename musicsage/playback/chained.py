"""A chained Ogg file (parts joined one after another: a recorded radio stream, ``cat a.ogg
b.ogg``), read part by part.

libsndfile reads only the first part of such a file, and FFmpeg's seek and length in it cover
only that part too. Each part is a whole Ogg stream, its header pages first, so each is opened
as a file of its own (:class:`~musicsage.playback.oggtail.PartFile`, the parts found by
:func:`~musicsage.playback.oggtail.ogg_parts`): a seek opens the part it lands in and seeks
there, as in any file, and the parts after it follow. Decoding the file from its start up to
the target instead cost about 8 s per seek per hour of audio before it.
:func:`~musicsage.playback.decoders.chained_blocks` gives the header and names the damage.
"""

from __future__ import annotations

import os
from typing import Callable, Iterator

import numpy as np

from musicsage.audio.decode import sf_read
from musicsage.playback.downmix import _close, _mixed_down, stereo_matrix
from musicsage.playback.oggtail import Part, PartFile, seek_exact

PART_BLOCK_FRAMES = 65536
PartReader = Callable[[Part, int], Iterator[np.ndarray]]
"""FFmpeg's reading of one part from a frame on, at the first part's rate and channels."""


def part_blocks(path: str, parts: list[Part], start: int, rate: int, channels: int,
                ffmpeg: PartReader) -> Iterator[np.ndarray]:
    """The blocks of ``parts`` from frame ``start`` (each part's frames added up) on, at
    ``rate`` and ``channels``: libsndfile reads a part in them, its seek exact (FFmpeg's lands
    a short block early in Ogg Vorbis, against its own time stamps); ``ffmpeg`` a part in
    another rate or channel count (converted), or one libsndfile refuses. libsndfile's read
    errors raise as they are (a ``RuntimeError``)."""
    k, begins = 0, 0  # the part ``start`` lies in, and its first frame
    while k + 1 < len(parts) and begins + parts[k].frames <= start:
        begins += parts[k].frames
        k += 1
    at = start - begins
    for part in parts[k:]:
        blocks = _sf_part(path, part, at, rate, channels)
        yield from _cut(ffmpeg(part, at) if blocks is None else blocks, part.frames - at)
        at = 0


def at_rate(parts: list[Part], rate: int) -> list[Part]:
    """``parts`` with their frames counted at ``rate`` (the first part's, which the others are
    played at): a part at another rate counted its own, so the length shown was off, and a
    seek past it landed early (0:25 played 0:24.1 after a 48 kHz part in a 44.1 kHz file) —
    or, in a file that starts at the higher rate, that part's end was cut off."""
    return [p._replace(frames=round(p.frames * rate / p.rate)) if p.rate and p.rate != rate
            else p for p in parts]


def _sf_part(path: str, part: Part, start: int, rate: int,
             channels: int) -> Iterator[np.ndarray] | None:
    """libsndfile's blocks of one part, None where it refuses it or it has another rate or
    channel count."""
    import soundfile as sf

    fh = open(os.fsencode(path), "rb")
    try:
        f = sf.SoundFile(PartFile(fh, part))
    except Exception:  # (not a format libsndfile reads: FFmpeg may)
        fh.close()
        return None
    if (f.samplerate, min(f.channels, 2)) != (rate, channels):
        f.close()
        fh.close()
        return None
    blocks = _sf_read_part(f, fh, part, start)
    return blocks if f.channels <= 2 else _mixed_down(blocks, stereo_matrix(f.channels, True))


def _sf_read_part(f, fh, part: Part, start: int) -> Iterator[np.ndarray]:
    """The blocks of an opened part; a seek into its last page lands late there (see
    :mod:`~musicsage.playback.oggtail`): it goes to where that page begins, and reads on."""
    try:
        with f:
            if start:
                seek_exact(f, start, part.last_page)
            while len(block := sf_read(f, PART_BLOCK_FRAMES)):
                yield block
    finally:
        fh.close()


def _cut(blocks: Iterator[np.ndarray], frames: int) -> Iterator[np.ndarray]:
    """At most ``frames`` of ``blocks``: FFmpeg keeps a part's last Vorbis block whole, past
    the part's length (libsndfile trims it), which would put every later part, and so every
    seek there, that much late against the length and against playing through."""
    try:
        for block in blocks:
            if frames <= 0:
                return
            yield block[:frames]
            frames -= len(block)
    finally:
        _close(blocks)
