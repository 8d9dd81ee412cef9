"""Surround to stereo for playback: a 5.1 FLAC is played on the two speakers every output has.

Opened with its own six channels, a surround file failed on a stereo sound card (PortAudio
refuses the channel count), which read as a failed output and stopped the queue. Both decoders
give every channel, and they are mixed down here, with the usual matrix: the front pair as it
is, the centre and the surrounds at -3 dB (0.7071) into both or their side, the LFE left out (a
speaker pair cannot reproduce it and it muddies the mix), the whole scaled so a full-scale sum
cannot clip (FFmpeg's own downmix to float is not scaled: see :class:`FloatFrames`), so the two
paths sound alike.

Channel order is the file format's own: WAV, FLAC and most others use the WAVE order (FL FR FC
LFE BL BR SL SR); Vorbis and Opus in Ogg use theirs (FL FC FR BL BR LFE…); FFmpeg names each
channel (:func:`layout_matrix`).

The other fittings of a file's blocks to the output live here too: mono widened to the
channels an output opened with, another rate resampled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import numpy as np

if TYPE_CHECKING:
    import av

CHUNK_FRAMES = 16384
"""FFmpeg's frames (~1,024 samples) are joined into blocks at least this long."""
C = 0.7071  # -3 dB
FL, FR, FC, LFE, SL, SR, BC = (1, 0), (0, 1), (C, C), (0, 0), (C, 0), (0, C), (0.5, 0.5)
WAVE_ORDER = {3: (FL, FR, FC), 4: (FL, FR, SL, SR), 5: (FL, FR, FC, SL, SR),
              6: (FL, FR, FC, LFE, SL, SR), 7: (FL, FR, FC, LFE, BC, SL, SR),
              8: (FL, FR, FC, LFE, SL, SR, SL, SR)}
"""(left, right) gains of each channel, by channel count, in the WAVE order."""
VORBIS_ORDER = {3: (FL, FC, FR), 4: (FL, FR, SL, SR), 5: (FL, FC, FR, SL, SR),
                6: (FL, FC, FR, SL, SR, LFE), 7: (FL, FC, FR, SL, SR, BC, LFE),
                8: (FL, FC, FR, SL, SR, SL, SR, LFE)}
"""The same in the Vorbis order (Ogg Vorbis and Opus)."""


def stereo_matrix(channels: int, vorbis_order: bool = False) -> np.ndarray:
    """The (channels, 2) float32 matrix that mixes ``channels`` (> 2) down to stereo. A count
    without a known layout alternates left and right after the front pair, at -3 dB."""
    known = (VORBIS_ORDER if vorbis_order else WAVE_ORDER).get(channels)
    gains = known or (FL, FR, *[(SL, SR)[i % 2] for i in range(channels - 2)])
    matrix = np.array(gains, np.float32)
    return matrix / max(1.0, float(matrix.sum(axis=0).max()))


