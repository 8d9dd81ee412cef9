"""The length of a FLAC whose header states none: :func:`unstated_length`.

An encoder that cannot know the length when it writes the header (a live stream's, one fed
from a pipe: ``flac -``) leaves STREAMINFO's total samples 0, and libsndfile reports 2**63 - 1
frames. The scan looked for the last second that far in and refused every such file as
"audio ends early", however whole. As for an Ogg file (no length in its header either), the
length is what decodes: counted here by decoding the file through, since no frame index says
it; a stream stopped abruptly, its last frame cut, is a track of its whole frames. One whose
count stops on zeroed bytes (a download's missing pieces, a failing drive's) is refused with
them named (:mod:`.flac_zeroed`): counted, it was stored as the part before them, no note.
So is one whose count stops on a frame that does not decode, frames after it (damage inside,
not the cut last frame of a stream stopped): it was stored as the part before the damage,
without a word, where ``embed`` then failed it "damaged audio data at" that time.
"""

from __future__ import annotations

from musicsage.library.flac_zeroed import (UNKNOWN_FRAMES, ends_inside_frame,
                                          frames_before_tail, zeroed_reason)
from musicsage.text import format_time

__all__ = ["UNKNOWN_FRAMES", "DamagedFrame", "NoAudioFrames", "ZeroedInside", "damaged_at",
           "unstated_length"]  # UNKNOWN_FRAMES (defined in flac_zeroed): the scan's from here
_BLOCK_FRAMES = 65536
"""Frames decoded at a time while counting (memory bounded whatever the length)."""


class NoAudioFrames(ValueError):
    """Not one frame decoded."""


class ZeroedInside(ValueError):
    """The count stopped on zeroed bytes; the message is :func:`.zeroed_reason`'s words."""


class DamagedFrame(ValueError):
    """The count stopped on a frame that does not decode; the message is :func:`damaged_at`'s."""


def damaged_at(seconds: float) -> str:
    """The words after ``"name: "`` for a FLAC whose audio stops decoding at ``seconds``, the
    scan's and ``embed``'s (:func:`musicsage.audio.damage.described`) alike."""
    return f"damaged audio data at {format_time(seconds)} (a FLAC frame there does not decode)"


def unstated_length(snd) -> float | None:
    """The seconds the open soundfile ``snd`` (read from its start) holds when it is a FLAC;
    None for another format, whose header reader's length stands (mutagen reads an Ogg's from
    its last page). Raises :class:`NoAudioFrames` when nothing decodes, :class:`ZeroedInside`
    when the decoder stopped on zeroed bytes (not a tool's padding after the last frame),
    :class:`DamagedFrame` when it stopped on a frame that does not decode before the end."""
    if snd.format != "FLAC" or snd.samplerate <= 0:
        return None
    import numpy as np
    import soundfile as sf

    # libsndfile's own read, not ``snd.read``: python-soundfile ends each read with a seek to
    # where it stopped, which fails at the end of a stream of no stated length
    try:  # python-soundfile's own names (0.10–0.14); a release without them: length unknown
        readf, handle, cast = sf._snd.sf_readf_float, snd._file, sf._ffi.cast
        stopped_on_error = sf._snd.sf_error
    except AttributeError:
        return None
    block = np.empty((_BLOCK_FRAMES, snd.channels), np.float32)
    pointer, total = cast("float *", block.ctypes.data), 0
    while got := readf(handle, pointer, len(block)):
        total += got
        if got < len(block):
            break
    if total == 0:
        raise NoAudioFrames("no audio frames")
    if stopped_on_error(handle) and isinstance(snd.name, (str, bytes)):
        _refuse_stop_before_end(snd.name, snd.samplerate, total)
    return total / snd.samplerate


def _refuse_stop_before_end(path: str | bytes, rate: int, total: int) -> None:
    """Raise when the decoder's error after ``total`` frames is not the stream's end: zeroed
    bytes ("lost sync" there), or a frame that does not decode with frames after it. Its end
    is a cut last frame (a stream stopped) or zeros or an ID3v1 tag after the last frame."""
    if zeroed := zeroed_reason(path, rate, 0):
        raise ZeroedInside(zeroed)
    if not ends_inside_frame(path, total) and frames_before_tail(path) != total:
        raise DamagedFrame(damaged_at(total / rate))
