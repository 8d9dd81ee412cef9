"""A stereo MP3 with a mono one joined after it (a mix saved in parts): the mono part, past
libsndfile's guess of the length, is decoded by FFmpeg and was put on both speakers at -3 dB
(FFmpeg's own upmix), so it dropped in level at the join; a mono file plays on both at its
own level (as the player widens any mono file)."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from mp3_support import RATE

from musicsage.playback import default_decoder

LEVEL = 0.3


def test_the_mono_part_of_a_stereo_mp3_plays_as_loud_as_it_is(tmp_path):
    t = np.arange(10 * RATE) / RATE
    y = (LEVEL * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    stereo, mono = tmp_path / "stereo.tmp", tmp_path / "mono.tmp"
    sf.write(stereo, np.stack([y, y], 1), RATE, format="MP3", subtype="MPEG_LAYER_III")
    sf.write(mono, y, RATE, format="MP3", subtype="MPEG_LAYER_III")
    path = tmp_path / "mix.mp3"
    path.write_bytes(stereo.read_bytes() + mono.read_bytes())
    header, blocks = default_decoder(str(path))
    assert header.channels == 2
    through = np.concatenate(list(blocks))
    assert len(through) > 19.9 * RATE, "played past the join to the end"
    first = np.abs(through[2 * RATE:8 * RATE]).max(axis=0)  # the stereo file's peaks
    second = np.abs(through[-8 * RATE:-2 * RATE]).max(axis=0)  # the mono file's, past the guess
    assert np.allclose(first, LEVEL, atol=0.02), first
    assert np.allclose(second, LEVEL, atol=0.02), f"the mono part at {second} on each side"
