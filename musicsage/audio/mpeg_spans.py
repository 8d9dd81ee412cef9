"""Excerpts of an MP3 that holds more than libsndfile reads, decoded by FFmpeg.

libsndfile reads an MP3 no further than the length its header states or, without a Xing/Info
header, guesses (:mod:`musicsage.library.mpeg_frames`): a variable-bitrate rip of 30 s was
embedded from its first 20 s, three files joined end to end from the first one alone, and the
excerpts the frame policy spread over the track all fell in that part. Such a file is read
here instead: FFmpeg demuxes it from the start, each packet's samples counted from its frame
header (never decoded), and only the packets of the excerpts are decoded, each from
:data:`LEAD_FRAMES` frames before it (a frame's data may begin in the ones before it). One pass
reads every excerpt, and memory holds only them. A packet FFmpeg finds invalid is skipped
where it is a tag (the next joined file's), between excerpts and in the lead frames; inside
an excerpt whose audio had begun it is damage, and the file is reported (as
:func:`~musicsage.audio.decode.read_spans` reports a file damaged inside), not embedded.
Without FFmpeg (no PyAV, or one without an MP3 decoder) libsndfile's part is read, as before.

Positions are FFmpeg's count of the frames, as the player's past its guess are: a few
milliseconds from libsndfile's after a join, nothing an excerpt of seconds would notice.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from musicsage.library.mpeg_frames import counted_length, frame_at

if TYPE_CHECKING:
    from musicsage.audio.decode import AudioInfo

BACKEND = "ffmpeg-mpeg"
""":attr:`musicsage.audio.decode.AudioInfo.backend` of a file read here."""
LEAD_FRAMES = 10
"""Frames decoded (and dropped) before an excerpt: the bit reservoir of its first frame."""
TAG_MARKS = (b"ID3", b"TAG", b"APETAGEX")
"""How a packet that is a tag (between joined files: FFmpeg finds it invalid) begins."""
LONGER_BY = 2 * 1152
"""How many samples more than libsndfile reads the frames must hold for FFmpeg to read the
file: a constant-bitrate file's guess is a little long, and libsndfile reads it all."""


class DamagedInside(ValueError):
    """Invalid data inside an excerpt whose audio had begun: the file is damaged there."""

    def __init__(self) -> None:
        super().__init__("damaged audio data?")


def past_libsndfile(info: AudioInfo, libsndfile_frames: int | None) -> AudioInfo:
    """``info`` (libsndfile's :class:`~musicsage.audio.decode.AudioInfo` of an MP3) with the
    length its frames hold where its header does not bound them; read here (:data:`BACKEND`)
    where that is more than the ``libsndfile_frames`` libsndfile reads. A guess can be long
    too (a quiet intro at a low bitrate: 205 s for a 24-s file), and the excerpts spread over
    it fell past the end, where the file was said to be "truncated or damaged". Unchanged
    without FFmpeg's MP3 decoder: libsndfile's part is embedded rather than nothing."""
    if not ffmpeg_reads_mp3():
        return info
    counted = counted_length(info.path)
    if counted is None:
        return info
    longer = not libsndfile_frames or counted[0] > libsndfile_frames + LONGER_BY
    return replace(info, duration_s=counted[0] / info.sample_rate,
                   backend=BACKEND if longer else info.backend)


@lru_cache(maxsize=1)
def ffmpeg_reads_mp3() -> bool:
    """Whether PyAV imports and its FFmpeg has an MP3 decoder (a minimal build may not)."""
    try:
        import av
    except Exception:  # not installed, or its libraries missing: libsndfile reads alone
        return False
    return "mp3" in av.codecs_available


def read(path: str | bytes | os.PathLike,
         ranges: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """Mono float32 samples ``[start, start + n)`` of the file, one array per range (fewer
    samples where the file ends first), at its own rate."""
    import av

    pieces: list[list[np.ndarray]] = [[] for _ in ranges]
    if not ranges:
        return []
    with open(os.fsencode(path), "rb") as fh, av.open(fh) as container:
        stream = container.streams.audio[0]
        _decode_ranges(av, container.demux(stream), ranges, pieces)
    return [np.concatenate(p) if p else np.zeros(0, np.float32) for p in pieces]


def _decode_ranges(av: ModuleType, packets: Iterable, ranges: Sequence[tuple[int, int]],
                   pieces: list[list[np.ndarray]]) -> None:
    """Walk ``packets``, decoding those in or just before a range into ``pieces``; an invalid
    packet that is no tag raises :class:`DamagedInside` inside a range whose audio had
    begun, and is skipped elsewhere (see the module)."""
    end = max(start + n for start, n in ranges)
    lead = LEAD_FRAMES * 1152
    at = 0  # where the next packet's samples start, counted from the frame headers
    for packet in packets:
        if not packet.size or at >= end:
            break  # (the flush packet: the end of the file)
        header = frame_at(bytes(packet)[:4], 0)
        here, at = at, at + (header[1] if header else 0)
        if not any(start - lead <= here < start + n for start, n in ranges):
            continue
        try:
            frames = packet.decode()
        except av.InvalidDataError as exc:
            if _damage_inside(bytes(packet)[:8], here, ranges, pieces):
                raise DamagedInside() from exc
            continue
        for frame in frames:
            mono = _mono(frame)
            _keep(mono, here, ranges, pieces)
            here += len(mono)


def _damage_inside(start_bytes: bytes, at: int, ranges: Sequence[tuple[int, int]],
                   pieces: list[list[np.ndarray]]) -> bool:
    """Whether an invalid packet (its first bytes, at sample ``at``) is damage inside a range
    whose audio had begun; a tag (joined files) never is."""
    if start_bytes.startswith(TAG_MARKS):
        return False
    return any(pieces[i] and start <= at < start + n for i, (start, n) in enumerate(ranges))


def _mono(frame) -> np.ndarray:
    """One decoded frame, its channels averaged, float32."""
    samples = frame.to_ndarray()
    channels = len(frame.layout.channels) or 1
    if not frame.format.is_planar:
        samples = samples.reshape(-1, channels).T
    samples = samples.astype(np.float32, copy=False)
    if frame.format.name.startswith("s16"):
        samples = samples / np.float32(32768)
    return samples.mean(axis=0, dtype=np.float32) if len(samples) > 1 else samples[0].copy()


def _keep(mono: np.ndarray, at: int, ranges: Sequence[tuple[int, int]],
          pieces: list[list[np.ndarray]]) -> None:
    """The parts of ``mono`` (which starts at sample ``at``) that fall in each range."""
    for i, (start, n) in enumerate(ranges):
        lo, hi = max(0, start - at), min(len(mono), start + n - at)
        if hi > lo:
            pieces[i].append(mono[lo:hi])
