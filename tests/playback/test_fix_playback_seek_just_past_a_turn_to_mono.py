"""A seek a little past where libsndfile stops in an MP3/MP2 that turns from stereo to mono
midway (under :data:`~musicsage.playback.mp3_takeover.MATCH_SAMPLES` past it): FFmpeg's
count was matched against libsndfile's last samples before the seek's place, which there
are fewer than that and end at the change, so the seek landed at the change, up to 2,048
samples early. It now lands where playing through gets to at the same place."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from mp3_support import RATE
from test_playback_stream_turning_mono_plays_on import LEVEL, encoded

from musicsage.audio.decode import sf_read
from musicsage.playback import default_decoder


def glide(seconds: float, start: float) -> np.ndarray:
    """A rising tone: no stretch of it sounds like another, so a seek that lands off shows."""
    t = np.arange(round(seconds * RATE)) / RATE
    return (LEVEL * np.sin(2 * np.pi * (300 + 40 * (start + t)) * t)).astype(np.float32)


@pytest.mark.parametrize("codec, fmt", [("libmp3lame", "mp3"), ("mp2", "mp2")])
@pytest.mark.parametrize("past", [300, 1500, 2000])
def test_a_seek_just_past_where_libsndfile_stops_plays_what_playing_through_plays(
        tmp_path, codec, fmt, past):
    data = b""
    for i, layout in enumerate(("stereo", "mono")):
        encoded(tmp_path / f"{i}.tmp", glide(6, 6 * i), layout, codec, fmt)
        data += (tmp_path / f"{i}.tmp").read_bytes()
    path = tmp_path / f"broadcast.{fmt}"
    path.write_bytes(data)
    with sf.SoundFile(str(path)) as f:
        change = 0
        while len(block := sf_read(f, 65536)):
            change += len(block)  # where libsndfile stops: the change to mono
    assert 5 * RATE < change < 7 * RATE
    through = np.concatenate(list(default_decoder(str(path))[1]))
    at = change + past
    seeked = np.concatenate(list(default_decoder(str(path), start=at)[1]))
    assert np.abs(seeked[:4096] - through[at:at + 4096]).max() < 0.02
