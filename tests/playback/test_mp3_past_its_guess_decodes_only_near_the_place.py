"""An MP3 whose length libsndfile guessed goes on through FFmpeg past the guess. FFmpeg decoded
from the start of the file up to the place, the frames before it dropped: a seek to 2:30:00 in
a 3-hour rip whose guess is 30 minutes took 15 s, and playing through a long one stalled where
FFmpeg took over. The frames before the place are now counted from their headers, not decoded
(576 samples each in an MPEG-2 file, 1,152 in an MPEG-1 one), and decoding starts just before it."""

from __future__ import annotations

import av
import numpy as np
import pytest
import soundfile as sf
from mp3_support import RATE, encoded_mp3, ffmpeg_decoded

from musicsage.playback import default_decoder


class CountingResampler:
    """FFmpeg's resampler, counting the samples of every frame decoded through it."""
    decoded = 0

    def __init__(self, *args, **kwargs) -> None:
        self._resampler = REAL_RESAMPLER(*args, **kwargs)

    def resample(self, frame):
        if frame is not None:
            CountingResampler.decoded += frame.samples
        return self._resampler.resample(frame)


REAL_RESAMPLER = av.AudioResampler


@pytest.mark.parametrize("rate", [RATE, 22050])
def test_a_seek_far_past_the_guess_decodes_only_near_the_place(tmp_path, monkeypatch, rate):
    path = str(tmp_path / "rip.mp3")
    encoded_mp3(path, 20.0, rate=rate)
    guess = sf.info(path).frames
    start = 18 * rate
    assert guess < start - 3 * rate, "libsndfile's length is a short guess, well before 0:18"
    whole = ffmpeg_decoded(path, rate=rate)
    monkeypatch.setattr(av, "AudioResampler", CountingResampler)
    CountingResampler.decoded = 0
    _header, blocks = default_decoder(path, start)
    got = np.concatenate(list(blocks))
    assert len(got) == len(whole) - start
    assert np.abs(got - whole[start:]).max() < 1e-4, "the samples playing through plays there"
    assert CountingResampler.decoded < len(whole) - start + 100 * 1152, \
        "only the last two seconds and a few frames around them and the guess, not all 18 s"
