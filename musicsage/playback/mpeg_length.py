"""Whether an MP3's length is only a guess: no Xing or Info header (the table an encoder writes
in the first frame with the frame count; old encoders, stream rips and some taggers leave it
out). A VBRI header (Fraunhofer's) holds the count too, but libsndfile ignores it.

libsndfile (through libmpg123) reads an MP3 no further than the length it finds, and in such a
file that length is guessed from the first frame's bitrate: a variable-bitrate 60 s test file
stopped at 0:51, its last 9 s never played. The player then goes on through FFmpeg, which
decodes to the end of the data (:func:`~musicsage.playback.mp3_takeover.past_guess`) — only
where libsndfile stopped exactly at its guess: in a constant-bitrate file the guess counts the
tags and the encoder's padding as audio, so it is long and libsndfile stops before it, at the
real end (a variable-bitrate file whose first frames share one bitrate is no exception to
look for). The length the player shows is the one the frames hold, counted as the scan counts
it (:func:`~musicsage.audio.mpeg_spans.counted_frames`), not the guess: that put the slider's
end a minute early, or, with cover art in a tag at the end, minutes late. Whether it is a
guess is told from the first frames' headers alone (past ID3v2 tags, whatever their size),
read by the library's frame parser (:mod:`musicsage.library.mpeg_frames`), which the scan uses.
An MP3 whose frames go on past the length its Info header states (files joined end to end) is
handed to FFmpeg too, on its counted frames
(:func:`~musicsage.audio.mpeg_spans.frames_past_libsndfile`), not here.
"""

from __future__ import annotations

import os

from musicsage.library.mpeg_frames import LENGTH_TABLES, LOOKED_AT_BYTES, first_frame_at, frame_at


def length_guessed(path: str) -> bool:
    """True for an MP3 without a Xing/Info header (libsndfile's length is a guess); False
    where the length is known, or the file cannot be read or parsed (nothing changes)."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            at = first_frame_at(fh, 0)
            if at is None:
                return False
            fh.seek(at)
            data = fh.read(LOOKED_AT_BYTES)
    except OSError:
        return False
    frame = frame_at(data, 0)
    first = data[:frame[0] if frame else 0]
    return not any(table in first for table in LENGTH_TABLES)


def frame_samples(header: bytes, rate: int = 0) -> float:
    """How many samples the MPEG audio frame whose header ``header`` starts with holds (1,152
    for MPEG-1 Layer III, 576 for MPEG-2's, 384 for Layer I…); 0 for anything not a frame (a
    tag between joined files, which FFmpeg decodes to nothing). At ``rate`` where given: a
    frame at another rate counted as the samples of ``rate`` it plays for."""
    frame = frame_at(header, 0)
    if not frame:
        return 0
    return frame[1] * rate / frame[2] if rate and rate != frame[2] else frame[1]
