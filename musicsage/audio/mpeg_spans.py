"""Excerpts of an MP3 that holds more than libsndfile reads, decoded by FFmpeg.

libsndfile reads an MP3 no further than the length its header states or, without a Xing/Info
header, guesses (:mod:`musicsage.library.mpeg_frames`): a variable-bitrate rip of 30 s was
embedded from its first 20 s, three files joined end to end from the first one alone, and the
excerpts the frame policy spread over the track all fell in that part. Such a file is read
here instead: FFmpeg demuxes it from the start, each packet's samples counted from its frame
header (never decoded), and only the packets of the excerpts are decoded, each from
:data:`LEAD_FRAMES` frames before it (a frame's data may begin in the ones before it). One pass
reads every excerpt, and memory holds only them. A tag between joined files (ID3v2, ID3v1,
APEv2, Lyrics3v2) is skipped whole, neither counted nor decoded: a packet beginning with its
mark starts it and its own header says where it ends, if within the file (FFmpeg finds
false frame starts inside a cover picture, 115 in one tag, which read as damage). Another
packet FFmpeg finds invalid is skipped between excerpts and in the lead frames; inside an
excerpt whose audio had begun, or one inside the counted length that got no samples,
it is damage, and the file is reported (as :func:`~musicsage.audio.decode.read_spans`
reports a file damaged inside), not embedded. Without FFmpeg (no PyAV, or one without an MP3
demuxer and decoder) libsndfile's part is read, as before.

Positions are FFmpeg's count of the frames, as the player's past its guess are: a few
milliseconds from libsndfile's after a join, nothing an excerpt of seconds would notice.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Sequence

import numpy as np

from musicsage.library.audio_hash import after_id3v2
from musicsage.library.mpeg_frames import changes_midway, counted_length, frame_at

if TYPE_CHECKING:
    from musicsage.audio.decode import AudioInfo

BACKEND = "ffmpeg-mpeg"
""":attr:`musicsage.audio.decode.AudioInfo.backend` of a file read here."""
LEAD_FRAMES = 10
"""Frames decoded (and dropped) before an excerpt, and before the player's search past its
guess (:mod:`musicsage.playback.mp3_takeover`): the bit reservoir of the first frame."""
TAG_MARKS = (b"ID3", b"TAG", b"APETAGEX", b"LYRICSBEGIN")
"""How a packet that is a tag (between joined files: FFmpeg finds it invalid) begins."""
LYRICS_MAX_BYTES = 999_999 + 15
"""The most a Lyrics3v2 tag holds (a six-digit size, then "LYRICS200"): where its end is
looked for."""
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
    counted = counted_frames(info.path, info.sample_rate)
    if counted is None:
        return info
    past = _past(counted, libsndfile_frames) or changes_midway(info.path)  # libsndfile stops
    return replace(info, duration_s=counted / info.sample_rate,
                   backend=BACKEND if past else info.backend)


def frames_past_libsndfile(path: str | bytes | os.PathLike, libsndfile_frames: int | None,
                           rate: int) -> int | None:
    """The frames' count of an MP3 where FFmpeg reads it past the ``libsndfile_frames``
    libsndfile reads (by :data:`LONGER_BY`: files joined by ``cat``, 10 s of 30); None
    otherwise (see :func:`counted_frames`): the player and the embedder decide alike, though
    the player also takes over an MP3 whose length is only guessed on that alone
    (:func:`~musicsage.playback.mpeg_length.length_guessed`)."""
    counted = counted_frames(path, rate)
    return counted if counted is not None and _past(counted, libsndfile_frames) else None


def counted_frames(path: str | bytes | os.PathLike, rate: int) -> int | None:
    """:func:`~musicsage.library.mpeg_frames.counted_length`'s samples where they are at
    ``rate`` (libsndfile's) and FFmpeg can read the MP3 (:func:`ffmpeg_reads_mp3`); None
    where the header bounds the audio (almost every file, for two 64-KiB reads)."""
    if not ffmpeg_reads_mp3():
        return None
    counted = counted_length(path)
    return counted[0] if counted is not None and counted[1] == rate else None


def _past(counted: int, libsndfile_frames: int | None) -> bool:
    """Whether ``counted`` frames are more than libsndfile reads, by :data:`LONGER_BY`."""
    return not libsndfile_frames or counted > libsndfile_frames + LONGER_BY


@lru_cache(maxsize=1)
def ffmpeg_reads_mp3() -> bool:
    """Whether PyAV imports and its FFmpeg has an MP3 demuxer and decoder (a minimal build
    may lack either)."""
    try:
        import av
    except Exception:  # not installed, or its libraries missing: libsndfile reads alone
        return False
    return "mp3" in av.codecs_available and "mp3" in av.formats_available


def read(path: str | bytes | os.PathLike,
         ranges: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """Mono float32 samples ``[start, start + n)`` of the file, one array per range (fewer
    samples where the file ends first), at its own rate. A range that starts inside the
    frames' count (by more than :data:`LONGER_BY`) and gets no samples raises
    :class:`DamagedInside`: its packets were skipped (a tag whose size claims the audio
    after it), and an excerpt dropped as empty hid that the file was not read whole."""
    import av

    pieces: list[list[np.ndarray]] = [[] for _ in ranges]
    if not ranges:
        return []
    counted = counted_length(path)  # its rate is the first frame's: the ranges' too
    with open(os.fsencode(path), "rb") as fh, open(os.fsencode(path), "rb") as tags, \
            av.open(fh) as container:
        stream = container.streams.audio[0]
        rate = counted[1] if counted else stream.codec_context.sample_rate
        _decode_ranges(av, container.demux(stream), ranges, pieces, tags, rate)
    if counted and any(not p and start + LONGER_BY < counted[0]
                       for p, (start, _n) in zip(pieces, ranges)):
        raise DamagedInside()
    # (a frame resampled past a change of rate may run a few samples into the next's place)
    return [np.concatenate(p)[:n] if p else np.zeros(0, np.float32)
            for p, (_start, n) in zip(pieces, ranges)]


def _decode_ranges(av: ModuleType, packets: Iterable, ranges: Sequence[tuple[int, int]],
                   pieces: list[list[np.ndarray]], tags: BinaryIO, rate: int) -> None:
    """Walk ``packets``, decoding those in or just before a range into ``pieces``; a tag
    (read in ``tags``, the file opened again) skipped whole, and an invalid packet raising
    :class:`DamagedInside` inside a range whose audio had begun (see the module). Samples
    are counted and kept at ``rate`` (the first frame's, as the ranges are): a frame of
    another rate, past a change of rate, is resampled to it (``resamplers``: one per rate)."""
    resamplers: dict[int, Any] = {}
    end = max(start + n for start, n in ranges)
    lead = LEAD_FRAMES * 1152
    at = 0  # where the next packet's samples start, counted from the frame headers
    tag_end, in_tag = 0, False  # in_tag: no frame begun since a tag's mark
    for packet in packets:
        if not packet.size or at >= end:
            break  # (the flush packet: the end of the file)
        head, pos = bytes(packet)[:16], packet.pos
        header = frame_at(head, 0)
        if head.startswith(TAG_MARKS):
            tag_end, in_tag = _tag_end(tags, pos, head) if pos is not None else 0, True
        if in_tag and (header is None or pos is not None and pos < tag_end):
            continue  # a false frame start in a picture, or the rest of the packet FFmpeg
        in_tag = False  # joined to the tag's end (the next file's Info frame, cut)
        here, at = round(at), at + (header[1] * rate / header[2] if header else 0)
        if not any(start - lead <= here < start + n for start, n in ranges):
            continue
        try:
            frames = packet.decode()
        except av.InvalidDataError as exc:
            if _damage_inside(here, ranges, pieces):
                raise DamagedInside() from exc
            continue
        for frame in frames:
            mono = _at_rate(_mono(frame), frame.sample_rate, rate, resamplers)
            _keep(mono, here, ranges, pieces)
            here += len(mono)


def _tag_end(fh: BinaryIO, pos: int, head: bytes) -> int:
    """:func:`_stated_tag_end` where it lies within the file; else ``pos``, and only the
    packets FFmpeg finds invalid are skipped (a damaged size, up to 256 MiB for ID3v2 and
    4 GiB for APEv2, skipped every later packet, and the excerpts after it came out empty)."""
    end = _stated_tag_end(fh, pos, head)
    return end if end <= os.fstat(fh.fileno()).st_size else pos


def _stated_tag_end(fh: BinaryIO, pos: int, head: bytes) -> int:
    """Where the tag whose mark ``head`` (its first bytes) begins at byte ``pos`` ends, from
    its own header: an ID3v2 tag's synchsafe size (several in a row), an APEv2 header's size,
    the "LYRICS200" that closes a Lyrics3v2 tag, an ID3v1 tag's 128 bytes."""
    if head.startswith(b"ID3"):
        fh.seek(pos)
        return after_id3v2(fh, fh.read(10), pos)
    if head.startswith(b"APETAGEX"):
        fh.seek(pos)
        ape = fh.read(32)  # a footer's size counts the items before it: only its 32 bytes
        is_header = int.from_bytes(ape[20:24], "little") & (1 << 29)
        return pos + 32 + (int.from_bytes(ape[12:16], "little") if is_header else 0)
    if head.startswith(b"LYRICSBEGIN"):
        fh.seek(pos)
        close = fh.read(LYRICS_MAX_BYTES).find(b"LYRICS200")
        return pos + close + 9 if close >= 0 else pos
    return pos + 128


def _damage_inside(at: int, ranges: Sequence[tuple[int, int]],
                   pieces: list[list[np.ndarray]]) -> bool:
    """Whether an invalid packet at sample ``at`` is damage: inside a range whose audio had
    begun."""
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


def _at_rate(mono: np.ndarray, own: int, rate: int, resamplers: dict[int, Any]) -> np.ndarray:
    """``mono``, decoded at its frame's ``own`` rate, at ``rate``: through a stream resampler
    kept for that rate (frames resampled one by one would click at every frame's edge)."""
    if not own or own == rate:
        return mono
    import soxr

    if own not in resamplers:
        resamplers[own] = soxr.ResampleStream(own, rate, 1, dtype="float32")
    return resamplers[own].resample_chunk(mono)


def _keep(mono: np.ndarray, at: int, ranges: Sequence[tuple[int, int]],
          pieces: list[list[np.ndarray]]) -> None:
    """The parts of ``mono`` (which starts at sample ``at``) that fall in each range."""
    for i, (start, n) in enumerate(ranges):
        lo, hi = max(0, start - at), min(len(mono), start + n - at)
        if hi > lo:
            pieces[i].append(mono[lo:hi])
