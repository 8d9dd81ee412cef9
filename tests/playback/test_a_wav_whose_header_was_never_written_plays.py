"""A WAV whose recorder stopped before writing its header (the ``data`` chunk says 0 bytes, the
audio follows): libsndfile reads no audio, and the player said "no audio in the file (empty,
or cut short?)" of a file holding minutes of it. FFmpeg reads it to its end: the player plays
it, its length known and its seeks exact. A WAV truly empty is still said to be."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine

RATE = 8000

pytestmark = pytest.mark.usefixtures("quick_worker")


def _unwritten(path, audio: np.ndarray) -> None:
    """``audio`` as a 16-bit WAV whose RIFF and data sizes were left at 0."""
    sf.write(str(path), audio, RATE, subtype="PCM_16")
    raw = bytearray(path.read_bytes())
    data = raw.find(b"data")
    raw[4:8] = raw[data + 4:data + 8] = bytes(4)
    path.write_bytes(bytes(raw))


def test_it_plays_its_audio_to_the_end_and_seeks_exactly(tmp_path):
    rng = np.random.default_rng(11)
    audio = np.clip(np.round(0.2 * rng.standard_normal((6 * RATE, 2)) * 32768), -32768,
                    32767) / 32768
    path = tmp_path / "take 3.wav"
    _unwritten(path, audio.astype(np.float32))
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state != "loading")
    assert eng.state == "playing", eng.error
    assert eng.duration_seconds == 6.0
    card = output.cards[0]
    wait_for(lambda: eng.decoding_complete)
    np.testing.assert_allclose(card.pull(RATE), audio[:RATE], atol=1e-4)
    eng.seek_seconds(4.5)
    np.testing.assert_allclose(card.pull(RATE), audio[round(4.5 * RATE):round(5.5 * RATE)],
                               atol=1e-4)
    card.pull(RATE)
    wait_for(lambda: eng.state == "ended")
    assert eng.error == ""
    eng.close()


def test_a_wav_with_no_audio_at_all_is_still_refused_in_one_line(tmp_path):
    path = tmp_path / "nothing.wav"
    _unwritten(path, np.zeros((0, 2), np.float32))
    eng = PlaybackEngine(stream_factory=Output())
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert eng.error == "cannot play nothing.wav: no audio in the file (empty, or cut short?)"
    eng.close()