def to_stereo(block: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``block`` (frames, channels) mixed down to (frames, 2) float32."""
    return np.ascontiguousarray(block @ matrix, dtype=np.float32)


def to_mono(block: np.ndarray) -> np.ndarray:
    """``block`` (frames, 2) as (frames, 1) float32, the mean of its sides: a sound on both at
    one level stays at that level, and a full-scale pair cannot clip."""
    return np.ascontiguousarray(block.mean(axis=1, keepdims=True), dtype=np.float32)


def _mixed_down(blocks: Iterator[np.ndarray], matrix: np.ndarray) -> Iterator[np.ndarray]:
    """``blocks`` in stereo; closing this closes them (the file)."""
    try:
        for block in blocks:
            yield to_stereo(block, matrix)
    finally:
        _close(blocks)


def _close(blocks: Iterator[np.ndarray] | None) -> None:
    """Let a decoder go now (its file, FFmpeg's context), not when it is garbage."""
    close = getattr(blocks, "close", None)
    if close is not None:
        close()


def widened(blocks: Iterator[np.ndarray], channels: int) -> Iterator[np.ndarray]:
    """Mono ``blocks`` on ``channels`` channels, each the same."""
    try:
        for block in blocks:
            yield np.repeat(block.reshape(len(block), -1)[:, :1], channels, axis=1)
    finally:
        _close(blocks)


def resampled(blocks: Iterator[np.ndarray], src: int, dst: int,
              channels: int) -> Iterator[np.ndarray]:
    """``blocks`` at ``src`` Hz resampled to ``dst`` Hz (an output that would not open at the
    file's own rate)."""
    import soxr

    rs = soxr.ResampleStream(src, dst, channels, dtype="float32")
    try:
        for block in blocks:
            out = rs.resample_chunk(block)
            if len(out):
                yield out
    finally:
        _close(blocks)
    tail = rs.resample_chunk(np.zeros((0, channels), np.float32), last=True)
    if len(tail):
        yield tail


SILENT_NAMES = frozenset({"LFE", "LFE2", "LFE3"})
"""FFmpeg's names of the low-frequency channels, left out as the WAVE order's LFE is."""
CENTRE_NAMES = {"FC": FC, "TC": FC, "TFC": FC, "BFC": FC, "BC": BC, "TBC": BC}


def layout_matrix(names: tuple[str, ...]) -> np.ndarray:
    """The (channels, 2) matrix that mixes channels named as FFmpeg names them ("FL", "FC",
    "LFE", "SL"…) down to stereo, with :func:`stereo_matrix`'s gains and scaling; where a
    channel is unnamed ("NONE", "USR3": a WAV without a channel mask), :func:`stereo_matrix`'s
    for that many channels in the WAVE order.

    Every other channel of a side ("BL", "SL", "WL", "TFL", "TBR"…: back, side, wide, top)
    goes to that side at -3 dB, as a side channel: a stereo pair has no speaker behind, above
    or beside the listener to give them, and :data:`WAVE_ORDER` mixes its back pair so too
    (a 7.1 FLAC and the same 7.1 through FFmpeg sound alike)."""
    gains = []
    for name in names:
        if name in SILENT_NAMES:
            gains.append(LFE)
        elif name in CENTRE_NAMES:
            gains.append(CENTRE_NAMES[name])
        elif name in ("FL", "FLC", "FR", "FRC"):
            gains.append(FL if name.startswith("FL") else FR)
        elif name.endswith(("L", "R")) and name.isalpha():  # side, back, wide, top
            gains.append(SL if name.endswith("L") else SR)
        else:  # (unnamed: "USR3", "NONE")
            return stereo_matrix(len(names))
    matrix = np.array(gains, np.float32)
    return matrix / max(1.0, float(matrix.sum(axis=0).max()))


class FloatFrames:
    """FFmpeg's decoded frames as float32 blocks of ``channels`` (one, or two) at ``rate``:
    the blocks the player joins and plays, for every file FFmpeg decodes (an MP3's frames
    past libsndfile's guess too: :mod:`musicsage.playback.mp3_takeover`). A mono frame where
    two channels were announced is on both at its own level, as :func:`widened` plays mono;
    a stereo frame where one was announced is the mean of its sides (:func:`to_mono`).

    More than two channels are mixed down here (:func:`layout_matrix`), not by FFmpeg: its
    downmix to float is not scaled (a 5.1 AC-3 file at full scale peaked at 2.4 times it, and
    AAC's centre channel went into both sides at full level), which a sound card clips: loud
    passages of a surround film or concert distorted, and it played more than twice as loud
    as the same mix through libsndfile.

    A frame of another layout, sample format or rate than the one before (a TV recording's
    stereo programme then its 5.1 film, AAC or AC-3) gets a resampler of its own, the old one
    flushed first: PyAV's resampler takes only frames like its first, and raised "Frame does
    not match AudioResampler setup.", which stopped such a file at the change."""

    def __init__(self, channels: int, rate: int) -> None:
        self.channels, self._rate = channels, rate
        self._resampler = self._new_resampler()
        self._setup: tuple[str, str, int] | None = None  # that of the frames it takes
        self._matrices: dict[tuple[str, ...], np.ndarray] = {}

    def _new_resampler(self) -> av.AudioResampler:
        """A resampler to packed float at the output's rate, keeping the frames' own layout,
        mixed down here: FFmpeg's mono downmix sums both sides at -3 dB, so a stereo part of
        a mono MP3 played 3 dB louder (a full-scale one clipped)."""
        import av

        return av.AudioResampler(format="flt", rate=self._rate, layout=None)

    def __call__(self, frame: av.AudioFrame | None) -> Iterator[np.ndarray]:
        """The blocks of ``frame`` (None: what the resampler still holds)."""
        if frame is not None:
            setup = (frame.format.name, frame.layout.name, frame.sample_rate)
            if self._setup is not None and setup != self._setup:  # (see the class)
                yield from self._blocks(None)
                self._resampler = self._new_resampler()
            self._setup = setup
        yield from self._blocks(frame)

    def _blocks(self, frame: av.AudioFrame | None) -> Iterator[np.ndarray]:
        """The blocks of ``frame`` through the resampler of its layout (see the class)."""
        for out in self._resampler.resample(frame):
            names = tuple(channel.name for channel in out.layout.channels)
            block = out.to_ndarray().reshape(-1, len(names))
            if len(names) == self.channels:
                yield block
            elif len(names) < self.channels:  # one channel where two were announced
                yield np.repeat(block[:, :1], self.channels, axis=1)
            else:
                if len(names) > 2:
                    block = to_stereo(block, self._matrix(names))
                yield to_mono(block) if self.channels == 1 else block

    def _matrix(self, names: tuple[str, ...]) -> np.ndarray:
        """:func:`layout_matrix` for ``names``, worked out once per layout."""
        matrix = self._matrices.get(names)
        if matrix is None:
            matrix = self._matrices[names] = layout_matrix(names)
        return matrix
