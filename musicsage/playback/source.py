"""One track's audio as the engine plays it (:class:`Source`): the decoder's blocks at the
output's rate and channel count, from any frame on, and the file watched while it plays.

A file rewritten in place while it plays (``cp other.mp3 song.flac``, a tool that trims or
re-encodes into the same file) is read by a decoder that opened it before: it meets the new
bytes, or their end, and the track just stopped there ("ended" at 0:06 of 0:20, the slider cut
to match, the queue on to the next as if the song were over). Where the blocks stop short of
the header's length, or fail, while the file on disk is the one opened but its size changed,
:class:`ChangedOnDisk` says so, as a seek that opens it again does. A file replaced by a new
one (moved over it: a tagger's temporary file renamed, rsync) is no such change: the decoder
reads the one it opened, whole, to its end; nor is a file only touched, or its tags edited
within their padding (its time alone changed). The header's length is an estimate for some
formats (a raw ADTS .aac's runs past its audio), so such a file stopped "short" on every play,
and either change made a track that played whole end in an error.
"""

from __future__ import annotations

import os
from typing import Iterator

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.playback.decoders import AudioGone, DamagedAudio, Decoder, Header, _name
from musicsage.playback.downmix import _close, _mixed_down, resampled, stereo_matrix, widened


class ChangedOnDisk(DamagedAudio):
    """The file was changed on disk while it played: the audio after this point is not the
    track's (a :class:`DamagedAudio`, so it plays up to there and then says why)."""

    reason = "the file changed on disk while playing; start it again to play it as it is now"


def _on_disk(path: str) -> tuple[int, int] | None:
    """What tells the file at ``path`` was rewritten in place (its inode, its size); None
    while it cannot be looked at."""
    try:
        st = os.stat(os.fsencode(path))
    except OSError:
        return None
    return st.st_ino, st.st_size


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
        self._opened = _on_disk(path)  # (just after the decoder opened it)

    @property
    def expected(self) -> int | None:
        """The header's frame count at the output's rate."""
        frames, src = self.header.frames, self.header.samplerate
        return frames if not frames or src == self.rate else round(frames * self.rate / src)

    def blocks_from(self, frame: int) -> Iterator[np.ndarray]:
        """Blocks from ``frame`` on; a :class:`MusicsageError` when the file was replaced while
        it played (re-encoded, trimmed by another program: see :func:`_changed`)."""
        first, self._first = self._first, None
        src, at = self.header.samplerate, 0
        if first is not None and frame == 0:
            blocks = first
        else:
            _close(first)
            at = round(frame * src / self.rate)
            header, blocks = self.decoder(self.path, start=at)
            if _changed(header, self.header):
                _close(blocks)
                raise MusicsageError(f"cannot play {_name(self.path)}: {ChangedOnDisk.reason}")
        blocks = self._watched(blocks, at)
        if self.header.samplerate != self.rate:
            blocks = resampled(blocks, self.header.samplerate, self.rate, self.header.channels)
        if self.channels == self.header.channels:
            return blocks
        if self.header.channels > 2:  # a decoder of its own that does not mix down
            return _mixed_down(blocks, stereo_matrix(self.header.channels))
        return widened(blocks, self.channels)

    def _watched(self, blocks: Iterator[np.ndarray], at: int) -> Iterator[np.ndarray]:
        """``blocks``, from the file's frame ``at``; :class:`ChangedOnDisk` where they stop
        short of the header's length, or fail as damaged, while the file opened was written
        into (:meth:`_rewritten`; a file gone keeps its :class:`AudioGone`; one never changed
        ends as before: a download cut short plays what it holds)."""
        try:
            for block in blocks:
                at += len(block)
                yield block
        except AudioGone:
            raise
        except DamagedAudio as exc:
            if self._rewritten():
                raise ChangedOnDisk(f"{_name(self.path)}: {ChangedOnDisk.reason}") from exc
            raise
        finally:
            _close(blocks)
        if self.header.frames and at < self.header.frames and self._rewritten():
            raise ChangedOnDisk(f"{_name(self.path)}: {ChangedOnDisk.reason}")

    def _rewritten(self) -> bool:
        """Whether the file opened is still the one on disk (and is there to say so) but its
        size changed: written into, not moved over (a new inode) nor only touched."""
        now, was = _on_disk(self.path), self._opened
        return now is not None and was is not None and now[0] == was[0] and now[1] != was[1]

    def close(self) -> None:
        _close(self._first)
        self._first = None


def _changed(now: Header, was: Header) -> bool:
    """Whether a file re-opened is not the one :class:`Source` plays: another rate or channel
    count (its blocks would not fit, nor play at the right pitch), or shorter (a seek past its
    end read as damage); longer is not: an added tag (MP3Gain's) lengthens an MP3's guess."""
    shorter = now.frames is not None and was.frames is not None and now.frames < was.frames
    return shorter or (now.samplerate, now.channels) != (was.samplerate, was.channels)

