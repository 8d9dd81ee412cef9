"""Pause aborts the output stream, which drops what was handed to the device and not heard yet
(its latency's worth). The position had counted those frames as played, so each Pause and Play
skipped them: a jump the listener heard. Pause now moves the position back over them."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile as sf
from playback_support import Card, Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, claims

RATE = 8000
LATENCY = 0.1  # seconds: what PortAudio reports for a PulseAudio output is of this order


class LatentCard(Card):
    """A sound card that queues ``LATENCY`` of audio, which abort() drops (PortAudio's)."""

    latency = LATENCY

    def abort(self) -> None:
        self.active = False


class LatentOutput(Output):
    def __call__(self, samplerate, channels, callback) -> Card:
        self.cards.append(LatentCard(samplerate, channels, callback))
        return self.cards[-1]


pytestmark = pytest.mark.usefixtures("quick_worker")


def _song(tmp_path) -> tuple[str, np.ndarray]:
    path = tmp_path / "song.flac"
    rng = np.random.default_rng(7)
    sf.write(str(path), (0.2 * rng.standard_normal(20 * RATE)).astype(np.float32), RATE,
             subtype="PCM_24")
    return str(path), sf.read(str(path), dtype="float32")[0]


def test_play_after_pause_goes_on_from_what_was_heard_not_from_what_was_queued(tmp_path):
    path, audio = _song(tmp_path)
    output = LatentOutput()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    wait_for(lambda: eng.decoded_frames >= 3 * RATE)
    card = output.cards[0]
    card.pull(2 * RATE)  # 2 s handed to the device; 1.9 s of it heard so far
    eng.pause()
    wait_for(lambda: not card.active)  # aborted: the last 0.1 s queued never sounds
    assert eng.position_seconds == pytest.approx(2.0 - LATENCY)

    eng.play()
    wait_for(lambda: card.active)
    heard = card.pull(RATE)[:, 0]
    np.testing.assert_allclose(heard, audio[round(1.9 * RATE):round(2.9 * RATE)], atol=1e-6)
    eng.close()


def test_a_pause_just_after_a_seek_does_not_go_back_before_the_seek(tmp_path):
    """Only what was played since the seek can have been queued: Pause right after a seek to a
    place outside what is held stays at that place."""
    path, _audio = _song(tmp_path)
    output = LatentOutput()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    eng.seek_seconds(12.0)
    wait_for(lambda: eng.decoded_frames > 12 * RATE)
    eng.pause()
    assert eng.position_seconds == 12.0
    eng.close()


def test_a_card_that_plays_out_its_queue_on_stop_keeps_the_position(tmp_path):
    """A stream without abort() is stopped, and stop() plays out what is queued: heard."""
    path, _audio = _song(tmp_path)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    wait_for(lambda: eng.decoded_frames >= 3 * RATE)
    output.cards[0].pull(2 * RATE)
    eng.pause()
    assert eng.position_seconds == 2.0
    eng.close()


def test_play_before_a_slow_device_took_the_pause_repeats_nothing(tmp_path, monkeypatch):
    """A Pause's stop waits for the device (another call on it still running); a Play that
    comes first keeps the stream running, so nothing queued is dropped: the position stays,
    and the next audio heard follows on from what was handed to the device (it had gone back
    over the latency at once, and that stretch was heard twice)."""
    monkeypatch.setattr(claims, "ANSWER_SECONDS", 0.05)
    path, audio = _song(tmp_path)
    output = LatentOutput()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    wait_for(lambda: eng.decoded_frames >= 3 * RATE)
    card = output.cards[0]
    card.pull(2 * RATE)
    with eng._control:  # the device still busy with an earlier call
        eng.pause()
        eng.play()
    wait_for(lambda: not any(t.name in ("musicsage-output-pause", "musicsage-output-play")
                             for t in threading.enumerate()))
    assert card.active and eng.state == "playing"
    assert eng.position_seconds == 2.0
    heard = card.pull(RATE)[:, 0]
    np.testing.assert_allclose(heard, audio[2 * RATE:3 * RATE], atol=1e-6)
    eng.close()
