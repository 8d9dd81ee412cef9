"""PyAV's reading of one span (:func:`read_range`), and its decoded frames as numpy arrays
without the plane walk in PyAV that kills the process.

PyAV (18.x) finds an audio frame's planes by walking FFmpeg's ``extended_data`` pointers up to
the first NULL. FFmpeg leaves a NULL there only after a frame of fewer than
:data:`FRAME_POINTERS` planes: the walk over a planar frame of 8 channels (7.1 AAC, Opus,
E-AC-3, or a 7.1 ALAC or FLAC turned planar) reads the frame's line sizes as a ninth plane, and
over one of more (a damaged AAC frame whose program config element claims 19 to 37 channels)
it runs past the end of the pointer list. ``to_ndarray`` then copies from addresses that hold
no samples: SIGSEGV, and ``embed``, ``tags`` or the window died with no line said, on every run.

So no frame of 8 channels or more is read plane by plane: FFmpeg converts it to packed float,
one plane whatever the channel count (:class:`FloatPlanes`). A frame that claims more than 8
channels where the stream has another count is not audio of the file's but damage, and is
refused (:class:`DamagedFrame`) with the time where it lies, as a damaged FLAC is.
"""

from __future__ import annotations

import numpy as np

from musicsage.audio.dsp import to_mono
from musicsage.text import format_time

FRAME_POINTERS = 8
"""FFmpeg's ``AV_NUM_DATA_POINTERS``: the plane pointers an ``AVFrame`` holds in itself."""
SEEK_PREROLL_S = 0.2
"""A seek in a lapped codec's file (MP3, AAC, Opus) lands this much early, and the samples
before the target are decoded and dropped: a decoder's first frame lacks its predecessor."""


class DamagedFrame(ValueError):
    """A decoded frame that is no audio of the file's (the message says where, in the words
    after ``"name: "``; :func:`musicsage.audio.damage.described` gives it as it is)."""


class Unseekable(Exception):
    """After a seek the decoder gave no timestamps, so the position is unknown."""


def refuse_damaged(frame, channels: int, at_s: float) -> None:
    """Raise :class:`DamagedFrame` when ``frame`` (at ``at_s`` seconds) claims more than
    :data:`FRAME_POINTERS` channels where the stream has ``channels``: a damaged AAC packet's
    bytes read as a program config element do (19 to 44 channels, to the end of the file);
    a broadcast's stereo to 5.1 does not, and stays readable. A real change to more than 8
    channels midway (stereo, then a 16-channel programme) is refused alike — rare, and told
    from damage only by the decode errors that follow damage. Asked before any of its planes
    are looked at, which PyAV cannot do for it without reading memory it does not own."""
    got = frame.layout.nb_channels
    if got != channels and got > FRAME_POINTERS:
        raise DamagedFrame(f"damaged audio data at {format_time(at_s)} (a frame there claims "
                           f"{got} channels, the file has {channels})")


class FloatPlanes:
    """Decoded frames → float32 arrays ``(channels, samples)`` at the frame's own rate.

    A frame of fewer than :data:`FRAME_POINTERS` channels goes through one planar-float
    resampler (a pass-through for AAC, Opus and Vorbis, whose frames are so already, which
    also passes a layout changed midway). One of more is converted to packed float by a
    resampler of its own layout, and its one plane split into channels: PyAV's planes of
    such a frame are not its own (the module)."""

    def __init__(self, channels: int) -> None:
        import av

        self.channels = channels  # the stream's, against which frames are checked
        self._planar = av.AudioResampler(format="fltp")  # planar float: channels stay apart
        self._packed: dict[tuple[str, str, int], object] = {}

    def __call__(self, frame, at_s: float) -> list[np.ndarray]:
        """The arrays of ``frame``, decoded at ``at_s`` seconds (raises :class:`DamagedFrame`)."""
        refuse_damaged(frame, self.channels, at_s)
        if frame.layout.nb_channels < FRAME_POINTERS:
            return [conv.to_ndarray() for conv in self._planar.resample(frame)]
        import av

        key = (frame.format.name, frame.layout.name, frame.sample_rate)
        if key not in self._packed:
            self._packed[key] = av.AudioResampler(format="flt", layout=frame.layout,
                                                  rate=frame.sample_rate)
        width = frame.layout.nb_channels
        return [conv.to_ndarray().reshape(-1, width).T
                for conv in self._packed[key].resample(frame)]


def read_range(container, stream, start: int, n: int, sr: int, *, seek: bool,
               channels: int) -> np.ndarray:
    """Samples ``[start, start + n)`` of the stream (of ``channels`` channels), mono at the
    native rate ``sr``.

    With ``seek`` the container jumps to the keyframe at or before ``start`` and decoded frames'
    timestamps place the samples; without it (a fresh container) decoding starts at sample 0 and
    samples before ``start`` are dropped as they come (slow for a far span, but bounded memory).
    """
    sought = False
    if seek:
        try:
            # Seek a little early: lapped codecs (AAC, MP3, Opus) need the previous frame to
            # decode the first samples of the span exactly.
            target = int(max(0.0, start / sr - SEEK_PREROLL_S) / stream.time_base) \
                if stream.time_base else 0
            container.seek(max(0, target), stream=stream, backward=True, any_frame=False)
            sought = True
        except Exception:
            raise Unseekable() from None
    arrays = FloatPlanes(channels)
    pieces: list[np.ndarray] = []  # (channels, samples) blocks, mixed down once at the end
    have = 0
    position: int | None = None if sought else 0
    # time stamps are exact to a tick of the time base (WMA: 1 ms, ±44 samples at 44.1 kHz):
    slack = int(sr * stream.time_base) + 1 if stream.time_base else 0
    for frame in container.decode(stream):
        if frame.time is not None and (sought or position is None):
            stamped = int(round(frame.time * sr))
            if position is None or abs(stamped - position) > slack:  # not each (±20 a frame)
                position = stamped
        elif position is None:
            raise Unseekable()
        for planes in arrays(frame, position / sr):
            lo, hi = max(0, start - position), min(planes.shape[1], start + n - position)
            position += planes.shape[1]
            if hi > lo:
                pieces.append(planes[:, lo:hi])
                have += hi - lo
        if have >= n:
            break
    if not pieces:
        return np.zeros(0, np.float32)
    if len({p.shape[0] for p in pieces}) == 1:  # one mix-down for the span (≈ 600 frames)
        return to_mono(np.concatenate(pieces, axis=1).T)[:n]
    return np.concatenate([to_mono(p.T) for p in pieces])[:n]  # the layout changed mid-stream
