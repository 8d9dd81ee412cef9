"""A chained Ogg file of Opus parts (``cat a.opus b.opus``): each part's length was its last
granule position, which counts the 312 samples of pre-skip the decoder drops at its start
(OpusHead bytes 10–11), so the length shown was long, and a seek into a later part landed
that much late for each part before it. A part's length now leaves its pre-skip out."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from test_playback_chained_ogg_of_two_rates import PART_SECONDS, glide

from musicsage.playback import default_decoder

RATE = 48000


def chained_opus(tmp_path, count: int) -> str:
    data = b""
    for i in range(count):
        part = tmp_path / f"part{i}.opus"
        y = glide(i, np.arange(PART_SECONDS * RATE) / RATE)
        try:
            sf.write(part, np.stack([y, y], 1), RATE, format="OGG", subtype="OPUS")
        except (ValueError, RuntimeError, TypeError):
            pytest.skip("this libsndfile writes no Opus")
        data += part.read_bytes()
    path = tmp_path / "radio.opus"
    path.write_bytes(data)
    return str(path)


def test_a_chained_opus_length_is_what_plays_through(tmp_path):
    path = chained_opus(tmp_path, 3)
    header, blocks = default_decoder(path)
    through = sum(map(len, blocks))
    assert abs(header.frames - through) < 50, (header.frames, through)


def test_a_seek_into_a_later_opus_part_plays_what_playing_through_plays(tmp_path):
    path = chained_opus(tmp_path, 3)
    through = np.concatenate(list(default_decoder(path)[1]))
    at = round(2.5 * PART_SECONDS * RATE)  # halfway through the third part
    seeked = np.concatenate(list(default_decoder(path, start=at)[1]))
    assert np.abs(seeked[:2048] - through[at:at + 2048]).max() < 1e-3
