"""One track's audio as the engine plays it (:class:`Source`): the decoder's blocks at the
output's rate and channel count, from any frame on.

A seek that opens the file again checks it is the file opened (:func:`_changed`). A file
rewritten in place while it plays is not watched otherwise: a rule for it (its size or inode
looked at where the blocks stop short) was tried and taken out, because the header's length is
an estimate for some formats (a raw ADTS .aac's runs past its audio), so a track that played
whole ended in an error when it was moved over, touched, or had a tag appended or removed.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.playback.decoders import AudioChanged, Decoder, Header, shown_name
from musicsage.playback.downmix import _close, _mixed_down, resampled, stereo_matrix, widened


class Source:
    """One file's audio at the output's rate and channel count, from any frame on: the
    header's own blocks from the start, the decoder opened again elsewhere (a seek outside what
    is decoded). ``channels``: the output's, when it would not take the file's (mono on an
    output that opened only in stereo: the one channel goes to both)."""

    def __init__(self, path: str, decoder: Decoder, header: Header,
                 blocks: Iterator[np.ndarray], rate: int, channels: int = 0) -> None:
        self.path, self.decoder, self.header, self.rate = path, decoder, header, rate
        self.channels = channels or header.channels
        self._first: Iterator[np.ndarray] | None = blocks

    @property
    def expected(self) -> int | None:
        """The header's frame count at the output's rate."""
        frames, src = self.header.frames, self.header.samplerate
        return frames if not frames or src == self.rate else round(frames * self.rate / src)

    def blocks_from(self, frame: int) -> Iterator[np.ndarray]:
        """Blocks from ``frame`` on; a :class:`MusicsageError` when the file was replaced while
        it played (re-encoded, trimmed by another program: see :func:`_changed`)."""
        first, self._first = self._first, None
        if first is not None and frame == 0:
            blocks = first
        else:
            _close(first)
            src = self.header.samplerate
            header, blocks = self.decoder(self.path, start=round(frame * src / self.rate))
            if _changed(header, self.header):
                _close(blocks)
                raise MusicsageError(f"cannot play {shown_name(self.path)}: {AudioChanged.reason}")
        blocks = self._of_its_width(blocks)
        if self.header.samplerate != self.rate:
            blocks = resampled(blocks, self.header.samplerate, self.rate, self.header.channels)
        if self.channels == self.header.channels:
            return blocks
        if self.header.channels > 2:  # a decoder of its own that does not mix down
            return _mixed_down(blocks, stereo_matrix(self.header.channels))
        return widened(blocks, self.channels)

    def _of_its_width(self, blocks: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        """``blocks``, up to one of another channel count than the header's (the file
        overwritten while it plays, a decoder opening it again): :class:`AudioChanged` there,
        a file error. Such a block reached the sound card's callback, which failed on it: the
        player said "audio output stalled" and told the user to reconnect the device."""
        try:
            for block in blocks:
                if block.ndim == 2 and block.shape[1] != self.header.channels:
                    raise AudioChanged(f"{shown_name(self.path)}: {AudioChanged.reason}")
                yield block
        finally:
            _close(blocks)

    def close(self) -> None:
        _close(self._first)
        self._first = None


def _changed(now: Header, was: Header) -> bool:
    """Whether a file re-opened is not the one :class:`Source` plays: another rate or channel
    count (its blocks would not fit, nor play at the right pitch), or shorter (a seek past its
    end read as damage); longer is not: an added tag (MP3Gain's) lengthens an MP3's guess."""
    shorter = now.frames is not None and was.frames is not None and now.frames < was.frames
    return shorter or (now.samplerate, now.channels) != (was.samplerate, was.channels)

