"""The length of a FLAC whose header states none: :func:`unstated_length`.

An encoder that cannot know the length when it writes the header (a live stream's, one fed
from a pipe: ``flac -``) leaves STREAMINFO's total samples 0, and libsndfile reports 2**63 - 1
frames. The scan looked for the last second that far in and refused every such file as
"audio ends early", however whole. As for an Ogg file (no length in its header either), the
length is what decodes: counted here by decoding the file through, since no frame index says
it; a stream stopped abruptly, its last frame cut, is a track of its whole frames. One whose
count stops on zeroed bytes (a download's missing pieces, a failing drive's) is refused with
them named (:mod:`.flac_zeroed`): counted, it was stored as the part before them, no note.
So is one whose count stops on a frame that does not decode with a frame after it (damage
inside; not the cut last frame of a stream stopped, nor a tag or a trailer after its frames):
it was stored as the part before the damage, without a word, where ``embed`` then failed it
"damaged audio data at" that time.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from musicsage.library.flac_zeroed import frame_follows, zeroed_reason
from musicsage.text import format_time

_BLOCK_FRAMES = 65536
"""Frames decoded at a time while counting (memory bounded whatever the length)."""
_COUNTED: OrderedDict[tuple, float] = OrderedDict()
"""The last files' counts, by path, size, modification time and inode: ``embed`` asks one
file's twice (its decoder's probe, then the scan's check), each a decode of the whole file."""
_MOST_COUNTED = 32
"""Files whose counts are kept (a few a track at most are asked in one run)."""


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
    :class:`DamagedFrame` when it stopped on a frame that does not decode, frames after it.
    A file counted whole is not decoded again while it is unchanged (:data:`_COUNTED`)."""
    if snd.format != "FLAC" or snd.samplerate <= 0:
        return None
    key = _file_key(snd.name)
    if key is not None and (seconds := _COUNTED.get(key)) is not None:
        return seconds  # (one look: embed's threads share it)
    counted = _decoded_frames(snd)
    if counted is None:
        return None
    total, failed = counted
    if total == 0:
        raise NoAudioFrames("no audio frames")
    if failed and isinstance(snd.name, (str, bytes)):
        _refuse_stop_before_end(snd.name, snd.samplerate, total)
    if key is not None:
        _COUNTED[key] = total / snd.samplerate
        while len(_COUNTED) > _MOST_COUNTED:
            _COUNTED.popitem(last=False)
    return total / snd.samplerate


def _decoded_frames(snd) -> tuple[int, bool] | None:
    """The frames libsndfile decodes of ``snd`` from where it is to where it stops, and
    whether it stopped on an error; None for a python-soundfile without the names used."""
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
    return total, bool(stopped_on_error(handle))


def _file_key(name) -> tuple | None:
    """What tells one file's content from its next (path, size, modification time, inode);
    None for a file not opened by its path, or gone."""
    if not isinstance(name, (str, bytes)):
        return None
    try:
        st = os.stat(name)
    except OSError:
        return None
    return (os.fsencode(name), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _refuse_stop_before_end(path: str | bytes, rate: int, total: int) -> None:
    """Raise when the decoder's error after ``total`` frames is not the stream's end: zeroed
    bytes ("lost sync" there), or a frame that does not decode with a frame after it
    (:func:`.frame_follows`). Anything else after the last frame is its end: a cut last
    frame (a stream stopped), zeros, a tag or a text trailer."""
    if zeroed := zeroed_reason(path, rate, 0):
        raise ZeroedInside(zeroed)
    if frame_follows(path, total):
        raise DamagedFrame(damaged_at(total / rate))
