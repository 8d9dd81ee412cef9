"""A mono MP3 with a stereo one joined after it (a mix saved in parts): the stereo part, past
libsndfile's guess of the length, is decoded by FFmpeg and was mixed down to the announced one
channel by FFmpeg's mono downmix, each side at -3 dB, summed: the same sine on both sides
played 3 dB louder than in the mono part (a full-scale stereo part reached 1.41 and clipped).
Mixed down as the mean of its sides, it plays at its own level."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from mp3_support import RATE

from musicsage.playback import default_decoder

LEVEL = 0.3


def test_the_stereo_part_of_a_mono_mp3_plays_as_loud_as_it_is(tmp_path):
    t = np.arange(10 * RATE) / RATE
    y = (LEVEL * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    mono, stereo = tmp_path / "mono.tmp", tmp_path / "stereo.tmp"
    sf.write(mono, y, RATE, format="MP3", subtype="MPEG_LAYER_III")
    sf.write(stereo, np.stack([y, y], 1), RATE, format="MP3", subtype="MPEG_LAYER_III")
    path = tmp_path / "mix.mp3"
    path.write_bytes(mono.read_bytes() + stereo.read_bytes())
    header, blocks = default_decoder(str(path))
    assert header.channels == 1
    through = np.concatenate(list(blocks)).reshape(-1, 1)
    assert len(through) > 19.9 * RATE, "played past the join to the end"
    first = np.abs(through[2 * RATE:8 * RATE]).max()  # the mono file's peak
    second = np.abs(through[-8 * RATE:-2 * RATE]).max()  # the stereo file's, past the guess
    assert np.isclose(first, LEVEL, atol=0.02), first
    assert np.isclose(second, LEVEL, atol=0.02), f"the stereo part at {second}"
