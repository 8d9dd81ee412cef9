"""Opening the output for one track: at its rate and channel count, else at what the device
takes, before calling it a failed output.

A refusal here is read as a ``"device"`` error, which stops a queue (every other track would
fail the same way). So what a working device may refuse is tried another way first: a rate it
does not run at (the audio is resampled to a fallback rate), a channel count it does not have
(mono on an output that opens only in stereo: the channel goes to both). Decoders give at most
two channels (more are mixed down), so stereo is the last try.
"""

from __future__ import annotations

from musicsage.playback.decoders import Header
from musicsage.playback.output import (FALLBACK_RATES, Callback, OutputStream,
                                       PlaybackUnavailable, PortAudioMissing, StreamFactory)


def open_output(factory: StreamFactory, header: Header,
                callback: Callback) -> tuple[OutputStream, int, int]:
    """(stream, its rate, its channels): at the file's rate, else a fallback rate; at the
    file's channel count, else once more in stereo. The error of the first try (the file's
    own rate) when none opens; a missing PortAudio at once (nothing else would open)."""
    rate, first_error = header.samplerate, None
    for channels in dict.fromkeys((header.channels, 2)):
        for try_rate in (rate, *[r for r in FALLBACK_RATES if r != rate]):
            try:
                return factory(try_rate, channels, callback), try_rate, channels
            except PortAudioMissing:
                raise
            except PlaybackUnavailable as e:
                first_error = first_error or e
    raise first_error or PlaybackUnavailable("no usable output sample rate")
