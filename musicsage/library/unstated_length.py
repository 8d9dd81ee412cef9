"""The length of a FLAC whose header states none: :func:`unstated_length`.

An encoder that cannot know the length when it writes the header (a live stream's, one fed
from a pipe: ``flac -``) leaves STREAMINFO's total samples 0, and libsndfile reports 2**63 - 1
frames. The scan looked for the last second that far in and refused every such file as
"audio ends early", however whole. As for an Ogg file (no length in its header either), the
length is what decodes: counted here by decoding the file through, since no frame index says
it; a stream stopped abruptly, its last frame cut, is a track of its whole frames. One whose
count stops on zeroed bytes (a download's missing pieces, a failing drive's) is refused with
them named (:mod:`.flac_zeroed`): counted, it was stored as the part before them, no note.
"""

from __future__ import annotations

from musicsage.library.flac_zeroed import zeroed_reason

UNKNOWN_FRAMES = 2**62
"""libsndfile's frame count from here up (it says 2**63 - 1) means the header states none."""
_BLOCK_FRAMES = 65536
"""Frames decoded at a time while counting (memory bounded whatever the length)."""


class NoAudioFrames(ValueError):
    """Not one frame decoded."""


class ZeroedInside(ValueError):
    """The count stopped on zeroed bytes; the message is :func:`.zeroed_reason`'s words."""


def unstated_length(snd) -> float | None:
    """The seconds the open soundfile ``snd`` (read from its start) holds when it is a FLAC;
    None for another format, whose header reader's length stands (mutagen reads an Ogg's from
    its last page). Raises :class:`NoAudioFrames` when nothing decodes, :class:`ZeroedInside`
    when the decoder stopped on zeroed bytes (not a tool's padding after the last frame)."""
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
    if stopped_on_error(handle) and isinstance(snd.name, (str, bytes)) and (
            zeroed := zeroed_reason(snd.name, snd.samplerate, 0)):  # ("lost sync" there)
        raise ZeroedInside(zeroed)
    return total / snd.samplerate
