"""Decoding for playback: a path → a header and blocks of float32 samples at the file's own rate.

:mod:`musicsage.audio.decode` gives mono excerpts at a model's rate, which is not what a
listener wants; here libsndfile streams what it can and FFmpeg (PyAV) the rest (m4a/AAC…).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.errors import MusicsageError
from musicsage.library.paths import shown

BLOCK_FRAMES = 65536


@dataclass(frozen=True)
class Header:
    samplerate: int
    channels: int
    frames: int | None  # None when the container does not say


Decoder = Callable[[str], tuple[Header, Iterator[np.ndarray]]]


def soundfile_blocks(path: str, *, block_frames: int = BLOCK_FRAMES) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream a file with libsndfile (WAV/FLAC/OGG/Opus/MP3) as float32 (frames, channels)."""
    import soundfile as sf

    muted = might_be_noisy(path)
    with decoder_noise_muted(muted):
        f = sf.SoundFile(os.fsencode(path))  # bytes: undecodable names reach the OS intact
    header = Header(int(f.samplerate), int(f.channels), int(f.frames) if f.frames > 0 else None)

    def blocks() -> Iterator[np.ndarray]:
        with f:
            while True:
                with decoder_noise_muted(muted):  # one block at a time: a child may start between
                    block = f.read(block_frames, dtype="float32", always_2d=True)
                if len(block) == 0:
                    return
                yield block

    return header, blocks()


def pyav_blocks(path: str) -> tuple[Header, Iterator[np.ndarray]]:
    """Stream what libsndfile cannot read (m4a/AAC, WMA…) through FFmpeg, at the native rate.

    More than two channels are downmixed to stereo (what desktop outputs expect).
    """
    import av

    fh = open(os.fsencode(path), "rb")  # a file object: FFmpeg cannot take undecodable names
    try:
        container = av.open(fh)
        stream = container.streams.audio[0]
    except Exception as e:
        fh.close()
        raise MusicsageError(f"cannot play {_name(path)}: {e}") from e
    sr = int(stream.rate or stream.codec_context.sample_rate or 0)
    if sr <= 0:
        container.close()
        fh.close()
        raise MusicsageError(f"cannot play {_name(path)}: not a readable audio file")
    channels = 1 if (stream.channels or 1) == 1 else 2
    frames = None
    if stream.duration and stream.time_base:
        frames = int(stream.duration * stream.time_base * sr)
    elif container.duration:
        frames = int(container.duration / 1_000_000 * sr)
    resampler = av.AudioResampler(format="flt", layout="mono" if channels == 1 else "stereo", rate=sr)

    def blocks() -> Iterator[np.ndarray]:
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1, channels)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1, channels)
        finally:
            container.close()
            fh.close()

    return Header(sr, channels, frames), blocks()


def _name(path: str) -> str:
    return shown(os.path.basename(path))


def default_decoder(path: str) -> tuple[Header, Iterator[np.ndarray]]:
    try:
        return soundfile_blocks(path)
    except Exception as first:  # libsndfile refused the format
        if not Path(path).is_file():
            raise MusicsageError(f"file not found: {shown(path)}") from first
        return pyav_blocks(path)


def _resampled(blocks: Iterator[np.ndarray], src: int, dst: int, channels: int) -> Iterator[np.ndarray]:
    import soxr

    rs = soxr.ResampleStream(src, dst, channels, dtype="float32")
    for block in blocks:
        out = rs.resample_chunk(block)
        if len(out):
            yield out
    tail = rs.resample_chunk(np.zeros((0, channels), np.float32), last=True)
    if len(tail):
        yield tail
