"""A chained Ogg file whose parts are at different rates (a radio stream recorded across a
change of its encoder, ``cat`` of files of two rates): a part's length was counted in its own
rate, not the rate it plays at (the first part's), so the length shown was off, a seek past a
48 kHz part in a 44.1 kHz file landed early (0:25 played what playing through plays at
0:24.1), and a 44.1 kHz part after a 48 kHz one had its end cut off. Each part's length is
now counted at the rate it plays at."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import default_decoder

PART_SECONDS = 4


def glide(part: int, t: np.ndarray) -> np.ndarray:
    """What part ``part`` holds at its times ``t`` (in seconds)."""
    hz = 300 + 60 * (part * PART_SECONDS + t)
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def chained(tmp_path, rates: tuple[int, ...]) -> str:
    """Ogg Vorbis parts at ``rates``, a glide through them all (no place sounds like
    another), joined byte for byte."""
    data = b""
    for i, rate in enumerate(rates):
        y = glide(i, np.arange(PART_SECONDS * rate) / rate)
        part = tmp_path / f"part{i}.ogg"
        sf.write(part, np.stack([y, y], 1), rate, format="OGG", subtype="VORBIS")
        data += part.read_bytes()
    path = tmp_path / "radio.ogg"
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("rates", [(44100, 48000, 44100), (48000, 44100, 48000)])
def test_the_length_is_what_plays_through(tmp_path, rates):
    path = chained(tmp_path, rates)
    header, blocks = default_decoder(path)
    through = sum(map(len, blocks))
    expected = len(rates) * PART_SECONDS * header.samplerate
    assert abs(header.frames - expected) < 0.01 * header.samplerate, header.frames
    assert abs(through - expected) < 0.01 * header.samplerate, "a part's end was cut off"


@pytest.mark.parametrize("rates", [(44100, 48000, 44100), (48000, 44100, 48000)])
def test_a_seek_past_a_change_of_rate_plays_what_playing_through_plays_there(tmp_path, rates):
    path = chained(tmp_path, rates)
    header, blocks = default_decoder(path)
    rate, through = header.samplerate, np.concatenate(list(blocks))
    at = round(2.5 * PART_SECONDS * rate)  # halfway through the third part
    seeked = np.concatenate(list(default_decoder(path, start=at)[1]))
    probe = 2048
    assert np.abs(seeked[:probe] - through[at:at + probe]).max() < 1e-3
    known = glide(2, PART_SECONDS / 2 + np.arange(probe) / rate)  # what the file holds there
    assert np.abs(seeked[:probe, 0] - known).max() < 0.05, "the seek landed off its place"
