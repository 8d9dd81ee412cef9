"""A variable-bitrate MP3 without a Xing/Info/VBRI header (old encoders, stream rips): the
length libsndfile finds is guessed from the first frame's bitrate, and it reads no further.
The player stopped there — the last seconds of the song never played; it now goes on to the
end of the data, and a seek past the guess plays what playing through plays there."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import default_decoder
from musicsage.playback.mpeg_length import length_guessed

RATE = 44100


def vbr_mp3(path: str, seconds: float = 12.0) -> None:
    """Noise first (the first frames take a high bitrate: the guess comes out short), then a
    tone, encoded by LAME at an average bitrate, without the header that holds the length."""
    av = pytest.importorskip("av")
    if "libmp3lame" not in av.codecs_available:
        pytest.skip("this FFmpeg has no MP3 encoder")
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    noise = 0.5 * np.random.default_rng(0).standard_normal(n)
    y = np.where(t < 3.0, noise, 0.2 * np.sin(2 * np.pi * (330 + 20 * t) * t))
    pcm = (np.clip(np.stack([y, y], 1), -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(path, "w", format="mp3", options={"write_xing": "0"}) as out:
        stream = out.add_stream("libmp3lame", rate=RATE, options={"abr": "1", "b": "128k"})
        stream.layout = "stereo"
        resampler = av.AudioResampler(format="s16p", layout="stereo", rate=RATE)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
        frame.sample_rate = RATE
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def test_a_vbr_mp3_without_its_length_plays_to_the_end_and_seeks_past_the_guess(tmp_path):
    path = str(tmp_path / "rip.mp3")
    vbr_mp3(path)
    guess = sf.info(path).frames
    assert length_guessed(path) and guess < 10 * RATE, "libsndfile's length is a short guess"
    header, blocks = default_decoder(path)
    assert header.frames == guess  # the best known until the end is reached
    through = np.concatenate(list(blocks))
    assert len(through) >= 12 * RATE, "played to the end of the song, not to the guess"
    assert np.abs(through[11 * RATE:12 * RATE]).max() > 0.1  # the tone, not silence
    for start in (guess - 1000, guess + 5, 11 * RATE):
        _header, blocks = default_decoder(path, start)
        got = np.concatenate(list(blocks))
        assert len(got) == len(through) - start
        np.testing.assert_allclose(got[:3000], through[start:start + 3000], atol=1e-4)


def test_an_mp3_whose_header_holds_its_length_is_read_by_libsndfile_alone(tmp_path):
    path = str(tmp_path / "song.mp3")
    t = np.arange(3 * RATE) / RATE
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE,
             format="MP3", subtype="MPEG_LAYER_III")
    assert not length_guessed(path)
    assert not length_guessed(str(tmp_path / "gone.mp3"))
