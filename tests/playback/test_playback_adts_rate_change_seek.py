"""A raw ADTS AAC file (.aac) whose sample rate changes part-way (a radio recording across a
programme change; two files joined): FFmpeg stamps every frame at the first frame's rate, so
a seek past the change landed far from its target, or past the end (nothing played), and the
slider's length was seconds short. A seek anywhere now plays what playing through plays
there, and the length is the one the frames hold."""

from __future__ import annotations

import numpy as np
import pytest
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, default_decoder

av = pytest.importorskip("av")

pytestmark = pytest.mark.usefixtures("quick_worker")

FIRST, THEN, SECONDS = 44100, 22050, 6


def _adts(path, rate: int, freq: float) -> bytes:
    """SECONDS of a tone at ``rate`` as raw ADTS frames."""
    out = av.open(str(path), "w", format="adts")
    stream = out.add_stream("aac", rate=rate)
    stream.layout = "stereo"
    t = np.arange(rate * SECONDS) / rate
    both = np.stack([0.3 * np.sin(2 * np.pi * freq * t)] * 2).astype(np.float32)
    for i in range(0, both.shape[1], 1024):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(both[:, i:i + 1024]),
                                           format=stream.codec_context.format.name,
                                           layout="stereo")
        frame.sample_rate, frame.pts = rate, i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()
    return path.read_bytes()


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    """A 44.1 kHz part, a 22.05 kHz part, a 44.1 kHz one again, joined: one raw .aac file."""
    folder = tmp_path_factory.mktemp("adts")
    first, then = _adts(folder / "a.aac", FIRST, 440), _adts(folder / "b.aac", THEN, 880)
    joined = first + then + first
    path = folder / "song.aac"
    path.write_bytes(joined)
    header, blocks = default_decoder(str(path))
    return path, header, np.concatenate(list(blocks))


def test_the_length_is_the_one_its_frames_play(song):
    _path, header, whole = song
    assert header.samplerate == FIRST
    assert header.frames == len(whole)
    assert abs(len(whole) / FIRST - 3 * SECONDS) < 0.2


@pytest.mark.parametrize("seconds", [3.0, 5.95, 6.5, 9.0, 11.5, 14.0, 17.9])
def test_a_seek_plays_what_playing_through_plays_there(song, seconds):
    path, _header, whole = song
    start = round(seconds * FIRST)
    _header, blocks = default_decoder(str(path), start=start)
    part = np.concatenate(list(blocks))
    assert len(part) == len(whole) - start
    # (the decoder's overlap at the change, met from another place, differs by -70 dB)
    np.testing.assert_allclose(part, whole[start:], atol=1e-3)


def test_the_player_seeks_past_the_change_to_its_place(song):
    path, _header, whole = song
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    assert eng.duration == len(whole)
    eng.seek_seconds(9.0)
    wait_for(lambda: eng.decoded_frames > 9 * FIRST + 4096 or eng.state != "playing")
    out = cards[0].pull(4096)
    np.testing.assert_allclose(out, whole[9 * FIRST:9 * FIRST + 4096] * eng.volume, atol=1e-3)
    eng.close()
