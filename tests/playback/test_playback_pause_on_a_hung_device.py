"""Pause or Play on a sound device that no longer answers: its abort() or start() never
returns. That call held the engine's hold on the output for ever, so the Play after it failed
with "the sound device does not answer … then press Play", and so did every Play after that,
each on a new stream, until the app restarted (the advice was false); a start() that hung
left the player saying "playing" at 0:00 for ever. Both now give the device up after
``END_STOP_SECONDS`` (a start: ``START_SECONDS``), as the stop at a track's end does: a
device error, and Play plays on where it was, on a new stream."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from playback_support import HungOutput, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, claims

RATE = 8000


@pytest.mark.usefixtures("quick_worker")
def test_play_after_a_pause_that_hung_plays_on_a_new_stream(monkeypatch, tmp_path):
    monkeypatch.setattr(claims, "END_STOP_SECONDS", 0.2)
    path = tmp_path / "song.wav"
    audio = np.linspace(-0.5, 0.5, 20 * RATE, dtype=np.float32)
    sf.write(str(path), audio, RATE, subtype="FLOAT")
    output = HungOutput(hangs=("abort",))  # its first card's abort() hangs
    eng = PlaybackEngine(stream_factory=output)
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "playing" and output.cards[0].active)
        output.cards[0].pull(RATE)  # 0:00 → 0:01
        eng.pause()  # its abort() hangs
        wait_for(lambda: eng.state == "error", 10)
        assert eng.error_kind == "device" and "did not pause" in eng.error, eng.error
        assert eng.position_seconds == 1.0
        eng.play()
        wait_for(lambda: eng.state == "playing" and len(output.cards) == 2
                 and output.cards[1].active, 10)
        heard = output.cards[1].pull(RATE)[:, 0]
        np.testing.assert_allclose(heard, audio[RATE:2 * RATE], atol=1e-6)
    finally:
        output.release.set()
        eng.close()
    wait_for(lambda: output.cards[0].closed, 10)  # closed once its abort() returned


@pytest.mark.usefixtures("quick_worker")
def test_a_start_that_hangs_is_a_device_error_and_play_then_plays(monkeypatch, tmp_path):
    monkeypatch.setattr(claims, "START_SECONDS", 0.2)
    path = tmp_path / "song.wav"
    audio = np.linspace(-0.5, 0.5, 5 * RATE, dtype=np.float32)
    sf.write(str(path), audio, RATE, subtype="FLOAT")
    output = HungOutput(hangs=("start",))  # its first card's start() hangs
    eng = PlaybackEngine(stream_factory=output)
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "error", 10)  # it said "playing" at 0:00 for ever
        assert eng.error_kind == "device" and "did not start" in eng.error, eng.error
        eng.play()
        wait_for(lambda: eng.state == "playing" and len(output.cards) == 2
                 and output.cards[1].active, 10)
        heard = output.cards[1].pull(RATE)[:, 0]
        np.testing.assert_allclose(heard, audio[:RATE], atol=1e-6)
    finally:
        output.release.set()
        eng.close()
    wait_for(lambda: output.cards[0].closed, 10)  # closed once its start() returned
